/**
 * The admin routes' own HTTP API (stage config `adminApi: separate`): the handlers' console calls it,
 * the platforms never learn its URL, and it has its own stage throttle (the stage's `adminThrottle`),
 * its own access logs (the admin alarms' metric filters read them) and its own endpoint, which can be
 * fronted or restricted apart from the public webhook API (docs/runbook.md "Edge"). The webhook API
 * then carries only the webhooks, the customer survey and the contract document.
 */
import { CfnOutput, Validations } from 'aws-cdk-lib';
import { HttpApi, type CfnStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ACCESS_LOG_FORMAT } from './webhook-api.ts';

export interface AdminHttpApiProps {
  stage: string;
  logRetentionDays: number;
  /** Throttle of every admin route (the stage's default route settings). */
  throttle: { rateLimit: number; burstLimit: number };
}

export class AdminHttpApi extends Construct {
  readonly api: HttpApi;
  /** Access logs, in the webhook API's JSON format. */
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: AdminHttpApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', { apiName: `redress-${props.stage}-admin`, description: 'Redress admin API (complaint handlers; Cognito JWT)' });
    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetentionDays as RetentionDays });
    const stage = this.api.defaultStage?.node.defaultChild as CfnStage;
    stage.accessLogSettings = { destinationArn: this.accessLogs.logGroupArn, format: ACCESS_LOG_FORMAT };
    stage.defaultRouteSettings = { throttlingBurstLimit: props.throttle.burstLimit, throttlingRateLimit: props.throttle.rateLimit };
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason: 'Every admin route has the Cognito JWT authorizer (AdminApi); only GET /openapi.json, the public contract document the console reads, has none.',
    });
    Validations.of(this.api).acknowledge({
      id: 'Serverless-APIGWStructuredLogging',
      reason: "The access log format is JSON once API Gateway substitutes its values (the webhook API's format); status and latency are unquoted so the alarms' metric filters compare them as numbers.",
    });
    new CfnOutput(scope, 'AdminApiUrl', { value: this.api.apiEndpoint, description: "Base URL of the admin API (the handlers' console; not for the platforms)" });
  }
}
