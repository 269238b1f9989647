/**
 * The public HTTP API: every channel's webhook route goes to the ingest function. Webhook routes are
 * unauthenticated at the gateway on purpose: each platform signs its deliveries its own way, and the
 * ingest function verifies those signatures on the raw bytes.
 */
import { CfnOutput, Duration } from 'aws-cdk-lib';
import { CfnRoute, CfnStage, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Route path → methods. GET serves the platforms' handshakes (Meta, X CRC, WeChat). */
export const WEBHOOK_ROUTES: Record<string, HttpMethod[]> = {
  '/webhooks/web': [HttpMethod.POST],
  '/webhooks/mobile': [HttpMethod.POST],
  '/webhooks/hotline': [HttpMethod.POST],
  '/webhooks/hotline/twilio': [HttpMethod.POST],
  '/webhooks/hotline/twilio/{proxy+}': [HttpMethod.POST],
  '/webhooks/hotline/connect': [HttpMethod.POST],
  '/webhooks/meta': [HttpMethod.GET, HttpMethod.POST],
  '/webhooks/x': [HttpMethod.GET, HttpMethod.POST],
  '/webhooks/wechat': [HttpMethod.GET, HttpMethod.POST],
};

/** One JSON line per request: ids, route, status and latency only (no bodies, no headers); status and latency unquoted. */
export const ACCESS_LOG_FORMAT = '{"requestId":"$context.requestId","routeKey":"$context.routeKey","status":$context.status,"latency":$context.responseLatency,"ip":"$context.identity.sourceIp"}';

export interface WebhookApiProps {
  stage: string;
  ingest: IFunction;
  logRetentionDays: number;
  /** Throttle of the webhook routes (the stage's default route settings). */
  throttle?: { rateLimit: number; burstLimit: number };
  /** What else the API serves, for its description (the admin routes unless they have their own API). */
  description?: string;
}

export class WebhookApi extends Construct {
  readonly api: HttpApi;
  /** Access logs, one JSON line per request: routeKey, numeric status and latency (the alarms' metric filters read them). */
  readonly accessLogs: LogGroup;
  private readonly stage: CfnStage;

  constructor(scope: Construct, id: string, props: WebhookApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', { apiName: `redress-${props.stage}`, description: props.description ?? 'Redress webhooks and admin API' });
    const integration = new HttpLambdaIntegration('Ingest', props.ingest, { timeout: Duration.seconds(29) });
    for (const [path, methods] of Object.entries(WEBHOOK_ROUTES)) this.api.addRoutes({ path, methods, integration });

    // Access logs (ids, status and latency only: no bodies, no headers).
    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetentionDays as RetentionDays });
    const stage = this.api.defaultStage?.node.defaultChild as CfnStage;
    this.stage = stage;
    // Status and latency unquoted: metric filters compare and sum them as numbers.
    stage.accessLogSettings = {
      destinationArn: this.accessLogs.logGroupArn,
      format: ACCESS_LOG_FORMAT,
    };
    const throttle = props.throttle ?? { rateLimit: 1000, burstLimit: 2000 };
    stage.defaultRouteSettings = { throttlingBurstLimit: throttle.burstLimit, throttlingRateLimit: throttle.rateLimit };
    new CfnOutput(scope, 'ApiUrl', { value: this.api.apiEndpoint, description: 'Base URL for the channel webhooks' });
  }

  /**
   * Gives `routeKeys` (`GET /admin/complaints`…) their own throttle, apart from the webhooks' default, so
   * a webhook flood and the handlers' console never share one budget. Call after the routes exist.
   */
  throttleRoutes(routeKeys: string[], throttle: { rateLimit: number; burstLimit: number }): void {
    const settings = Object.fromEntries(routeKeys.map((key) => [key, { ThrottlingBurstLimit: throttle.burstLimit, ThrottlingRateLimit: throttle.rateLimit }]));
    this.stage.routeSettings = { ...((this.stage.routeSettings as Record<string, unknown> | undefined) ?? {}), ...settings };
    // CloudFormation property names: routeSettings is untyped, so CDK passes it through as written.
    // A stage's route settings name routes that must already exist.
    for (const route of this.api.node.findAll().filter((c) => c instanceof CfnRoute)) this.stage.node.addDependency(route);
  }
}
