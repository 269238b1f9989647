/**
 * DeadLetterQueue on SQS: SendMessageBatch in chunks of ten, the original body with the reason as
 * message attributes (IAM: sqs:SendMessage on the dead-letter queue). Any failed entry fails the call,
 * and the processor then keeps the message on the feedback queue: a letter may be stored twice, never lost.
 */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { deadLetterAttributes, type DeadLetter, type DeadLetterQueue } from '../../ports/dead-letter-queue.ts';

export class SqsDeadLetterQueue implements DeadLetterQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(letters: DeadLetter[]): Promise<void> {
    for (let i = 0; i < letters.length; i += 10) {
      const chunk = letters.slice(i, i + 10);
      const res = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: chunk.map((letter, j) => ({
            Id: String(j),
            MessageBody: letter.body,
            MessageAttributes: Object.fromEntries(Object.entries(deadLetterAttributes(letter)).map(([k, v]) => [k, { DataType: 'String', StringValue: v }])),
          })),
        }),
      );
      if (res.Failed && res.Failed.length > 0) {
        throw new Error(`SQS rejected ${res.Failed.length} of ${chunk.length} dead letters (${res.Failed[0]?.Code ?? 'unknown'})`);
      }
    }
  }
}
