/** ReplyQueue on SQS: one SendMessage per job, with DelaySeconds for the attempt's time. */
import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeliveryUpdate } from '../../channels/channel.ts';
import { MAX_REPLY_DELAY_SECONDS, type DeliveryReportQueue, type ReplyJob, type ReplyQueue } from '../../ports/reply-queue.ts';

export class SqsReplyQueue implements ReplyQueue, DeliveryReportQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(job: ReplyJob, delaySeconds: number): Promise<void> {
    const DelaySeconds = Math.min(MAX_REPLY_DELAY_SECONDS, Math.max(0, Math.round(delaySeconds)));
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(job), DelaySeconds }));
  }

  /** SendMessageBatch in chunks of ten; any failed entry fails the whole report (the platform redelivers). */
  async report(updates: DeliveryUpdate[]): Promise<void> {
    for (let i = 0; i < updates.length; i += 10) {
      const chunk = updates.slice(i, i + 10);
      const res = await this.sqs.send(
        new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: chunk.map((update, j) => ({ Id: String(j), MessageBody: JSON.stringify({ kind: 'delivery', update }) })) }),
      );
      if (res.Failed?.length) throw new Error(`SQS rejected ${res.Failed.length} of ${chunk.length} delivery reports (${res.Failed[0]?.Code ?? 'unknown'})`);
    }
  }
}
