// Runs dynalite (the DynamoDB API over LevelDB) in its own process, so storage work uses the other
// CPU core, and prints its port. It exits as soon as its parent goes away (stdin closes), so a
// `kill -9` of the stack never leaves it holding the LevelDB lock.
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
