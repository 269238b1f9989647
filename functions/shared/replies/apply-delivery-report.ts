/**
 * Applying a platform's delivery report to the replies it covers (the reply function, from the replies
 * queue). A report naming a message is applied to the reply found by the platform's message id through
 * the sent-reply index; a Messenger or Instagram receipt naming only a *watermark* (every message sent to
 * the customer before it is delivered, or read) is applied to each reply sent in that conversation at
 * or before the watermark. Either way the reply only moves forward (reply-lifecycle.ts
 * `applyStatusReport`: repeats, overlapping watermarks and reports out of order change nothing), with
 * `Reply.Delivered` or `Reply.Failed` published once. A report naming a message Redress did not send
 * (another tool on the same number or Page) is dropped.
 */
import type { DeliveryUpdate } from '../channels/channel.ts';
import { flushOutbox, outboxOf, type OutboxDeps } from '../pipeline/outbox.ts';
import { VersionConflictError, type FeedbackRepository } from '../ports/feedback-repository.ts';
import { WATERMARK_SOURCES, type SentReplyIndex, type SentReplyRef } from '../ports/sent-reply-index.ts';
import type { Logger } from '../logger.ts';
import { applyStatusReport, commitEffects } from './reply-lifecycle.ts';

export interface DeliveryReportDeps extends OutboxDeps {
  repository: Pick<FeedbackRepository, 'get' | 'replace' | 'completeOutbox'>;
  sentReplies: Pick<SentReplyIndex, 'find' | 'sentBefore'>;
  logger: Logger;
}

const MAX_WRITES = 6;
/** The latest replies of a conversation a watermark is applied to (earlier ones were covered by earlier receipts). */
export const WATERMARK_REPLIES = 20;

type Applied = 'applied' | 'unchanged' | 'unknown';

/** Applies one report; resolves what became of it. Throws only when the store or the bus fails (the queue retries). */
export async function applyDeliveryReport(deps: DeliveryReportDeps, update: DeliveryUpdate): Promise<Applied> {
  if (update.platformMessageId) {
    const ref = await deps.sentReplies.find(update.source, update.platformMessageId);
    return ref ? applyToReply(deps, ref, update) : 'unknown';
  }
  if (!update.watermark || !update.recipientId || !update.accountId || !WATERMARK_SOURCES.includes(update.source)) return 'unknown';
  const refs = await deps.sentReplies.sentBefore({ source: update.source, accountId: update.accountId, customerId: update.recipientId }, update.watermark, WATERMARK_REPLIES);
  let result: Applied = 'unknown';
  for (const ref of refs) {
    const one = await applyToReply(deps, ref, update);
    if (one === 'applied' || (one === 'unchanged' && result === 'unknown')) result = one;
  }
  return result;
}

async function applyToReply(deps: DeliveryReportDeps, ref: SentReplyRef, update: DeliveryUpdate): Promise<Applied> {
  for (let attempt = 1; ; attempt++) {
    const stored = await deps.repository.get(ref.feedbackId);
    if (!stored) return 'unknown';
    const effects = applyStatusReport(stored.item, ref.replyId, { status: update.status, at: update.at, ...(update.error ? { error: update.error } : {}) });
    if (!effects) return 'unchanged';
    const committed = commitEffects(effects, update.at);
    try {
      const written = await deps.repository.replace(committed.item, stored.item.version, { ...stored.outbox, ...outboxOf(committed.outbox) });
      await flushOutbox(written, deps).catch((err: unknown) => deps.logger.warn('outbox not flushed', { feedbackId: ref.feedbackId, message: err instanceof Error ? err.message : String(err) }));
      return 'applied';
    } catch (err) {
      if (!(err instanceof VersionConflictError) || attempt >= MAX_WRITES) throw err;
    }
  }
}
