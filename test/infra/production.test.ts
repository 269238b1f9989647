/**
 * Production readiness on the synthesized template (issue 19): alarms (each with its runbook entry), the
 * alarm topic and dashboard, customer-managed keys everywhere data rests, stage config that `-c` really
 * sets (retention, removal policies, reserved concurrency, throttles), the table's backup plan, the
 * handlers' sign-in (authorization code + PKCE) and the outputs an operator needs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'node:fs';
import { StageConfig, stageConfigFromContext } from '../../infra/config.ts';
import { synthStage, type SynthesizedStage } from '../helpers/stage-template.ts';
import { REDRESS_FUNCTIONS } from '../../infra/local/aws-calls.ts';
import { ADMIN_ROUTES } from '../../functions/admin/routes.ts';

const ENV = { account: '123456789012', region: 'eu-west-1' };
const COPY_VAULT = 'arn:aws:backup:eu-central-1:123456789012:backup-vault:redress-copies';
/** A production-like stage: data retained, alarm targets, locked and copied backups, two callback URLs. */
const PROD_LIKE = {
  stage: 'test',
  ...ENV,
  logRetentionDays: 2557,
  alarmEmails: ['oncall@example-bank.com'],
  alarmWebhookUrl: 'https://chat.example-bank.com/hooks/redress',
  adminCallbackUrls: ['https://console.example-bank.com/callback'],
  backup: { enabled: true, retentionDays: 35, vaultLock: true, copyToVaultArn: COPY_VAULT },
  reservedConcurrency: { ingest: 40, process: 15, clockCheck: 5, sweeper: 1, admin: 8, report: 2, reply: 6 },
};

/** Both stacks of the stage, as one template (test/helpers/stage-template.ts), and each on its own. */
const synth = (config: Record<string, unknown>) => synthStage(config);

let prod: SynthesizedStage;
let throwaway: SynthesizedStage;
const runbook = readFileSync(new URL('../../docs/runbook.md', import.meta.url), 'utf8');

beforeAll(() => {
  prod = synth(PROD_LIKE);
  throwaway = synth({ stage: 'test', retainData: false, backup: { enabled: false } });
}, 120_000);

const resources = (t: Template, type: string) => Object.entries(t.findResources(type));
const logicalIdOfFunction = (fn: (typeof REDRESS_FUNCTIONS)[number]) => prod.stack.getLogicalId(prod.stack.functions[fn].node.defaultChild as never);

describe('alarms', () => {
  const alarms = () => resources(prod.template, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
  const alarmNamed = (id: string) => alarms().find((a) => a.AlarmName === `redress-test-${id}`);

  it('cover every failure path the issue lists, each function and each rule target', () => {
    const ids = ['dlq-depth', 'queue-oldest-message-age', 'event-target-dlq-depth', 'event-failed-invocations', 'clock-executions-failed', 'clock-executions-timed-out', 'webhook-5xx', 'admin-5xx', 'webhook-latency-p99', 'admin-latency-p99', 'sla-breaches', 'reply-failures'];
    for (const fn of REDRESS_FUNCTIONS) ids.push(`${fn}-errors`, `${fn}-throttles`);
    expect(ids.filter((id) => !alarmNamed(id))).toEqual([]);
  });

  it('each have an entry in docs/runbook.md under their id, and their description points there', () => {
    for (const alarm of alarms()) {
      const id = String(alarm.AlarmName).replace('redress-test-', '');
      expect(alarm.AlarmDescription).toContain(`docs/runbook.md#${id}`);
      expect(runbook, `runbook entry for ${id}`).toMatch(new RegExp(`^#{3,4} \`${id}\``, 'm'));
    }
  });

  it('each notify the stage alarm topic when they fire and when they clear', () => {
    const [topicId] = resources(prod.template, 'AWS::SNS::Topic').find(([, t]) => t.Properties.TopicName === 'redress-test-alarms')!;
    for (const alarm of alarms()) {
      expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.OKActions).toEqual([{ Ref: topicId }]);
    }
  });

  it('fire on the first dead letter, in either dead-letter queue', () => {
    const dlq = alarmNamed('dlq-depth')!;
    expect(dlq).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    const main = resources(prod.template, 'AWS::SQS::Queue').find(([, q]) => q.Properties.RedrivePolicy)![1];
    expect(dlq.Dimensions[0].Value).toEqual({ 'Fn::GetAtt': [main.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0], 'QueueName'] });
    expect(alarmNamed('event-target-dlq-depth')).toMatchObject({ Threshold: 1 });
  });

  it('count SLA breaches and reply failures from the bus, at the configured thresholds', () => {
    const stat = (id: string) => alarmNamed(id)!.Metrics[0].MetricStat;
    expect(alarmNamed('sla-breaches')).toMatchObject({ Threshold: 5 });
    expect(stat('sla-breaches')).toMatchObject({ Metric: { Namespace: 'AWS/Events', MetricName: 'MatchedEvents' }, Period: 3600, Stat: 'Sum' });
    expect(stat('sla-breaches').Metric.Dimensions).toContainEqual({ Name: 'RuleName', Value: 'redress-test-count-Complaint-SlaBreached' });
    expect(alarmNamed('reply-failures')).toMatchObject({ Threshold: 10 });
    expect(stat('reply-failures').Metric.Dimensions).toContainEqual({ Name: 'RuleName', Value: 'redress-test-count-Reply-Failed' });
    prod.template.hasResourceProperties('AWS::Events::Rule', { Name: 'redress-test-count-Complaint-SlaBreached', EventPattern: { 'detail-type': ['Complaint.SlaBreached'] } });
    prod.template.hasResourceProperties('AWS::Events::Rule', { Name: 'redress-test-count-Reply-Failed', EventPattern: { 'detail-type': ['Reply.Failed'] } });
  });

  it('read 5xx and p99 latency of webhooks and admin routes from metric filters on the access logs', () => {
    prod.template.hasResourceProperties('AWS::Logs::MetricFilter', { FilterPattern: '{ $.routeKey = "*/webhooks/*" && $.status >= 500 }' });
    prod.template.hasResourceProperties('AWS::Logs::MetricFilter', { FilterPattern: '{ $.routeKey = "*/admin/*" }', MetricTransformations: [Match.objectLike({ MetricValue: '$.latency' })] });
    expect(alarmNamed('webhook-latency-p99')).toMatchObject({ ExtendedStatistic: 'p99', Threshold: 3000 });
    const stage = resources(prod.template, 'AWS::ApiGatewayV2::Stage')[0]![1];
    // Numbers unquoted, so the filters compare them as numbers.
    expect(stage.Properties.AccessLogSettings.Format).toContain('"status":$context.status');
  });
});

describe('alarm topic and dashboard', () => {
  it('subscribe the configured e-mail and HTTPS webhook, on a topic encrypted with the alarms key', () => {
    prod.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example-bank.com' });
    prod.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'https', Endpoint: 'https://chat.example-bank.com/hooks/redress' });
    prod.template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'redress-test-alarms', KmsMasterKeyId: Match.anyValue() });
  });

  it('shows the pipeline, the SLA picture and each channel route accepted and rejected', () => {
    const dashboard = resources(prod.template, 'AWS::CloudWatch::Dashboard')[0]![1];
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const title of ['Pipeline', 'Dead letters', 'SLA', 'accepted webhooks', 'rejected webhooks']) expect(body).toContain(title);
    for (const route of ['POST /webhooks/wechat', 'POST /webhooks/meta', 'POST /webhooks/hotline/twilio', 'POST /webhooks/hotline/connect']) expect(body).toContain(route);
  });

  it("graphs the functions' own EMF counts in Redress/<stage>: per channel, and complaints, replies, clocks and failures", () => {
    // The body is a Fn::Join of JSON text and references: references become a placeholder, then it parses.
    const parts = resources(prod.template, 'AWS::CloudWatch::Dashboard')[0]![1].Properties.DashboardBody['Fn::Join'][1] as unknown[];
    const widgets = (JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'REF')).join('')) as { widgets: Array<{ properties: { title?: string; metrics?: unknown[][] } }> }).widgets;
    const metricsOf = (title: string) => widgets.find((w) => w.properties.title?.startsWith(title))!.properties.metrics!;
    const expressions = [...metricsOf('Received per channel'), ...metricsOf('Duplicates and rejected')].map((m) => (m[0] as { expression: string }).expression);
    expect(expressions).toEqual(['FeedbackReceived', 'DuplicateDeliveries', 'SignatureRejected'].map((n) => `SEARCH('{Redress/test,channel,service} MetricName="${n}"', 'Sum', 3600)`));
    expect(metricsOf('Complaints, replies').map((m) => m.slice(0, 4))).toEqual([
      ['Redress/test', 'ComplaintsOpened', 'service', 'process'],
      ['Redress/test', 'RepliesSent', 'service', 'reply'],
      ['Redress/test', 'RepliesFailed', 'service', 'reply'],
      ['Redress/test', 'SlaWarnings', 'service', 'clock'],
      ['Redress/test', 'SlaBreaches', 'service', 'clock'],
      ['Redress/test', 'ProcessingFailures', 'service', 'process'],
    ]);
  });

  it('gives the functions that publish EMF their namespace, Redress/<stage>', () => {
    for (const fn of ['ingest', 'process', 'clock-check', 'sweeper', 'reply'] as const) {
      const props = prod.template.toJSON().Resources[logicalIdOfFunction(fn)].Properties;
      expect(props.Environment.Variables).toMatchObject({ POWERTOOLS_METRICS_NAMESPACE: 'Redress/test', LOG_LEVEL: 'info' });
    }
  });
});

describe('customer-managed keys', () => {
  it('rotate, every one of them', () => {
    const keys = resources(prod.template, 'AWS::KMS::Key');
    expect(keys.length).toBeGreaterThanOrEqual(3);
    for (const [, key] of keys) expect(key.Properties.EnableKeyRotation).toBe(true);
  });

  it('encrypt the table, every queue, every secret, every topic and the state machine', () => {
    const kms = (value: unknown) => expect(value, 'a customer-managed key').toMatchObject({ 'Fn::GetAtt': [expect.stringMatching(/Key/), 'Arn'] });
    for (const [, t] of resources(prod.template, 'AWS::DynamoDB::Table')) {
      expect(t.Properties.SSESpecification.SSEType).toBe('KMS');
      kms(t.Properties.SSESpecification.KMSMasterKeyId);
    }
    for (const [, q] of resources(prod.template, 'AWS::SQS::Queue')) kms(q.Properties.KmsMasterKeyId);
    for (const [, s] of resources(prod.template, 'AWS::SecretsManager::Secret')) kms(s.Properties.KmsKeyId);
    for (const [, t] of resources(prod.template, 'AWS::SNS::Topic')) kms(t.Properties.KmsMasterKeyId);
    for (const [, m] of resources(prod.template, 'AWS::StepFunctions::StateMachine')) {
      expect(m.Properties.EncryptionConfiguration.Type).toBe('CUSTOMER_MANAGED_KMS_KEY');
      kms(m.Properties.EncryptionConfiguration.KmsKeyId);
    }
  });

  it('encrypt every log group, whose retention is the one `-c logRetentionDays` sets', () => {
    const groups = resources(prod.template, 'AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThanOrEqual(REDRESS_FUNCTIONS.length + 2);
    for (const [, g] of groups) {
      expect(g.Properties.KmsKeyId).toMatchObject({ 'Fn::GetAtt': [expect.stringMatching(/KeysLogs/), 'Arn'] });
      expect(g.Properties.RetentionInDays).toBe(2557);
    }
  });

  it("let CloudWatch Logs use the logs key only for this account's log groups", () => {
    const [, key] = resources(prod.template, 'AWS::KMS::Key').find(([id]) => id.startsWith('KeysLogs'))!;
    const statement = key.Properties.KeyPolicy.Statement.find((s: { Principal?: { Service?: string } }) => String(s.Principal?.Service).startsWith('logs.'));
    expect(JSON.stringify(statement.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn'])).toContain(':logs:eu-west-1:123456789012:log-group:*');
  });
});

describe('stage config from `-c` context', () => {
  const context = (values: Record<string, unknown>) => (key: string) => values[key];

  it('sets the log retention (`-c logRetentionDays=2557` was ignored before) and refuses one CloudWatch does not offer', () => {
    expect(stageConfigFromContext(context({ logRetentionDays: '2557' })).logRetentionDays).toBe(2557);
    expect(() => stageConfigFromContext(context({ logRetentionDays: '2000' }))).toThrow(/retention/);
  });

  it('layers `-c` values over the stage preset of cdk.json, objects as JSON and lists comma-separated', () => {
    const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'));
    const config = stageConfigFromContext(context({ ...cdkJson.context, stage: 'prod', alarmEmails: 'a@example-bank.com,b@example-bank.com', reservedConcurrency: '{"ingest":80}' }));
    expect(config).toMatchObject({ account: cdkJson.context.stages.prod.account, region: cdkJson.context.stages.prod.region, retainData: true, alarmEmails: ['a@example-bank.com', 'b@example-bank.com'] });
    expect(config.reservedConcurrency.ingest).toBe(80);
  });

  it('refuses a prod stage that does not pin its account and region', () => {
    expect(() => stageConfigFromContext(context({ stage: 'prod', adminCallbackUrls: 'https://console.example-bank.com/callback' }))).toThrow(/account and region/);
  });
});

describe('removal policies', () => {
  const stateful = ['AWS::DynamoDB::Table', 'AWS::KMS::Key', 'AWS::SQS::Queue', 'AWS::Logs::LogGroup', 'AWS::Events::Archive', 'AWS::SecretsManager::Secret', 'AWS::Cognito::UserPool'];

  it('retain the table, keys, queues, logs, archive, channel secret and user pool where data is retained', () => {
    for (const type of stateful) {
      for (const [id, r] of resources(prod.template, type)) {
        if (id.startsWith('AdminCursorSecret')) continue; // a signing key for hour-long cursors: regenerated, never retained
        expect(r.DeletionPolicy, `${type} ${id}`).toBe('Retain');
      }
    }
    prod.template.hasResourceProperties('AWS::Cognito::UserPool', { DeletionProtection: 'ACTIVE' });
    prod.template.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
  });

  it('delete them with a throwaway stage', () => {
    for (const type of stateful) for (const [id, r] of resources(throwaway.template, type)) expect(r.DeletionPolicy, `${type} ${id}`).toBe('Delete');
  });
});

describe('edge and abuse', () => {
  it('reserves each function its configured concurrency', () => {
    const expected = { ingest: 40, process: 15, 'clock-check': 5, sweeper: 1, admin: 8, report: 2, reply: 6 } as const;
    for (const fn of REDRESS_FUNCTIONS) {
      const props = prod.template.toJSON().Resources[logicalIdOfFunction(fn)].Properties;
      expect(props.ReservedConcurrentExecutions, fn).toBe(expected[fn as keyof typeof expected]);
    }
  });

  it('throttles the webhook routes and the admin routes separately', () => {
    const stage = resources(prod.template, 'AWS::ApiGatewayV2::Stage')[0]![1].Properties;
    expect(stage.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: 500, ThrottlingBurstLimit: 1000 });
    for (const r of ADMIN_ROUTES) expect(stage.RouteSettings[`${r.method} ${r.path}`]).toMatchObject({ ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 });
  });

  it('gives every EventBridge rule target a dead-letter queue', () => {
    const rules = resources(prod.template, 'AWS::Events::Rule').filter(([, r]) => r.Properties.Targets?.length);
    expect(rules.length).toBeGreaterThanOrEqual(3);
    for (const [id, rule] of rules) for (const target of rule.Properties.Targets) expect(target.DeadLetterConfig?.Arn, id).toBeDefined();
  });
});

describe('table backup', () => {
  it('is daily, kept 35 days, in a vault on the data key, locked and copied to another region when the stage says', () => {
    prod.template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanRule: [
          Match.objectLike({
            ScheduleExpression: 'cron(0 3 * * ? *)',
            Lifecycle: { DeleteAfterDays: 35 },
            CopyActions: [{ DestinationBackupVaultArn: COPY_VAULT, Lifecycle: { DeleteAfterDays: 35 } }],
          }),
        ],
      },
    });
    prod.template.hasResourceProperties('AWS::Backup::BackupVault', { EncryptionKeyArn: Match.anyValue(), LockConfiguration: { MinRetentionDays: 35, ChangeableForDays: 3 } });
    prod.template.resourceCountIs('AWS::Backup::BackupSelection', 1);
  });

  it('is absent when the stage turns it off', () => {
    throwaway.template.resourceCountIs('AWS::Backup::BackupPlan', 0);
  });
});

describe('handler sign-in', () => {
  it('is the authorization-code flow only (PKCE public client), back to the configured URLs', () => {
    prod.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      CallbackURLs: ['https://console.example-bank.com/callback'],
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
    });
  });
});

describe('outputs', () => {
  it('name everything an operator needs after a deploy', () => {
    const outputs = Object.keys(prod.template.toJSON().Outputs);
    for (const name of ['ApiUrl', 'AdminUserPoolId', 'AdminConsoleClientId', 'ChannelSecretArn', 'DeadLetterQueueArn', 'EventTargetDeadLetterQueueArn', 'AlarmTopicArn', 'DashboardUrl']) {
      expect(outputs.some((o) => o.startsWith(name)), name).toBe(true);
    }
  });
});

describe('WAF-capable front (front: cloudfront)', () => {
  const WEB_ACL = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/redress-edge/0123abcd';
  const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0123abcd-0000-4000-8000-000000000000';
  let front: Template;
  let violations: string[];

  beforeAll(() => {
    const stage = synthStage({ stage: 'test', front: 'cloudfront', webAclArn: WEB_ACL, domainName: 'feedback.example-bank.com', certificateArn: CERT }, { nag: true });
    violations = stage.violations;
    front = stage.template;
  }, 120_000);

  it('puts CloudFront with the web ACL and the custom domain before the API, forwarding everything uncached', () => {
    front.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        WebACLId: WEB_ACL,
        Aliases: ['feedback.example-bank.com'],
        ViewerCertificate: Match.objectLike({ AcmCertificateArn: CERT, MinimumProtocolVersion: 'TLSv1.2_2021' }),
        DefaultCacheBehavior: Match.objectLike({ AllowedMethods: Match.arrayWith(['GET', 'POST']), ViewerProtocolPolicy: 'https-only' }),
        Logging: Match.objectLike({ Bucket: Match.anyValue() }),
      }),
    });
  });

  it('is absent by default, and refused without its web ACL', () => {
    prod.template.resourceCountIs('AWS::CloudFront::Distribution', 0);
    expect(() => StageConfig.parse({ stage: 'test', front: 'cloudfront' })).toThrow(/webAclArn/);
  });

  it('leaves no unacknowledged cdk-nag finding (AWS Solutions, Serverless, NIST 800-53 rev 5)', () => {
    expect(violations).toEqual([]);
  });
});

describe('tracing (stage config `tracing`)', () => {
  const ours = (t: Template) => Object.values(t.findResources('AWS::Lambda::Function')).filter((f) => f.Properties.Handler === 'index.handler');
  const xrayStatements = (t: Template) =>
    Object.values(t.findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>)
      .filter((s) => [s.Action].flat().some((a) => a.startsWith('xray:')));
  let untraced: Template;
  beforeAll(() => {
    untraced = synthStage({ stage: 'test', tracing: false }).template;
  }, 120_000);

  it('is active on every function and the clock state machine by default, with X-Ray allowed on "*" only for its two actions', () => {
    expect(ours(prod.template).length).toBe(REDRESS_FUNCTIONS.length);
    for (const f of ours(prod.template)) expect(f.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    prod.template.hasResourceProperties('AWS::StepFunctions::StateMachine', { TracingConfiguration: { Enabled: true } });
    const xray = xrayStatements(prod.template);
    expect(xray.length).toBeGreaterThanOrEqual(REDRESS_FUNCTIONS.length);
    for (const s of xray) {
      expect(s.Resource).toBe('*');
      for (const action of [s.Action].flat()) expect(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets']).toContain(action);
    }
  });

  it('is off everywhere, with no X-Ray grant, when the stage says so', () => {
    expect(ours(untraced).length).toBe(REDRESS_FUNCTIONS.length);
    for (const f of ours(untraced)) expect(f.Properties.TracingConfig).toBeUndefined();
    const machine = Object.values(untraced.findResources('AWS::StepFunctions::StateMachine'))[0]!;
    expect(machine.Properties.TracingConfiguration?.Enabled ?? false).toBe(false);
    expect(xrayStatements(untraced)).toEqual([]);
  });

  it('is read from `-c tracing=false` and on in the prod preset', () => {
    const context = (values: Record<string, unknown>) => (key: string) => values[key];
    expect(stageConfigFromContext(context({ tracing: 'false' })).tracing).toBe(false);
    expect(stageConfigFromContext(context({})).tracing).toBe(true);
    const presets = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context.stages;
    expect(stageConfigFromContext(context({ stage: 'prod', stages: presets })).tracing).toBe(true);
  });
});
