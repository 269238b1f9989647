/** Handing a reply's next attempt to the reply queue, and reading the queue's messages back. */
import { MAX_REPLY_DELAY_SECONDS, type ReplyJob, type ReplyQueue } from '../ports/reply-queue.ts';

/**
 * Queues the job for an attempt at `at`: delivered then, or after the longest delay a message may carry
 * (the attempt is not due on arrival, so that delivery re-queues it for the rest).
 */
export async function enqueueRetry(queue: ReplyQueue, job: ReplyJob, at: string, now: Date): Promise<void> {
  const seconds = Math.ceil((Date.parse(at) - now.getTime()) / 1000);
  await queue.enqueue(job, Math.min(MAX_REPLY_DELAY_SECONDS, Math.max(0, seconds)));
}

const ID = /^(fb|rp)_[a-z0-9]{1,64}$/;

/** The job in a queue message body, or undefined when the body is not one (it is dropped, never retried). */
export function parseReplyJob(body: string): ReplyJob | undefined {
  try {
    const value = JSON.parse(body) as Partial<ReplyJob>;
    if (typeof value.feedbackId === 'string' && typeof value.replyId === 'string' && ID.test(value.feedbackId) && ID.test(value.replyId)) {
      return { feedbackId: value.feedbackId, replyId: value.replyId };
    }
  } catch {
    // not JSON: falls through
  }
  return undefined;
}
