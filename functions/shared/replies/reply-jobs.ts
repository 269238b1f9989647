/** Handing a reply's next attempt to the reply queue, and reading the queue's messages back. */
import { SOURCES } from '../../../schemas/feedback.ts';
import type { DeliveryUpdate } from '../channels/channel.ts';
import { MAX_REPLY_DELAY_SECONDS, type ReplyJob, type ReplyQueue, type ReplyQueueMessage } from '../ports/reply-queue.ts';

/**
 * Queues the job for an attempt at `at`: delivered then, or after the longest delay a message may carry
 * (the attempt is not due on arrival, so that delivery re-queues it for the rest).
 */
export async function enqueueRetry(queue: ReplyQueue, job: ReplyJob, at: string, now: Date): Promise<void> {
  const seconds = Math.ceil((Date.parse(at) - now.getTime()) / 1000);
  await queue.enqueue(job, Math.min(MAX_REPLY_DELAY_SECONDS, Math.max(0, seconds)));
}

const ID = /^(fb|rp)_[a-z0-9]{1,64}$/;

const STATUSES = new Set(['sent', 'delivered', 'read', 'failed']);

/** The work in a queue message body (a send attempt or a delivery report), or undefined when it is neither (dropped, never retried). */
export function parseReplyQueueMessage(body: string): ReplyQueueMessage | undefined {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  if (value.kind === 'delivery') {
    const u = value.update as Partial<DeliveryUpdate> | undefined;
    const ok = u && typeof u === 'object' && (SOURCES as readonly unknown[]).includes(u.source) && STATUSES.has(String(u.status)) && typeof u.at === 'string';
    return ok ? { kind: 'delivery', update: u as DeliveryUpdate } : undefined;
  }
  const { feedbackId, replyId } = value;
  if (typeof feedbackId === 'string' && typeof replyId === 'string' && ID.test(feedbackId) && ID.test(replyId)) return { kind: 'send', feedbackId, replyId };
  return undefined;
}
