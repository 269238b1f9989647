/**
 * Port: the reads behind customers across channels, all through the table's GSIs (never a scan):
 * a customer's history (CustomerHistory, newest first), its counts, and the keyed complaints the
 * repeat-complaint rate reads (ComplaintsByDay).
 */
import type { FeedbackItem } from '../../../schemas/feedback.ts';
import type { Page } from './admin-queries.ts';

export interface CustomerHistoryRequest {
  /** Every key of the customer (the key asked for and the keys linked to it). */
  keys: readonly string[];
  /** Resume strictly before this position (`<receivedAt>#<id>`, a previous page's `lastKey`). */
  before?: string;
  limit: number;
  /**
   * Answer the items as the index projects them (what the lists filter on: LIST_ATTRIBUTES of
   * table-design.ts, and `customerKey`), not whole: for a caller that filters many and shows few, then
   * reads those whole with `wholeItems`.
   */
  projected?: boolean;
}

/** What customer counts read of an item (projected: no timelines). */
export type CustomerFactRecord = Pick<FeedbackItem, 'id' | 'kind' | 'receivedAt' | 'status'> & { customerKey?: string };

/** A complaint with a customer key, as the ComplaintsByDay index projects it. */
export interface KeyedComplaintRecord {
  id: string;
  receivedAt: string;
  customerKey: string;
}

export interface CustomerQueries {
  /**
   * A customer's items, newest first, over every key given (one CustomerHistory partition per key,
   * merged by receipt): `lastKey` is where the next page starts.
   */
  history(request: CustomerHistoryRequest): Promise<Page>;
  /** The whole items of projected ones, in the same order; an item deleted meanwhile is left out. */
  wholeItems(items: readonly FeedbackItem[]): Promise<FeedbackItem[]>;
  /**
   * The kind, status and receipt of the items of the given keys received at or after `since` (all when
   * absent), for counts; at most `max` per key, newest first (`truncated` says whether that cut anything).
   */
  facts(keys: readonly string[], options: { since?: string; max: number }): Promise<{ facts: CustomerFactRecord[]; truncated: boolean }>;
  /** Every complaint with a customer key received in the window (ComplaintsByDay, one partition per UTC day). */
  keyedComplaints(window: { from: string; to: string }): Promise<KeyedComplaintRecord[]>;
}
