/**
 * The dead-letter queue of every EventBridge rule target (the supervisors' and customer-notice topics,
 * the sweeper's schedule): an event EventBridge could not deliver after its retries lands here instead
 * of being dropped, and the `event-target-dlq-depth` alarm fires. Encrypted with the stage's data key;
 * the key policy lets EventBridge use it for this account's rules only.
 *
 * The queue is in the stateful stack and the rules in the stateless one. CDK would otherwise add one
 * queue-policy statement per rule naming the rule's ARN, which makes the stateful stack depend on the
 * stateless one (a cycle); so the stateless stack targets an imported reference (which adds nothing) and
 * the queue's own policy lets EventBridge deliver for the stage's rules by name: those on the stage's bus
 * (`rule/redress-<stage>/…`) and the stage's scheduled rules on the default bus (`rule/redress-<stage>-…`).
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export class EventTargetDeadLetters extends Construct {
  readonly queue: Queue;
  /** Retries EventBridge makes (over up to 24 h) before it dead-letters an event. */
  readonly retryAttempts = 185;
  readonly maxEventAge = Duration.hours(24);

  constructor(scope: Construct, id: string, props: { stage: string; key: IKey; retain: boolean }) {
    super(scope, id);
    this.queue = new Queue(this, 'Queue', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    props.key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    const { partition, region, account } = Stack.of(this);
    const rules = `arn:${partition}:events:${region}:${account}:rule`;
    this.queue.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowStageRules',
        principals: [new ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn],
        conditions: { ArnLike: { 'aws:SourceArn': [`${rules}/redress-${props.stage}/*`, `${rules}/redress-${props.stage}-*`] } },
      }),
    );
  }

  /** Target options that dead-letter here (for `new SnsTopic(topic, …)`, `new LambdaFunction(fn, …)`). */
  targetProps() {
    return { deadLetterQueue: this.queue, retryAttempts: this.retryAttempts, maxEventAge: this.maxEventAge };
  }
}
