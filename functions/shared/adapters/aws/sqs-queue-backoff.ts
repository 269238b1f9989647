/** QueueBackoff on SQS: ChangeMessageVisibilityBatch in chunks of ten (IAM: sqs:ChangeMessageVisibility). */
import { ChangeMessageVisibilityBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { PostponedMessage, QueueBackoff } from '../../ports/queue-backoff.ts';

export class SqsQueueBackoff implements QueueBackoff {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async postpone(messages: PostponedMessage[]): Promise<string[]> {
    const failed: string[] = [];
    for (let i = 0; i < messages.length; i += 10) {
      const chunk = messages.slice(i, i + 10);
      try {
        const res = await this.sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: this.queueUrl,
            Entries: chunk.map((m, j) => ({ Id: String(j), ReceiptHandle: m.receiptHandle, VisibilityTimeout: Math.round(m.delaySeconds) })),
          }),
        );
        for (const f of res.Failed ?? []) failed.push(chunk[Number(f.Id)]?.receiptHandle ?? '');
      } catch {
        // SQS itself failing: these messages come back after the queue's visibility timeout instead.
        failed.push(...chunk.map((m) => m.receiptHandle));
      }
    }
    return failed.filter(Boolean);
  }
}
