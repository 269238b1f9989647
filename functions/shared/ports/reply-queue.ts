/**
 * Port: the replies queue (SQS `replies` in AWS, a journaled local queue on one machine). It carries two
 * kinds of work for the reply function: attempts at sending a reply, and platforms' delivery reports
 * (WhatsApp `statuses`, Messenger receipts, Twilio `MessageStatus`) to apply to the replies they name.
 */
import type { DeliveryUpdate } from '../channels/channel.ts';

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

/** Where ingest hands the delivery reports it finds (the replies queue). */
export interface DeliveryReportQueue {
  /** Durably enqueues every report (one message each); throws when any could not be stored. */
  report(updates: DeliveryUpdate[]): Promise<void>;
}

/** A queue message: a send attempt, or a delivery report. */
export type ReplyQueueMessage = ({ kind?: 'send' } & ReplyJob) | { kind: 'delivery'; update: DeliveryUpdate };
