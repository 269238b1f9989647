/**
 * The admin API's list and metrics reads on DynamoDB (and dynalite locally), through the GSIs of
 * table-design.ts only: OpenByDueV2 / OpenByAssignee for the queue, TriageByDue for the triage queue,
 * FeedbackByDayV2 for lists by day, MetricsByDay for metrics. Never a Scan. OpenByDueV2 and
 * FeedbackByDayV2 project only what the lists filter on (LIST_ATTRIBUTES): a page is filtered on the
 * projection and its items are then read whole with BatchGetItem (consistent reads), so the lists
 * answer whole items as before while writes no longer rewrite whole items in those indexes.
 *
 * Pages resume from a key the caller holds (the last item's index sort key), rebuilt into the
 * ExclusiveStartKey: an index key is (index pk, index sk, table pk, table sk), and every index sort key
 * here ends in `#<id>`, so the table key follows from it. Filters the index cannot express are applied
 * in key order while reading, and a page is cut exactly after its `limit`-th match (one more match is
 * looked for, so `lastKey` is only given when a next page may have something).
 *
 * Every request reads within a budget (LIST_READ_BUDGET: Query calls, items read, bytes answered).
 * When a selective filter spends it before the page is full, the page answers what it has (possibly
 * nothing) with a cursor at the last key read, or at the start of the next day to read (`YYYY-MM-DD`),
 * and the client goes on from there. Day walks first ask 16 days at once whether they hold anything
 * (one key each), so empty days cost no budget and a quiet window still answers its items on the first
 * page; one request looks through at most DAY_PROBE_LIMIT days.
 *
 * Metrics read every item of the window from the MetricsByDay index, which projects only the attributes
 * they need (a few hundred bytes an item), one query chain per UTC day, up to 16 days in parallel: a
 * 90-day window is 90 short query chains instead of one long walk.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FeedbackItem } from '../../../../schemas/feedback.ts';
import { utcDaysBetween, type AdminQueries, type DayRangeRequest, type Page, type QueueRequest, type TriageRequest } from '../../ports/admin-queries.ts';
import { ITEM_SK, TABLE_INDEXES, itemPk } from '../table-design.ts';
import { batchGetItems } from './batch-get-items.ts';
import { readDayPartitions } from './day-partitions.ts';
import { fromRecord } from './dynamo-feedback-repository.ts';

/** Items read per Query call while filling a page (a page of 50 with a selective filter needs a few calls). */
const READ_BATCH = 200;

/**
 * What one list request may read before it answers with what it found and a cursor to go on from: a
 * filter that matches nothing (or a window of empty days) never makes one request walk a whole year.
 * `answerBytes` keeps a page of large items (long timelines) well under the 6 MB a Lambda may answer.
 */
export interface ReadBudget {
  queries: number;
  items: number;
  answerBytes: number;
}
export const LIST_READ_BUDGET: Readonly<ReadBudget> = { queries: 10, items: 1_000, answerBytes: 4 * 1024 * 1024 };

/** Days a day walk asks at once whether they hold any item. */
export const DAY_PROBE_BATCH = 16;
/** Days one list request may look through (then it answers a cursor at the next day): a year is 23 requests' probes, not one. */
export const DAY_PROBE_LIMIT = 96;

type Index = (typeof TABLE_INDEXES)[keyof typeof TABLE_INDEXES];

/** An item with its index sort key (what a cursor resumes after). */
interface Keyed {
  item: FeedbackItem;
  key: string;
  bytes: number;
}

/**
 * How reading one partition ended: `full` (the page is complete and something may follow: resume after
 * the last entry), `spent` (the read budget ran out first: resume after `position`, the last key read,
 * when there is one), or `end` (the partition is exhausted).
 */
type FillResult = { entries: Keyed[]; stop: 'full' } | { entries: Keyed[]; stop: 'spent'; position: string | undefined } | { entries: Keyed[]; stop: 'end' };

/** A page of entries; `lastKey` when the walk goes on after `position`. */
function pageOf(entries: Keyed[], position?: string): Page {
  return { items: entries.map((e) => e.item), ...(position !== undefined ? { lastKey: position } : {}) };
}

const lastKeyOf = (entries: Keyed[]) => entries[entries.length - 1]?.key;

/** The page of a one-partition walk (the queues): resume after the last entry, or the last key read when the budget ran out. */
function pageOfPartition(result: FillResult): Page {
  if (result.stop === 'full') return pageOf(result.entries, lastKeyOf(result.entries));
  if (result.stop === 'spent') return pageOf(result.entries, result.position ?? lastKeyOf(result.entries));
  return pageOf(result.entries);
}
const idOfSortKey = (sortKey: string) => sortKey.slice(sortKey.lastIndexOf('#') + 1);
/** A day-walk position with no item key: "from the start of this UTC day" (`YYYY-MM-DD`). */
const isDayStart = (position: string) => !position.includes('#');

export class DynamoAdminQueries implements AdminQueries {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly budget: Readonly<ReadBudget> = LIST_READ_BUDGET,
  ) {}

  async openQueue(request: QueueRequest): Promise<Page> {
    const index = request.assignee ? TABLE_INDEXES.openByAssignee : TABLE_INDEXES.openByDue;
    const partition = request.assignee ? `ASSIGNEE#${request.assignee}` : 'OPEN';
    // The index is eventually consistent: an item resolved a moment ago may still be listed there.
    const open = (item: FeedbackItem) => item.kind === 'complaint' && item.status !== 'resolved';
    const budget = { ...this.budget };
    const prefilter = request.prefilter;
    const result = await this.fill(index, partition, {}, request.after, request.limit, (item) => open(item) && request.matches(item), budget, [], prefilter && ((item) => open(item) && prefilter(item)));
    return pageOfPartition(result);
  }

  async triageQueue(request: TriageRequest): Promise<Page> {
    // Eventually consistent too: an item settled a moment ago may still be listed there.
    const triaged = (item: FeedbackItem) => item.triage !== undefined;
    const result = await this.fill(TABLE_INDEXES.triageByDue, 'TRIAGE', {}, request.after, request.limit, (item) => triaged(item) && request.matches(item), { ...this.budget });
    return pageOfPartition(result);
  }

  async byDay(request: DayRangeRequest): Promise<Page> {
    const startDay = request.after?.slice(0, 10);
    const days = utcDaysBetween(request.from, request.to).filter((day) => !startDay || day >= startDay);
    const range = { lo: request.from, hi: request.to };
    // Resuming inside a day (after an item's key): that day is known to hold items, and is read from there.
    const inside = request.after && !isDayStart(request.after) ? request.after : undefined;
    const resumeAt = (day: string) => (day === startDay ? inside : undefined);
    const budget = { ...this.budget };
    let collected: Keyed[] = [];
    for (let at = 0; at < days.length; at += DAY_PROBE_BATCH) {
      if (at >= DAY_PROBE_LIMIT) return pageOf(collected, days[at]);
      // Which of the next days hold anything, asked of all at once (one key each): a window of mostly empty
      // days (a new deployment, a quiet month) costs a round trip per 16 days instead of a page per 10.
      const batch = days.slice(at, at + DAY_PROBE_BATCH);
      // One entry read at most per day (a byte count would cost as much).
      const occupied = await Promise.all(batch.map(async (day) => resumeAt(day) || (await this.query(TABLE_INDEXES.feedbackByDay, `DAY#${day}`, range, 1)).Items?.length));
      for (const [i, day] of batch.entries()) {
        if (!occupied[i]) continue;
        const result = await this.fill(TABLE_INDEXES.feedbackByDay, `DAY#${day}`, range, resumeAt(day), request.limit, request.matches, budget, collected, request.prefilter);
        if (result.stop === 'full') return pageOf(result.entries, lastKeyOf(result.entries));
        // Out of budget: go on from the last key read today, or from the start of today if none was.
        if (result.stop === 'spent') return pageOf(result.entries, result.position ?? day);
        collected = result.entries;
      }
    }
    return pageOf(collected);
  }

  /** One Query of an index partition, within [lo, hi] of its sort key when both are given. */
  private query(index: Index, partition: string, range: { lo?: string; hi?: string }, limit: number, start?: Record<string, unknown>) {
    const ranged = range.lo !== undefined && range.hi !== undefined;
    return this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.name,
        KeyConditionExpression: ranged ? '#pk = :pk AND #sk BETWEEN :lo AND :hi' : '#pk = :pk',
        ExpressionAttributeNames: { '#pk': index.partitionKey, ...(ranged ? { '#sk': index.sortKey } : {}) },
        ExpressionAttributeValues: { ':pk': partition, ...(ranged ? { ':lo': range.lo, ':hi': range.hi } : {}) },
        Limit: limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
  }

  async projectDays(window: { from: string; to: string }, attributes: readonly string[]): Promise<Array<Partial<FeedbackItem>>> {
    return readDayPartitions<Partial<FeedbackItem>>(this.doc, this.tableName, TABLE_INDEXES.metricsByDay, 'DAY#', window, attributes);
  }

  /**
   * Reads one index partition in key order from after `after`, keeping matches, until `limit` matches in
   * total are collected and one more is seen, or the page reaches its byte budget (then `full`), the read
   * budget is spent (`spent`), or the partition ends.
   *
   * On an index projecting LIST_ATTRIBUTES the entries are filtered on the projection (`prefilter`, or
   * `matches` when it reads only projected attributes) and the candidates are then read whole
   * (BatchGetItem: as many as the page still takes, or all of a Query's when only the whole item can
   * decide): `matches` decides on the whole item, and an item deleted or changed since the index listed
   * it is left out (the page may then come back short, with a cursor where it stopped).
   * @param budget what this request may still read; decremented here (shared by the days of a walk).
   * @param carried matches already collected from earlier partitions (day walks), counted toward the page.
   */
  private async fill(
    index: Index,
    partition: string,
    range: { lo?: string; hi?: string },
    after: string | undefined,
    limit: number,
    matches: (item: FeedbackItem) => boolean,
    budget: ReadBudget,
    carried: Keyed[] = [],
    prefilter?: (item: FeedbackItem) => boolean,
  ): Promise<FillResult> {
    const entries = [...carried];
    let answerBytes = entries.reduce((sum, e) => sum + e.bytes, 0);
    let position = after;
    let start: Record<string, unknown> | undefined = after
      ? { [index.partitionKey]: partition, [index.sortKey]: after, pk: itemPk(idOfSortKey(after)), sk: ITEM_SK }
      : undefined;
    const projected = 'projection' in index;
    // On the projection: `prefilter` when `matches` reads more than it holds (then a candidate must be read whole to know).
    const candidate = projected ? (prefilter ?? matches) : matches;
    const exact = !projected || prefilter === undefined;
    do {
      if (budget.queries <= 0 || budget.items <= 0) return { entries, stop: 'spent', position };
      budget.queries--;
      const res = await this.query(index, partition, range, Math.min(READ_BATCH, budget.items), start);
      budget.items -= res.Items?.length ?? 0;
      // The candidates read whole: as many as the page still takes, or (when the projection cannot decide) all of them.
      // Each record decoded once: the candidates are chosen from the same decoded entries the loop reads.
      const records = res.Items ?? [];
      const listedItems = records.map((r) => fromRecord(r).item);
      const candidates = projected ? listedItems.filter(candidate).map((i) => i.id) : [];
      const read = new Set(exact ? candidates.slice(0, limit - entries.length) : candidates);
      const whole = projected ? await batchGetItems(this.doc, this.tableName, [...read]) : undefined;
      for (const [r, record] of records.entries()) {
        const key = String(record[index.sortKey]);
        const listed = listedItems[r]!;
        if (!candidate(listed)) {
          position = key;
          continue;
        }
        // One more match after a full page: the page is complete (known from the projection when it decides).
        if (entries.length === limit && exact) return { entries, stop: 'full' };
        // Past the candidates read whole (some were deleted or changed since the index listed them): a short page, resumed from here.
        if (whole && !read.has(listed.id)) return { entries, stop: 'spent', position };
        const item = whole ? whole.get(listed.id) : listed;
        if (!item || (whole && !matches(item))) {
          position = key;
          continue;
        }
        if (entries.length === limit) return { entries, stop: 'full' };
        const bytes = Buffer.byteLength(JSON.stringify(item));
        if (entries.length > 0 && answerBytes + bytes > budget.answerBytes) return { entries, stop: 'full' };
        entries.push({ item, key, bytes });
        answerBytes += bytes;
        position = key;
      }
      start = res.LastEvaluatedKey;
      if (start && res.Items?.length === 0 && start[index.sortKey] !== undefined) position = String(start[index.sortKey]);
    } while (start);
    return { entries, stop: 'end' };
  }
}
