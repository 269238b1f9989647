/**
 * The quarterly report's reads, measured (issue 16): the estimate in report-bench.ts computes read units
 * from DynamoDB's item-size rules; this runs the real read path (DynamoReportSource: ReportByDay,
 * ComplaintActivityByDay and ComplaintsByDay, no scan) against dynalite holding a synthetic quarter at a
 * smaller scale, with `ReturnConsumedCapacity`, and sets the measured read units and wall time beside the
 * estimate for the same items. Their ratio is what the 1,000,000-item estimate should be read with.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../functions/shared/adapters/aws/dynamo-feedback-repository.ts';
import { DynamoReportSource } from '../../functions/shared/adapters/aws/dynamo-report-source.ts';
import { createQuarterTally } from '../../functions/admin/reports/quarter-figures.ts';
import type { ReportItem } from '../../functions/shared/reports/report-facts.ts';
import { quarterWindow } from '../../functions/shared/reports/quarters.ts';
import { startLocalDynamo } from '../../infra/local/dynamo-local.ts';
import { estimatedReads, priorPages, quarterPages, type ReportBenchOptions } from './report-bench.ts';

const DAY = 86_400_000;
const TABLE = 'report-read';

export interface MeasuredRead {
  options: ReportBenchOptions;
  /** Index entries the read path handed to the tally (items of the quarter and the activity index, prior complaints). */
  entries: { items: number; prior: number };
  /** Read units dynalite reported for every Query of the report (one quarter). */
  measuredRru: number;
  /** The estimator's read units for the same items (report-bench.ts `estimatedReads`). */
  estimatedRru: number;
  /** Wall time of the read path into the tally, ms (dynalite in its own process on this machine). */
  readMs: number;
  /** Complaints counted by the figures from the read path, and by the same items fed directly: equal if the read is right. */
  complaints: { read: number; direct: number };
}

/** The stored record of a synthetic item: the projected attributes plus the table's and the report indexes' keys. */
function record(item: ReportItem): Record<string, unknown> {
  const receiptKey = `${item.receivedAt}#${item.id}`;
  const keys: Record<string, string> = { pk: `FB#${item.id}`, sk: 'ITEM', dayPk: `DAY#${item.receivedAt.slice(0, 10)}`, daySk: receiptKey };
  if (item.kind === 'complaint') {
    keys.actPk = `ACT#${(item.reportFacts?.lastActivityAt ?? item.receivedAt).slice(0, 10)}`;
    keys.actSk = receiptKey;
    if (item.customerKey) (keys.cdayPk = `CDAY#${item.receivedAt.slice(0, 10)}`), (keys.cdaySk = receiptKey);
  }
  return { ...item, ...keys };
}

/** Writes records 25 at a time, `parallel` batches in flight, retrying what DynamoDB hands back unprocessed. */
async function writeAll(doc: DynamoDBDocumentClient, records: Iterable<Record<string, unknown>>, parallel = 8): Promise<void> {
  const iterator = records[Symbol.iterator]();
  const writer = async () => {
    for (;;) {
      const batch: Record<string, unknown>[] = [];
      for (let r = iterator.next(); !r.done; r = iterator.next()) if (batch.push(r.value) === 25) break;
      if (batch.length === 0) return;
      let requests = batch.map((Item) => ({ PutRequest: { Item } }));
      while (requests.length) {
        const res = await doc.send(new BatchWriteCommand({ RequestItems: { [TABLE]: requests } }));
        requests = (res.UnprocessedItems?.[TABLE] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, writer));
}

/**
 * Seeds dynalite (a data directory of its own, removed after) with one synthetic quarter at `options`'
 * scale, the complaints of the 90 days before it, then reads the quarter through DynamoReportSource.
 */
export async function measureReportRead(options: ReportBenchOptions): Promise<MeasuredRead> {
  const window = quarterWindow('2027-Q1', 'Asia/Shanghai');
  const nowMs = Date.parse(window.to) + 14 * DAY;
  const inputs = { window, now: new Date(nowMs).toISOString(), firstResponseTargetMs: 86_400_000, customerBase: { activeCustomers: 2_000_000, digitalActiveCustomers: 1_100_000 } };
  const dir = mkdtempSync(join(tmpdir(), 'redress-report-read-'));
  const dynamo = await startLocalDynamo(dir, TABLE);
  try {
    const doc = createDocumentClient(dynamo.client);
    await writeAll(
      doc,
      (function* () {
        for (const page of quarterPages(window, options, nowMs)) for (const item of page) yield record(item);
        for (const page of priorPages(window, options)) for (const p of page) yield record({ ...p, kind: 'complaint' } as ReportItem);
      })(),
    );

    // Every Query asks for its consumed capacity; the answers are summed.
    let measuredRru = 0;
    doc.middlewareStack.add(
      (next) => async (args) => {
        (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
        const result = await next(args);
        measuredRru += (result.output as { ConsumedCapacity?: { CapacityUnits?: number } }).ConsumedCapacity?.CapacityUnits ?? 0;
        return result;
      },
      { step: 'initialize', name: 'benchConsumedCapacity' },
    );
    const tally = createQuarterTally(inputs);
    const entries = { items: 0, prior: 0 };
    const source = new DynamoReportSource(doc, TABLE, () => new Date(nowMs));
    const t0 = performance.now();
    await source.feedQuarter(window, {
      items: (batch) => {
        entries.items += batch.length;
        for (const item of batch) tally.add(item);
      },
      priorComplaints: (batch) => {
        entries.prior += batch.length;
        for (const p of batch) tally.addPrior(p);
      },
    });
    const readMs = performance.now() - t0;

    const direct = createQuarterTally(inputs);
    for (const page of quarterPages(window, options, nowMs)) for (const item of page) direct.add(item);
    const estimate = estimatedReads(window, options, nowMs);
    return { options, entries, measuredRru, estimatedRru: estimate.metricsByDay + estimate.activity + estimate.prior, readMs, complaints: { read: tally.figures().complaints, direct: direct.figures().complaints } };
  } finally {
    await dynamo.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The sizes of the measured read: `BENCH_REPORT_READ_ITEMS` (default 50,000) and a tenth of them
 * complaints; with `BENCH_QUICK=1`, 5,000.
 */
export function reportReadOptions(env: Record<string, string | undefined>): ReportBenchOptions {
  const items = Number(env.BENCH_REPORT_READ_ITEMS ?? (env.BENCH_QUICK === '1' ? 5_000 : 50_000));
  return { items, complaints: Math.round(items / 10) };
}

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

/** The bench's lines for a measured read, and what it says about the 1,000,000-item estimate above it. */
export function reportReadSection(m: MeasuredRead): string[] {
  const ratio = m.measuredRru / m.estimatedRru;
  const perEntryUs = (m.readMs * 1000) / (m.entries.items + m.entries.prior);
  return [
    `### The read path measured (dynalite, ${fmt(m.options.items)} items of which ${fmt(m.options.complaints)} complaints)`,
    '',
    '| measure | value |',
    '|---|---|',
    `| index entries read (quarter + activity / prior complaints) | ${fmt(m.entries.items)} / ${fmt(m.entries.prior)} |`,
    `| read units dynalite reported (ReturnConsumedCapacity) / estimated for the same items | ${fmt(m.measuredRru, 1)} / ${fmt(m.estimatedRru, 1)} (measured ÷ estimated ${fmt(ratio, 2)}) |`,
    `| wall time, Query pages into the tally (dynalite in its own process) | ${fmt(m.readMs)} ms (${fmt(perEntryUs, 1)} µs per entry) |`,
    `| complaints counted from the read / from the same items fed directly | ${fmt(m.complaints.read)} / ${fmt(m.complaints.direct)}${m.complaints.read === m.complaints.direct ? '' : ' (**differ**)'} |`,
    '',
    `The estimate's read units above are to be read × ${fmt(ratio, 2)} (DynamoDB rounds each Query page up to 4 KB; the estimate rounds the total). dynalite serves pages from one process on this shared host, so its wall time bounds the local stack, not DynamoDB.`,
    '',
  ];
}
