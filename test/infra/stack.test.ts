/**
 * Infra tests on the synthesized templates of a stage's two stacks, read as one (bundling skipped for
 * speed): the properties the design depends on, and cdk-nag's AWS Solutions, Serverless and NIST 800-53 rev 5 packs with no unacknowledged findings.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { StageConfig } from '../../infra/config.ts';
import { synthStage } from '../helpers/stage-template.ts';
import { TABLE_INDEXES } from '../../functions/shared/adapters/table-design.ts';
import { ADMIN_ROUTES } from '../../functions/admin/routes.ts'; // admin API (issue 5)

let template: Template;
let nagViolations: string[] = [];

beforeAll(() => {
  // Both stacks of the stage, read as one template (test/helpers/stage-template.ts), with the cdk-nag packs on both.
  const stage = synthStage({ stage: 'test' }, { nag: true });
  nagViolations = stage.violations;
  template = stage.template;
}, 120_000);

describe('functions', () => {
  it('are Node.js 22 on ARM64 with X-Ray tracing', () => {
    const fns = template.findResources('AWS::Lambda::Function');
    const ours = Object.values(fns).filter((f) => (f.Properties.Description ?? '').length > 0 && f.Properties.Handler === 'index.handler');
    expect(ours.length).toBeGreaterThanOrEqual(2);
    for (const f of ours) {
      expect(f.Properties.Runtime).toBe('nodejs22.x');
      expect(f.Properties.Architectures).toEqual(['arm64']);
      expect(f.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    }
  });

  it('process consumes the queue with ReportBatchItemFailures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
    });
  });
});

describe('queue', () => {
  const logicalIdOf = (predicate: (q: ReturnType<Template['findResources']>[string]) => boolean) => Object.entries(template.findResources('AWS::SQS::Queue')).find(([, q]) => predicate(q))![0];
  const processFunction = () => Object.values(template.findResources('AWS::Lambda::Function')).find((f) => String(f.Properties.Description).startsWith('Classifies'))!;
  /** The statements of the process function's role policies. */
  const processStatements = () => {
    const role = processFunction().Properties.Role['Fn::GetAtt'][0];
    return Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>);
  };
  const resourceIds = (resource: unknown) => JSON.stringify(resource);
  /** The feedback queue's DLQ: the target of its redrive policy (the event targets' DLQ is another queue). */
  const feedbackDeadLetterQueue = () => {
    const main = Object.values(template.findResources('AWS::SQS::Queue')).find((q) => q.Properties.RedrivePolicy)!;
    return main.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0] as string;
  };

  it('has a dead-letter queue and a visibility timeout of six times the process timeout', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    const main = Object.values(queues).find((q) => q.Properties.RedrivePolicy);
    expect(main?.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * processFunction().Properties.Timeout);
  });

  it("redrives to the DLQ only as a backstop, a few receives beyond the process function's 16 attempts", () => {
    const main = Object.values(template.findResources('AWS::SQS::Queue')).find((q) => q.Properties.RedrivePolicy);
    expect(main?.Properties.RedrivePolicy.maxReceiveCount).toBe(20);
    expect(processFunction().Properties.Environment.Variables).toMatchObject({ REDRESS_PROCESS_ATTEMPTS: '16', REDRESS_RETRY_FIRST_DELAY: 'PT30S', REDRESS_RETRY_MAX_DELAY: 'PT900S' });
  });

  it('gives the process function the triage clock, and the threshold only when the stage sets one (else the classifier\'s own)', () => {
    const variables = processFunction().Properties.Environment.Variables;
    expect(variables.REDRESS_SLA_TRIAGE).toBe('PT4H');
    expect(variables.REDRESS_TRIAGE_THRESHOLD).toBeUndefined();
    const other = synthStage({ stage: 'test', slaTriage: 'PT2H', triageThreshold: 0.05 }).template;
    const fn = Object.values(other.findResources('AWS::Lambda::Function')).find((f) => String(f.Properties.Description).startsWith('Classifies'))!;
    expect(fn.Properties.Environment.Variables).toMatchObject({ REDRESS_SLA_TRIAGE: 'PT2H', REDRESS_TRIAGE_THRESHOLD: '0.05' });
  });

  it('gives the process function automatic FAQ answers only when the stage sets a score, and the replies queue and channel secret always', () => {
    const variables = processFunction().Properties.Environment.Variables;
    expect(variables.REDRESS_FAQ_AUTOREPLY).toBeUndefined();
    expect(variables.REDRESS_REPLY_QUEUE_URL).toBeDefined();
    expect(variables.REDRESS_SECRETS_ARN).toBeDefined();
    const other = synthStage({ stage: 'test', faqAutoReply: 0.8 }).template;
    const fn = Object.values(other.findResources('AWS::Lambda::Function')).find((f) => String(f.Properties.Description).startsWith('Classifies'))!;
    expect(fn.Properties.Environment.Variables).toMatchObject({ REDRESS_FAQ_AUTOREPLY: '0.8' });
    expect(() => StageConfig.parse({ stage: 'test', faqAutoReply: 1.5 })).toThrow();
  });

  it('tells the process function both queue URLs, for its backoff and its dead letters', () => {
    const main = logicalIdOf((q) => Boolean(q.Properties.RedrivePolicy));
    const dlq = feedbackDeadLetterQueue();
    expect(processFunction().Properties.Environment.Variables).toMatchObject({ REDRESS_QUEUE_URL: { Ref: main }, REDRESS_DEAD_LETTER_QUEUE_URL: { Ref: dlq } });
  });

  it('lets the process function change visibility on the queue and send to the DLQ, and nothing else on the DLQ', () => {
    const main = logicalIdOf((q) => Boolean(q.Properties.RedrivePolicy));
    const dlq = feedbackDeadLetterQueue();
    const statements = processStatements();
    const on = (queue: string) => statements.filter((st) => resourceIds(st.Resource).includes(`"${queue}"`)).flatMap((st) => [st.Action].flat());
    expect(on(main)).toContain('sqs:ChangeMessageVisibility');
    expect(on(dlq)).toEqual(['sqs:SendMessage']);
  });
});

describe('table', () => {
  it('is on demand, with point-in-time recovery, encryption and the admin GSIs', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      GlobalSecondaryIndexes: Match.arrayWith(Object.values(TABLE_INDEXES).map((i) => Match.objectLike({ IndexName: i.name }))),
    });
  });

  it('expires transient records (nonces, pointers) by their expiresAt', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', { TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } });
  });

  it('keys the sparse RepliesDue index on the reply due attributes, projecting only ids', () => {
    const table = Object.values(template.findResources('AWS::DynamoDB::Table'))[0]!;
    const due = table.Properties.GlobalSecondaryIndexes.find((g: { IndexName: string }) => g.IndexName === 'RepliesDue');
    expect(due.KeySchema).toEqual([{ AttributeName: 'replyDuePk', KeyType: 'HASH' }, { AttributeName: 'replyDueSk', KeyType: 'RANGE' }]);
    expect(due.Projection).toEqual({ ProjectionType: 'INCLUDE', NonKeyAttributes: ['id'] });
  });
});

describe('metrics index', () => {
  it('projects only what the KPIs read (not whole items)', () => {
    const table = Object.values(template.findResources('AWS::DynamoDB::Table'))[0]!;
    const metrics = table.Properties.GlobalSecondaryIndexes.find((g: { IndexName: string }) => g.IndexName === 'MetricsByDay');
    expect(metrics.Projection.ProjectionType).toBe('INCLUDE');
    expect(metrics.Projection.NonKeyAttributes).toEqual(expect.arrayContaining(['kind', 'channel', 'clocks', 'firstRespondedAt']));
    expect(metrics.Projection.NonKeyAttributes).not.toContain('timeline');
  });
});

describe('api and events', () => {
  it('routes every webhook to the ingest function', () => {
    for (const route of ['POST /webhooks/web', 'POST /webhooks/mobile', 'POST /webhooks/hotline', 'GET /webhooks/meta', 'POST /webhooks/wechat', 'POST /webhooks/hotline/twilio', 'POST /webhooks/hotline/connect']) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: route });
    }
  });

  it('has the event bus and a rule sending breaches and escalations to supervisors', () => {
    template.resourceCountIs('AWS::Events::EventBus', 1);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['redress'], 'detail-type': ['Complaint.SlaBreached', 'Complaint.Escalated'] },
    });
  });

  it('grants no wildcard actions', () => {
    for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
      for (const statement of policy.Properties.PolicyDocument.Statement) {
        expect([statement.Action].flat()).not.toContain('*');
      }
    }
  });
});

describe('complaint clock', () => {
  it('is a Standard state machine with Wait states, retries and a fallback that announces the breach', () => {
    const machines = template.findResources('AWS::StepFunctions::StateMachine');
    expect(Object.keys(machines)).toHaveLength(1);
    const machine = Object.values(machines)[0]!;
    expect(machine.Properties.StateMachineType).toBe('STANDARD');
    const definition = JSON.parse(resolveJoin(machine.Properties.DefinitionString));
    const states = definition.States as Record<string, Record<string, any>>;
    expect(Object.values(states).filter((s) => s.Type === 'Wait').map((s) => s.TimestampPath)).toEqual(['$.warnAt', '$.dueAtWait', '$.escalateAt']);
    for (const name of ['CheckWarning', 'CheckBreach', 'CheckEscalation']) {
      expect(states[name]!.Retry[0].MaxAttempts).toBeGreaterThanOrEqual(3);
      expect(states[name]!.Catch).toBeDefined();
    }
    expect(states.CheckBreach!.Catch[0].Next).toBe('BreachFallbackDetail');
    expect(states.AnnounceBreachFallback!.Resource).toContain('events:putEvents');
  });

  it('runs the sweeper on a schedule', () => {
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)' });
  });
});

/** Joins a Fn::Join definition string with placeholders for tokens. */
function resolveJoin(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return join[1].map((p) => (typeof p === 'string' ? p : 'TOKEN')).join(join[0]);
}

describe('cdk-nag (AWS Solutions, Serverless, NIST 800-53 rev 5)', () => {
  it('reports no unsuppressed errors', () => {
    expect(nagViolations).toEqual([]);
  });
});

// --- admin API (issue 5) ---
describe('admin API', () => {
  it('guards every admin route with a Cognito JWT authorizer and leaves /openapi.json public', () => {
    const authorizers = template.findResources('AWS::ApiGatewayV2::Authorizer');
    const jwt = Object.entries(authorizers).filter(([, a]) => a.Properties.AuthorizerType === 'JWT');
    expect(jwt).toHaveLength(1);
    const [authorizerId, authorizer] = jwt[0]!;
    expect(JSON.stringify(authorizer.Properties.JwtConfiguration.Issuer)).toContain('cognito-idp');
    expect(authorizer.Properties.IdentitySource).toEqual(['$request.header.Authorization']);
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties);
    const adminRoutes = routes.filter((r) => String(r.RouteKey).includes(' /admin/'));
    expect(adminRoutes.map((r) => r.RouteKey).sort()).toEqual(ADMIN_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    for (const r of adminRoutes) {
      expect(r.AuthorizationType).toBe('JWT');
      expect(r.AuthorizerId).toEqual({ Ref: authorizerId });
    }
    const openapi = routes.find((r) => r.RouteKey === 'GET /openapi.json');
    expect(openapi?.AuthorizationType ?? 'NONE').toBe('NONE');
  });

  it('creates the handlers user pool with MFA and the agent, supervisor and admin groups', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'ON', AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map((g) => g.Properties.GroupName);
    expect(groups.sort()).toEqual(['admin', 'agent', 'supervisor']);
  });

  it('lets the admin function query only the three admin GSIs (never Scan)', () => {
    const admin = Object.entries(template.findResources('AWS::Lambda::Function')).find(([, f]) => String(f.Properties.Description).startsWith('Admin API'));
    expect(admin).toBeDefined();
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p.Properties.Roles).includes('AdminFunction'));
    const actions = policies.flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat()));
    expect(actions).toContain('dynamodb:Query');
    expect(actions).not.toContain('dynamodb:Scan');
    const query = policies.flatMap((p) => p.Properties.PolicyDocument.Statement).find((s: { Action: unknown }) => s.Action === 'dynamodb:Query');
    expect(JSON.stringify(query.Resource)).toContain('/index/OpenByDue');
    expect(JSON.stringify(query.Resource)).toContain('/index/FeedbackByDay');
  });
});
// --- end admin API ---
