/** The Redress stack: webhooks → ingest → SQS → process → DynamoDB + EventBridge. */
import { Duration, Names, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import type { CfnFunction, IFunction } from 'aws-cdk-lib/aws-lambda';
import { ManagedPolicy, PermissionsBoundary, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import type { StageConfig } from './config.ts';
import type { RedressFunctionName } from './local/aws-calls.ts';
import { ChannelSecrets } from './constructs/channel-secrets.ts';
import { ComplaintClock, grantStopClockExecutions } from './constructs/complaint-clock.ts';
import { TABLE_INDEXES } from '../functions/shared/adapters/table-design.ts';
import { FeedbackQueue } from './constructs/feedback-queue.ts';
import { FeedbackTable } from './constructs/feedback-table.ts';
import { RedressEventBus } from './constructs/redress-event-bus.ts';
import { RedressFunction } from './constructs/redress-function.ts';
import { WebhookApi } from './constructs/webhook-api.ts';
import { FAQ_PARTITIONS_ONLY } from './constructs/faq-access.ts';
import { AdminApi } from './constructs/admin-api.ts'; // admin API (issue 5)
import { ReplyQueue } from './constructs/reply-queue.ts'; // replies (issue 15)

export interface RedressStackProps extends StackProps {
  config: StageConfig;
}

/**
 * IAM: each function's role allows exactly the API calls its code makes, on the resources it makes them
 * on (no `grant*` helpers that add actions nobody calls); test/infra/iam.test.ts proves it against the
 * calls recorded by the integration suite (test/fixtures/aws-calls.json).
 */
export class RedressStack extends Stack {
  /** The Lambda functions, by the names under which their AWS calls are recorded. */
  readonly functions: Record<RedressFunctionName, IFunction>;

  constructor(scope: Construct, id: string, props: RedressStackProps) {
    super(scope, id, props);
    const { config } = props;
    // Every role created in this stack (functions, state machine, CDK's own) gets the boundary.
    if (config.permissionsBoundaryArn) {
      PermissionsBoundary.of(this).apply(ManagedPolicy.fromManagedPolicyArn(this, 'PermissionsBoundary', config.permissionsBoundaryArn));
    }
    const processTimeout = Duration.seconds(config.processTimeoutSeconds);

    const table = new FeedbackTable(this, 'Feedback', { retainData: config.retainData }).table;
    const retryPolicy = { firstDelaySeconds: config.retryFirstDelaySeconds, maxDelaySeconds: Math.max(config.retryMaxDelaySeconds, config.retryFirstDelaySeconds), maxAttempts: config.processAttempts };
    const queues = new FeedbackQueue(this, 'Intake', { consumerTimeout: processTimeout, retryPolicy });
    const events = new RedressEventBus(this, 'Events', { stage: config.stage, supervisorEmails: config.supervisorEmails });
    const secrets = new ChannelSecrets(this, 'ChannelSecrets', { retainData: config.retainData }).secret;
    // Replies (issue 15): ingest queues delivery reports here, the admin function first attempts, the reply function the rest.
    const replyTimeout = Duration.seconds(30);
    const replyQueue = new ReplyQueue(this, 'Replies', { consumerTimeout: replyTimeout });

    const common = {
      REDRESS_TABLE_NAME: table.tableName,
      REDRESS_EVENT_BUS_NAME: events.bus.eventBusName,
      REDRESS_JURISDICTION: config.jurisdiction,
      REDRESS_SLA_FIRST_RESPONSE: config.slaFirstResponse,
    };

    const ingest = new RedressFunction(this, 'Ingest', {
      entry: 'functions/ingest/index.ts',
      description: 'Verifies channel webhooks, masks PII and queues feedback',
      timeout: Duration.seconds(10),
      memorySize: 512,
      logRetentionDays: config.logRetentionDays,
      environment: {
        ...common,
        REDRESS_QUEUE_URL: queues.queue.queueUrl,
        REDRESS_REPLY_QUEUE_URL: replyQueue.queue.queueUrl,
        REDRESS_SECRETS_ARN: secrets.secretArn,
        ...(config.publicUrl ? { REDRESS_PUBLIC_URL: config.publicUrl } : {}),
      },
    }).fn;
    // SendMessageBatch is authorised as sqs:SendMessage. Exactly the table operations each function uses,
    // on the table only (no index wildcard). GetSecretValue alone (grantRead adds DescribeSecret).
    ingest.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queues.queue.queueArn] }));
    // Delivery reports on replies (SendMessageBatch, authorised as sqs:SendMessage).
    ingest.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [replyQueue.queue.queueArn] }));
    ingest.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [table.tableArn] }));
    ingest.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secrets.secretArn] }));

    // Clock checks: invoked by the clock state machine at each deadline.
    const clockCheck = new RedressFunction(this, 'ClockCheck', {
      entry: 'functions/clock/index.ts',
      description: 'Re-checks a complaint clock at its warning, due and escalation times',
      timeout: Duration.seconds(20),
      memorySize: 512,
      logRetentionDays: config.logRetentionDays,
      environment: common,
    }).fn;
    clockCheck.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], resources: [table.tableArn] }));
    events.bus.grantPutEventsTo(clockCheck);
    const clock = new ComplaintClock(this, 'Clock', { checkFunction: clockCheck, eventBus: events.bus, logRetentionDays: config.logRetentionDays });
    const clockMachineArn = clock.stateMachine.stateMachineArn;
    Validations.of(clock).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(clockCheck.node.defaultChild as CfnFunction)}.Arn>:*]`,
      reason: 'Step Functions invokes the clock-check function by any of its versions (the ARN with a version suffix); it is one function.',
    });

    const processFn = new RedressFunction(this, 'Process', {
      entry: 'functions/process/index.ts',
      description: 'Classifies queued feedback, stores it once and publishes its events',
      timeout: processTimeout,
      memorySize: 1024,
      logRetentionDays: config.logRetentionDays,
      environment: {
        ...common,
        REDRESS_CLOCK_STATE_MACHINE_ARN: clockMachineArn,
        // Its own backoff and dead letters (functions/process/handler.ts).
        REDRESS_QUEUE_URL: queues.queue.queueUrl,
        REDRESS_DEAD_LETTER_QUEUE_URL: queues.deadLetterQueue.queueUrl,
        REDRESS_PROCESS_ATTEMPTS: String(retryPolicy.maxAttempts),
        REDRESS_RETRY_FIRST_DELAY: `PT${retryPolicy.firstDelaySeconds}S`,
        REDRESS_RETRY_MAX_DELAY: `PT${retryPolicy.maxDelaySeconds}S`,
        // The triage of uncertain classifications (functions/shared/triage/triage-policy.ts), read at cold start.
        REDRESS_SLA_TRIAGE: config.slaTriage,
        ...(config.triageThreshold !== undefined ? { REDRESS_TRIAGE_THRESHOLD: String(config.triageThreshold) } : {}),
      },
    }).fn;
    queues.grantBackoffAndDeadLetters(processFn);
    processFn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem'], resources: [table.tableArn] }));
    // Suggested answers: the FAQ snapshot's chunks, read in one batch, on the FAQ's partitions only.
    processFn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:BatchGetItem'], resources: [table.tableArn], conditions: FAQ_PARTITIONS_ONLY }));
    events.bus.grantPutEventsTo(processFn);
    clock.stateMachine.grantStartExecution(processFn);
    // The queue's event source mapping polls with the function's role: it needs what AWS's
    // AWSLambdaSQSQueueExecutionRole grants (SqsEventSource would add ChangeMessageVisibility and
    // GetQueueUrl, which nothing calls). Same construct id as SqsEventSource used, so the mapping is kept.
    processFn.addEventSourceMapping(`SqsEventSource:${Names.nodeUniqueId(queues.queue.node)}`, {
      eventSourceArn: queues.queue.queueArn,
      batchSize: 10,
      maxBatchingWindow: Duration.seconds(1),
      reportBatchItemFailures: true,
    });
    processFn.addToRolePolicy(new PolicyStatement({ actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], resources: [queues.queue.queueArn] }));

    // Sweeper: every five minutes, repairs clock announcements and timers that are overdue.
    const sweeper = new RedressFunction(this, 'Sweeper', {
      entry: 'functions/sweeper/index.ts',
      description: 'Repairs overdue clock announcements and missing clock timers',
      timeout: Duration.minutes(2),
      memorySize: 512,
      logRetentionDays: config.logRetentionDays,
      environment: { ...common, REDRESS_CLOCK_STATE_MACHINE_ARN: clockMachineArn },
    }).fn;
    sweeper.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], resources: [table.tableArn] }));
    sweeper.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${table.tableArn}/index/${TABLE_INDEXES.clockActions.name}`] }));
    events.bus.grantPutEventsTo(sweeper);
    clock.stateMachine.grantStartExecution(sweeper);
    // Owed outbox entries it completes include stopping timers of clocks a handler stopped.
    grantStopClockExecutions(clock.stateMachine, sweeper);
    new Rule(this, 'SweepSchedule', { schedule: Schedule.rate(Duration.minutes(5)), targets: [new LambdaFunction(sweeper)], description: 'Runs the clock sweeper' });

    const http = new WebhookApi(this, 'Http', { stage: config.stage, ingest, logRetentionDays: config.logRetentionDays });

    // --- admin API (issue 5): Cognito-backed JWT authorizer on the same HTTP API ---
    const adminPoolId = this.node.tryGetContext('adminUserPoolId') as string | undefined;
    const adminClientIds = String(this.node.tryGetContext('adminUserPoolClientIds') ?? '').split(',').filter(Boolean);
    // --- replies to customers (issue 15): the replies queue and the function that carries out each send ---
    const replyFn = new RedressFunction(this, 'Reply', {
      entry: 'functions/reply/index.ts',
      description: 'Sends replies to customers on their platform, retrying transient failures with backoff',
      timeout: replyTimeout,
      memorySize: 512,
      logRetentionDays: config.logRetentionDays,
      environment: {
        ...common,
        REDRESS_CLOCK_STATE_MACHINE_ARN: clockMachineArn,
        REDRESS_REPLY_QUEUE_URL: replyQueue.queue.queueUrl,
        REDRESS_SECRETS_ARN: secrets.secretArn,
      },
    }).fn;
    replyFn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], resources: [table.tableArn] }));
    replyFn.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [replyQueue.queue.queueArn] }));
    replyFn.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secrets.secretArn] }));
    events.bus.grantPutEventsTo(replyFn);
    // A first reply stops the first-response clock's timer.
    grantStopClockExecutions(clock.stateMachine, replyFn);
    replyFn.addEventSourceMapping(`SqsEventSource:${Names.nodeUniqueId(replyQueue.queue.node)}`, {
      eventSourceArn: replyQueue.queue.queueArn,
      batchSize: 10,
      reportBatchItemFailures: true,
    });
    replyFn.addToRolePolicy(new PolicyStatement({ actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], resources: [replyQueue.queue.queueArn] }));
    // --- end replies ---

    const admin = new AdminApi(this, 'Admin', {
      stage: config.stage,
      api: http.api,
      table,
      eventBus: events.bus,
      clockStateMachine: clock.stateMachine,
      // The survey link (issue 16) is {REDRESS_PUBLIC_URL}/survey/{token}: without a public URL no rating request goes out.
      // Replies: the admin request makes the first attempt (the channel secret holds the platforms' reply credentials).
      environment: { ...common, ...(config.publicUrl ? { REDRESS_PUBLIC_URL: config.publicUrl } : {}), REDRESS_REPLY_QUEUE_URL: replyQueue.queue.queueUrl, REDRESS_CHANNEL_SECRETS_ARN: secrets.secretArn },
      logRetentionDays: config.logRetentionDays,
      retainData: config.retainData,
      ...(adminPoolId ? { existingUserPool: { userPoolId: adminPoolId, clientIds: adminClientIds } } : {}),
    });
    admin.fn.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [replyQueue.queue.queueArn] }));
    admin.fn.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secrets.secretArn] }));
    // --- end admin API ---
    this.functions = { ingest, process: processFn, 'clock-check': clockCheck, sweeper, admin: admin.fn, report: admin.reportFn, reply: replyFn };

    acknowledgeNagFindings(this);
  }
}

/** cdk-nag findings we accept, each with the reason a reviewer can check. */
function acknowledgeNagFindings(stack: Stack): void {
  const ack = (id: string, reason: string) => Validations.of(stack).acknowledge({ id, reason });
  ack('AwsSolutions-L1', 'Node.js 22 (nodejs22.x) is the runtime this project targets and tests on; move to 24 deliberately, not implicitly.');
  ack('AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', 'The basic execution policy only allows writing the function\'s own CloudWatch logs.');
  ack('AwsSolutions-IAM5[Resource::*]', 'X-Ray PutTraceSegments/PutTelemetryRecords only exist on Resource "*".');
  ack('AwsSolutions-APIG4', 'Webhook routes cannot use a gateway authorizer: each platform signs its deliveries (HMAC, SHA-1 tokens), and the ingest function verifies them on the raw bytes before anything else.');
  ack('AwsSolutions-SMG4', 'The channel secrets are issued by the platforms (Meta, X, WeChat, Twilio) and our own back ends; they are rotated there, with both values active during rotation (comma-separated lists).');
}
