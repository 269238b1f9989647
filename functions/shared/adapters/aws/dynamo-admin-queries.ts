/**
 * The admin API's list and metrics reads on DynamoDB (and dynalite locally), through the GSIs of
 * table-design.ts only: OpenByDue / OpenByAssignee for the queue, FeedbackByDay for lists by day and
 * metrics. Never a Scan.
 *
 * Pages resume from a key the caller holds (the last item's index sort key), rebuilt into the
 * ExclusiveStartKey: an index key is (index pk, index sk, table pk, table sk), and every index sort key
 * here ends in `#<id>`, so the table key follows from it. Filters the index cannot express are applied
 * in key order while reading, and a page is cut exactly after its `limit`-th match (one more match is
 * looked for, so `lastKey` is only given when a next page has something).
 *
 * Metrics read every item of the window from the MetricsByDay index, which projects only the attributes
 * they need (a few hundred bytes an item), one query chain per UTC day, up to 16 days in parallel: a
 * 90-day window is 90 short query chains instead of one long walk.
 */
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { FeedbackItem } from '../../../../schemas/feedback.ts';
import { utcDaysBetween, type AdminQueries, type DayRangeRequest, type Page, type QueueRequest } from '../../../admin/queries.ts';
import { ITEM_SK, TABLE_INDEXES, itemPk } from '../table-design.ts';
import { fromRecord } from './dynamo-feedback-repository.ts';

/** Items read per Query call while filling a page (a page of 50 with a selective filter needs a few calls). */
const READ_BATCH = 200;
const DAY_CONCURRENCY = 16;

type Index = (typeof TABLE_INDEXES)[keyof typeof TABLE_INDEXES];

/** An item with its index sort key (what a cursor resumes after). */
interface Keyed {
  item: FeedbackItem;
  key: string;
}

/** A page of entries; `lastKey` only when another match is known to follow. */
function pageOf(entries: Keyed[], more: boolean): Page {
  const last = entries[entries.length - 1];
  return { items: entries.map((e) => e.item), ...(more && last ? { lastKey: last.key } : {}) };
}

const idOfSortKey = (sortKey: string) => sortKey.slice(sortKey.lastIndexOf('#') + 1);

export class DynamoAdminQueries implements AdminQueries {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async openQueue(request: QueueRequest): Promise<Page> {
    const index = request.assignee ? TABLE_INDEXES.openByAssignee : TABLE_INDEXES.openByDue;
    const partition = request.assignee ? `ASSIGNEE#${request.assignee}` : 'OPEN';
    // The index is eventually consistent: an item resolved a moment ago may still be listed there.
    const open = (item: FeedbackItem) => item.kind === 'complaint' && item.status !== 'resolved';
    const result = await this.fill(index, partition, {}, request.after, request.limit, (item) => open(item) && request.matches(item));
    return pageOf(result.entries, result.full);
  }

  async byDay(request: DayRangeRequest): Promise<Page> {
    const days = utcDaysBetween(request.from, request.to);
    const startDay = request.after ? request.after.slice(0, 10) : undefined;
    let collected: Keyed[] = [];
    for (const day of days) {
      if (startDay && day < startDay) continue;
      const range = { lo: request.from, hi: request.to };
      const result = await this.fill(TABLE_INDEXES.feedbackByDay, `DAY#${day}`, range, day === startDay ? request.after : undefined, request.limit, request.matches, collected);
      if (result.full) return pageOf(result.entries, true);
      collected = result.entries;
    }
    return pageOf(collected, false);
  }

  async projectDays(window: { from: string; to: string }, attributes: readonly string[]): Promise<Array<Partial<FeedbackItem>>> {
    const days = utcDaysBetween(window.from, window.to);
    const out: Array<Partial<FeedbackItem>> = [];
    const names = Object.fromEntries(attributes.map((a, i) => [`#a${i}`, a]));
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < days.length; i = next++) {
        let start: Record<string, unknown> | undefined;
        do {
          const res = await this.doc.send(
            new QueryCommand({
              TableName: this.tableName,
              IndexName: TABLE_INDEXES.metricsByDay.name,
              KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lo AND :hi',
              ProjectionExpression: Object.keys(names).join(', '),
              ExpressionAttributeNames: { ...names, '#pk': TABLE_INDEXES.metricsByDay.partitionKey, '#sk': TABLE_INDEXES.metricsByDay.sortKey },
              ExpressionAttributeValues: { ':pk': `DAY#${days[i]}`, ':lo': window.from, ':hi': window.to },
              ...(start ? { ExclusiveStartKey: start } : {}),
            }),
          );
          for (const record of res.Items ?? []) out.push(record as Partial<FeedbackItem>);
          start = res.LastEvaluatedKey;
        } while (start);
      }
    };
    await Promise.all(Array.from({ length: Math.min(DAY_CONCURRENCY, days.length) }, worker));
    return out;
  }

  /**
   * Reads one index partition in key order from after `after`, keeping matches, until `limit` matches
   * in total are collected and one more is seen (then `full`) or the partition ends.
   * @param carried matches already collected from earlier partitions (day walks), counted toward the page.
   */
  private async fill(
    index: Index,
    partition: string,
    range: { lo?: string; hi?: string },
    after: string | undefined,
    limit: number,
    matches: (item: FeedbackItem) => boolean,
    carried: Keyed[] = [],
  ): Promise<{ entries: Keyed[]; full: boolean }> {
    const entries = [...carried];
    let start: Record<string, unknown> | undefined = after
      ? { [index.partitionKey]: partition, [index.sortKey]: after, pk: itemPk(idOfSortKey(after)), sk: ITEM_SK }
      : undefined;
    const ranged = range.lo !== undefined && range.hi !== undefined;
    do {
      const input: QueryCommandInput = {
        TableName: this.tableName,
        IndexName: index.name,
        KeyConditionExpression: ranged ? '#pk = :pk AND #sk BETWEEN :lo AND :hi' : '#pk = :pk',
        ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey },
        ExpressionAttributeValues: { ':pk': partition, ...(ranged ? { ':lo': range.lo, ':hi': range.hi } : {}) },
        Limit: READ_BATCH,
        ...(start ? { ExclusiveStartKey: start } : {}),
      };
      if (!ranged) delete input.ExpressionAttributeNames!['#sk'];
      const res = await this.doc.send(new QueryCommand(input));
      for (const record of res.Items ?? []) {
        const item = fromRecord(record).item;
        if (!matches(item)) continue;
        if (entries.length === limit) return { entries, full: true };
        entries.push({ item, key: String(record[index.sortKey]) });
      }
      start = res.LastEvaluatedKey;
    } while (start);
    return { entries, full: false };
  }
}
