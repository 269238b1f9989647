/** Port: where feedback items live (DynamoDB in AWS, dynalite on one machine). Single-item writes only. */
import type { FeedbackItem } from '../../../schemas/feedback.ts';

/** Side effects an item still owes after it is written; each is marked done once it happened. */
export type Effect = 'received' | 'opened' | 'clocks';

/** A stored item plus the bookkeeping the pipeline needs to finish what a crash interrupted. */
export interface StoredFeedback {
  item: FeedbackItem;
  /** Effects already completed (events published, clocks started). */
  effectsDone: Effect[];
}

export interface FeedbackRepository {
  /**
   * Records that a delivery of this id was acknowledged. Resolves true the first time, false for a
   * redelivery (the answer's `duplicate` flag). One conditional put.
   */
  recordReceipt(id: string, receivedAt: string): Promise<boolean>;
  /** Writes a new item with one conditional put; if the id exists already, returns the stored one instead. */
  createIfAbsent(item: FeedbackItem, effectsPending: Effect[]): Promise<{ created: boolean; stored: StoredFeedback }>;
  /** Marks effects as done (one update). */
  markEffectsDone(id: string, effects: Effect[]): Promise<void>;
  /** Reads one item (strongly consistent), or undefined. */
  get(id: string): Promise<StoredFeedback | undefined>;
}
