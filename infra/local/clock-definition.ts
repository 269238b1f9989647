/**
 * The clock state machine's definition exactly as CDK synthesizes it (the same ComplaintClock construct
 * the AWS stack uses), for aws-local-stepfunctions to run locally. Resource ARNs are placeholders: the
 * local runtime binds the Task states to local handlers by state name.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: Record<string, unknown> | undefined;

const CONSTRUCT_SOURCE = fileURLToPath(new URL('../constructs/complaint-clock.ts', import.meta.url));
const CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/redress/', import.meta.url));

/**
 * The definition, synthesized from the construct, or read back from a cache keyed by the construct's
 * source and the aws-cdk-lib version (synthesizing costs a few seconds at every start otherwise; a
 * restart after `kill -9` must resume clocks quickly). Any change to either re-synthesizes.
 */
export async function loadClockDefinition(): Promise<Record<string, unknown>> {
  if (cached) return structuredClone(cached);
  const require = createRequire(import.meta.url);
  const cdkVersion = (require('aws-cdk-lib/package.json') as { version: string }).version;
  const key = createHash('sha256').update(readFileSync(CONSTRUCT_SOURCE)).update(readFileSync(fileURLToPath(new URL('../../schemas/event-names.ts', import.meta.url)))).update(cdkVersion).digest('hex').slice(0, 16);
  const file = join(CACHE_DIR, `clock-definition-${key}.json`);
  if (existsSync(file)) {
    try {
      cached = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      return structuredClone(cached);
    } catch {
      // a torn cache file: synthesize again
    }
  }
  const definition = await synthesizeClockDefinition();
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    writeFileSync(`${file}.tmp`, JSON.stringify(definition));
    renameSync(`${file}.tmp`, file);
  } catch {
    // read-only tree: fine, synthesize next time
  }
  return definition;
}

/** The Amazon States Language definition of the complaint clock, synthesized now from the construct. */
export async function synthesizeClockDefinition(): Promise<Record<string, unknown>> {
  // aws-cdk-lib takes seconds to load: only when there is something to synthesize.
  const [{ App, Stack }, { EventBus }, { Function: LambdaFunction }, { ComplaintClock }] = await Promise.all([
    import('aws-cdk-lib'),
    import('aws-cdk-lib/aws-events'),
    import('aws-cdk-lib/aws-lambda'),
    import('../constructs/complaint-clock.ts'),
  ]);
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
