/**
 * Applying a platform's delivery report to the reply it names (the reply function, from the replies
 * queue): found by the platform's message id through the sent-reply index, then moved forward only
 * (reply-lifecycle.ts `applyStatusReport`: repeats and out-of-order reports change nothing), with
 * `Reply.Delivered` or `Reply.Failed` published once. A report naming a message Redress did not send
 * (another tool on the same number), or only a watermark (Messenger receipts; not yet matched), is dropped.
 */
import type { DeliveryUpdate } from '../channels/channel.ts';
import { flushOutbox, outboxOf, type OutboxDeps } from '../pipeline/outbox.ts';
import { VersionConflictError, type FeedbackRepository } from '../ports/feedback-repository.ts';
import type { SentReplyIndex } from '../ports/sent-reply-index.ts';
import type { Logger } from '../logger.ts';
import { applyStatusReport, commitEffects } from './reply-lifecycle.ts';

export interface DeliveryReportDeps extends OutboxDeps {
  repository: Pick<FeedbackRepository, 'get' | 'replace' | 'completeOutbox'>;
  sentReplies: Pick<SentReplyIndex, 'find'>;
  logger: Logger;
}

const MAX_WRITES = 6;

/** Applies one report; resolves what became of it. Throws only when the store or the bus fails (the queue retries). */
export async function applyDeliveryReport(deps: DeliveryReportDeps, update: DeliveryUpdate): Promise<'applied' | 'unchanged' | 'unknown'> {
  if (!update.platformMessageId) return 'unknown';
  const ref = await deps.sentReplies.find(update.source, update.platformMessageId);
  if (!ref) return 'unknown';
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
