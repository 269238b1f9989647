/**
 * The feedback queue between ingest and processing, with its dead-letter queue.
 *
 * Who dead-letters: the process function itself, for a message that can never succeed (at once) or
 * that has failed its last attempt, with the reason as message attributes (functions/process/handler.ts).
 * Between attempts it hides a failed message for a growing delay (ChangeMessageVisibility), so a
 * dependency's outage spreads its receives out instead of using them up (functions/shared/pipeline/
 * retry-policy.ts: 30 s doubling to 15 min, 16 attempts ≈ 2 h 45 min). The queue's redrive policy is the
 * backstop, a few receives beyond the attempts, for receives whose failure the function could not
 * report (it crashed or timed out every time); such messages arrive in the DLQ without a reason.
 */
import { Duration } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { redriveMaxReceiveCount, type RetryPolicy } from '../../functions/shared/pipeline/retry-policy.ts';
import { queueProtection } from './queue-protection.ts';

export interface FeedbackQueueProps {
  /** The consumer's timeout: the visibility timeout is six times it (AWS's guidance for Lambda consumers). */
  consumerTimeout: Duration;
  /** The process function's retry policy: the redrive policy's maxReceiveCount follows its attempts. */
  retryPolicy: RetryPolicy;
  /** The stage's data key: both queues are encrypted with it (SQS-managed encryption without one). */
  encryptionKey?: IKey;
  /** Keep the queues (and what waits on them) when the stack is deleted. */
  retain?: boolean;
}

export class FeedbackQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  /** Receives after which SQS itself moves a message to the dead-letter queue (the backstop). */
  readonly maxReceiveCount: number;

  constructor(scope: Construct, id: string, props: FeedbackQueueProps) {
    super(scope, id);
    this.maxReceiveCount = redriveMaxReceiveCount(props.retryPolicy);
    const protection = queueProtection(props.encryptionKey, props.retain);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      retentionPeriod: Duration.days(14),
      ...protection,
    });
    this.queue = new Queue(this, 'Queue', {
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(14),
      ...protection,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: this.maxReceiveCount },
    });
  }

  /**
   * What the consumer needs beyond the event source mapping's own grant: ChangeMessageVisibility on the
   * queue (its backoff; also in the mapping's grant, stated here because the handler calls it itself)
   * and SendMessage on the dead-letter queue (its dead letters), nothing else.
   */
  grantBackoffAndDeadLetters(consumer: IGrantable): void {
    consumer.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['sqs:ChangeMessageVisibility'], resources: [this.queue.queueArn] }));
    consumer.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }));
  }
}
