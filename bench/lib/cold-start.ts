/**
 * Cold-start figures: each Lambda bundled as CDK bundles it (esbuild, ESM, minified, AWS SDK included,
 * the same aliases),
 * its size, and its module-initialisation time in a fresh Node process, beside a minimal handler that
 * only constructs the same AWS SDK clients.
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { percentile } from './load.ts';
import { LAMBDA_BUNDLE_ALIASES } from '../../infra/constructs/redress-function.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BANNER = "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

/** The functions, their entries and the SDK clients each constructs at initialisation. */
export const FUNCTIONS: Array<{ name: string; entry: string; clients: string[] }> = [
  { name: 'ingest', entry: 'functions/ingest/index.ts', clients: ['dynamodb', 'sqs', 'secrets'] },
  { name: 'process', entry: 'functions/process/index.ts', clients: ['dynamodb', 'eventbridge', 'sfn'] },
  { name: 'clock-check', entry: 'functions/clock/index.ts', clients: ['dynamodb', 'eventbridge'] },
  { name: 'sweeper', entry: 'functions/sweeper/index.ts', clients: ['dynamodb', 'eventbridge', 'sfn'] },
  { name: 'admin', entry: 'functions/admin/index.ts', clients: ['dynamodb', 'eventbridge', 'sfn'] },
];

const CLIENT_SOURCE: Record<string, string> = {
  dynamodb: "import { DynamoDBClient } from '@aws-sdk/client-dynamodb'; import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'; clients.push(DynamoDBDocumentClient.from(new DynamoDBClient({})));",
  sqs: "import { SQSClient } from '@aws-sdk/client-sqs'; clients.push(new SQSClient({}));",
  secrets: "import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'; clients.push(new SecretsManagerClient({}));",
  eventbridge: "import { EventBridgeClient } from '@aws-sdk/client-eventbridge'; clients.push(new EventBridgeClient({}));",
  sfn: "import { SFNClient } from '@aws-sdk/client-sfn'; clients.push(new SFNClient({}));",
};

async function bundle(outfile: string, input: { entry: string } | { contents: string }): Promise<number> {
  await build({
    ...('entry' in input ? { entryPoints: [join(ROOT, input.entry)] } : { stdin: { contents: input.contents, resolveDir: ROOT, loader: 'ts' } }),
    outfile, bundle: true, platform: 'node', format: 'esm', target: 'node22', minify: true,
    mainFields: ['module', 'main'], banner: { js: BANNER }, logLevel: 'error', alias: LAMBDA_BUNDLE_ALIASES,
  });
  return statSync(outfile).size;
}

/** Median module-initialisation time (ms) of a bundle over `runs` fresh processes. */
function initTime(file: string, runs: number): number {
  const code = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const env = {
    ...process.env, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench',
    REDRESS_TABLE_NAME: 't', REDRESS_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/1/q', REDRESS_EVENT_BUS_NAME: 'b',
    REDRESS_CLOCK_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:1:stateMachine:c', REDRESS_JWT_SECRET: 'bench', REDRESS_SECRETS_ARN: '',
  };
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`init of ${file} failed: ${r.stderr.slice(0, 500)}`);
    times.push(Number(r.stdout));
  }
  return percentile(times.sort((a, b) => a - b), 50);
}

export interface ColdStartRow {
  name: string;
  bytes: number;
  initMs: number;
  minimalBytes: number;
  minimalInitMs: number;
}

/** Bundles and measures every function and its minimal twin. */
export async function measureColdStarts(runs = 7): Promise<ColdStartRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'redress-bundles-'));
  const rows: ColdStartRow[] = [];
  for (const f of FUNCTIONS) {
    const file = join(dir, `${f.name}.mjs`);
    const minimal = join(dir, `${f.name}-minimal.mjs`);
    const bytes = await bundle(file, { entry: f.entry });
    const minimalBytes = await bundle(minimal, { contents: `const clients: unknown[] = [];\n${f.clients.map((c) => CLIENT_SOURCE[c]).join('\n')}\nexport const handler = async () => clients.length;` });
    rows.push({ name: f.name, bytes, initMs: initTime(file, runs), minimalBytes, minimalInitMs: initTime(minimal, runs) });
  }
  return rows;
}
