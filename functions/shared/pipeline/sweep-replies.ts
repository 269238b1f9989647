/**
 * The sweeper's reply backstop: a reply is written to the item's outbox in the same conditional write
 * that accepts it, and its queue message is sent after. When that send failed (or the carrier crashed
 * holding a claim, or a successor message was lost), nothing would carry the reply out; the RepliesDue
 * index lists exactly the items owing a send whose next attempt is overdue, and each such reply is
 * queued again on the replies queue.
 *
 * Never a second send: the reply function claims before it sends (reply-lifecycle.ts `claimReply`), so
 * a re-queued reply that is already sent, failed, or held by a live carrier is acknowledged without a
 * send. At worst a reply whose own message is merely late gets a second message that changes nothing.
 */
import { replyDueAt, type FeedbackRepository } from '../ports/feedback-repository.ts';
import type { RepliesDueIndex } from '../ports/replies-due.ts';
import type { ReplyQueue } from '../ports/reply-queue.ts';
import { SWEEP_GRACE_MS } from './sweep.ts';

export interface SweepRepliesDeps {
  repository: Pick<FeedbackRepository, 'get'>;
  repliesDue: RepliesDueIndex;
  replyQueue: ReplyQueue;
  now?: () => Date;
}

export interface SweepRepliesResult {
  /** Items the index listed as overdue. */
  examined: number;
  /** Reply jobs queued again. */
  requeued: number;
}

/**
 * One sweep over replies whose next attempt is overdue by more than `graceMs` (the queue had its chance:
 * a message due then would have been delivered). Each is queued for delivery at once.
 */
export async function sweepReplies(deps: SweepRepliesDeps, graceMs = SWEEP_GRACE_MS, limit = 500): Promise<SweepRepliesResult> {
  const now = deps.now?.() ?? new Date();
  const before = new Date(now.getTime() - graceMs).toISOString();
  const ids = await deps.repliesDue.due(before, limit);
  let requeued = 0;
  for (const id of ids) {
    const stored = await deps.repository.get(id);
    if (!stored) continue;
    for (const entry of Object.values(stored.outbox)) {
      // The index lists an item by its soonest reply: another of its replies may not be due yet.
      if (entry.kind !== 'sendReply' || replyDueAt(entry.reply) >= before) continue;
      await deps.replyQueue.enqueue({ feedbackId: id, replyId: entry.reply.replyId }, 0);
      requeued++;
    }
  }
  return { examined: ids.length, requeued };
}
