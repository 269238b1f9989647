/**
 * The public HTTP API: every channel's webhook route goes to the ingest function. Webhook routes are
 * unauthenticated at the gateway on purpose: each platform signs its deliveries its own way, and the
 * ingest function verifies those signatures on the raw bytes.
 */
import { CfnOutput, Duration } from 'aws-cdk-lib';
import { CfnStage, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
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
  '/webhooks/meta': [HttpMethod.GET, HttpMethod.POST],
  '/webhooks/x': [HttpMethod.GET, HttpMethod.POST],
  '/webhooks/wechat': [HttpMethod.GET, HttpMethod.POST],
};

export interface WebhookApiProps {
  stage: string;
  ingest: IFunction;
  logRetentionDays: number;
}

export class WebhookApi extends Construct {
  readonly api: HttpApi;

  constructor(scope: Construct, id: string, props: WebhookApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', { apiName: `redress-${props.stage}`, description: 'Redress webhooks and admin API' });
    const integration = new HttpLambdaIntegration('Ingest', props.ingest, { timeout: Duration.seconds(29) });
    for (const [path, methods] of Object.entries(WEBHOOK_ROUTES)) this.api.addRoutes({ path, methods, integration });

    // Access logs (ids, status and latency only: no bodies, no headers).
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetentionDays as RetentionDays });
    const stage = this.api.defaultStage?.node.defaultChild as CfnStage;
    stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status', latency: '$context.responseLatency', ip: '$context.identity.sourceIp' }),
    };
    stage.defaultRouteSettings = { throttlingBurstLimit: 2000, throttlingRateLimit: 1000 };
    new CfnOutput(scope, 'ApiUrl', { value: this.api.apiEndpoint, description: 'Base URL for the channel webhooks' });
  }
}
