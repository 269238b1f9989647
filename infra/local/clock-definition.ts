/**
 * The clock state machine's definition exactly as CDK synthesizes it (the same ComplaintClock construct
 * the AWS stack uses), for aws-local-stepfunctions to run locally. Resource ARNs are placeholders: the
 * local runtime binds the Task states to local handlers by state name.
 */
import { App, Stack } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { ComplaintClock } from '../constructs/complaint-clock.ts';

let cached: Record<string, unknown> | undefined;

/** The Amazon States Language definition of the complaint clock (synthesized once per process). */
export function synthesizeClockDefinition(): Record<string, unknown> {
  if (cached) return structuredClone(cached);
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'LocalClock', { env: { account: '000000000000', region: 'local' } });
  const checkFunction = LambdaFunction.fromFunctionArn(stack, 'Check', 'arn:aws:lambda:local:000000000000:function:redress-clock-check');
  const eventBus = EventBus.fromEventBusArn(stack, 'Bus', 'arn:aws:events:local:000000000000:event-bus/redress-local');
  new ComplaintClock(stack, 'Clock', { checkFunction, eventBus, logRetentionDays: 1 });
  const template = app.synth().getStackByName('LocalClock').template as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  const machine = Object.values(template.Resources).find((r) => r.Type === 'AWS::StepFunctions::StateMachine');
  if (!machine) throw new Error('the clock construct synthesized no state machine');
  cached = JSON.parse(resolveIntrinsics(machine.Properties.DefinitionString)) as Record<string, unknown>;
  return structuredClone(cached);
}

/** Resolves the few CloudFormation intrinsics a definition string contains (Fn::Join of strings and pseudo parameters). */
function resolveIntrinsics(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v['Fn::Join'])) {
      const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
      return parts.map(resolveIntrinsics).join(sep);
    }
    if (typeof v.Ref === 'string') return ({ 'AWS::Partition': 'aws', 'AWS::Region': 'local', 'AWS::AccountId': '000000000000', 'AWS::URLSuffix': 'amazonaws.com' } as Record<string, string>)[v.Ref] ?? `local-${v.Ref}`;
  }
  throw new Error(`cannot resolve ${JSON.stringify(value).slice(0, 200)} in the clock definition`);
}
