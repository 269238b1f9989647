/** Port: where feedback items live (DynamoDB in AWS, dynalite on one machine). Single-item writes only. */
import type { FeedbackItem, TimelineEntry } from '../../../schemas/feedback.ts';
import type { TimerRef, TimerStart } from './clock-timer.ts';
import type { DomainEvent } from './event-bus.ts';
import type { ReplyMode } from './reply-sender.ts';

/**
 * Work an item still owes after a state change: events to publish, clock timers to start or stop.
 * It is written in the same conditional write as the change itself (a transactional outbox on one
 * item), carried out right after, and removed once done, so a crash in between is repaired by a retry
 * or the sweeper, never lost. Entry ids are deterministic, so doing an entry twice is harmless.
 */
export type OutboxEntry =
  | { kind: 'event'; event: DomainEvent }
  | { kind: 'startTimer'; timer: TimerStart }
  | { kind: 'stopTimer'; timer: TimerRef }
  | { kind: 'sendReply'; reply: PendingReply };

/**
 * A reply still to be sent (functions/shared/replies/reply-lifecycle.ts). It stays in the outbox until
 * the platform took it or it failed for good; `attempts` and `leaseUntil` make each attempt a claim only
 * one carrier can win. The message is the handler's text as written (the platform gets it unmasked);
 * it leaves the item with the entry.
 */
export interface PendingReply {
  replyId: string;
  message: string;
  mode: ReplyMode;
  createdAt: string;
  /** Retries stop here (24 h after `createdAt`, or the platform's window closing, whichever is first). */
  giveUpAt: string;
  /** Attempts claimed so far. */
  attempts: number;
  nextAttemptAt: string;
  /** Set by a claim: nobody else may attempt before this. */
  leaseUntil?: string;
  lastError?: { code: string; message: string };
}

/** When a pending reply's next attempt may start: its next attempt time, or the end of a claim's lease if later. */
export function replyDueAt(reply: Pick<PendingReply, 'nextAttemptAt' | 'leaseUntil'>): string {
  return reply.leaseUntil && reply.leaseUntil > reply.nextAttemptAt ? reply.leaseUntil : reply.nextAttemptAt;
}

/** The outbox key of an entry: the event id, or `start:<clock>` / `stop:<clock>`. */
export function outboxKey(entry: OutboxEntry): string {
  switch (entry.kind) {
    case 'event':
      return entry.event.id;
    case 'startTimer':
      return `start:${entry.timer.clock}:${entry.timer.dueAt}:${entry.timer.generation ?? 0}`;
    case 'stopTimer':
      return `stop:${entry.timer.clock}:${entry.timer.dueAt}:${entry.timer.generation ?? 0}`;
    case 'sendReply':
      return `reply:${entry.reply.replyId}`;
  }
}

/** A stored item plus the work it still owes. */
export interface StoredFeedback {
  item: FeedbackItem;
  outbox: Record<string, OutboxEntry>;
}

/** The stored version is not the one the caller read: someone else changed the item first. */
export class VersionConflictError extends Error {
  override name = 'VersionConflictError';
  constructor(
    readonly id: string,
    readonly expectedVersion: number,
  ) {
    super(`item ${id} is no longer at version ${expectedVersion}`);
  }
}

export interface FeedbackRepository {
  /**
   * Records that a delivery of this id was acknowledged. Resolves true the first time, false for a
   * redelivery (the answer's `duplicate` flag). One conditional put.
   */
  recordReceipt(id: string, receivedAt: string): Promise<boolean>;
  /** Writes a new item with its outbox in one conditional put; if the id exists, returns the stored one instead. */
  createIfAbsent(item: FeedbackItem, outbox: OutboxEntry[]): Promise<{ created: boolean; stored: StoredFeedback }>;
  /**
   * Replaces the item if the stored version is `expectedVersion` (one conditional put), with `outbox`
   * as its complete outbox (carry over what is still owed). Throws VersionConflictError otherwise.
   */
  replace(item: FeedbackItem, expectedVersion: number, outbox: Record<string, OutboxEntry>): Promise<StoredFeedback>;
  /**
   * Appends one timeline entry and adds 1 to `version`, in one update that leaves everything else as it
   * is, so appends racing each other (notes) never conflict. It is conditional only on the stored
   * version being at most `maxVersion` (the caller bounds how many writes may have landed since it
   * measured the item); otherwise, or when the item does not exist, VersionConflictError. Resolves the
   * item as stored after the append.
   */
  appendTimeline(id: string, entry: TimelineEntry, maxVersion: number): Promise<StoredFeedback>;
  /** Removes outbox entries that are done (one update; entries added meanwhile stay). */
  completeOutbox(id: string, keys: string[]): Promise<void>;
  /** Reads one item (strongly consistent), or undefined. */
  get(id: string): Promise<StoredFeedback | undefined>;
}
