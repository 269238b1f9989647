/**
 * cdk-nag findings we accept (AWS Solutions, Serverless, NIST 800-53 rev 5), each acknowledged on the one
 * resource it concerns with the reason that holds for that resource; nothing is acknowledged stack-wide.
 * test/infra/stack.test.ts runs the three packs and requires zero unacknowledged findings.
 */
import { Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IRule } from 'aws-cdk-lib/aws-events';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';

/** How each function is invoked: why it has no DLQ or on-failure destination of its own. */
const INVOCATION: Record<string, string> = {
  ingest: 'invoked synchronously by the HTTP API: the platform gets the error and redelivers (an async DLQ never applies)',
  process: 'invoked by the SQS event source mapping: failed messages back off on the queue and dead-letter to the feedback DLQ (the function does it with the reason; the redrive policy is the backstop)',
  'clock-check': 'invoked synchronously by the clock state machine, which retries each check and falls back to announcing the breach itself',
  sweeper: 'invoked every five minutes by a schedule: a failed sweep is repeated by the next one, and its errors alarm (sweeper-errors)',
  admin: 'invoked synchronously by the HTTP API: the handler sees the error (an async DLQ never applies)',
  report: 'invoked synchronously by the HTTP API for the quarterly reports: the handler sees the error (an async DLQ never applies)',
  reply: 'invoked by the SQS event source mapping of the replies queue: a failed message is redelivered and, after its receives, dead-lettered to the replies DLQ',
};

const ack = (scope: IConstruct, id: string, reason: string) => Validations.of(scope).acknowledge({ id, reason });

/** Per function: runtime, execution role policies, invocation (DLQ), VPC. */
export function acknowledgeFunctionFindings(name: string, fn: IFunction): void {
  const invocation = INVOCATION[name] ?? 'see README';
  const runtime = `The ${name} function runs on Node.js 22 (nodejs22.x), the runtime this project targets and tests on; moving to 24 is a deliberate, tested change.`;
  ack(fn, 'AwsSolutions-L1', runtime);
  ack(fn, 'Serverless-LambdaLatestVersion', runtime);
  ack(fn, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', `The basic execution policy only lets the ${name} function write its own CloudWatch logs.`);
  ack(fn, 'AwsSolutions-IAM5[Resource::*]', `X-Ray PutTraceSegments/PutTelemetryRecords (active tracing of the ${name} function) only exist on Resource "*".`);
  ack(fn, 'NIST.800.53.R5-IAMNoInlinePolicy', `The ${name} function's role has one inline policy with exactly the calls it makes (test/infra/iam.test.ts proves it against recorded calls); a shared managed policy would grant them to other roles.`);
  ack(fn, 'NIST.800.53.R5-LambdaDLQ', `The ${name} function is ${invocation}.`);
  ack(fn, 'Serverless-LambdaDLQ', `The ${name} function is ${invocation}.`);
  ack(
    fn,
    'NIST.800.53.R5-LambdaInsideVPC',
    `The ${name} function calls only AWS APIs (DynamoDB, SQS, EventBridge, Step Functions, Secrets Manager) over TLS with IAM authorisation, and ${name === 'ingest' || name === 'process' ? 'no private network resource' : 'nothing in a private network'}; a VPC would add NAT or endpoints and no control over that traffic.`,
  );
}

export function acknowledgeProcessEventSource(processFn: IFunction): void {
  ack(processFn, 'Serverless-LambdaEventSourceMappingDestination', 'The feedback queue has a redrive policy to its DLQ, and the process function dead-letters failed messages itself with the reason.');
}

/** The reply function's SQS event source: failed jobs redrive to the replies DLQ, and the reply stays in its item's outbox. */
export function acknowledgeReplyEventSource(replyFn: IFunction): void {
  ack(replyFn, 'Serverless-LambdaEventSourceMappingDestination', "The replies queue has a redrive policy to its DLQ, and a reply that never went out stays in its item's outbox with its error.");
}

/** A stage that turns AWS Backup off (a throwaway dev stage): the table still has point-in-time recovery. */
export function acknowledgeNoBackupPlan(table: IConstruct, stage: string): void {
  ack(table, 'NIST.800.53.R5-DynamoDBInBackupPlan', `Stage ${stage} sets backup.enabled=false (a throwaway stage that does not retain its data); point-in-time recovery stays on, and stages that keep data enable the AWS Backup plan (TableBackup).`);
}

/** The dead-letter queues themselves: a DLQ has no DLQ. */
export function acknowledgeDeadLetterQueue(queue: IQueue, what: string): void {
  ack(queue, 'AwsSolutions-SQS3', `This queue is itself the dead-letter queue of ${what}.`);
  ack(queue, 'Serverless-SQSRedrivePolicy', `This queue is itself the dead-letter queue of ${what}; what lands here is alarmed and redriven by an operator.`);
}

/** Rules that exist only to count events (MatchedEvents): they have no target that could fail. */
export function acknowledgeCountingRule(rule: IRule): void {
  ack(rule, 'Serverless-EventBusDLQ', 'A counting rule with no target (its MatchedEvents metric feeds the dashboard and alarms): nothing to deliver, nothing to dead-letter.');
}

/** Secrets that cannot rotate on a schedule, each for its own reason. */
export function acknowledgeSecretRotation(secret: IConstruct, reason: string): void {
  ack(secret, 'AwsSolutions-SMG4', reason);
  ack(secret, 'NIST.800.53.R5-SecretsManagerRotationEnabled', reason);
}

/** CodeDeploy's service role of a function's deployment group (infra/constructs/function-deployments.ts). */
export function acknowledgeDeploymentRole(group: IConstruct, name: string): void {
  ack(
    group,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited]',
    `CodeDeploy's own managed policy for Lambda deployments, scoped by AWS to what shifting the ${name} function's alias needs (read functions and aliases, update the alias, run the hooks, read the rollback alarms); AWS keeps it in step with CodeDeploy.`,
  );
}
