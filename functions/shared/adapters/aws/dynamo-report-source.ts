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
 * to DAY_CONCURRENCY chains at a time so the network overlaps the decoding. Prior complaints for repeat
 * complaints (a third, customer-keyed index) come with customer keys (another branch): until then the
 * sink gets none and the repeat figures are `null`, as the tally defines for items without keys.
 */
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { QuarterSink, ReportSource } from '../../../admin/reports/report-service.ts';
import type { ReportItem } from '../../../admin/reports/report-facts.ts';
import type { QuarterWindow } from '../../../admin/reports/quarters.ts';
import { TABLE_INDEXES } from '../table-design.ts';

const DAY_CONCURRENCY = 16;
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
  ) {}

  async feedQuarter(window: QuarterWindow, sink: QuarterSink): Promise<void> {
    const received = TABLE_INDEXES.reportByDay;
    const activity = TABLE_INDEXES.complaintActivity;
    const today = this.now().toISOString();
    const chains: Array<() => Promise<void>> = [
      ...utcDaysFrom(window.from, window.to).map((day) => () => this.chain(received, `DAY#${day}`, '#sk BETWEEN :lo AND :hi', { ':lo': window.from, ':hi': window.to }, sink)),
      ...utcDaysFrom(window.from, today > window.from ? today : window.from).map((day) => () => this.chain(activity, `ACT#${day}`, '#sk < :lo', { ':lo': window.from }, sink)),
    ];
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < chains.length; i = next++) await chains[i]!();
    };
    await Promise.all(Array.from({ length: Math.min(DAY_CONCURRENCY, chains.length) }, worker));
  }

  /** One partition of an index, page by page, into the sink. */
  private async chain(index: { name: string; partitionKey: string; sortKey: string; projection: readonly string[] }, partition: string, range: string, values: Record<string, string>, sink: QuarterSink): Promise<void> {
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
      sink.items((res.Items ?? []).map(normalised));
      start = res.LastEvaluatedKey;
    } while (start);
  }
}
