/**
 * The admin API in AWS: the admin Lambda behind the shared HTTP API, every admin route guarded by a JWT
 * authorizer backed by the handlers' Cognito user pool (infra/constructs/admin-users.ts, in the stateful
 * stack: groups agent, supervisor, admin, the `cognito:groups` claim the handler reads), and GET
 * /openapi.json public. The routes come from the handler's own route table, so gateway and handler agree.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { HttpMethod, type HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FAQ_PARTITIONS_ONLY } from './faq-access.ts';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ADMIN_ROUTES, OPENAPI_PATH, SURVEY_ROUTE } from '../../functions/admin/routes.ts';
import { CUSTOMER_PARTITIONS_ONLY } from './customer-access.ts';
import { TABLE_INDEXES } from '../../functions/shared/adapters/table-design.ts';
import { grantStopClockExecutions } from './complaint-clock.ts';
import { RedressFunction } from './redress-function.ts';
import type { FunctionDeployments } from './function-deployments.ts';

export interface AdminApiProps {
  stage: string;
  /** The HTTP API of the admin routes: the webhooks' own (`adminApi: shared`) or the admin API's (`separate`). */
  api: HttpApi;
  /**
   * The public HTTP API (the webhooks'): the customer survey is always there, under `publicUrl`; the
   * contract document too. Unset: `api`.
   */
  publicApi?: HttpApi;
  table: ITable;
  eventBus: IEventBus;
  /** The clock state machine: responses and resolutions stop clock timers, reopening restarts them. */
  clockStateMachine?: IStateMachine;
  /** Environment every function shares (table, bus, jurisdiction, SLA). */
  environment: Record<string, string>;
  logRetentionDays: number;
  /** X-Ray active tracing of the admin and report functions (the stage's `tracing`). */
  tracing?: boolean;
  /** The handlers' user pool and the app clients it accepts (infra/constructs/admin-users.ts, stateful stack). */
  users: { userPool: IUserPool; clients: IUserPoolClient[] };
  /** The stage's data key: the cursor-signing secret is encrypted with it. */
  encryptionKey?: IKey;
  /** Gives the admin and report functions `live` aliases shifted by CodeDeploy; the routes then invoke the aliases. */
  deployments?: FunctionDeployments;
}

export class AdminApi extends Construct {
  readonly fn: IFunction;
  /** The report function: the routes whose `servedBy` is `report` (the quarterly evaluation). */
  readonly reportFn: IFunction;
  readonly userPool: IUserPool;
  readonly authorizer: HttpUserPoolAuthorizer;

  constructor(scope: Construct, id: string, props: AdminApiProps) {
    super(scope, id);
    this.userPool = props.users.userPool;
    // Cognito ID tokens carry `cognito:groups`; the authorizer checks issuer, audience (client ids), signature and expiry.
    this.authorizer = new HttpUserPoolAuthorizer('AdminAuthorizer', this.userPool, { userPoolClients: props.users.clients });

    // A generated key for signing pagination cursors, kept out of the function configuration.
    const cursorSecret: ISecret = new Secret(this, 'CursorSecret', {
      description: 'Redress admin API: key that signs pagination cursors (REDRESS_CURSOR_SECRET)',
      generateSecretString: { secretStringTemplate: '{}', generateStringKey: 'REDRESS_CURSOR_SECRET', excludePunctuation: true, passwordLength: 48 },
      removalPolicy: RemovalPolicy.DESTROY,
      encryptionKey: props.encryptionKey,
    });

    const fn = new RedressFunction(this, 'Function', {
      entry: 'functions/admin/index.ts',
      description: 'Admin API for complaint handlers: queue, lifecycle, timeline, satisfaction, KPIs',
      timeout: Duration.seconds(29),
      memorySize: 1024,
      logRetentionDays: props.logRetentionDays,
      tracing: props.tracing,
      environment: {
        ...props.environment,
        REDRESS_SECRETS_ARN: cursorSecret.secretArn,
        ...(props.clockStateMachine ? { REDRESS_CLOCK_STATE_MACHINE_ARN: props.clockStateMachine.stateMachineArn } : {}),
      },
    }).fn;
    this.fn = fn;
    // Exactly what the admin function does (test/infra/iam.test.ts holds it to the calls it makes): read and
    // conditionally replace items, complete outboxes, query the queue, triage, list and metrics GSIs; the
    // lists read a page's whole items in batches (their indexes project only what they filter on), which
    // reaches nothing GetItem does not.
    fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], resources: [props.table.tableArn] }));
    // Customers across channels: the link partition and each key's audit are read on the table itself; unlinking deletes a link record.
    // Held to those partitions (dynamodb:LeadingKeys), so neither action reaches feedback items.
    fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:Query', 'dynamodb:DeleteItem'], resources: [props.table.tableArn], conditions: CUSTOMER_PARTITIONS_ONLY }));
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [TABLE_INDEXES.openByDue, TABLE_INDEXES.openByAssignee, TABLE_INDEXES.triageByDue, TABLE_INDEXES.feedbackByDay, TABLE_INDEXES.metricsByDay, TABLE_INDEXES.customerHistory, TABLE_INDEXES.complaintsByDay].map(
          (i) => `${props.table.tableArn}/index/${i.name}`,
        ),
      }),
    );

    // The quarterly reports read a whole quarter (up to a million index entries, README of
    // functions/admin/reports): a function of their own with 2 vCPU (3,538 MB) so decoding and the
    // figures have a core while the SDK and the garbage collector use the other, and the admin function
    // keeps neither the memory bill nor a grant on the report indexes. It reads only.
    this.reportFn = new RedressFunction(this, 'ReportFunction', {
      entry: 'functions/reports/index.ts',
      description: 'Quarterly evaluation: the quarterly and per-handler reports against the plan',
      timeout: Duration.seconds(29),
      memorySize: 3538,
      logRetentionDays: props.logRetentionDays,
      tracing: props.tracing,
      environment: { ...props.environment },
    }).fn;
    this.reportFn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [props.table.tableArn] }));
    this.reportFn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [TABLE_INDEXES.reportByDay, TABLE_INDEXES.complaintActivity, TABLE_INDEXES.complaintsByDay].map((i) => `${props.table.tableArn}/index/${i.name}`),
      }),
    );
    // Repeat complaints count linked customer keys as one: the report reads the links, on their partitions only.
    this.reportFn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:Query'], resources: [props.table.tableArn], conditions: CUSTOMER_PARTITIONS_ONLY }));
    // The FAQ (functions/shared/faq/adapters/dynamo-faq-store.ts): its snapshot chunks are written and read in
    // batches and its audit trail queried, on the FAQ's own partitions only (FAQ, FAQ#<snapshot>).
    // (Its BatchGetItem is granted with GetItem above, on the whole table: items are read in batches too.)
    fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:BatchWriteItem', 'dynamodb:Query'], resources: [props.table.tableArn], conditions: FAQ_PARTITIONS_ONLY }));
    props.eventBus.grantPutEventsTo(fn);
    // GetSecretValue only (grantRead adds DescribeSecret, which the function never calls).
    fn.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [cursorSecret.secretArn] }));
    if (props.clockStateMachine) {
      props.clockStateMachine.grantStartExecution(fn);
      grantStopClockExecutions(props.clockStateMachine, fn);
    }

    const adminTarget = props.deployments?.add('admin', fn) ?? fn;
    const integration = new HttpLambdaIntegration('Admin', adminTarget, { timeout: Duration.seconds(29) });
    const reportIntegration = new HttpLambdaIntegration('Report', props.deployments?.add('report', this.reportFn) ?? this.reportFn, { timeout: Duration.seconds(29) });
    for (const route of ADMIN_ROUTES) {
      props.api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration: route.servedBy === 'report' ? reportIntegration : integration, authorizer: this.authorizer });
    }
    const publicApi = props.publicApi ?? props.api;
    // An HTTP API integration belongs to one API: the public API's routes to the admin function get their own.
    const publicIntegration = publicApi === props.api ? integration : new HttpLambdaIntegration('AdminPublic', adminTarget, { timeout: Duration.seconds(29) });
    // The contract document is public, like the webhooks' own description of themselves (and on the admin API for the console).
    publicApi.addRoutes({ path: OPENAPI_PATH, methods: [HttpMethod.GET], integration: publicIntegration });
    if (publicApi !== props.api) props.api.addRoutes({ path: OPENAPI_PATH, methods: [HttpMethod.GET], integration });
    // The customer survey is public too: the signed token in the path is the authority. It is
    // on the public API, whose URL the rating requests carry ({REDRESS_PUBLIC_URL}/survey/{token}).
    publicApi.addRoutes({ path: SURVEY_ROUTE, methods: [HttpMethod.GET, HttpMethod.POST], integration: publicIntegration });

  }
}
