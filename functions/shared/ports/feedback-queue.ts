/** Port: the durable queue between ingest and processing (SQS in AWS, a journaled local queue on one machine). */
import type { FeedbackMessage } from '../../../schemas/feedback.ts';

export interface FeedbackQueue {
  /** Durably enqueues the messages; resolves only once every one of them is stored. Throws otherwise. */
  send(messages: FeedbackMessage[]): Promise<void>;
}
