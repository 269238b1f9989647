/**
 * The quarterly report at scale (issue 16): a quarter with 1,000,000 feedback items of which 100,000 are
 * complaints, plus what the report reads besides them (complaints received earlier and worked in the
 * quarter, the 90 days of prior complaints for repeats). Synthetic, deterministic items in the projected
 * shape the storage side would hand over (REPORT_ATTRIBUTES); no stack needed.
 *
 * Measured: the pure computation of one quarter (figures and per-handler figures) beside today's metrics
 * over the same items; the memory the tally keeps while pages stream through it; the cost of decoding
 * DynamoDB's JSON into items (JSON.parse + unmarshall, on a sample of marshalled pages). Estimated from
 * projected sizes (DynamoDB's item-size rules): the bytes and read units of each index read, and the time
 * the admin Lambda would take for the report (two quarters: the quarter and the previous one).
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { computeMetrics } from '../../functions/shared/reports/metrics.ts';
import { createQuarterTally } from '../../functions/admin/reports/quarter-figures.ts';
import type { PriorComplaint } from '../../functions/shared/ports/report-source.ts';
import type { ReportFacts, ReportItem } from '../../functions/shared/reports/report-facts.ts';
import { quarterWindow, type QuarterWindow } from '../../functions/shared/reports/quarters.ts';
import { PRICES } from './prices.ts';

const H = 3_600_000;
const DAY = 24 * H;
const PAGE = 1_000;
/** The admin Lambda's memory (infra/constructs/admin-api.ts) and Lambda's CPU share: 1,769 MB = 1 vCPU. */
const ADMIN_MEMORY_MB = 1024;
const VCPU_SHARE = ADMIN_MEMORY_MB / 1769;
/** The report function's memory (infra/constructs/admin-api.ts, ReportFunction): the /admin/reports/* routes. */
const REPORT_MEMORY_MB = 3538;
/** API Gateway's integration limit for the admin route (29 s); the report must fit well inside it. */
const ROUTE_TIMEOUT_S = 29;

export interface ReportBenchOptions {
  /** Feedback items received in the quarter. */
  items: number;
  /** Of which complaints. */
  complaints: number;
}

/**
 * The sizes `npm run bench` uses: `BENCH_REPORT_ITEMS` (default 1,000,000) and `BENCH_REPORT_COMPLAINTS`
 * (default 100,000); with `BENCH_QUICK=1`, 20,000 and 2,000.
 */
export function reportBenchOptions(env: Record<string, string | undefined>): ReportBenchOptions {
  const quick = env.BENCH_QUICK === '1';
  return { items: Number(env.BENCH_REPORT_ITEMS ?? (quick ? 20_000 : 1_000_000)), complaints: Number(env.BENCH_REPORT_COMPLAINTS ?? (quick ? 2_000 : 100_000)) };
}

/** Deterministic pseudo-random numbers (mulberry32), so every run measures the same items. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
const id = (n: number) => `fb_${n.toString(36).padStart(26, '0')}`;
/** A customer key as the customers feature makes it (a keyed SHA-256, base64url: 43 characters). */
const customerKey = (n: number) => `ck_${n.toString(36).padStart(40, '0')}`;

/** The projected facts of one complaint received at `receivedMs` (answered, resolved and rated as the mix says). */
function complaint(n: number, receivedMs: number, rnd: () => number, now: number): ReportItem {
  const handler = `handler-${String(Math.floor(rnd() * 200)).padStart(3, '0')}`;
  const answerMs = receivedMs + Math.floor(-Math.log(1 - rnd()) * 5 * H);
  const answered = answerMs < now && rnd() < 0.95;
  const resolvedMs = answerMs + Math.floor(rnd() * 10 * DAY);
  const resolved = answered && resolvedMs < now && rnd() < 0.9;
  const reopened = resolved && rnd() < 0.05;
  const dueMs = receivedMs + 24 * H;
  const metFirst = answered && answerMs < dueMs;
  const first = { name: 'first_response', startedAt: iso(receivedMs), warnAt: iso(receivedMs + 19.2 * H), dueAt: iso(dueMs), escalateAt: iso(receivedMs + 48 * H), state: answered ? (metFirst ? 'met' : 'breached') : now > dueMs ? 'breached' : 'running', escalationLevel: answered ? (metFirst ? 0 : 1) : now > receivedMs + 48 * H ? 2 : 0, ...(answered ? { stoppedAt: iso(answerMs) } : {}) };
  const resolution = { name: 'resolution', startedAt: iso(receivedMs), warnAt: iso(receivedMs + 12 * DAY), dueAt: iso(receivedMs + 15 * DAY), escalateAt: iso(receivedMs + 30 * DAY), state: resolved ? 'met' : 'running', escalationLevel: 0, ...(resolved ? { stoppedAt: iso(resolvedMs) } : {}) };
  const acts: Array<[string, string]> = answered ? [[handler, iso(answerMs)]] : [];
  const resolutions: ReportFacts['resolutions'] = [];
  if (resolved) {
    acts.push([handler, iso(resolvedMs)]);
    if (reopened) {
      resolutions.push({ by: handler, at: iso(resolvedMs), reopenedAt: iso(resolvedMs + DAY) });
      acts.push(['supervisor-01', iso(resolvedMs + DAY)], [handler, iso(resolvedMs + 2 * DAY)]);
    }
    resolutions.push({ by: handler, at: iso(reopened ? resolvedMs + 2 * DAY : resolvedMs) });
  }
  const lastResolvedMs = resolved ? Date.parse(resolutions.at(-1)!.at) : 0;
  const rated = resolved && rnd() < 0.45 && lastResolvedMs + DAY < now;
  const score = 1 + Math.floor(rnd() * 5);
  return {
    id: id(n),
    kind: 'complaint',
    channel: 'web',
    source: 'web',
    category: 'fees_pricing',
    status: resolved ? 'resolved' : answered ? 'responded' : 'open',
    receivedAt: iso(receivedMs),
    clocks: [first, resolution] as ReportItem['clocks'],
    satisfaction: rated ? ({ score, at: iso(lastResolvedMs + DAY), source: rnd() < 0.9 ? 'customer' : 'handler' } as ReportItem['satisfaction']) : null,
    ...(answered ? { firstRespondedAt: iso(answerMs) } : {}),
    customerKey: customerKey(Math.floor(rnd() * 70_000)),
    version: 3 + acts.length,
    reportFacts: { ...(acts.length ? { acts } : {}), ...(resolutions.length ? { resolutions } : {}), ...(answered ? { firstResponder: handler } : {}), lastActivityAt: iso(Math.max(receivedMs, answerMs, lastResolvedMs)) },
  };
}

const OTHER_KINDS = ['inquiry', 'inquiry', 'inquiry', 'suggestion', 'praise'] as const;
const CHANNELS = [
  ['web', 'web'],
  ['mobile', 'mobile'],
  ['hotline', 'hotline'],
  ['social', 'wechat'],
] as const;

/** One item that is not a complaint. */
function other(n: number, receivedMs: number, rnd: () => number): ReportItem {
  const kind = OTHER_KINDS[Math.floor(rnd() * OTHER_KINDS.length)]!;
  const [channel, source] = CHANNELS[Math.floor(rnd() * CHANNELS.length)]!;
  const rating = (channel === 'web' || channel === 'mobile') && rnd() < 0.3 ? 1 + Math.floor(rnd() * 10) : undefined;
  const faq = kind === 'inquiry' && rnd() < 0.4;
  return {
    id: id(n),
    kind,
    channel,
    source,
    category: 'other',
    status: 'received',
    receivedAt: iso(receivedMs),
    clocks: [],
    satisfaction: null,
    ...(rating !== undefined ? { rating } : {}),
    customerKey: customerKey(100_000 + Math.floor(rnd() * 600_000)),
    version: faq ? 2 : 1,
    ...(faq ? { reportFacts: { autoAnsweredAt: iso(receivedMs + 5_000) } } : {}),
  };
}

/**
 * The items of a quarter in pages, as a source would hand them over: those received in it (every tenth
 * item a complaint, spread evenly), then the complaints received in the previous quarter and resolved in
 * this one (a tenth of the quarter's complaints).
 */
export function* quarterPages(window: QuarterWindow, options: ReportBenchOptions, now: number): Generator<ReportItem[]> {
  const rnd = random(16);
  const from = Date.parse(window.from);
  const span = Date.parse(window.to) - from;
  const every = options.items / Math.max(1, options.complaints);
  let page: ReportItem[] = [];
  let complaints = 0;
  for (let n = 0; n < options.items; n++) {
    const receivedMs = from + Math.floor((n / options.items) * span);
    const isComplaint = complaints < options.complaints && n >= complaints * every;
    if (isComplaint) complaints++;
    page.push(isComplaint ? complaint(n, receivedMs, rnd, now) : other(n, receivedMs, rnd));
    if (page.length === PAGE) (yield page, (page = []));
  }
  for (let n = 0; n < options.complaints / 10; n++) {
    // Received in the last three weeks of the previous quarter, worked in this one.
    page.push(complaint(options.items + n, from - 21 * DAY + Math.floor(rnd() * 21 * DAY), rnd, now));
    if (page.length === PAGE) (yield page, (page = []));
  }
  if (page.length) yield page;
}

/** The prior complaints (id, receipt, key) of the 90 days before the quarter, in pages. */
export function* priorPages(window: QuarterWindow, options: ReportBenchOptions): Generator<PriorComplaint[]> {
  const rnd = random(17);
  const from = Date.parse(window.from);
  let page: PriorComplaint[] = [];
  for (let n = 0; n < options.complaints; n++) {
    page.push({ id: id(options.items * 2 + n), receivedAt: iso(from - 90 * DAY + Math.floor(rnd() * 90 * DAY)), customerKey: customerKey(Math.floor(rnd() * 70_000)) });
    if (page.length === PAGE) (yield page, (page = []));
  }
  if (page.length) yield page;
}

/** DynamoDB's size of an attribute value in bytes (its published rules: strings UTF-8, numbers ≈ digits ÷ 2 + 1, 3 bytes per list/map plus 1 per element). */
export function dynamoSize(value: unknown): number {
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number') return Math.min(21, Math.ceil(String(Math.abs(value)).replace(/[.-]|^0+/g, '').length / 2) + 1);
  if (Array.isArray(value)) return 3 + value.reduce((n: number, v) => n + 1 + dynamoSize(v), 0);
  if (typeof value === 'object') return 3 + Object.entries(value as Record<string, unknown>).reduce((n, [k, v]) => (v === undefined ? n : n + 1 + Buffer.byteLength(k) + dynamoSize(v)), 0);
  return 0;
}

/** Size of an index entry: the projected attributes plus the table's and the index's keys. */
function entrySize(item: object, keys: Record<string, string>): number {
  return dynamoSize({ ...item, ...keys }) - 3;
}

const tableKeys = (item: ReportItem) => ({ pk: `FB#${item.id}`, sk: 'ITEM', dayPk: `DAY#${item.receivedAt.slice(0, 10)}`, daySk: `${item.receivedAt}#${item.id}` });

/** The index entries one quarter's report reads, and their bytes by DynamoDB's size rules, per index. */
function indexReads(pages: Iterable<ReportItem[]>, prior: Iterable<PriorComplaint[]>, window: QuarterWindow) {
  const bytes = { metricsByDay: 0, activity: 0, prior: 0 };
  const counts = { metricsByDay: 0, activity: 0, prior: 0 };
  for (const page of pages) {
    for (const item of page) {
      const size = entrySize(item, tableKeys(item));
      if (item.receivedAt >= window.from) (bytes.metricsByDay += size, counts.metricsByDay++);
      else (bytes.activity += size + 60, counts.activity++); // + the activity index's keys
    }
  }
  for (const page of prior) for (const p of page) (bytes.prior += entrySize(p, { pk: `FB#${p.id}`, sk: 'ITEM', cdayPk: `CDAY#${p.receivedAt.slice(0, 10)}`, cdaySk: `${p.receivedAt}#${p.id}`, kind: 'complaint' }), counts.prior++);
  return { bytes, counts };
}

/** The estimated read units of one quarter's report per index, for the synthetic quarter at `options`' scale (read by report-read.ts beside the measured ones). */
export function estimatedReads(window: QuarterWindow, options: ReportBenchOptions, nowMs: number): { metricsByDay: number; activity: number; prior: number } {
  const { bytes } = indexReads(quarterPages(window, options, nowMs), priorPages(window, options), window);
  return { metricsByDay: readUnits(bytes.metricsByDay), activity: readUnits(bytes.activity), prior: readUnits(bytes.prior) };
}

interface Measured {
  itemsFed: number;
  reportMs: number;
  metricsMs: number;
  retainedMb: number;
  bytes: { metricsByDay: number; activity: number; prior: number };
  counts: { metricsByDay: number; activity: number; prior: number };
  decodeUsPerItem: number;
  figures: { complaints: number; handlerThroughput: number | null; satisfaction: number | null; handlers: number };
}

/** CPU time (all threads of this process) a piece of work takes, in ms: steadier than wall time on a shared host. */
function cpuMs(work: () => void): number {
  const start = process.cpuUsage();
  work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const gc: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
})();

/** Decoding cost: a sample of pages marshalled as DynamoDB JSON, then JSON.parse + unmarshall, per item. */
function decodeCost(sample: ReportItem[]): number {
  const bodies: string[] = [];
  for (let i = 0; i < sample.length; i += PAGE) bodies.push(JSON.stringify({ Items: sample.slice(i, i + PAGE).map((item) => marshall({ ...item, ...tableKeys(item) }, { removeUndefinedValues: true })) }));
  let n = 0;
  const ms = cpuMs(() => {
    for (let round = 0; round < 3; round++) for (const body of bodies) for (const raw of (JSON.parse(body) as { Items: Parameters<typeof unmarshall>[0][] }).Items) (unmarshall(raw), n++);
  });
  return (ms * 1000) / n;
}

/** Runs the measurements for one quarter (2027-Q1 in Asia/Shanghai). */
export function measureQuarterlyReport(options: ReportBenchOptions): Measured {
  const window = quarterWindow('2027-Q1', 'Asia/Shanghai');
  const nowMs = Date.parse(window.to) + 14 * DAY;
  const now = iso(nowMs);
  const inputs = { window, now, firstResponseTargetMs: 24 * H, customerBase: { activeCustomers: 2_000_000, digitalActiveCustomers: 1_100_000 } };
  const pages = [...quarterPages(window, options, nowMs)];
  const prior = [...priorPages(window, options)];
  const { bytes, counts } = indexReads(pages, prior, window);
  const decodeUsPerItem = decodeCost(pages.slice(0, Math.max(1, Math.min(pages.length, 20))).flat());

  gc();
  const tally = createQuarterTally(inputs);
  let figures!: ReturnType<typeof tally.figures>;
  let handlers!: ReturnType<typeof tally.handlers>;
  const reportMs = cpuMs(() => {
    for (const page of pages) for (const item of page) tally.add(item);
    for (const page of prior) for (const p of page) tally.addPrior(p);
    figures = tally.figures();
    handlers = tally.handlers();
  });
  gc();
  const metricsMs = cpuMs(() => {
    computeMetrics(
      (function* () {
        for (const page of pages) yield* page;
      })(),
      window,
      now,
      24 * H,
    );
  });

  // What the tally keeps while pages stream through it (the pages themselves are dropped as they go).
  gc();
  const before = process.memoryUsage().heapUsed;
  const streaming = createQuarterTally(inputs);
  for (const page of quarterPages(window, options, nowMs)) for (const item of page) streaming.add(item);
  gc();
  const retainedMb = (process.memoryUsage().heapUsed - before) / 1e6;
  streaming.figures();

  return {
    itemsFed: counts.metricsByDay + counts.activity,
    reportMs,
    metricsMs,
    retainedMb,
    bytes,
    counts,
    decodeUsPerItem,
    figures: { complaints: figures.complaints, handlerThroughput: figures.handlerThroughput, satisfaction: figures.satisfaction.customer.mean, handlers: handlers.length },
  };
}

const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }) : 'n/a');
/** Read units of a Query over index entries of `bytes` in total: 4 KB units, eventually consistent (half), as GSIs are. */
function readUnits(bytes: number): number {
  return Math.ceil(bytes / 4096) / 2;
}

/** The bench section: measurements, estimates, and what they say about fitting the admin route's timeout. */
export function reportBenchSection(options: ReportBenchOptions): string[] {
  const m = measureQuarterlyReport(options);
  const rru = { metricsByDay: readUnits(m.bytes.metricsByDay), activity: readUnits(m.bytes.activity), prior: readUnits(m.bytes.prior) };
  const totalRru = rru.metricsByDay + rru.activity + rru.prior;
  const decodeS = (m.itemsFed * m.decodeUsPerItem) / 1e6;
  // CPU seconds for one quarter (decode its entries and the prior complaints' small ones, then compute).
  const quarterCpuS = decodeS + m.reportMs / 1000 + (m.counts.prior * m.decodeUsPerItem) / 4e6;
  const layouts = [
    // The report reads two quarters (the quarter and the previous one).
    { what: `in the admin Lambda as it is (${ADMIN_MEMORY_MB} MB = ${fmt(VCPU_SHARE, 2)} vCPU), two quarters one after the other`, seconds: (2 * quarterCpuS) / VCPU_SHARE },
    // As deployed (infra/constructs/admin-api.ts, ReportFunction): JavaScript runs on one core; the second vCPU takes the SDK's sockets and the garbage collector.
    { what: `in the report function as deployed (${REPORT_MEMORY_MB} MB = 2 vCPU, JavaScript on one), both quarters read in parallel`, seconds: 2 * quarterCpuS },
    { what: 'a report Lambda of 1,769 MB (1 vCPU), previous quarter from its snapshot', seconds: quarterCpuS },
    { what: 'a report Lambda of 3,538 MB (2 vCPU), each quarter in its own worker thread', seconds: quarterCpuS },
  ];
  const mb = (b: number) => fmt(b / 1e6, 1);
  return [
    '## Quarterly report (synthetic quarter: computation measured, reads estimated, then measured at a smaller scale)',
    '',
    `${fmt(options.items)} items received in 2027-Q1 (Asia/Shanghai), ${fmt(options.complaints)} of them complaints, plus ${fmt(m.counts.activity)} complaints received before it and worked in it, and ${fmt(m.counts.prior)} prior complaints (90 days) for repeats. Figures: ${fmt(m.figures.complaints)} complaints, ${m.figures.handlers} handlers, throughput ${fmt(m.figures.handlerThroughput ?? NaN, 2)} per handler-day, customer satisfaction ${fmt(m.figures.satisfaction ?? NaN, 2)}.`,
    '',
    '| measure | value |',
    '|---|---|',
    `| quarterly figures + per-handler figures, one quarter (CPU, one core here) | ${fmt(m.reportMs)} ms |`,
    `| today's metrics (GET /admin/metrics) over the same items | ${fmt(m.metricsMs)} ms |`,
    `| memory the tally keeps while pages stream through | ${fmt(m.retainedMb, 1)} MB |`,
    `| decoding DynamoDB JSON (JSON.parse + unmarshall) per item | ${fmt(m.decodeUsPerItem, 2)} µs (one quarter: ${fmt(decodeS, 1)} s) |`,
    `| ReportByDay read (projected REPORT_ATTRIBUTES, ${fmt(m.counts.metricsByDay)} entries) | ${mb(m.bytes.metricsByDay)} MB, ${fmt(rru.metricsByDay)} RRU |`,
    `| activity index read (complaints received earlier, worked in the quarter) | ${mb(m.bytes.activity)} MB, ${fmt(rru.activity)} RRU |`,
    `| prior complaints read (sparse complaints-by-day index: id, receipt, key) | ${mb(m.bytes.prior)} MB, ${fmt(rru.prior)} RRU |`,
    `| read units for one quarter / the report (two quarters) | ${fmt(totalRru)} / ${fmt(2 * totalRru)} RRU = $${fmt(2 * totalRru * PRICES.dynamoPerReadUnit, 4)} |`,
    ...layouts.map((l) => `| estimated report time, ${l.what} | ${fmt(l.seconds, 1)} s of the route's ${ROUTE_TIMEOUT_S} s${l.seconds < ROUTE_TIMEOUT_S * 0.6 ? '' : ' (**does not fit with margin**)'} |`),
    '',
    `Sizes follow DynamoDB's item-size rules on the projected attributes plus the table and index keys; Query read units are 4 KB of entries read, halved for eventually consistent reads (GSIs). Report times are this machine's single-core CPU time (decode + compute) scaled by Lambda's vCPU share (1,769 MB = 1 vCPU); they leave out the SDK's own response handling beyond JSON.parse + unmarshall and the network (about ${fmt((2 * (m.bytes.metricsByDay + m.bytes.activity + m.bytes.prior)) / 1e6)} 1-MB pages, 16 day partitions in parallel), and should be read as an order of magnitude on a shared host.`,
    '',
  ];
}
