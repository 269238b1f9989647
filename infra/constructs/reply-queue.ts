/**
 * The replies queue: one message per attempt at sending one reply (functions/reply/handler.ts). Retries
 * are new messages with DelaySeconds (up to 15 min each) that the handler queues itself, so a reply can be
 * retried for 24 h without using up receives; the redrive policy is only the backstop for deliveries the
 * function could not finish (it crashed or timed out every time), which land in the dead-letter queue.
 */
import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface ReplyQueueProps {
  /** The consumer's timeout: the visibility timeout is six times it (AWS's guidance for Lambda consumers). */
  consumerTimeout: Duration;
}

/** Receives after which SQS moves a reply job to the dead-letter queue (the item's outbox still holds the reply). */
export const REPLY_MAX_RECEIVES = 5;

export class ReplyQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: ReplyQueueProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.queue = new Queue(this, 'Queue', {
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: REPLY_MAX_RECEIVES },
    });
  }
}
