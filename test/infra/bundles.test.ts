/**
 * The Lambda bundles as deployed: CDK's bundling of a function is byte for byte the esbuild build the
 * bench measures (same options, the AWS SDK left to the runtime), each bundle carries its code within
 * the 250 KB goal and takes nothing else from outside than the SDK, every function's bundle initialises
 * in a fresh Node process (the SDK resolved from node_modules, as from the runtime's copy in Lambda) and
 * exports its handler, and the unbundled SDK still talks AWS from it: the ingest and sweeper bundles run
 * against a loopback stand-in for DynamoDB and SQS, which checks their SigV4 headers and answers
 * SendMessageBatch with the MD5 of each message body, which the SDK verifies.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, INIT_ENV, bundle, bundleDir, initOnce, type BundleSize } from '../../bench/lib/cold-start.ts';
import { RedressFunction } from '../../infra/constructs/redress-function.ts';
import { feedbackBody, httpEvent, standardWebhookHeaders } from '../helpers/http-events.ts';

const dir = bundleDir('bundles-test-');
const file = (name: string) => join(dir, `${name}.mjs`);
const sizes = new Map<string, BundleSize>();
/** The goal for a function's code (the classifier model's data apart), README "Benchmarks". */
const CODE_LIMIT_BYTES = 250 * 1024;

beforeAll(async () => {
  await Promise.all(FUNCTIONS.map(async (f) => sizes.set(f.name, await bundle(file(f.name), { entry: f.entry }))));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CDK bundling', () => {
  it('produces exactly the bundle the bench measures (same options, the AWS SDK left to the runtime)', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'redress-cdk-bundle-'));
    const app = new App({ outdir });
    const stack = new Stack(app, 'BundleCheck');
    new RedressFunction(stack, 'Clock', { entry: 'functions/clock/index.ts', description: 'bundle check', timeout: Duration.seconds(10), logRetentionDays: 7 });
    app.synth();
    const asset = readdirSync(outdir).find((d) => d.startsWith('asset.'));
    expect(asset).toBeDefined();
    const cdkBundle = readFileSync(join(outdir, asset!, 'index.mjs'));
    expect(cdkBundle.equals(readFileSync(file('clock-check')))).toBe(true);
  }, 120_000);
});

describe('every function bundle', () => {
  it.each(FUNCTIONS.map((f) => f.name))('%s initialises in a fresh Node process and exports its handler', (name) => {
    expect(initOnce(file(name))).toBeGreaterThan(0);
  });

  it.each(FUNCTIONS.map((f) => f.name))('%s imports only the AWS SDK from outside the bundle', (name) => {
    const externals = sizes.get(name)!.externals;
    expect(externals.length).toBeGreaterThan(0);
    for (const path of externals) expect(path).toMatch(/^@aws-sdk\//);
  });

  it.each(FUNCTIONS.map((f) => f.name))('%s carries at most 250 KB of code (the model data apart)', (name) => {
    const { bytes, modelBytes } = sizes.get(name)!;
    expect(bytes - modelBytes).toBeLessThanOrEqual(CODE_LIMIT_BYTES);
  });
});

/** What the stand-in AWS endpoint received. */
interface Received {
  target: string;
  authorization: string;
  body: Record<string, unknown>;
}

describe("the runtime's SDK, imported by a bundle, against a loopback AWS endpoint", () => {
  let server: Server;
  let endpoint: string;
  const received: Received[] = [];
  let corruptMd5 = false;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const target = String(req.headers['x-amz-target'] ?? '');
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        received.push({ target, authorization: String(req.headers.authorization ?? ''), body });
        let answer: unknown = {};
        if (target === 'DynamoDB_20120810.Query') answer = { Items: [], Count: 0, ScannedCount: 0 };
        if (target === 'AmazonSQS.SendMessageBatch') {
          const entries = body.Entries as Array<{ Id: string; MessageBody: string }>;
          const md5 = (text: string) => createHash('md5').update(corruptMd5 ? `${text}!` : text).digest('hex');
          answer = { Successful: entries.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}`, MD5OfMessageBody: md5(e.MessageBody) })), Failed: [] };
        }
        const text = Buffer.from(JSON.stringify(answer));
        const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'r' };
        res.writeHead(200, headers).end(text);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** The EMF entries the last invocation wrote to stdout (Powertools metrics), one JSON object per line. */
  let emfLines: Array<Record<string, unknown>> = [];
  /** Imports a bundle in a fresh Node process and invokes its handler once with `event`; the result is the last line of stdout. */
  function invoke(name: string, event: unknown, env: Record<string, string> = {}): Promise<unknown> {
    const code = `const m = await import(${JSON.stringify(pathToFileURL(file(name)).href)}); const r = await m.handler(JSON.parse(process.env.TEST_EVENT), { awsRequestId: 'req', functionName: '${name}', getRemainingTimeInMillis: () => 30000 }); process.stdout.write('\\n' + JSON.stringify(r ?? null));`;
    const childEnv = { ...process.env, ...INIT_ENV, AWS_ENDPOINT_URL: endpoint, LOG_LEVEL: 'silent', TEST_EVENT: JSON.stringify(event), ...env };
    return new Promise((resolve, reject) =>
      execFile(process.execPath, ['--input-type=module', '-e', code], { env: childEnv, timeout: 60_000 }, (err, stdout, stderr) =>
        {
          if (err) return reject(new Error(`${name} failed: ${stderr.slice(0, 1500)}`));
          const lines = stdout.split('\n').filter(Boolean);
          emfLines = lines.slice(0, -1).flatMap((l) => (l.startsWith('{') ? [JSON.parse(l) as Record<string, unknown>] : [])).filter((e) => e._aws);
          resolve(JSON.parse(lines.at(-1) ?? 'null'));
        },
      ),
    );
  }

  it('sweeper: signed DynamoDB Queries (overdue clocks, overdue replies) whose answers are read', async () => {
    received.length = 0;
    const result = await invoke('sweeper', {});
    expect(result).toMatchObject({ examined: 0, replies: { examined: 0, requeued: 0 } });
    const queries = received.filter((r) => r.target === 'DynamoDB_20120810.Query');
    for (const query of queries) expect(query.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=bench\/\d{8}\/us-east-1\/dynamodb\/aws4_request, SignedHeaders=.*, Signature=[0-9a-f]{64}$/);
    expect(queries.map((q) => q.body.IndexName).sort()).toEqual(['ClockActionsDue', 'RepliesDue']);
  }, 60_000);

  it('ingest: a signed webhook is queued with SendMessageBatch (MD5-checked) and its receipt put, then 202', async () => {
    received.length = 0;
    const secret = 'whsec_' + Buffer.from('bundle-test-secret-0000000000000').toString('base64');
    const body = feedbackBody('The transfer failed twice and the fee was charged.');
    const event = httpEvent('POST', '/webhooks/web', body, standardWebhookHeaders(secret, 'msg_bundle_1', body));
    const result = (await invoke('ingest', event, { REDRESS_WEB_SECRET: secret, REDRESS_QUEUE_URL: `${endpoint}/123456789012/feedback` })) as { statusCode: number; body: string };
    expect(result.statusCode, result.body).toBe(202);
    const send = received.find((r) => r.target === 'AmazonSQS.SendMessageBatch');
    expect(send?.authorization).toContain('/us-east-1/sqs/aws4_request');
    expect((send?.body.Entries as unknown[]).length).toBe(1);
    expect(received.some((r) => r.target === 'DynamoDB_20120810.PutItem')).toBe(true);
    // The bundled Powertools metrics wrote the count as EMF in the stage's namespace.
    expect(emfLines.find((e) => e.FeedbackReceived !== undefined)).toMatchObject({ channel: 'web', service: 'ingest', FeedbackReceived: 1 });
  }, 60_000);
  it('ingest: an SQS answer whose MD5 does not match the message is not acknowledged (the SDK checks it)', async () => {
    corruptMd5 = true;
    try {
      const secret = 'whsec_' + Buffer.from('bundle-test-secret-0000000000000').toString('base64');
      const body = feedbackBody('Card blocked abroad.');
      const event = httpEvent('POST', '/webhooks/web', body, standardWebhookHeaders(secret, 'msg_bundle_2', body));
      const result = (await invoke('ingest', event, { REDRESS_WEB_SECRET: secret, REDRESS_QUEUE_URL: `${endpoint}/123456789012/feedback`, AWS_MAX_ATTEMPTS: '1' })) as { statusCode: number };
      expect(result.statusCode).toBeGreaterThanOrEqual(500);
    } finally {
      corruptMd5 = false;
    }
  }, 60_000);
});

