/** FeedbackQueue on SQS: SendMessageBatch in chunks of ten; any failed entry fails the whole send. */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { FeedbackMessage } from '../../../../schemas/feedback.ts';
import type { FeedbackQueue } from '../../ports/feedback-queue.ts';

export class SqsFeedbackQueue implements FeedbackQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(messages: FeedbackMessage[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      const chunk = messages.slice(i, i + 10);
      const res = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: chunk.map((m, j) => ({ Id: String(j), MessageBody: JSON.stringify(m) })),
        }),
      );
      if (res.Failed && res.Failed.length > 0) {
        throw new Error(`SQS rejected ${res.Failed.length} of ${chunk.length} messages (${res.Failed[0]?.Code ?? 'unknown'})`);
      }
    }
  }
}
