/**
 * What a platform team watches: the stage's alarm topic (e-mail and an HTTPS chat/incident webhook from
 * the stage config), one CloudWatch alarm per failure path, each named `redress-<stage>-<id>` with its
 * entry in docs/runbook.md under the same id, and a dashboard of the pipeline, the SLA picture and each
 * channel's accepted and rejected webhooks.
 *
 * Where the numbers come from, without code changes in the functions: AWS's own metrics (SQS, Lambda,
 * Step Functions, EventBridge), metric filters on the HTTP API's access logs (route, status and latency
 * per request: 5xx, p99, per-channel acceptance), and one target-less EventBridge rule per counted event
 * type, whose `MatchedEvents` metric counts the events published (received, opened, warnings, breaches,
 * escalations, reply failures).
 */
import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Dashboard, GraphWidget, MathExpression, Metric, TextWidget, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Rule, type IEventBus, type IRule } from 'aws-cdk-lib/aws-events';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, MetricFilter, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, UrlSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { StageConfig } from '../config.ts';
import { EVENT_SOURCE } from '../../schemas/event-names.ts';
import type { MetricName } from '../../functions/shared/metrics.ts';

/**
 * The counts the functions publish themselves as EMF (functions/shared/metrics.ts, Powertools), with the
 * service that publishes each; the per-channel ones carry a `channel` dimension too.
 */
export const FUNCTION_METRICS: Record<MetricName, { service: string; perChannel?: true }> = {
  FeedbackReceived: { service: 'ingest', perChannel: true },
  DuplicateDeliveries: { service: 'ingest', perChannel: true },
  SignatureRejected: { service: 'ingest', perChannel: true },
  ComplaintsOpened: { service: 'process' },
  ProcessingFailures: { service: 'process' },
  RepliesSent: { service: 'reply' },
  RepliesFailed: { service: 'reply' },
  SlaWarnings: { service: 'clock' },
  SlaBreaches: { service: 'clock' },
};

/** Event types counted from the bus (`MatchedEvents` of a rule per type). `Reply.Failed` is published by the reply path. */
export const COUNTED_EVENTS = ['Feedback.Received', 'Complaint.Opened', 'Complaint.SlaWarning', 'Complaint.SlaBreached', 'Complaint.Escalated', 'Reply.Failed'] as const;
type CountedEvent = (typeof COUNTED_EVENTS)[number];

export interface StageMonitoringProps {
  stage: string;
  thresholds: StageConfig['alarmThresholds'];
  alarmEmails: string[];
  alarmWebhookUrl?: string;
  /** The key the alarm topic is encrypted with (its policy lets CloudWatch publish). */
  topicKey: IKey;
  queue: IQueue;
  deadLetterQueue: IQueue;
  /** Where EventBridge puts events it could not deliver to a rule's target. */
  ruleTargetDeadLetterQueue: IQueue;
  functions: Record<string, IFunction>;
  clockStateMachine: IStateMachine;
  bus: IEventBus;
  /** Rules whose targets must not fail: those on the Redress bus, and scheduled ones (default bus). */
  busRules: IRule[];
  scheduleRules: IRule[];
  /** The HTTP API's access logs (JSON: routeKey, numeric status and latency). */
  accessLogs: ILogGroup;
  /** The admin API's access logs when the admin routes have their own API (`adminApi: separate`); else `accessLogs`. */
  adminAccessLogs?: ILogGroup;
  /** Route keys of the webhook routes (`POST /webhooks/web`…), one line each on the channel graphs. */
  webhookRouteKeys: string[];
}

const FIVE_MINUTES = Duration.minutes(5);

export class StageMonitoring extends Construct {
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  /** Every alarm, by its runbook id. */
  readonly alarms: Record<string, Alarm> = {};
  /** The target-less rules that count events. */
  readonly countingRules: Rule[] = [];
  private readonly namespace: string;
  private readonly eventCounts = {} as Record<CountedEvent, Metric>;

  constructor(scope: Construct, id: string, private readonly props: StageMonitoringProps) {
    super(scope, id);
    this.namespace = `Redress/${props.stage}`;
    this.topic = new Topic(this, 'AlarmTopic', { topicName: `redress-${props.stage}-alarms`, displayName: `Redress ${props.stage} alarms`, masterKey: props.topicKey, enforceSSL: true });
    for (const email of props.alarmEmails) this.topic.addSubscription(new EmailSubscription(email));
    if (props.alarmWebhookUrl) this.topic.addSubscription(new UrlSubscription(props.alarmWebhookUrl));
    for (const type of COUNTED_EVENTS) this.eventCounts[type] = this.countEvents(type);
    const api = this.accessLogMetrics();
    this.pipelineAlarms();
    this.apiAlarms(api);
    this.functionAlarms();
    this.eventAlarms();
    this.dashboard = this.buildDashboard(api);
    const region = Stack.of(this).region;
    new CfnOutput(scope, 'AlarmTopicArn', { value: this.topic.topicArn, description: 'SNS topic every alarm notifies (subscribe the on-call team)' });
    new CfnOutput(scope, 'DashboardUrl', {
      value: `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards:name=${this.dashboard.dashboardName}`,
      description: 'CloudWatch dashboard: pipeline, SLA picture, channels',
    });
  }

  /** An alarm named `redress-<stage>-<id>` that notifies the topic when it fires and when it clears. */
  private alarm(id: string, metric: IMetric, threshold: number, what: string, operator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD): Alarm {
    const alarm = new Alarm(this, `Alarm-${id}`, {
      alarmName: `redress-${this.props.stage}-${id}`,
      alarmDescription: `${what} Runbook: docs/runbook.md#${id}`,
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: operator,
      // No data is no traffic (AWS publishes several of these metrics only when they are not zero).
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
    this.alarms[id] = alarm;
    return alarm;
  }

  /** A target-less rule matching one event type, and its `MatchedEvents` count. */
  private countEvents(type: CountedEvent): Metric {
    const ruleName = `redress-${this.props.stage}-count-${type.replace('.', '-')}`;
    const rule = new Rule(this, `Count-${type}`, { ruleName, eventBus: this.props.bus, description: `Counts ${type} events (dashboard, alarms)`, eventPattern: { source: [EVENT_SOURCE], detailType: [type] } });
    this.countingRules.push(rule);
    return new Metric({ namespace: 'AWS/Events', metricName: 'MatchedEvents', dimensionsMap: { EventBusName: this.props.bus.eventBusName, RuleName: ruleName }, statistic: 'Sum', period: Duration.hours(1), label: type });
  }

  /** Metric filters on the access logs: 5xx count and latency per route group, accepted/rejected per webhook route. */
  private accessLogMetrics() {
    const filter = (id: string, metricName: string, pattern: string, metricValue = '1', dimensions?: Record<string, string>) => {
      const logGroup = metricName.startsWith('Admin') ? (this.props.adminAccessLogs ?? this.props.accessLogs) : this.props.accessLogs;
      new MetricFilter(this, id, { logGroup, metricNamespace: this.namespace, metricName, filterPattern: FilterPattern.literal(pattern), metricValue, ...(dimensions ? { dimensions } : {}) });
      return (statistic: string, extra: Record<string, string> = {}) => new Metric({ namespace: this.namespace, metricName, statistic, period: FIVE_MINUTES, dimensionsMap: extra });
    };
    const webhooks = '$.routeKey = "*/webhooks/*"';
    const admin = '$.routeKey = "*/admin/*"';
    return {
      webhook5xx: filter('Webhook5xx', 'Webhook5xx', `{ ${webhooks} && $.status >= 500 }`)('Sum'),
      admin5xx: filter('Admin5xx', 'Admin5xx', `{ ${admin} && $.status >= 500 }`)('Sum'),
      webhookLatency: filter('WebhookLatency', 'WebhookLatency', `{ ${webhooks} }`, '$.latency')('p99'),
      adminLatency: filter('AdminLatency', 'AdminLatency', `{ ${admin} }`, '$.latency')('p99'),
      accepted: filter('WebhookAccepted', 'WebhookAccepted', `{ ${webhooks} && $.status < 400 }`, '1', { Route: '$.routeKey' }),
      rejected: filter('WebhookRejected', 'WebhookRejected', `{ ${webhooks} && $.status >= 400 && $.status < 500 }`, '1', { Route: '$.routeKey' }),
    };
  }

  private pipelineAlarms(): void {
    const { queue, deadLetterQueue, ruleTargetDeadLetterQueue, thresholds } = this.props;
    this.alarm('dlq-depth', deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: FIVE_MINUTES }), 1, 'Feedback is in the dead-letter queue.');
    this.alarm('queue-oldest-message-age', queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: FIVE_MINUTES }), thresholds.oldestMessageAgeSeconds, 'Feedback waits on the queue longer than expected.');
    this.alarm('event-target-dlq-depth', ruleTargetDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: FIVE_MINUTES }), 1, 'EventBridge could not deliver events to a rule target.');
    this.alarm('clock-executions-failed', this.props.clockStateMachine.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum' }), 1, 'A complaint clock execution failed.');
    this.alarm('clock-executions-timed-out', this.props.clockStateMachine.metricTimedOut({ period: FIVE_MINUTES, statistic: 'Sum' }), 1, 'A complaint clock execution timed out.');
  }

  private apiAlarms(api: ReturnType<StageMonitoring['accessLogMetrics']>): void {
    const { thresholds } = this.props;
    this.alarm('webhook-5xx', api.webhook5xx, thresholds.api5xxPerFiveMinutes, 'Webhook routes answer 5xx (platforms retry, then give up).');
    this.alarm('admin-5xx', api.admin5xx, thresholds.api5xxPerFiveMinutes, 'Admin routes answer 5xx.');
    this.alarm('webhook-latency-p99', api.webhookLatency, thresholds.apiLatencyP99Ms, 'Webhook p99 latency is high (platforms time out at 5-15 s).', ComparisonOperator.GREATER_THAN_THRESHOLD);
    this.alarm('admin-latency-p99', api.adminLatency, thresholds.apiLatencyP99Ms, 'Admin API p99 latency is high.', ComparisonOperator.GREATER_THAN_THRESHOLD);
  }

  private functionAlarms(): void {
    for (const [name, fn] of Object.entries(this.props.functions)) {
      this.alarm(`${name}-errors`, fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }), 1, `The ${name} function failed invocations.`);
      this.alarm(`${name}-throttles`, fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }), 1, `The ${name} function was throttled (reserved concurrency reached).`);
    }
  }

  private eventAlarms(): void {
    const { bus, busRules, scheduleRules, thresholds } = this.props;
    const failed = (rule: IRule, onBus: boolean) =>
      new Metric({ namespace: 'AWS/Events', metricName: 'FailedInvocations', statistic: 'Sum', period: FIVE_MINUTES, dimensionsMap: onBus ? { EventBusName: bus.eventBusName, RuleName: rule.ruleName } : { RuleName: rule.ruleName } });
    const metrics = [...busRules.map((r) => failed(r, true)), ...scheduleRules.map((r) => failed(r, false))];
    const expression = Object.fromEntries(metrics.map((m, i) => [`f${i}`, m]));
    this.alarm('event-failed-invocations', new MathExpression({ expression: `SUM([${Object.keys(expression).join(',')}])`, usingMetrics: expression, period: FIVE_MINUTES, label: 'FailedInvocations' }), 1, 'An EventBridge rule failed to invoke its target.');
    this.alarm('sla-breaches', this.eventCounts['Complaint.SlaBreached'], thresholds.slaBreachesPerHour, 'SLA breaches in the last hour reached the threshold.');
    this.alarm('reply-failures', this.eventCounts['Reply.Failed'], thresholds.replyFailuresPerHour, 'Reply failures in the last hour reached the threshold.');
  }

  private buildDashboard(api: ReturnType<StageMonitoring['accessLogMetrics']>): Dashboard {
    const { queue, deadLetterQueue, ruleTargetDeadLetterQueue, functions, webhookRouteKeys } = this.props;
    const c = this.eventCounts;
    const perRoute = (metric: typeof api.accepted) => webhookRouteKeys.map((route) => metric('Sum', { Route: route }).with({ label: route, period: Duration.hours(1) }));
    const dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `redress-${this.props.stage}` });
    dashboard.addWidgets(new TextWidget({ markdown: `# Redress ${this.props.stage}\nAlarms and what to do: docs/runbook.md`, width: 24, height: 1 }));
    dashboard.addWidgets(
      new GraphWidget({ title: 'Pipeline: received and processed', width: 8, left: [c['Feedback.Received'], functions.process ? functions.process.metricInvocations({ period: Duration.hours(1) }) : c['Complaint.Opened']] }),
      new GraphWidget({ title: 'Queue: age of oldest message (s)', width: 8, left: [queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: FIVE_MINUTES })] }),
      new GraphWidget({ title: 'Dead letters', width: 8, left: [deadLetterQueue.metricApproximateNumberOfMessagesVisible({ label: 'feedback DLQ' }), ruleTargetDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ label: 'event target DLQ' })] }),
    );
    dashboard.addWidgets(
      new GraphWidget({ title: 'SLA: complaints opened, warnings, breaches, escalations (per hour)', width: 12, left: [c['Complaint.Opened'], c['Complaint.SlaWarning'], c['Complaint.SlaBreached'], c['Complaint.Escalated']] }),
      new GraphWidget({ title: 'Replies failed (per hour)', width: 12, left: [c['Reply.Failed']] }),
    );
    dashboard.addWidgets(
      new GraphWidget({ title: 'Channels: accepted webhooks (per hour)', width: 12, left: perRoute(api.accepted) }),
      new GraphWidget({ title: 'Channels: rejected webhooks, 4xx (per hour)', width: 12, left: perRoute(api.rejected) }),
    );
    dashboard.addWidgets(
      new GraphWidget({ title: 'API 5xx', width: 12, left: [api.webhook5xx.with({ label: 'webhooks' }), api.admin5xx.with({ label: 'admin' })] }),
      new GraphWidget({ title: 'API latency p99 (ms)', width: 12, left: [api.webhookLatency.with({ label: 'webhooks' }), api.adminLatency.with({ label: 'admin' })] }),
    );
    // The functions' own counts (EMF): per channel by a search over the channel dimension (new channels appear by themselves).
    const perChannel = (name: MetricName) =>
      new MathExpression({ expression: `SEARCH('{${this.namespace},channel,service} MetricName="${name}"', 'Sum', 3600)`, label: name, period: Duration.hours(1), usingMetrics: {} });
    const counted = (name: MetricName) => new Metric({ namespace: this.namespace, metricName: name, dimensionsMap: { service: FUNCTION_METRICS[name].service }, statistic: 'Sum', period: Duration.hours(1), label: name });
    dashboard.addWidgets(
      new GraphWidget({ title: 'Received per channel (EMF, per hour)', width: 8, left: [perChannel('FeedbackReceived')] }),
      new GraphWidget({ title: 'Duplicates and rejected signatures per channel (EMF, per hour)', width: 8, left: [perChannel('DuplicateDeliveries'), perChannel('SignatureRejected')] }),
      new GraphWidget({
        title: 'Complaints, replies, clocks, failures (EMF, per hour)',
        width: 8,
        left: (['ComplaintsOpened', 'RepliesSent', 'RepliesFailed', 'SlaWarnings', 'SlaBreaches', 'ProcessingFailures'] as const).map(counted),
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({ title: 'Function errors', width: 12, left: Object.entries(functions).map(([n, fn]) => fn.metricErrors({ label: n, period: FIVE_MINUTES })) }),
      new GraphWidget({ title: 'Function throttles', width: 12, left: Object.entries(functions).map(([n, fn]) => fn.metricThrottles({ label: n, period: FIVE_MINUTES })) }),
    );
    return dashboard;
  }
}
