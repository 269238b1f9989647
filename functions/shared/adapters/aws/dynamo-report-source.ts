/**
 * The ReportSource port (functions/admin/reports/report-service.ts) on the table's indexes, never a scan
 * (functions/admin/reports/README.md, "What the storage side reads"):
 *
 * 1. every item received in the quarter: ReportByDay, one query chain per UTC day the zone's quarter
 *    touches (`daySk BETWEEN from AND to`: the edge days are cut at the quarter's instants);
 * 2. complaints received before the quarter that something happened to since it began:
 *    ComplaintActivityByDay, one chain per UTC day from the quarter's first to today, `actSk < from`.
 *
 * Pages go to the sink as they arrive (the tally keeps only what the figures need, never the items), up
 * to DAY_CONCURRENCY chains at a time so the network overlaps the decoding.
 * 3. complaints with a customer key received in the 90 days before the quarter, for repeat complaints:
 *    ComplaintsByDay (projecting id, receipt and key only), one chain per UTC day, `cdaySk < from`.
 *
 * Customer keys are resolved through the customer links first (linked keys count as one customer, as the
 * metrics route counts them), when the source is given the links.
 */
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { QuarterSink, ReportSource } from '../../ports/report-source.ts';
import type { ReportItem } from '../../reports/report-facts.ts';
import type { QuarterWindow } from '../../reports/quarters.ts';
import type { PriorComplaint } from '../../ports/report-source.ts';
import { customerOf } from '../../customers/link-closure.ts';
import type { CustomerLinks } from '../../ports/customer-links.ts';
import { TABLE_INDEXES } from '../table-design.ts';
import { DAY_CONCURRENCY } from './day-partitions.ts';

/** How far before a quarter a complaint still makes a later one a repeat (design.md: 90 days). */
const REPEAT_WINDOW_MS = 90 * 86_400_000;

const DAY_MS = 86_400_000;

/** The UTC days (`YYYY-MM-DD`) from the day of `from` to the day of `to`, both included. */
export function utcDaysFrom(from: string, to: string): string[] {
  const days: string[] = [];
  for (let ms = Date.parse(from.slice(0, 10)); ms <= Date.parse(to.slice(0, 10)); ms += DAY_MS) days.push(new Date(ms).toISOString().slice(0, 10));
  return days;
}

/** Attributes the index does not hold for an item are the metrics' defaults, as the metrics route fills them. */
function normalised(record: Record<string, unknown>): ReportItem {
  const item = record as ReportItem;
  item.clocks ??= [];
  item.satisfaction ??= null;
  return item;
}

export class DynamoReportSource implements ReportSource {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
    private readonly links?: Pick<CustomerLinks, 'all'>,
  ) {}

  async feedQuarter(window: QuarterWindow, sink: QuarterSink): Promise<void> {
    const received = TABLE_INDEXES.reportByDay;
    const activity = TABLE_INDEXES.complaintActivity;
    const prior = TABLE_INDEXES.complaintsByDay;
    const today = this.now().toISOString();
    const canonical = this.links ? customerOf(await this.links.all()) : (key: string) => key;
    const keyed = <T extends { customerKey?: string }>(batch: T[]): T[] => {
      for (const entry of batch) if (entry.customerKey) entry.customerKey = canonical(entry.customerKey);
      return batch;
    };
    const into: QuarterSink = { items: (batch) => sink.items(keyed([...batch])), priorComplaints: (batch) => sink.priorComplaints(keyed([...batch])) };
    const priorFrom = new Date(Date.parse(window.from) - REPEAT_WINDOW_MS).toISOString();
    const chains: Array<() => Promise<void>> = [
      ...utcDaysFrom(window.from, window.to).map((day) => () => this.chain(received, `DAY#${day}`, '#sk BETWEEN :lo AND :hi', { ':lo': window.from, ':hi': window.to }, into)),
      ...utcDaysFrom(window.from, today > window.from ? today : window.from).map((day) => () => this.chain(activity, `ACT#${day}`, '#sk < :lo', { ':lo': window.from }, into)),
      ...utcDaysFrom(priorFrom, window.from).map((day) => () => this.chain(prior, `CDAY#${day}`, '#sk BETWEEN :lo AND :hi', { ':lo': priorFrom, ':hi': window.from }, into, true)),
    ];
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < chains.length; i = next++) await chains[i]!();
    };
    await Promise.all(Array.from({ length: Math.min(DAY_CONCURRENCY, chains.length) }, worker));
  }

  /** One partition of an index, page by page, into the sink. */
  private async chain(index: { name: string; partitionKey: string; sortKey: string; projection: readonly string[] }, partition: string, range: string, values: Record<string, string>, sink: QuarterSink, asPrior = false): Promise<void> {
    const names = Object.fromEntries(index.projection.map((a, i) => [`#a${i}`, a]));
    let start: Record<string, unknown> | undefined;
    do {
      const input: QueryCommandInput = {
        TableName: this.tableName,
        IndexName: index.name,
        KeyConditionExpression: `#pk = :pk AND ${range}`,
        ProjectionExpression: Object.keys(names).join(', '),
        ExpressionAttributeNames: { ...names, '#pk': index.partitionKey, '#sk': index.sortKey },
        ExpressionAttributeValues: { ':pk': partition, ...values },
        ...(start ? { ExclusiveStartKey: start } : {}),
      };
      const res = await this.doc.send(new QueryCommand(input));
      if (asPrior) sink.priorComplaints((res.Items ?? []).filter((c) => typeof c.customerKey === 'string' && String(c.receivedAt) < values[':hi']!) as PriorComplaint[]);
      else sink.items((res.Items ?? []).map(normalised));
      start = res.LastEvaluatedKey;
    } while (start);
  }
}
