/**
 * Port: the admin API's reads over many items, all through the table's GSIs (never a scan).
 * Pages are key-based: `lastKey` is a position in the index (the sort key of the last item read), and
 * the next page starts strictly after it, so concurrent inserts and updates elsewhere never shift a page.
 * Each request reads a bounded amount: a page may come back short, even empty, with a `lastKey`.
 */
import type { FeedbackItem } from '../../../schemas/feedback.ts';

export interface Page {
  items: FeedbackItem[];
  /**
   * Where the next page starts (strictly after): the sort key of the last item returned, or of the last
   * item read when the request's read budget ran out before the page filled, or (day walks) a day
   * `YYYY-MM-DD` to start from. Absent when the walk reached its end.
   */
  lastKey?: string;
}

export interface QueueRequest {
  /** Only complaints assigned to this user (the OpenByAssignee index); otherwise the whole open queue (OpenByDue). */
  assignee?: string;
  /** Resume strictly after this position (a previous page's `lastKey`). */
  after?: string;
  limit: number;
  /** Filters the index cannot express (status, category, breached…); applied in key order. */
  matches: (item: FeedbackItem) => boolean;
  /**
   * When `matches` reads more than the list indexes project (LIST_ATTRIBUTES of table-design.ts: the
   * `breached` filter reads the clocks), a filter on the projected attributes alone that keeps every item
   * `matches` keeps: the index is read through it, and `matches` then decides on the whole items.
   * Absent: `matches` reads only projected attributes.
   */
  prefilter?: (item: FeedbackItem) => boolean;
}

export interface TriageRequest {
  /** Resume strictly after this position (a previous page's `lastKey`). */
  after?: string;
  limit: number;
  /** Filters the index cannot express (the triage reason); applied in key order. */
  matches: (item: FeedbackItem) => boolean;
}

export interface DayRangeRequest {
  /** Receipt window [from, to), ISO 8601 UTC with milliseconds. */
  from: string;
  to: string;
  after?: string;
  limit: number;
  matches: (item: FeedbackItem) => boolean;
  /**
   * When `matches` reads more than the list indexes project (LIST_ATTRIBUTES of table-design.ts: the
   * `breached` filter reads the clocks), a filter on the projected attributes alone that keeps every item
   * `matches` keeps: the index is read through it, and `matches` then decides on the whole items.
   * Absent: `matches` reads only projected attributes.
   */
  prefilter?: (item: FeedbackItem) => boolean;
}

export interface AdminQueries {
  /** Open (unresolved) complaints, soonest due first, then those without a running clock, newest first. */
  openQueue(request: QueueRequest): Promise<Page>;
  /** Items waiting in triage, soonest due first (the sparse TriageByDue index). */
  triageQueue(request: TriageRequest): Promise<Page>;
  /** Every feedback item received in the window, oldest first (FeedbackByDay, one partition per UTC day). */
  byDay(request: DayRangeRequest): Promise<Page>;
  /** Every item received in the window with only `attributes` read (for metrics). Order is not defined. */
  projectDays(window: { from: string; to: string }, attributes: readonly string[]): Promise<Array<Partial<FeedbackItem>>>;
}

/** The UTC days (`YYYY-MM-DD`) that intersect [from, to). */
export function utcDaysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  const end = Date.parse(to);
  for (let d = Date.UTC(new Date(from).getUTCFullYear(), new Date(from).getUTCMonth(), new Date(from).getUTCDate()); d < end; d += 86_400_000) {
    days.push(new Date(d).toISOString().slice(0, 10));
  }
  return days;
}
