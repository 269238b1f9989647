/**
 * `npm run bench`: starts the local stack on a fresh data dir and measures, side by side in the same run
 * with a floor baseline and with the receipt store alone: ingest throughput and latency, pipeline delay
 * and throughput, classifier throughput, bundle sizes (code and model data apart) and cold starts, and
 * AWS cost per feedback item and per complaint; every goal is marked met or not met. Prints tables and
 * writes them to bench/results/<date>.md. Loopback only; every loop is bounded in time and count.
 *
 * Knobs: BENCH_SECONDS (per ingest run, default 10), BENCH_PIPELINE_N (default 10000),
 * BENCH_COMPLAINTS (default 200), BENCH_QUICK=1 (a smoke run: tiny numbers), BENCH_ONLY=cost (only the
 * pipeline and the complaints, metered: the cost part, printed and not written to bench/results).
 */
import http from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import { classifyText } from '../functions/shared/classification/local-classifier.ts';
import { withDevDefaults } from '../infra/local/dev-defaults.ts';
import { StackProcess, freePort } from '../test/helpers/stack-process.ts';
import { measureColdStarts, type ColdStartRow } from './lib/cold-start.ts';
import { measureFaqRetrieval } from './lib/faq-retrieval.ts';
import { groupCpuSeconds, percentile, processCpuSeconds, postSigned, runLoad, type LoadResult } from './lib/load.ts';
import { PRICES } from './lib/prices.ts';
import { measureReceiptCeiling, type CeilingResult } from './lib/receipt-ceiling.ts';
import { reportBenchOptions, reportBenchSection } from './lib/report-bench.ts';
import { measureReportRead, reportReadOptions, reportReadSection } from './lib/report-read.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const QUICK = process.env.BENCH_QUICK === '1';
const SECONDS = Number(process.env.BENCH_SECONDS ?? (QUICK ? 1 : 10));
const PIPELINE_N = Number(process.env.BENCH_PIPELINE_N ?? (QUICK ? 200 : 10_000));
const COMPLAINTS = Number(process.env.BENCH_COMPLAINTS ?? (QUICK ? 10 : 200));
/** BENCH_ONLY=cost: the pipeline and complaint runs and their metered cost, nothing else (a few minutes less). */
const ONLY_COST = process.env.BENCH_ONLY === 'cost';
const CONCURRENCIES = [1, 16, 64];
const log = (s: string) => process.stderr.write(`${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');

async function startFloor(secret: string, dir: string): Promise<{ base: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'bench/lib/floor-server.mjs')], { env: { ...process.env, PORT: String(port), SECRET: secret, OUT: join(dir, 'floor.jsonl') }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => String(d).includes('ready') && resolve());
    child.once('exit', () => reject(new Error('floor server exited')));
  });
  return { base: `http://127.0.0.1:${port}`, child };
}

/** Receives forwarded events; records when each Feedback.Received arrived. */
async function startEventReceiver(): Promise<{ url: string; arrivals: Map<string, number>; close: () => void }> {
  const arrivals = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const e = JSON.parse(Buffer.concat(chunks).toString()) as { 'detail-type': string; detail: { feedbackId: string } };
        if (e['detail-type'] === 'Feedback.Received' && !arrivals.has(e.detail.feedbackId)) arrivals.set(e.detail.feedbackId, Date.now());
      } catch {
        // not ours
      }
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${port}/events`, arrivals, close: () => server.close() };
}

async function metrics(base: string): Promise<Record<string, number>> {
  return (await (await fetch(`${base}/local/metrics`)).json()) as Record<string, number>;
}
const delta = (a: Record<string, number>, b: Record<string, number>) => Object.fromEntries(Object.keys(b).map((k) => [k, (b[k] ?? 0) - (a[k] ?? 0)]));

async function waitDrained(base: string, limitMs = 600_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (Date.now() < end) {
    const h = (await (await fetch(`${base}/health`)).json()) as { queued: number };
    if (h.queued === 0) return;
    await sleep(200);
  }
}

/** Dollars per item from metered usage over `items` items (Lambda memory: ingest 512 MB, process 1024 MB, admin 512 MB). */
function costPerItem(d: Record<string, number>, items: number) {
  const lambdaRequests = (d['lambda.ingest.invocations'] ?? 0) + (d['lambda.process.invocations'] ?? 0) + (d['lambda.admin.invocations'] ?? 0);
  const gbSeconds = ((d['lambda.ingest.ms'] ?? 0) * 0.5 + (d['lambda.process.ms'] ?? 0) * 1 + (d['lambda.admin.ms'] ?? 0) * 0.5) / 1000;
  const sqs = (d['sqs.SendMessageBatch'] ?? 0) + (d['sqs.ReceiveMessage'] ?? 0) + (d['sqs.DeleteMessageBatch'] ?? 0);
  const terms = {
    'API Gateway requests': ((d['apigateway.requests'] ?? 0) * PRICES.apiGatewayHttpPerRequest) / items,
    'Lambda requests': (lambdaRequests * PRICES.lambdaPerRequest) / items,
    'Lambda GB-s': (gbSeconds * PRICES.lambdaArmPerGbSecond) / items,
    'SQS requests': (sqs * PRICES.sqsPerRequest) / items,
    'DynamoDB writes (table)': ((d['dynamodb.writeUnits'] ?? 0) * PRICES.dynamoPerWriteUnit) / items,
    'DynamoDB writes (indexes, estimated)': ((d['dynamodb.indexWriteUnits'] ?? 0) * PRICES.dynamoPerWriteUnit) / items,
    'DynamoDB reads': ((d['dynamodb.readUnits'] ?? 0) * PRICES.dynamoPerReadUnit) / items,
    'Step Functions transitions': ((d['sfn.transitions'] ?? 0) * PRICES.sfnPerTransition) / items,
    'EventBridge events': ((d['eventbridge.events'] ?? 0) * PRICES.eventBridgePerEvent) / items,
  };
  const usage = {
    'API requests': (d['apigateway.requests'] ?? 0) / items,
    'Lambda invocations': lambdaRequests / items,
    'Lambda GB-s': gbSeconds / items,
    'SQS requests': sqs / items,
    'DynamoDB WRU': (d['dynamodb.writeUnits'] ?? 0) / items,
    'DynamoDB index WRU': (d['dynamodb.indexWriteUnits'] ?? 0) / items,
    'DynamoDB RRU': (d['dynamodb.readUnits'] ?? 0) / items,
    'state transitions': (d['sfn.transitions'] ?? 0) / items,
    'EventBridge events': (d['eventbridge.events'] ?? 0) / items,
  };
  return { terms, usage, total: Object.values(terms).reduce((a, b) => a + b, 0) };
}

type Cost = ReturnType<typeof costPerItem>;

/** The cost table: each term's usage and dollars per item and per complaint. */
function costSection(itemCost: Cost, complaintCost: Cost, lifecycleErrors: number): string[] {
  const out = ['## Cost (metered on the local stack, list prices in bench/lib/prices.ts)', ''];
  out.push('| term | per feedback item (usage) | $ per million items | per complaint, answered and resolved (usage) | $ per million complaints |', '|---|---|---|---|---|');
  const usageKeys = Object.keys(itemCost.usage) as Array<keyof Cost['usage']>;
  const termKeys = Object.keys(itemCost.terms) as Array<keyof Cost['terms']>;
  termKeys.forEach((k, i) => out.push(`| ${k} | ${fmt(itemCost.usage[usageKeys[i]!], 3)} | ${fmt(itemCost.terms[k] * 1e6, 2)} | ${fmt(complaintCost.usage[usageKeys[i]!], 3)} | ${fmt(complaintCost.terms[k] * 1e6, 2)} |`));
  out.push(`| **total** | | **${fmt(itemCost.total * 1e6, 2)}** | | **${fmt(complaintCost.total * 1e6, 2)}** |`, '');
  out.push(`Complaint lifecycle errors: ${lifecycleErrors}. Table write units are dynalite's count; index write units are estimated by the usage meter (infra/local/usage-meter.ts). The pipeline delay includes queueing: 10,000 webhooks arrive faster than one local process consumer drains them.`);
  return out;
}

function classifierThroughput(): { perSecond: number; n: number } {
  const texts = [
    'The transfer page froze at the confirmation step and I was charged twice.',
    '手机银行转账一直显示处理中，已经三天了还没到账。',
    'Why was I charged a fee for withdrawing cash abroad?',
    '信用卡年费为什么没有提前通知就扣了？',
    'Thank you to the branch staff, they sorted out my replacement card in ten minutes.',
    'Someone used my card without my permission, I need this fixed now.',
    'Could you add a way to export statements as CSV?',
    '客服态度很差，打了三次电话都没人处理。',
  ];
  for (let i = 0; i < 2000; i++) classifyText({ text: texts[i % texts.length]! }); // warm up
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < (QUICK ? 300 : 2000)) for (const text of texts) (classifyText({ text }), n++);
  return { perSecond: n / ((performance.now() - t0) / 1000), n };
}

/** One ingest run beside the floor: throughput, latency, CPU and how long processing took to catch up. */
interface IngestRow {
  c: number;
  floor: LoadResult;
  project: LoadResult;
  floorCpu: number;
  cpu: Record<string, number>;
  drainSeconds: number;
}

/** The goals the owner set (README, Benchmarks). */
const GOALS = {
  /** Ingest req/s at least this share of the receipt store's own puts/s, at the same concurrency. */
  ingestOfStore: 0.5,
  /** Ingest p99 at c = 16 at most this multiple of the receipt store's put p99. */
  p99OfStore: 2,
  /** Each function's code (the classifier model's data apart), KB. */
  codeKb: 250,
  /** Module initialisation at most this multiple of the minimal handler's (same SDK rule). */
  initOfMinimal: 1.5,
  classifierPerSecond: 20_000,
  dollarsPerMillionItems: 10,
  dollarsPerMillionComplaints: 120,
};
const mark = (met: boolean) => (met ? 'met' : '**not met**');

/** Ingest beside the floor and the receipt store alone, with each ratio and its goal. */
function ingestSection(ingest: IngestRow[], ceiling: Map<number, CeilingResult>): string[] {
  const out = ['## Ingest (signed webhooks, POST /webhooks/web)', ''];
  out.push(
    `| concurrency | floor req/s | receipt store alone puts/s | Redress req/s | Redress ÷ floor | Redress ÷ store (goal ≥ ${GOALS.ingestOfStore}) | floor p50 / p99 ms | store p50 / p99 ms | Redress p50 / p99 / p99.9 ms | Redress p99 ÷ store p99 | errors | CPU ms per request: floor / Redress stack + dynalite | processing caught up after |`,
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const r of ingest) {
    const k = ceiling.get(r.c);
    const ofStore = k ? r.project.rps / k.rps : NaN;
    out.push(`| ${r.c} | ${fmt(r.floor.rps)} | ${fmt(k?.rps ?? NaN)} | ${fmt(r.project.rps)} | ${fmt(r.project.rps / r.floor.rps, 2)} | ${fmt(ofStore, 2)} ${mark(ofStore >= GOALS.ingestOfStore)} | ${fmt(r.floor.p50, 1)} / ${fmt(r.floor.p99, 1)} | ${fmt(k?.p50 ?? NaN, 1)} / ${fmt(k?.p99 ?? NaN, 1)} | ${fmt(r.project.p50, 1)} / ${fmt(r.project.p99, 1)} / ${fmt(r.project.p999, 1)} | ${fmt(k ? r.project.p99 / k.p99 : NaN, 2)} | ${r.project.errors} | ${fmt(r.floorCpu, 2)} / ${fmt(r.cpu.main ?? NaN, 2)} + ${fmt(r.cpu.dynalite ?? NaN, 2)} | ${fmt(r.drainSeconds, 1)} s |`);
  }
  out.push('', 'The floor is a bare node:http server doing only the unavoidable work (read the body, verify the same signature, parse JSON, append to a file). The receipt store alone is dynalite (in its own process, fresh data dir, the stack idle) taking only the one conditional put each acknowledged webhook makes, through the same client code: ingest cannot be faster than that here. CPU per request is all threads of each process during the run (for Redress it includes processing what it accepted, which yields to ingest and finishes in the last column); on a shared machine it is steadier than throughput.', '');
  return out;
}

/** Bundle sizes (code and the classifier model's data apart) and init times beside the minimal handler. */
function coldStartSection(cold: ColdStartRow[]): string[] {
  const out = ['## Bundles and cold start (as CDK bundles them: ESM, minified, the AWS SDK v3 from the Lambda runtime, not bundled)', ''];
  out.push(`| function | bundle KB | code KB (goal ≤ ${GOALS.codeKb}) | model data KB | init ms (median) | minimal handler KB | minimal init ms | init ratio (goal ≤ ${GOALS.initOfMinimal}) |`, '|---|---|---|---|---|---|---|---|');
  for (const r of cold) {
    const codeKb = (r.bytes - r.modelBytes) / 1024;
    const ratio = r.initMs / r.minimalInitMs;
    out.push(`| ${r.name} | ${fmt(r.bytes / 1024, 1)} | ${fmt(codeKb, 1)} ${mark(codeKb <= GOALS.codeKb)} | ${r.modelBytes ? fmt(r.modelBytes / 1024, 1) : '–'} | ${fmt(r.initMs, 1)} | ${fmt(r.minimalBytes / 1024, 1)} | ${fmt(r.minimalInitMs, 1)} | ${fmt(ratio, 2)} ${mark(ratio <= GOALS.initOfMinimal)} |`);
  }
  out.push('', "Both the function and its minimal handler (which only constructs the same SDK clients) import the AWS SDK from node_modules here, as a function imports the runtime's copy in Lambda, so the ratio compares them under the same rule. Model data is what the bundle carries from functions/shared/classification/model/ (weights, lexicon, tables).", '');
  return out;
}

/** Every goal on one table, each marked met or not met. */
function goalsSection(ingest: IngestRow[], ceiling: Map<number, CeilingResult>, cold: ColdStartRow[], classifierPerSecond: number, itemDollars: number, complaintDollars: number): string[] {
  const rows: string[] = [];
  for (const r of ingest) {
    const k = ceiling.get(r.c);
    const ratio = k ? r.project.rps / k.rps : NaN;
    rows.push(`| ingest req/s ≥ ${GOALS.ingestOfStore}× the receipt store's puts/s, c = ${r.c} | ${fmt(r.project.rps)} ÷ ${fmt(k?.rps ?? NaN)} = ${fmt(ratio, 2)} (÷ floor ${fmt(r.project.rps / r.floor.rps, 2)}) | ${mark(ratio >= GOALS.ingestOfStore)} |`);
  }
  const at16 = ingest.find((r) => r.c === 16);
  const store16 = ceiling.get(16);
  if (at16 && store16) {
    const ratio = at16.project.p99 / store16.p99;
    rows.push(`| ingest p99 ≤ ${GOALS.p99OfStore}× the receipt store's p99, c = 16 | ${fmt(at16.project.p99, 1)} ms ÷ ${fmt(store16.p99, 1)} ms = ${fmt(ratio, 2)} | ${mark(ratio <= GOALS.p99OfStore)} |`);
  }
  for (const r of cold) {
    const codeKb = (r.bytes - r.modelBytes) / 1024;
    rows.push(`| ${r.name} code ≤ ${GOALS.codeKb} KB (model data apart) | ${fmt(codeKb, 1)} KB${r.modelBytes ? ` + model data ${fmt(r.modelBytes / 1024, 1)} KB` : ''} | ${mark(codeKb <= GOALS.codeKb)} |`);
  }
  for (const r of cold) rows.push(`| ${r.name} init ≤ ${GOALS.initOfMinimal}× the minimal handler | ${fmt(r.initMs, 1)} ÷ ${fmt(r.minimalInitMs, 1)} ms = ${fmt(r.initMs / r.minimalInitMs, 2)} | ${mark(r.initMs / r.minimalInitMs <= GOALS.initOfMinimal)} |`);
  rows.push(`| classifier ≥ ${fmt(GOALS.classifierPerSecond)} messages/s on one core | ${fmt(classifierPerSecond)} | ${mark(classifierPerSecond >= GOALS.classifierPerSecond)} |`);
  rows.push(`| ≤ $${GOALS.dollarsPerMillionItems} per million feedback items | $${fmt(itemDollars * 1e6, 2)} | ${mark(itemDollars * 1e6 <= GOALS.dollarsPerMillionItems)} |`);
  rows.push(`| ≤ $${GOALS.dollarsPerMillionComplaints} per million complaints (answered and resolved) | $${fmt(complaintDollars * 1e6, 2)} | ${mark(complaintDollars * 1e6 <= GOALS.dollarsPerMillionComplaints)} |`);
  return ['## Goals', '', '| goal | measured | |', '|---|---|---|', ...rows, ''];
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'redress-bench-'));
  // What else ran meanwhile: on a shared host every figure depends on it, so the report says so.
  const loadAtStart = loadavg()[0]!;
  const receiver = await startEventReceiver();
  const { env } = withDevDefaults({ REDRESS_DATA_DIR: join(work, 'data'), REDRESS_EVENT_WEBHOOK_URL: receiver.url, LOG_LEVEL: 'error' });
  const secret = env.REDRESS_WEB_SECRET!;
  const stack = new StackProcess(await freePort(), env);
  const floor = await startFloor(secret, work);
  const out: string[] = [];
  try {
    log('starting the local stack…');
    await stack.start();

    // 1. Ingest beside the floor.
    const ingest: IngestRow[] = [];
    const cpuMs = (before: Record<string, number>, after: Record<string, number>, requests: number) =>
      Object.fromEntries(Object.keys(after).map((k) => [k, ((after[k]! - (before[k] ?? 0)) * 1000) / Math.max(1, requests)]));
    for (const c of ONLY_COST ? [] : CONCURRENCIES) {
      log(`ingest at concurrency ${c}: floor, then Redress (${SECONDS} s each)…`);
      const f0 = processCpuSeconds(floor.child.pid!);
      const f = await runLoad(floor.base, secret, { seconds: SECONDS, concurrency: c });
      const f1 = processCpuSeconds(floor.child.pid!);
      const s0 = groupCpuSeconds(stack.child!.pid!);
      const p = await runLoad(stack.url, secret, { seconds: SECONDS, concurrency: c });
      const s1 = groupCpuSeconds(stack.child!.pid!);
      // Processing yields to ingest while webhooks arrive, so what was accepted is still being processed now.
      const loadEnd = Date.now();
      await waitDrained(stack.url);
      ingest.push({ c, floor: f, project: p, floorCpu: ((f1 - f0) * 1000) / Math.max(1, f.ok), cpu: cpuMs(s0, s1, p.ok), drainSeconds: (Date.now() - loadEnd) / 1000 });
    }

    // The receipt store alone (a fresh dynalite, the stack idle): the ceiling ingest cannot pass here.
    if (!ONLY_COST) log(`receipt store alone: conditional puts to dynalite (${SECONDS} s per concurrency)…`);
    const ceiling: Map<number, CeilingResult> = ONLY_COST ? new Map() : await measureReceiptCeiling(SECONDS, CONCURRENCIES);

    // 2. Pipeline: 202 → Feedback.Received, and end-to-end items/s, with metered usage for the cost.
    log(`pipeline: ${PIPELINE_N} webhooks at concurrency 64…`);
    await waitDrained(stack.url);
    const m0 = await metrics(stack.url);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const accepted = new Map<string, number>();
    let next = 0;
    let pipelineErrors = 0;
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < PIPELINE_N) {
          const i = next++;
          const r = await postSigned(agent, stack.url, '/webhooks/web', secret, `Pipeline ${i}: why was I charged a fee for withdrawing cash abroad?`);
          if (r.status === 202) accepted.set((JSON.parse(r.body) as { accepted: Array<{ id: string }> }).accepted[0]!.id, Date.now());
          else pipelineErrors++;
        }
      }),
    );
    agent.destroy();
    const end = Date.now() + 600_000;
    while (Date.now() < end && [...accepted.keys()].some((id) => !receiver.arrivals.has(id))) await sleep(100);
    const delays = [...accepted].map(([id, at]) => (receiver.arrivals.get(id) ?? NaN) - at).filter(Number.isFinite).sort((a, b) => a - b);
    const lastArrival = Math.max(...[...accepted.keys()].map((id) => receiver.arrivals.get(id) ?? 0));
    const itemsPerSecond = accepted.size / ((lastArrival - t0) / 1000);
    await waitDrained(stack.url);
    const m1 = await metrics(stack.url);
    const itemDelta = delta(m0, m1);
    const itemCost = costPerItem(itemDelta, accepted.size);

    // 3. Complaints: open, respond, resolve (the common life of a complaint), metered.
    log(`complaints: ${COMPLAINTS} opened, answered and resolved…`);
    const token = await new SignJWT({ 'cognito:groups': ['supervisor'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('bench').setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode(env.REDRESS_JWT_SECRET!));
    const cAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    const c0 = await metrics(stack.url);
    const ids: string[] = [];
    for (let i = 0; i < COMPLAINTS; i++) {
      const r = await postSigned(cAgent, stack.url, '/webhooks/web', secret, `I want to complain: you charged me twice and nobody answers my calls (${i}).`);
      if (r.status === 202) ids.push((JSON.parse(r.body) as { accepted: Array<{ id: string }> }).accepted[0]!.id);
    }
    await waitDrained(stack.url);
    await sleep(500);
    let lifecycleErrors = 0;
    for (const id of ids) {
      const call = (path: string, body: unknown) =>
        fetch(`${stack.url}/admin/complaints/${id}/${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const a = await call('responses', { message: 'We are looking into it and will call you today.' });
      const b = await call('resolve', { outcome: 'upheld', summary: 'Duplicate charge refunded.' });
      if (a.status >= 300 || b.status >= 300) lifecycleErrors++;
    }
    cAgent.destroy();
    await sleep(500);
    const c1 = await metrics(stack.url);
    const complaintDelta = delta(c0, c1);
    const complaintCost = costPerItem(complaintDelta, ids.length);
    if (ONLY_COST) {
      process.stdout.write(costSection(itemCost, complaintCost, lifecycleErrors).join('\n') + '\n');
      const perIndex = (d: Record<string, number>, n: number) => Object.entries(d).filter(([k, v]) => k.startsWith('dynamodb.indexWriteUnits.') && v > 0).map(([k, v]) => `${k.slice('dynamodb.indexWriteUnits.'.length)} ${fmt(v / n, 2)}`).join(', ');
      process.stdout.write(`\nIndex write units per item: ${perIndex(itemDelta, accepted.size)}\nper complaint: ${perIndex(complaintDelta, ids.length)}\n`);
      const calls = (d: Record<string, number>, n: number) => ['PutItem', 'UpdateItem', 'DeleteItem', 'GetItem', 'Query', 'BatchGetItem'].map((c) => `${c} ${fmt((d[`dynamodb.${c}`] ?? 0) / n, 2)}`).join(', ');
      process.stdout.write(`DynamoDB calls per item: ${calls(itemDelta, accepted.size)}\nper complaint: ${calls(complaintDelta, ids.length)}\n`);
      process.stdout.write(`\nPipeline: ${PIPELINE_N} webhooks, ${accepted.size} accepted, ${pipelineErrors} errors; complaints: ${ids.length} opened, answered and resolved. Raw usage per item: ${JSON.stringify(itemCost.usage)}; per complaint: ${JSON.stringify(complaintCost.usage)}\n`);
      return;
    }

    // 4. Classifier and cold starts (no stack needed).
    log('classifier throughput and cold starts…');
    const classifier = classifierThroughput();
    log('FAQ retrieval: index build, load and suggestions…');
    const faq = measureFaqRetrieval(QUICK ? 0.3 : 2, QUICK ? 1 : 3);
    const cold: ColdStartRow[] = await measureColdStarts(QUICK ? 2 : 7);

    // 5. The quarterly report over a synthetic quarter (no stack needed; bench/lib/report-bench.ts).
    log('quarterly report over a synthetic quarter…');
    const quarterlyReport = reportBenchSection(reportBenchOptions(process.env));
    log('quarterly report: the read path on dynalite…');
    quarterlyReport.push(...reportReadSection(await measureReportRead(reportReadOptions(process.env))));

    // Report.
    const date = new Date().toISOString().slice(0, 10);
    out.push(`# Redress benchmark, ${new Date().toISOString()}`, '', `Node ${process.version}, ${process.platform}/${process.arch}, ${availableParallelism()} cores; load average (1 min) ${fmt(loadAtStart, 1)} at the start, ${fmt(loadavg()[0]!, 1)} at the end; loopback; ${SECONDS} s per ingest run.`, '');
    out.push(...goalsSection(ingest, ceiling, cold, classifier.perSecond, itemCost.total, complaintCost.total));
    out.push(...ingestSection(ingest, ceiling));
    out.push('## Pipeline', '', `| webhooks | accepted | errors | 202 → Feedback.Received p50 / p99 ms | end-to-end items/s |`, '|---|---|---|---|---|');
    out.push(`| ${PIPELINE_N} | ${accepted.size} | ${pipelineErrors} | ${fmt(percentile(delays, 50))} / ${fmt(percentile(delays, 99))} | ${fmt(itemsPerSecond)} |`, '');
    out.push('## Classifier', '', `${fmt(classifier.perSecond)} messages/s on one core (${classifier.n} classifications of short bilingual messages).`, '');
    out.push('## FAQ retrieval', '', `Sample FAQ (${faq.source}, ${faq.entries} entries): index built in ${fmt(faq.buildMs)} ms, encoded in ${fmt(faq.encodeMs)} ms to ${fmt(faq.snapshotBytes / 1024)} KB (Brotli), loaded (decompress, decode, postings) in ${fmt(faq.loadMs, 1)} ms; ${fmt(faq.questionsPerSecond)} suggestions/s on one core (top 3 with scores and cues, ${faq.questions} short bilingual questions).`, '');
    out.push(...coldStartSection(cold));
    out.push(...costSection(itemCost, complaintCost, lifecycleErrors));
    out.push('', ...quarterlyReport);
    const text = out.join('\n') + '\n';
    process.stdout.write(text);
    if (!QUICK) {
      mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
      writeFileSync(join(ROOT, `bench/results/${date}.md`), text);
      log(`written to bench/results/${date}.md`);
    }
  } finally {
    await stack.stop();
    floor.child.kill();
    receiver.close();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
