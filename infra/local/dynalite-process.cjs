// Runs dynalite (the DynamoDB API over LevelDB) in its own process, so storage work uses the other
// CPU core, and prints its port. It exits as soon as its parent goes away (stdin closes), so a
// `kill -9` of the stack never leaves it holding the LevelDB lock.
const dynaliteStore = require('dynalite/db');

// dynalite reads and JSON-decodes the table's description from LevelDB on every item request (a fifth
// to a third of its CPU per PutItem, measured). Data-plane actions (PutItem, GetItem, UpdateItem,
// Query, …) ask for it with getTable(name, cb) and only read it; control-plane actions (CreateTable,
// UpdateTable, DescribeTable, DeleteTable) pass a status flag and still read LevelDB. Keep the
// description of an ACTIVE table in memory for the former, and drop it whenever the table record is
// written or deleted (a read that overlapped such a write is not cached). Items are untouched: every
// item read and write still goes to LevelDB.
const createStore = dynaliteStore.create;
dynaliteStore.create = function (options) {
  const store = createStore(options);
  const tables = new Map();
  let writes = 0; // table-record writes started or finished so far
  const getTable = store.getTable;
  store.getTable = function (name, checkStatus, cb) {
    if (typeof checkStatus !== 'function') return getTable.call(store, name, checkStatus, cb);
    cb = checkStatus;
    const cached = tables.get(name);
    if (cached) return process.nextTick(cb, null, cached);
    const before = writes;
    getTable.call(store, name, (err, table) => {
      if (!err && table && table.TableStatus === 'ACTIVE' && writes === before) tables.set(name, table);
      cb(err, table);
    });
  };
  for (const method of ['put', 'del']) {
    const original = store.tableDb[method];
    store.tableDb[method] = function (key, ...rest) {
      writes++;
      tables.delete(key);
      const callback = rest[rest.length - 1];
      if (typeof callback === 'function') rest[rest.length - 1] = (...args) => (writes++, tables.delete(key), callback(...args));
      return original.call(store.tableDb, key, ...rest);
    };
  }
  return store;
};

const dynalite = require('dynalite');

const path = process.argv[2] || undefined;
const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(0, '127.0.0.1', () => process.stdout.write(`port ${server.address().port}\n`));
server.on('error', (err) => {
  process.stderr.write(`dynalite: ${err.message}\n`);
  process.exit(1);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
