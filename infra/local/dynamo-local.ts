/**
 * DynamoDB on one machine: dynalite (the DynamoDB HTTP API over LevelDB, on disk) on a loopback port,
 * with the same table and indexes the CDK stack defines (from functions/shared/adapters/table-design.ts).
 */
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException, UpdateTableCommand, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TABLE_INDEXES, TABLE_KEY } from '../../functions/shared/adapters/table-design.ts';
import { LOOPBACK_UNNEEDED_MIDDLEWARE, LoopbackHttpHandler, emulatorSigner } from './loopback-sdk.ts';
import { recordSdkCalls, type RedressFunctionName } from './aws-calls.ts';

const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (options: { path?: string; createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => import('node:http').Server;

export interface LocalDynamo {
  /** A client for the harness (table set-up, tests, tools): its calls are nobody's. */
  client: DynamoDBClient;
  /**
   * Function `fn`'s own client (one per function, as each Lambda has its own): every command it sends
   * is recorded as that function's (aws-calls.ts). Made on first use and closed with the rest.
   */
  clientFor(fn: RedressFunctionName): DynamoDBClient;
  endpoint: string;
  close(): Promise<void>;
}

/** Which function a client works for, and the table it finds through REDRESS_TABLE_NAME. */
export interface DynamoCaller {
  function: RedressFunctionName;
  tableName: string;
}

/**
 * Starts dynalite storing under `path` (in memory when undefined) and ensures the table exists. By
 * default dynalite runs in a child process (storage then uses the second core, and the stack's event
 * loop stays free for HTTP and processing); `inProcess` keeps it in this process.
 */
export async function startLocalDynamo(
  path: string | undefined,
  tableName: string,
  options: { inProcess?: boolean; /** Called with every client made (the usage meter instruments them). */ onClient?: (client: DynamoDBClient) => void } = {},
): Promise<LocalDynamo> {
  const { port, stop } = options.inProcess ? await listenInProcess(path) : await spawnDynalite(path);
  const endpoint = `http://127.0.0.1:${port}`;
  const client = createLoopbackDynamoClient(endpoint);
  options.onClient?.(client);
  await ensureTable(client, tableName);
  const perFunction = new Map<RedressFunctionName, DynamoDBClient>();
  return {
    client,
    clientFor: (fn) => {
      let own = perFunction.get(fn);
      if (!own) {
        own = createLoopbackDynamoClient(endpoint, 64, { function: fn, tableName });
        options.onClient?.(own);
        perFunction.set(fn, own);
      }
      return own;
    },
    endpoint,
    close: async () => {
      for (const c of [client, ...perFunction.values()]) c.destroy();
      await stop();
    },
  };
}

/**
 * A DynamoDB client for a dynalite endpoint on loopback: the real client and commands, with a light
 * transport (see loopback-sdk.ts). Each thread that talks to dynalite builds its own. `maxSockets`
 * bounds how many of its requests dynalite holds at once (requests beyond wait in the client). With a
 * `caller`, every command is recorded as that function's call (aws-calls.ts).
 */
export function createLoopbackDynamoClient(endpoint: string, maxSockets = 64, caller?: DynamoCaller): DynamoDBClient {
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 5,
    requestHandler: new LoopbackHttpHandler(maxSockets) as unknown as DynamoDBClientConfig['requestHandler'],
    signer: emulatorSigner as unknown as DynamoDBClientConfig['signer'],
  });
  for (const name of LOOPBACK_UNNEEDED_MIDDLEWARE) client.middlewareStack.remove(name);
  if (caller) recordSdkCalls(client, caller.function, { REDRESS_TABLE_NAME: caller.tableName });
  return client;
}

async function listenInProcess(path: string | undefined): Promise<{ port: number; stop: () => Promise<void> }> {
  const server = dynalite({ ...(path ? { path } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return { port: (server.address() as AddressInfo).port, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * Spawns infra/local/dynalite-process.cjs. A previous stack killed with -9 may still hold the LevelDB
 * lock for a moment while its dynalite notices and exits: retry for a few seconds.
 */
async function spawnDynalite(path: string | undefined): Promise<{ port: number; stop: () => Promise<void> }> {
  const script = fileURLToPath(new URL('./dynalite-process.cjs', import.meta.url));
  let lastError = '';
  for (let attempt = 0; attempt < 40; attempt++) {
    const child = spawn(process.execPath, [script, ...(path ? [path] : [])], { stdio: ['pipe', 'pipe', 'pipe'] });
    const result = await new Promise<{ port: number } | { error: string }>((resolve) => {
      let stderr = '';
      child.stdout!.on('data', (d: Buffer) => {
        const m = /port (\d+)/.exec(String(d));
        if (m) resolve({ port: Number(m[1]) });
      });
      child.stderr!.on('data', (d: Buffer) => (stderr += String(d)));
      child.once('exit', (code) => resolve({ error: `dynalite exited (${code}): ${stderr.trim()}` }));
    });
    if ('port' in result) {
      const stop = () =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.stdin!.end();
          setTimeout(() => child.kill('SIGKILL'), 3000).unref();
        });
      return { port: result.port, stop };
    }
    lastError = result.error;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`could not start dynalite: ${lastError}`);
}

/** Creates the single table with its GSIs unless it exists. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const indexes = Object.values(TABLE_INDEXES);
  const attributes = new Set<string>([TABLE_KEY.partitionKey, TABLE_KEY.sortKey, ...indexes.flatMap((i) => [i.partitionKey, i.sortKey])]);
  const definitions = [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' as const }));
  const gsi = (i: (typeof indexes)[number]) => ({
    IndexName: i.name,
    KeySchema: [
      { AttributeName: i.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: i.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: 'projection' in i && i.projection ? { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...i.projection] } : { ProjectionType: 'ALL' as const },
  });
  let existing: string[] | undefined;
  try {
    const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
    existing = (described.Table?.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName ?? '');
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException) && (err as { name?: string }).name !== 'ResourceNotFoundException') throw err;
  }
  if (existing) {
    // A data dir from an earlier version: add the indexes it lacks (one per UpdateTable, as DynamoDB
    // requires). dynalite insists on a throughput for a new index, which it ignores.
    for (const index of indexes.filter((i) => !existing!.includes(i.name))) {
      const create = { ...gsi(index), ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } };
      await client.send(new UpdateTableCommand({ TableName: tableName, AttributeDefinitions: definitions, GlobalSecondaryIndexUpdates: [{ Create: create }] }));
      await untilActive(client, tableName);
    }
    return;
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: definitions,
      KeySchema: [
        { AttributeName: TABLE_KEY.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_KEY.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: indexes.map(gsi),
    }),
  );
  await untilActive(client, tableName);
}

/**
 * Waits until the table and its indexes are ACTIVE. dynalite answers CreateTable / UpdateTable while they
 * are still CREATING and flips them a moment later: a request in between gets ResourceNotFoundException
 * (seen on a loaded machine, the first put right after the start).
 */
async function untilActive(client: DynamoDBClient, tableName: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE' && (Table.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === 'ACTIVE')) return;
    if (Date.now() > end) throw new Error(`table ${tableName} is not active after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
