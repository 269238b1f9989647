/** ReplyQueue on SQS: one SendMessage per job, with DelaySeconds for the attempt's time. */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { MAX_REPLY_DELAY_SECONDS, type ReplyJob, type ReplyQueue } from '../../ports/reply-queue.ts';

export class SqsReplyQueue implements ReplyQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(job: ReplyJob, delaySeconds: number): Promise<void> {
    const DelaySeconds = Math.min(MAX_REPLY_DELAY_SECONDS, Math.max(0, Math.round(delaySeconds)));
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(job), DelaySeconds }));
  }
}
