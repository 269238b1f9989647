/**
 * The replies queue: one message per attempt at sending one reply (functions/reply/handler.ts). Retries
 * are new messages with DelaySeconds (up to 15 min each) that the handler queues itself, so a reply can be
 * retried for 24 h without using up receives; the redrive policy is only the backstop for deliveries the
 * function could not finish (it crashed or timed out every time), which land in the dead-letter queue.
 */
import { Duration } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { queueProtection } from './queue-protection.ts';

export interface ReplyQueueProps {
  /** The consumer's timeout: the visibility timeout is six times it (AWS's guidance for Lambda consumers). */
  consumerTimeout: Duration;
  /** The stage's data key: both queues are encrypted with it (SQS-managed encryption without one). */
  encryptionKey?: IKey;
  /** Keep the queues when the stack is deleted. */
  retain?: boolean;
}

/** Receives after which SQS moves a reply job to the dead-letter queue (the item's outbox still holds the reply). */
export const REPLY_MAX_RECEIVES = 5;

export class ReplyQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: ReplyQueueProps) {
    super(scope, id);
    const protection = queueProtection(props.encryptionKey, props.retain);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      retentionPeriod: Duration.days(14),
      ...protection,
    });
    this.queue = new Queue(this, 'Queue', {
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      ...protection,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: REPLY_MAX_RECEIVES },
    });
  }
}
