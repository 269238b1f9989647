/**
 * Carrying out one reply's send: claim it (a conditional write only one carrier wins), send it through
 * the ReplySender, record the outcome (sent, failed, or the next attempt), and publish what that owes.
 * Used by the admin request (the first attempt, right after the reply is accepted), the reply queue's
 * consumer (retries, and the first attempt when the admin request could not make it) and the sweeper.
 *
 * Duplicates: a claim bumps the item's version and the attempt count and holds a lease longer than one
 * platform call, so concurrent carriers never both send. The admin request claims in the write that
 * queues the reply and passes that claim in (`held`): no claim write of its own. The one case that can send twice is a crash
 * (or a lost answer) after the platform took the reply and before `sent` was recorded: when the lease
 * ends, the next attempt sends again. Standard Webhooks receivers drop it by `webhook-id` (the reply id);
 * the social platforms and Twilio have no idempotency key for a send, so the customer may see it twice.
 */
import type { FeedbackItem } from '../../../schemas/feedback.ts';
import { flushOutbox, outboxOf, type OutboxDeps } from '../pipeline/outbox.ts';
import { VersionConflictError, type FeedbackRepository, type OutboxEntry, type PendingReply, type StoredFeedback } from '../ports/feedback-repository.ts';
import type { ReplySender, SendOutcome } from '../ports/reply-sender.ts';
import { WATERMARK_SOURCES, type SentReplyIndex } from '../ports/sent-reply-index.ts';
import { outboundReplyFor } from '../channels/reply-router.ts';
import type { Logger } from '../logger.ts';
import { DEFAULT_LEASE_MS, claimReply, commitEffects, expiredReply, recordOutcome, supersededRatingRequest, replyOutboxKey, type OutcomeDecision } from './reply-lifecycle.ts';

export interface CarryOutDeps extends OutboxDeps {
  repository: Pick<FeedbackRepository, 'get' | 'replace' | 'completeOutbox'>;
  sender: ReplySender;
  /** Where a sent reply's platform message id (and, for watermark receipts, its conversation) is remembered, for the delivery reports that name it. */
  sentReplies?: Pick<SentReplyIndex, 'remember' | 'rememberSent'>;
  logger: Logger;
  now?: () => Date;
  leaseMs?: number;
}

/** What became of the attempt: finished (sent or failed, or nothing to do), or try again at a time. */
export type CarryOutResult = { state: 'done'; status?: 'sent' | 'failed' } | { state: 'later'; at: string };

/** A write lost to another writer is decided again on the fresh item, a few times. */
const MAX_WRITES = 6;

/**
 * Makes one attempt at sending the reply `replyId` of item `feedbackId`, if it is due and nobody holds
 * it. Throws only when the store or the bus fails (the caller's retry repeats it safely).
 */
export async function carryOutReply(deps: CarryOutDeps, feedbackId: string, replyId: string, held?: HeldClaim): Promise<CarryOutResult> {
  const now = deps.now ?? (() => new Date());
  // A caller whose own write claimed the send (the admin request, claimInOutbox) holds it already.
  const claimed: Claimed = held ? { state: 'claimed', ...held } : await claim(deps, feedbackId, replyId, now);
  if (claimed.state !== 'claimed') return claimed.result;
  const { stored, pending } = claimed;
  // Before the platform's own time for the message: a watermark at that time then covers it.
  const sendingAt = now().toISOString();
  const outbound = outboundReplyFor(stored.item, { replyId, message: pending.message, mode: pending.mode, createdAt: pending.createdAt, purpose: stored.item.replies?.find((r) => r.id === replyId)?.purpose ?? 'response' });
  const outcome: SendOutcome = await deps.sender.send(outbound);
  deps.logger.info('reply attempt', { feedbackId, replyId, attempt: pending.attempts, outcome: outcome.status, ...(outcome.status !== 'sent' ? { code: outcome.code } : {}) });
  // The pointer first: a report can only name a message the platform took, and it may come quickly.
  if (outcome.status === 'sent' && outcome.platformMessageId && deps.sentReplies) {
    await deps.sentReplies.remember(stored.item.source, outcome.platformMessageId, { feedbackId, replyId });
  }
  // Messenger and Instagram receipts may name only a watermark: the reply is found by its conversation and time.
  const { customerId, accountId } = outbound.recipient;
  if (outcome.status === 'sent' && deps.sentReplies && WATERMARK_SOURCES.includes(stored.item.source) && customerId && accountId) {
    await deps.sentReplies.rememberSent({ source: stored.item.source, accountId, customerId }, sendingAt, { feedbackId, replyId });
  }
  return record(deps, feedbackId, pending, (item) => recordOutcome(item, pending, outcome, now()));
}

/** A claim made in the caller's own write: the item as written and the claimed entry (claimInOutbox). */
export interface HeldClaim {
  stored: StoredFeedback;
  pending: PendingReply;
}

type Claimed = ({ state: 'claimed' } & HeldClaim) | { state: 'not'; result: CarryOutResult };

async function claim(deps: CarryOutDeps, feedbackId: string, replyId: string, now: () => Date): Promise<Claimed> {
  for (let attempt = 1; attempt <= MAX_WRITES; attempt++) {
    const stored = await deps.repository.get(feedbackId);
    if (!stored) return { state: 'not', result: { state: 'done' } };
    const entry = stored.outbox[replyOutboxKey(replyId)];
    // Past its deadline before it could be tried again (a late redelivery, the sweeper): failed with the last error.
    if (entry?.kind === 'sendReply') {
      const expired = expiredReply(stored.item, entry.reply, now()) ?? supersededRatingRequest(stored.item, entry.reply, now());
      if (expired) return { state: 'not', result: await record(deps, feedbackId, entry.reply, () => expired) };
    }
    const decision = claimReply(stored.outbox, replyId, now(), deps.leaseMs ?? DEFAULT_LEASE_MS);
    if (decision.kind === 'nothing') return { state: 'not', result: { state: 'done' } };
    if (decision.kind === 'later') return { state: 'not', result: { state: 'later', at: decision.at } };
    const item: FeedbackItem = { ...stored.item, version: stored.item.version + 1 };
    const outbox = { ...stored.outbox, [replyOutboxKey(replyId)]: { kind: 'sendReply', reply: decision.pending } as OutboxEntry };
    try {
      return { state: 'claimed', stored: await deps.repository.replace(item, stored.item.version, outbox), pending: decision.pending };
    } catch (err) {
      if (!(err instanceof VersionConflictError)) throw err;
    }
  }
  return { state: 'not', result: { state: 'later', at: new Date(now().getTime() + 1_000).toISOString() } };
}

/** Writes the outcome on the fresh item (again after a lost race) and carries out what it owes. */
async function record(deps: CarryOutDeps, feedbackId: string, pending: PendingReply, decide: (item: FeedbackItem) => OutcomeDecision): Promise<CarryOutResult> {
  for (let attempt = 1; ; attempt++) {
    const stored = await deps.repository.get(feedbackId);
    if (!stored) return { state: 'done' };
    const key = replyOutboxKey(pending.replyId);
    // Another carrier recorded this send already (our lease had run out): recording it again would repeat its events.
    if (!stored.outbox[key]) return { state: 'done' };
    const decision = decide(stored.item);
    let item: FeedbackItem;
    let outbox: Record<string, OutboxEntry>;
    if (decision.kind === 'retry') {
      item = { ...stored.item, version: stored.item.version + 1 };
      outbox = { ...stored.outbox, [key]: { kind: 'sendReply', reply: decision.pending } };
    } else {
      const committed = commitEffects(decision.effects, (deps.now ?? (() => new Date()))().toISOString());
      item = committed.item;
      const { [key]: _done, ...rest } = stored.outbox;
      outbox = { ...rest, ...outboxOf(committed.outbox) };
    }
    let written: StoredFeedback;
    try {
      written = await deps.repository.replace(item, stored.item.version, outbox);
    } catch (err) {
      if (!(err instanceof VersionConflictError) || attempt >= MAX_WRITES) throw err;
      continue;
    }
    try {
      await flushOutbox({ ...written, outbox: withoutTimerStarts(written.outbox) }, deps);
    } catch (err) {
      deps.logger.warn('outbox not flushed', { feedbackId, message: err instanceof Error ? err.message : String(err) });
    }
    if (decision.kind === 'retry') return { state: 'later', at: decision.at };
    const status = written.item.replies?.find((r) => r.id === pending.replyId)?.status;
    return { state: 'done', status: status === 'failed' ? 'failed' : 'sent' };
  }
}

/**
 * What a reply's carrier carries out of the item's outbox: its events and timer stops, and any others the
 * item still owes (a crash's leftovers), but never a timer start. Starting clocks belongs to the functions
 * that open and reopen complaints (and the sweeper); the reply function holds no grant for it, so a start
 * it would meet (one the process function is carrying out at that moment) stays with them.
 */
function withoutTimerStarts(outbox: Record<string, OutboxEntry>): Record<string, OutboxEntry> {
  return Object.fromEntries(Object.entries(outbox).filter(([, entry]) => entry.kind !== 'startTimer'));
}
