/**
 * The stage's stateful stack: everything that holds data or identity and must outlive any redeploy of
 * the code — the customer-managed keys, the feedback table and its backup plan, the feedback and replies
 * queues with their dead-letter queues, the rule targets' dead-letter queue, the event bus with its
 * archive, the channel secret and the handlers' Cognito user pool. The stateless stack
 * (infra/redress-stack.ts) takes these by reference and can be destroyed and redeployed on its own
 * (README "Deploying", docs/runbook.md "Destroying and redeploying the stateless stack").
 *
 * Nothing here refers to the stateless stack: every grant to a function is made on the function's role
 * (in the stateless stack), and the resource policies here name AWS services scoped to this account
 * (and, for the rule targets' dead-letter queue, to the stage's rule names), never a role or rule ARN,
 * so references only ever point from stateless to stateful.
 */
import { Aspects, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { ManagedPolicy, PermissionsBoundary } from 'aws-cdk-lib/aws-iam';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { EventBus } from 'aws-cdk-lib/aws-events';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { StageConfig } from './config.ts';
import { AdminUsers } from './constructs/admin-users.ts';
import { ArchivedEventBus } from './constructs/archived-event-bus.ts';
import { ChannelSecrets } from './constructs/channel-secrets.ts';
import { EventTargetDeadLetters } from './constructs/event-target-dead-letters.ts';
import { FeedbackQueue } from './constructs/feedback-queue.ts';
import { FeedbackTable } from './constructs/feedback-table.ts';
import { ReplyQueue } from './constructs/reply-queue.ts';
import { StageKeys } from './constructs/stage-keys.ts';
import { StageLogGroups } from './constructs/stage-log-groups.ts';
import { TableBackup } from './constructs/table-backup.ts';
import { acknowledgeDeadLetterQueue, acknowledgeNoBackupPlan, acknowledgeSecretRotation } from './nag-acknowledgements.ts';

/** Timeout of the reply function, seconds: the replies queue's visibility timeout is six times it. */
export const REPLY_TIMEOUT_SECONDS = 30;

export interface RedressStatefulStackProps extends StackProps {
  config: StageConfig;
}

export class RedressStatefulStack extends Stack {
  readonly keys: StageKeys;
  readonly table: Table;
  readonly queues: FeedbackQueue;
  readonly replyQueue: ReplyQueue;
  readonly eventDeadLetters: EventTargetDeadLetters;
  readonly bus: EventBus;
  readonly channelSecret: Secret;
  readonly adminUsers: AdminUsers;

  constructor(scope: Construct, id: string, props: RedressStatefulStackProps) {
    super(scope, id, props);
    const { config } = props;
    const retain = config.retainData;
    if (config.permissionsBoundaryArn) {
      PermissionsBoundary.of(this).apply(ManagedPolicy.fromManagedPolicyArn(this, 'PermissionsBoundary', config.permissionsBoundaryArn));
    }
    // Customer-managed keys per data domain; every log group gets the logs key, the retention and the removal policy of the stage.
    this.keys = new StageKeys(this, 'Keys', { stage: config.stage, retain });
    Aspects.of(this).add(new StageLogGroups({ key: this.keys.logs, retentionDays: config.logRetentionDays, retain }));
    this.eventDeadLetters = new EventTargetDeadLetters(this, 'EventTargetDeadLetters', { stage: config.stage, key: this.keys.data, retain });
    this.table = new FeedbackTable(this, 'Feedback', { retainData: retain, encryptionKey: this.keys.data, indexes: config.tableIndexes }).table;
    const retryPolicy = { firstDelaySeconds: config.retryFirstDelaySeconds, maxDelaySeconds: Math.max(config.retryMaxDelaySeconds, config.retryFirstDelaySeconds), maxAttempts: config.processAttempts };
    this.queues = new FeedbackQueue(this, 'Intake', { consumerTimeout: Duration.seconds(config.processTimeoutSeconds), retryPolicy, encryptionKey: this.keys.data, retain });
    // Replies: ingest queues delivery reports here, the admin function first attempts, the reply function the rest.
    this.replyQueue = new ReplyQueue(this, 'Replies', { consumerTimeout: Duration.seconds(REPLY_TIMEOUT_SECONDS), encryptionKey: this.keys.data, retain });
    this.bus = new ArchivedEventBus(this, 'Events', { stage: config.stage, retain }).bus;
    this.channelSecret = new ChannelSecrets(this, 'ChannelSecrets', { retainData: retain, encryptionKey: this.keys.data }).secret;

    const adminPoolId = this.node.tryGetContext('adminUserPoolId') as string | undefined;
    const adminClientIds = String(this.node.tryGetContext('adminUserPoolClientIds') ?? '').split(',').filter(Boolean);
    this.adminUsers = new AdminUsers(this, 'AdminUsers', {
      stage: config.stage,
      retainData: retain,
      signIn: { callbackUrls: config.adminCallbackUrls, logoutUrls: config.adminLogoutUrls, ...(config.cognitoDomainPrefix ? { domainPrefix: config.cognitoDomainPrefix } : {}) },
      ...(adminPoolId ? { existingUserPool: { userPoolId: adminPoolId, clientIds: adminClientIds } } : {}),
    });

    if (config.backup.enabled) {
      new TableBackup(this, 'Backup', { stage: config.stage, table: this.table, key: this.keys.data, retentionDays: config.backup.retentionDays, vaultLock: config.backup.vaultLock, retain, ...(config.backup.copyToVaultArn ? { copyToVaultArn: config.backup.copyToVaultArn } : {}) });
    } else {
      acknowledgeNoBackupPlan(this.table, config.stage);
    }

    new CfnOutput(this, 'ChannelSecretArn', { value: this.channelSecret.secretArn, description: 'Secrets Manager secret to fill with the channel secrets (JSON)' });
    new CfnOutput(this, 'DeadLetterQueueArn', { value: this.queues.deadLetterQueue.queueArn, description: 'Feedback dead-letter queue (redrive with start-message-move-task)' });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.queues.deadLetterQueue.queueUrl, description: 'Feedback dead-letter queue URL (receive-message to read the reasons)' });
    new CfnOutput(this, 'EventTargetDeadLetterQueueArn', { value: this.eventDeadLetters.queue.queueArn, description: 'Events EventBridge could not deliver to a rule target' });

    acknowledgeDeadLetterQueue(this.queues.deadLetterQueue, 'the feedback queue');
    acknowledgeDeadLetterQueue(this.replyQueue.deadLetterQueue, 'the replies queue');
    acknowledgeDeadLetterQueue(this.eventDeadLetters.queue, 'the EventBridge rule targets (set on each target, which cdk-nag does not follow)');
    acknowledgeSecretRotation(this.channelSecret, 'The channel secrets are issued by the platforms (Meta, X, WeChat, Twilio) and our own back ends; they are rotated there, with both values active during rotation (comma-separated lists; docs/runbook.md).');
  }
}
