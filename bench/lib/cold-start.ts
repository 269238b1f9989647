/**
 * Cold-start figures: each Lambda bundled as CDK bundles it (the esbuild options of
 * infra/bundling/esbuild-options.ts), its size (code and the classifier model's data apart), and its
 * module-initialisation time in a fresh Node process, beside a minimal handler that only constructs the
 * same AWS SDK clients, bundled under the same rule: both import the SDK as the Lambda runtime provides
 * it (not bundled), so both load it from node_modules, as a function loads the runtime's copy.
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { percentile } from './load.ts';
import { LAMBDA_ESBUILD_OPTIONS } from '../../infra/bundling/esbuild-options.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The functions, their entries and the SDK clients each constructs at initialisation in AWS. */
export const FUNCTIONS: Array<{ name: string; entry: string; clients: string[] }> = [
  { name: 'ingest', entry: 'functions/ingest/index.ts', clients: ['dynamodb', 'sqs', 'secrets'] },
  { name: 'process', entry: 'functions/process/index.ts', clients: ['dynamodb', 'eventbridge', 'sfn', 'sqs'] },
  { name: 'clock-check', entry: 'functions/clock/index.ts', clients: ['dynamodb', 'eventbridge'] },
  { name: 'sweeper', entry: 'functions/sweeper/index.ts', clients: ['dynamodb', 'eventbridge', 'sfn'] },
  // The admin function reads its cursor secret from Secrets Manager at cold start (REDRESS_SECRETS_ARN).
  // Since replies (issue 15) it also queues reply retries (SQS).
  { name: 'admin', entry: 'functions/admin/index.ts', clients: ['dynamodb', 'eventbridge', 'sfn', 'secrets', 'sqs'] },
  { name: 'report', entry: 'functions/reports/index.ts', clients: ['dynamodb', 'secrets'] },
  { name: 'reply', entry: 'functions/reply/index.ts', clients: ['dynamodb', 'eventbridge', 'sfn', 'sqs', 'secrets'] },
];

const CLIENT_SOURCE: Record<string, string> = {
  dynamodb: "import { DynamoDBClient } from '@aws-sdk/client-dynamodb'; import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'; clients.push(DynamoDBDocumentClient.from(new DynamoDBClient({})));",
  sqs: "import { SQSClient } from '@aws-sdk/client-sqs'; clients.push(new SQSClient({}));",
  secrets: "import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'; clients.push(new SecretsManagerClient({}));",
  eventbridge: "import { EventBridgeClient } from '@aws-sdk/client-eventbridge'; clients.push(new EventBridgeClient({}));",
  sfn: "import { SFNClient } from '@aws-sdk/client-sfn'; clients.push(new SFNClient({}));",
};

/** Source of the minimal handler: constructs the given SDK clients and nothing else. */
export function minimalHandlerSource(clients: string[]): string {
  return `const clients: unknown[] = [];\n${clients.map((c) => CLIENT_SOURCE[c]).join('\n')}\nexport const handler = async () => clients.length;`;
}

/**
 * Inputs whose bytes are models' data, counted apart from code: the classifier's (weights, lexicon,
 * tables) and the FAQ retrieval's synonym lexicon (reviewed data the bank extends, like the classifier's).
 */
export const MODEL_DATA = ['classification/model/', 'faq/lexicon.json'];

/** A bundle's size: all of it, and the part that is the classifier model's data. */
export interface BundleSize {
  bytes: number;
  modelBytes: number;
  /** Packages the bundle imports at run time rather than carrying (the runtime's AWS SDK). */
  externals: string[];
}

/**
 * A folder for bundles that the external `@aws-sdk/*` imports resolve from (the project's node_modules),
 * as they resolve from the runtime's copy in Lambda. Under cdk.out/, which git ignores.
 */
export function bundleDir(prefix: string): string {
  mkdirSync(join(ROOT, 'cdk.out'), { recursive: true });
  return mkdtempSync(join(ROOT, 'cdk.out', prefix));
}

/** Bundles an entry (or the given source) into `outfile` as a Lambda bundle; returns its size. */
export async function bundle(outfile: string, input: { entry: string } | { contents: string }): Promise<BundleSize> {
  const result = await build({
    ...LAMBDA_ESBUILD_OPTIONS,
    ...('entry' in input ? { entryPoints: [join(ROOT, input.entry)] } : { stdin: { contents: input.contents, resolveDir: ROOT, loader: 'ts' } }),
    outfile,
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  const file = result.outputFiles[0]!;
  writeFileSync(outfile, file.contents);
  const output = Object.values(result.metafile.outputs)[0]!;
  const modelBytes = Object.entries(output.inputs).reduce((n, [path, v]) => (MODEL_DATA.some((m) => path.includes(m)) ? n + v.bytesInOutput : n), 0);
  const externals = [...new Set(output.imports.filter((i) => i.external && !i.path.startsWith('node:')).map((i) => i.path))].sort();
  return { bytes: file.contents.byteLength, modelBytes, externals };
}

/** The environment a bundle is initialised in: what CDK sets, with no secret to fetch. */
export const INIT_ENV: Record<string, string> = {
  AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench',
  REDRESS_TABLE_NAME: 't', REDRESS_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/1/q', REDRESS_DEAD_LETTER_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/1/dlq', REDRESS_EVENT_BUS_NAME: 'b', REDRESS_REPLY_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/1/replies',
  REDRESS_CLOCK_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:1:stateMachine:c', REDRESS_JWT_SECRET: 'bench', REDRESS_SECRETS_ARN: '',
};

/** Module-initialisation time (ms) of a bundle in one fresh Node process: the time to import it. */
export function initOnce(file: string): number {
  const code = `const t = performance.now(); const m = await import(${JSON.stringify(pathToFileURL(file).href)}); const ms = performance.now() - t; if (typeof m.handler !== 'function') throw new Error('no handler export'); process.stdout.write(String(ms));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { env: { ...process.env, ...INIT_ENV }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`init of ${file} failed: ${r.stderr.slice(0, 500)}`);
  return Number(r.stdout);
}

/**
 * Median init times (ms) of several bundles over `runs` fresh processes each, measured in rounds (each
 * round initialises every bundle once, in a rotating order), so load on the machine falls on all alike.
 */
export function initTimes(files: string[], runs: number): number[] {
  const times: number[][] = files.map(() => []);
  for (let round = 0; round < runs; round++) {
    for (let k = 0; k < files.length; k++) {
      const i = (k + round) % files.length;
      times[i]!.push(initOnce(files[i]!));
    }
  }
  return times.map((t) => percentile(t.sort((a, b) => a - b), 50));
}

export interface ColdStartRow {
  name: string;
  bytes: number;
  /** Of `bytes`, the classifier model's data. */
  modelBytes: number;
  initMs: number;
  minimalBytes: number;
  minimalInitMs: number;
}

/** Bundles and measures every function and its minimal twin (each pair measured in alternating rounds). */
export async function measureColdStarts(runs = 7): Promise<ColdStartRow[]> {
  const dir = bundleDir('bench-bundles-');
  const rows: ColdStartRow[] = [];
  try {
    for (const f of FUNCTIONS) {
      const file = join(dir, `${f.name}.mjs`);
      const minimal = join(dir, `${f.name}-minimal.mjs`);
      const { bytes, modelBytes } = await bundle(file, { entry: f.entry });
      const minimalBytes = (await bundle(minimal, { contents: minimalHandlerSource(f.clients) })).bytes;
      const [initMs, minimalInitMs] = initTimes([file, minimal], runs);
      rows.push({ name: f.name, bytes, modelBytes, initMs: initMs!, minimalBytes, minimalInitMs: minimalInitMs! });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
