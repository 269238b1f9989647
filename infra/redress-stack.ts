/**
 * The stage's stateless stack: webhooks → ingest → SQS → process → DynamoDB + EventBridge — the functions,
 * the HTTP API, the clock state machine, the rules, the alarms and the dashboard. Everything it stores
 * into (table, queues, bus, secret, keys, user pool) is in the stateful stack (infra/redress-stateful-stack.ts)
 * and taken by reference, so this stack can be destroyed and redeployed without losing data.
 */
import { Annotations, Aspects, Duration, Names, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import type { CfnFunction, IFunction } from 'aws-cdk-lib/aws-lambda';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { ManagedPolicy, PermissionsBoundary, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { Construct } from 'constructs';
import { acknowledgeCountingRule, acknowledgeDeploymentRole, acknowledgeFunctionFindings, acknowledgeProcessEventSource, acknowledgeReplyEventSource, acknowledgeSecretRotation } from './nag-acknowledgements.ts';
import { deploymentStrategy, type StageConfig } from './config.ts';
import type { RedressFunctionName } from './local/aws-calls.ts';
import { ComplaintClock, grantStopClockExecutions } from './constructs/complaint-clock.ts';
import { TABLE_INDEXES } from '../functions/shared/adapters/table-design.ts';
import { FunctionDeployments } from './constructs/function-deployments.ts';
import { RedressEventBus } from './constructs/redress-event-bus.ts';
import { RedressFunction } from './constructs/redress-function.ts';
import { WEBHOOK_ROUTES, WebhookApi } from './constructs/webhook-api.ts';
import { AdminApi } from './constructs/admin-api.ts'; // admin API
import { AdminHttpApi } from './constructs/admin-http-api.ts';
import { ADMIN_ROUTES, OPENAPI_PATH } from '../functions/admin/routes.ts';
import { StageLogGroups } from './constructs/stage-log-groups.ts';
import { StageMonitoring } from './constructs/stage-monitoring.ts';
import { WebhookFront } from './constructs/webhook-front.ts';
import { FAQ_PARTITIONS_ONLY } from './constructs/faq-access.ts';
import type { StageKeys } from './constructs/stage-keys.ts';
import { REPLY_TIMEOUT_SECONDS, type RedressStatefulStack } from './redress-stateful-stack.ts';

export interface RedressStackProps extends StackProps {
  config: StageConfig;
  /** The stage's stateful stack: its keys, table, queues, bus, secret and user pool, used by reference. */
  data: RedressStatefulStack;
}

/**
 * IAM: each function's role allows exactly the API calls its code makes, on the resources it makes them
 * on (no `grant*` helpers that add actions nobody calls); test/infra/iam.test.ts proves it against the
 * calls recorded by the integration suite (test/fixtures/aws-calls.json).
 */
export class RedressStack extends Stack {
  /** The Lambda functions, by the names under which their AWS calls are recorded. */
  readonly functions: Record<RedressFunctionName, IFunction>;
  /** The stage's alarm topic (every alarm notifies it). */
  readonly alarmTopicArn: string;

  constructor(scope: Construct, id: string, props: RedressStackProps) {
    super(scope, id, props);
    const { config, data } = props;
    // Every role created in this stack (functions, state machine, CDK's own) gets the boundary.
    if (config.permissionsBoundaryArn) {
      PermissionsBoundary.of(this).apply(ManagedPolicy.fromManagedPolicyArn(this, 'PermissionsBoundary', config.permissionsBoundaryArn));
    }
    // The functions read the table's current indexes: while the stateful stack has not created them all
    // (an index migration, README "Deploy"), this stack must not deploy (an error blocks only the stacks it is on).
    if (config.tableIndexes.pending.length) {
      Annotations.of(this).addError(`The table does not have the indexes ${config.tableIndexes.pending.join(', ')} yet (tableIndexes.pending), which this stack's functions read: deploy only the stateful stack until none is pending (README "Deploy", index migration).`);
    }
    const processTimeout = Duration.seconds(config.processTimeoutSeconds);
    const retain = config.retainData;
    // Customer-managed keys per data domain; every log group gets the logs key, the retention and the removal policy of the stage.
    const { keys, table, queues, replyQueue } = data;
    const secrets = data.channelSecret;
    Aspects.of(this).add(new StageLogGroups({ key: keys.logs, retentionDays: config.logRetentionDays, retain }));
    const retryPolicy = { firstDelaySeconds: config.retryFirstDelaySeconds, maxDelaySeconds: Math.max(config.retryMaxDelaySeconds, config.retryFirstDelaySeconds), maxAttempts: config.processAttempts };
    // The rule targets dead-letter to the stateful stack's queue through an imported reference: CDK then adds
    // no queue-policy statement naming each rule (which would make the stateful stack depend on this one);
    // the queue's policy admits the stage's rules by name (infra/constructs/event-target-dead-letters.ts).
    const eventDeadLetterQueue = Queue.fromQueueAttributes(this, 'EventTargetDeadLetterQueue', { queueArn: data.eventDeadLetters.queue.queueArn, keyArn: keys.data.keyArn });
    const eventTargets = { deadLetterQueue: eventDeadLetterQueue, retryAttempts: data.eventDeadLetters.retryAttempts, maxEventAge: data.eventDeadLetters.maxEventAge };
    const events = new RedressEventBus(this, 'Events', { stage: config.stage, bus: data.bus, supervisorEmails: config.supervisorEmails, targetDeadLetters: eventTargets, retain });
    const replyTimeout = Duration.seconds(REPLY_TIMEOUT_SECONDS);
    // Every invoker calls a function's `live` alias, which CodeDeploy shifts to each new version (canary on prod).
    const deployments = new FunctionDeployments(this, 'Deployments', { stage: config.stage, strategy: deploymentStrategy(config) });

    const common = {
      REDRESS_TABLE_NAME: table.tableName,
      REDRESS_EVENT_BUS_NAME: events.bus.eventBusName,
      REDRESS_JURISDICTION: config.jurisdiction,
      REDRESS_SLA_FIRST_RESPONSE: config.slaFirstResponse,
      LOG_LEVEL: config.logLevel,
      // EMF metrics of the Powertools functions (functions/shared/adapters/powertools/); admin and report ignore it.
      POWERTOOLS_METRICS_NAMESPACE: `Redress/${config.stage}`,
    };

    const ingest = new RedressFunction(this, 'Ingest', {
      entry: 'functions/ingest/index.ts',
      description: 'Verifies channel webhooks, masks PII and queues feedback',
      timeout: Duration.seconds(config.ingestTimeoutSeconds),
      memorySize: 512,
      logRetentionDays: config.logRetentionDays,
      tracing: config.tracing,
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
    const ingestLive = deployments.add('ingest', ingest);

    // Clock checks: invoked by the clock state machine at each deadline.
    const clockCheck = new RedressFunction(this, 'ClockCheck', {
      entry: 'functions/clock/index.ts',
      description: 'Re-checks a complaint clock at its warning, due and escalation times',
      timeout: Duration.seconds(20),
      memorySize: 512,
      logRetentionDays: config.logRetentionDays,
      tracing: config.tracing,
      environment: common,
    }).fn;
    clockCheck.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], resources: [table.tableArn] }));
    events.bus.grantPutEventsTo(clockCheck);
    const clock = new ComplaintClock(this, 'Clock', { checkFunction: deployments.add('clock-check', clockCheck), eventBus: events.bus, logRetentionDays: config.logRetentionDays, encryptionKey: keys.data, tracing: config.tracing });
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
      tracing: config.tracing,
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
        // Automatic FAQ answers (functions/shared/faq/auto-reply.ts): queued for the reply function; the
        // channel secret says which channels can be answered. Read whatever the setting, so the grants do not depend on it.
        ...(config.faqAutoReply !== undefined ? { REDRESS_FAQ_AUTOREPLY: String(config.faqAutoReply) } : {}),
        REDRESS_REPLY_QUEUE_URL: replyQueue.queue.queueUrl,
        REDRESS_SECRETS_ARN: secrets.secretArn,
      },
    }).fn;
    processFn.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [replyQueue.queue.queueArn] }));
    processFn.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secrets.secretArn] }));
    queues.grantBackoffAndDeadLetters(processFn);
    processFn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem'], resources: [table.tableArn] }));
    // Suggested answers: the FAQ snapshot's chunks, read in one batch, on the FAQ's partitions only.
    processFn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:BatchGetItem'], resources: [table.tableArn], conditions: FAQ_PARTITIONS_ONLY }));
    events.bus.grantPutEventsTo(processFn);
    clock.stateMachine.grantStartExecution(processFn);
    // The queue's event source mapping polls with the function's role: it needs what AWS's
    // AWSLambdaSQSQueueExecutionRole grants (SqsEventSource would add ChangeMessageVisibility and
    // GetQueueUrl, which nothing calls). Same construct id as SqsEventSource used, so the mapping is kept.
    const processLive = deployments.add('process', processFn);
    processLive.addEventSourceMapping(`SqsEventSource:${Names.nodeUniqueId(queues.queue.node)}`, {
      eventSourceArn: queues.queue.queueArn,
      batchSize: 10,
      maxBatchingWindow: Duration.seconds(1),
      reportBatchItemFailures: true,
    });
    processFn.addToRolePolicy(new PolicyStatement({ actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], resources: [queues.queue.queueArn] }));

    // Sweeper: every five minutes, repairs clock announcements and timers that are overdue, and re-queues overdue replies.
    const sweeper = new RedressFunction(this, 'Sweeper', {
      entry: 'functions/sweeper/index.ts',
      description: 'Repairs overdue clock announcements and missing clock timers; re-queues overdue replies',
      timeout: Duration.minutes(2),
      memorySize: 512,
      logRetentionDays: config.logRetentionDays,
      tracing: config.tracing,
      environment: { ...common, REDRESS_CLOCK_STATE_MACHINE_ARN: clockMachineArn, REDRESS_REPLY_QUEUE_URL: replyQueue.queue.queueUrl },
    }).fn;
    sweeper.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], resources: [table.tableArn] }));
    sweeper.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:Query'], resources: [TABLE_INDEXES.clockActions.name, TABLE_INDEXES.repliesDue.name].map((name) => `${table.tableArn}/index/${name}`) }),
    );
    // Stranded replies go back on the replies queue (the reply function sends them; the sweeper holds no platform credentials).
    sweeper.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [replyQueue.queue.queueArn] }));
    events.bus.grantPutEventsTo(sweeper);
    clock.stateMachine.grantStartExecution(sweeper);
    // Owed outbox entries it completes include stopping timers of clocks a handler stopped.
    grantStopClockExecutions(clock.stateMachine, sweeper);
    const sweepSchedule = new Rule(this, 'SweepSchedule', { schedule: Schedule.rate(Duration.minutes(5)), targets: [new LambdaFunction(deployments.add('sweeper', sweeper), eventTargets)], description: 'Runs the clock sweeper', ruleName: `redress-${config.stage}-sweep` });

    const separateAdmin = config.adminApi === 'separate';
    const http = new WebhookApi(this, 'Http', {
      stage: config.stage,
      ingest: ingestLive,
      logRetentionDays: config.logRetentionDays,
      throttle: config.webhookThrottle,
      ...(separateAdmin ? { description: 'Redress webhooks and customer survey' } : {}),
    });
    // adminApi: separate — the admin routes on their own HTTP API, throttled by adminThrottle as a whole.
    const adminHttp = separateAdmin ? new AdminHttpApi(this, 'AdminHttp', { stage: config.stage, logRetentionDays: config.logRetentionDays, throttle: config.adminThrottle }) : undefined;

    // --- replies to customers: the replies queue and the function that carries out each send ---
    const replyFn = new RedressFunction(this, 'Reply', {
      entry: 'functions/reply/index.ts',
      description: 'Sends replies to customers on their platform, retrying transient failures with backoff',
      timeout: replyTimeout,
      memorySize: 512,
      logRetentionDays: config.logRetentionDays,
      tracing: config.tracing,
      environment: {
        ...common,
        REDRESS_CLOCK_STATE_MACHINE_ARN: clockMachineArn,
        REDRESS_REPLY_QUEUE_URL: replyQueue.queue.queueUrl,
        REDRESS_SECRETS_ARN: secrets.secretArn,
      },
    }).fn;
    // Query: a Messenger or Instagram watermark receipt reads the conversation's sent replies (REPLYTO#… pointers).
    replyFn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'], resources: [table.tableArn] }));
    replyFn.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [replyQueue.queue.queueArn] }));
    replyFn.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secrets.secretArn] }));
    events.bus.grantPutEventsTo(replyFn);
    // A first reply stops the first-response clock's timer.
    grantStopClockExecutions(clock.stateMachine, replyFn);
    const replyLive = deployments.add('reply', replyFn);
    replyLive.addEventSourceMapping(`SqsEventSource:${Names.nodeUniqueId(replyQueue.queue.node)}`, {
      eventSourceArn: replyQueue.queue.queueArn,
      batchSize: 10,
      reportBatchItemFailures: true,
    });
    replyFn.addToRolePolicy(new PolicyStatement({ actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], resources: [replyQueue.queue.queueArn] }));
    // --- end replies ---

    const admin = new AdminApi(this, 'Admin', {
      stage: config.stage,
      api: adminHttp?.api ?? http.api,
      publicApi: http.api,
      table,
      eventBus: events.bus,
      clockStateMachine: clock.stateMachine,
      // The survey link is {REDRESS_PUBLIC_URL}/survey/{token}: without a public URL no rating request goes out.
      // Replies: the admin request makes the first attempt (the channel secret holds the platforms' reply credentials).
      environment: { ...common, ...(config.publicUrl ? { REDRESS_PUBLIC_URL: config.publicUrl } : {}), REDRESS_REPLY_QUEUE_URL: replyQueue.queue.queueUrl, REDRESS_CHANNEL_SECRETS_ARN: secrets.secretArn },
      logRetentionDays: config.logRetentionDays,
      tracing: config.tracing,
      users: data.adminUsers,
      encryptionKey: keys.data,
      deployments,
    });
    admin.fn.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [replyQueue.queue.queueArn] }));
    admin.fn.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secrets.secretArn] }));
    // --- end admin API ---
    this.functions = { ingest, process: processFn, 'clock-check': clockCheck, sweeper, admin: admin.fn, report: admin.reportFn, reply: replyFn };
    // The admin routes (and the contract document) keep their own budget on the webhooks' API; on a separate admin API its stage throttle is theirs.
    http.throttleRoutes([...(separateAdmin ? [] : ADMIN_ROUTES.map((r) => `${r.method} ${r.path}`)), `GET ${OPENAPI_PATH}`], config.adminThrottle);

    this.limitAndEncrypt(config, keys);
    const monitoring = new StageMonitoring(this, 'Monitoring', {
      stage: config.stage,
      thresholds: config.alarmThresholds,
      alarmEmails: config.alarmEmails,
      ...(config.alarmWebhookUrl ? { alarmWebhookUrl: config.alarmWebhookUrl } : {}),
      topicKey: keys.alarms,
      queue: queues.queue,
      deadLetterQueue: queues.deadLetterQueue,
      ruleTargetDeadLetterQueue: eventDeadLetterQueue,
      functions: this.functions,
      clockStateMachine: clock.stateMachine,
      bus: events.bus,
      busRules: events.rules,
      scheduleRules: [sweepSchedule],
      accessLogs: http.accessLogs,
      ...(adminHttp ? { adminAccessLogs: adminHttp.accessLogs } : {}),
      webhookRouteKeys: Object.entries(WEBHOOK_ROUTES).flatMap(([path, methods]) => methods.map((m) => `${m} ${path}`)),
    });
    this.alarmTopicArn = monitoring.topic.topicArn;
    // A deployment rolls back when its function fails or is throttled while traffic shifts to the new version.
    for (const name of Object.keys(this.functions)) deployments.rollBackOn(name, [monitoring.alarms[`${name}-errors`]!, monitoring.alarms[`${name}-throttles`]!]);
    if (config.front === 'cloudfront' && config.webAclArn) {
      new WebhookFront(this, 'Front', { api: http.api, webAclArn: config.webAclArn, domainName: config.domainName, certificateArn: config.certificateArn, retain, logRetentionDays: config.logRetentionDays });
    }

    acknowledgeReplyEventSource(replyLive);
    for (const [name, group] of Object.entries(deployments.groups)) acknowledgeDeploymentRole(group, name);
    this.acknowledgeNagFindings({ processFn: processLive, monitoring, admin, http, adminHttp, clock });
  }

  /**
   * Per function: its reserved concurrency from the stage config (a webhook flood can take at most the
   * ingest function's share of the account's concurrency, never the process, clock or admin share) and
   * its use of the data key that encrypts the table, queues and secrets it calls.
   */
  private limitAndEncrypt(config: StageConfig, keys: StageKeys): void {
    const reserved: Partial<Record<string, number>> = {
      ingest: config.reservedConcurrency.ingest,
      process: config.reservedConcurrency.process,
      'clock-check': config.reservedConcurrency.clockCheck,
      sweeper: config.reservedConcurrency.sweeper,
      admin: config.reservedConcurrency.admin,
      report: config.reservedConcurrency.report,
      reply: config.reservedConcurrency.reply,
    };
    for (const [name, fn] of Object.entries(this.functions)) {
      const limit = reserved[name];
      if (limit !== undefined) (fn.node.defaultChild as CfnFunction).reservedConcurrentExecutions = limit;
      keys.grantDataKeyUse(fn);
    }
  }

  /** cdk-nag findings we accept, each on its resource with its reason (infra/nag-acknowledgements.ts). */
  private acknowledgeNagFindings(parts: {
    processFn: IFunction;
    monitoring: StageMonitoring;
    admin: AdminApi;
    http: WebhookApi;
    adminHttp?: AdminHttpApi;
    clock: ComplaintClock;
  }): void {
    for (const [name, fn] of Object.entries(this.functions)) acknowledgeFunctionFindings(name, fn);
    acknowledgeProcessEventSource(parts.processFn);
    for (const rule of parts.monitoring.countingRules) acknowledgeCountingRule(rule);
    const cursorSecret = parts.admin.node.tryFindChild('CursorSecret');
    if (cursorSecret) acknowledgeSecretRotation(cursorSecret, 'The cursor-signing key only protects pagination cursors for an hour; rotating it on a schedule would only invalidate open pages (docs/runbook.md rotates it by hand).');
    Validations.of(parts.http.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason: 'Webhook routes cannot use a gateway authorizer: each platform signs its deliveries (HMAC, SHA-1 tokens), and the ingest function verifies them on the raw bytes before anything else. Admin routes have the Cognito JWT authorizer.',
    });
    Validations.of(parts.http.api).acknowledge({
      id: 'Serverless-APIGWStructuredLogging',
      reason: 'The access log format is JSON once API Gateway substitutes its values; status and latency are unquoted so the alarms\' metric filters compare them as numbers.',
    });
    Validations.of(parts.clock).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: 'X-Ray tracing of the clock state machine: its actions (and CloudWatch Logs delivery\'s) only exist on Resource "*".' });
    Validations.of(parts.clock).acknowledge({ id: 'NIST.800.53.R5-IAMNoInlinePolicy', reason: "The clock state machine's role has one inline policy, for invoking the clock-check function and putting fallback events on the Redress bus." });
  }
}
