/** Port: the queue of reply sends to carry out (SQS `replies` in AWS, a journaled local queue on one machine). */

/** One reply's send, by reference: the item's outbox holds the reply itself. */
export interface ReplyJob {
  feedbackId: string;
  replyId: string;
}

/** The longest delay one message can carry (SQS DelaySeconds); a later attempt is re-queued on arrival. */
export const MAX_REPLY_DELAY_SECONDS = 900;

export interface ReplyQueue {
  /** Durably enqueues the job, delivered after `delaySeconds` (0 to 900). Throws when it could not be stored. */
  enqueue(job: ReplyJob, delaySeconds: number): Promise<void>;
}
