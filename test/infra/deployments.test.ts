/**
 * Safe deployments on the synthesized template (infra/constructs/function-deployments.ts): every
 * function has a `live` alias on its current version that CodeDeploy shifts (canary on prod, all at
 * once elsewhere) and rolls back on the function's errors and throttles alarms, and everything that
 * invokes a function invokes that alias: API routes, SQS event sources, the clock state machine's
 * tasks and the sweep schedule.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { StageConfig, deploymentStrategy } from '../../infra/config.ts';
import { synthStage } from '../helpers/stage-template.ts';
import { REDRESS_FUNCTIONS } from '../../infra/local/aws-calls.ts';

const ENV = { account: '123456789012', region: 'eu-west-1' };
type Resource = { Type: string; Properties?: Record<string, any>; UpdatePolicy?: Record<string, any> };

function synth(config: Record<string, unknown>) {
  // Both stacks of the stage as one template: the functions and their invokers are in the stateless stack, the queues in the stateful one.
  const { stack, json } = synthStage(config);
  const resources = json.Resources as Record<string, Resource>;
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const functionId = (name: (typeof REDRESS_FUNCTIONS)[number]) => stack.getLogicalId(stack.functions[name].node.defaultChild as never);
  /** The logical id of function `name`'s `live` alias. */
  const aliasOf = (name: (typeof REDRESS_FUNCTIONS)[number]) => {
    const found = ofType('AWS::Lambda::Alias').filter(([, r]) => r.Properties!.FunctionName?.Ref === functionId(name));
    expect(found, `aliases of ${name}`).toHaveLength(1);
    return found[0]!;
  };
  return { stack, resources, ofType, functionId, aliasOf };
}
/** Every Ref inside a value (CDK wraps alias ARNs in joins and splits). */
const refsIn = (value: unknown) => [...JSON.stringify(value ?? null).matchAll(/"Ref":"([^"]+)"/g)].map((m) => m[1]!);
const refs = (value: unknown, id: string) => refsIn(value).includes(id);

let prod: ReturnType<typeof synth>;
let dev: ReturnType<typeof synth>;
beforeAll(() => {
  prod = synth({ stage: 'prod', ...ENV, adminCallbackUrls: ['https://console.example-bank.com/callback'] });
  dev = synth({ stage: 'dev' });
}, 120_000);

describe('live aliases and their deployment groups', () => {
  it.each(REDRESS_FUNCTIONS)('%s: a `live` alias on its current version, updated by its own CodeDeploy group', (name) => {
    const [aliasId, alias] = prod.aliasOf(name);
    expect(alias.Properties!.Name).toBe('live');
    const version = prod.resources[alias.Properties!.FunctionVersion['Fn::GetAtt'][0]]!;
    expect(version.Type).toBe('AWS::Lambda::Version');
    expect(version.Properties!.FunctionName.Ref).toBe(prod.functionId(name));
    const groupId = alias.UpdatePolicy!.CodeDeployLambdaAliasUpdate.DeploymentGroupName.Ref as string;
    const group = prod.resources[groupId]!;
    expect(group.Type).toBe('AWS::CodeDeploy::DeploymentGroup');
    expect(group.Properties!.DeploymentGroupName).toBe(`redress-prod-${name}`);
    expect(aliasId).toBeTruthy();
  });

  it.each(REDRESS_FUNCTIONS)("%s: rolls back when the function's errors or throttles alarm fires during the shift", (name) => {
    const [, alias] = prod.aliasOf(name);
    const group = prod.resources[alias.UpdatePolicy!.CodeDeployLambdaAliasUpdate.DeploymentGroupName.Ref]!.Properties!;
    expect(group.AutoRollbackConfiguration).toEqual({ Enabled: true, Events: expect.arrayContaining(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM']) });
    expect(group.AlarmConfiguration.Enabled).toBe(true);
    const alarmNames = (group.AlarmConfiguration.Alarms as Array<{ Name: { Ref: string } }>).map((a) => prod.resources[a.Name.Ref]!.Properties!.AlarmName).sort();
    expect(alarmNames).toEqual([`redress-prod-${name}-errors`, `redress-prod-${name}-throttles`]);
    const [metricAlarm] = (group.AlarmConfiguration.Alarms as Array<{ Name: { Ref: string } }>).map((a) => prod.resources[a.Name.Ref]!.Properties!);
    expect(refs(metricAlarm!.Dimensions, prod.functionId(name))).toBe(true);
  });

  it('shift canary on prod (10 % for 5 minutes), all at once on dev, and as `-c deployment=…` says', () => {
    const configs = (s: ReturnType<typeof synth>) => new Set(s.ofType('AWS::CodeDeploy::DeploymentGroup').map(([, r]) => r.Properties!.DeploymentConfigName));
    expect(configs(prod)).toEqual(new Set(['CodeDeployDefault.LambdaCanary10Percent5Minutes']));
    expect(configs(dev)).toEqual(new Set(['CodeDeployDefault.LambdaAllAtOnce']));
    expect(deploymentStrategy({ stage: 'dev', deployment: 'linear-10-percent-every-minute' })).toBe('linear-10-percent-every-minute');
    expect(deploymentStrategy(StageConfig.parse({ stage: 'prod', ...ENV, adminCallbackUrls: ['https://c.example.com/cb'], deployment: 'all-at-once' }))).toBe('all-at-once');
    expect(() => StageConfig.parse({ stage: 'dev', deployment: 'yolo' })).toThrow();
  });
});

describe('invokers call the live alias, never the function itself', () => {
  it('API routes: every invoke permission and integration names an alias', () => {
    const aliases = new Set(prod.ofType('AWS::Lambda::Alias').map(([id]) => id));
    const functions = new Set(REDRESS_FUNCTIONS.map((n) => prod.functionId(n)));
    const permissions = prod.ofType('AWS::Lambda::Permission');
    expect(permissions.length).toBeGreaterThan(0);
    for (const [id, p] of permissions) {
      expect(aliases.has(p.Properties!.FunctionName.Ref), `${id} invokes ${JSON.stringify(p.Properties!.FunctionName)}`).toBe(true);
    }
    for (const [id, integration] of prod.ofType('AWS::ApiGatewayV2::Integration')) {
      const named = refsIn(integration.Properties!.IntegrationUri);
      expect(named.some((r) => aliases.has(r)), id).toBe(true);
      expect(named.some((r) => functions.has(r)), id).toBe(false);
    }
    expect(permissions.some(([, p]) => p.Properties!.FunctionName.Ref === prod.aliasOf('ingest')[0])).toBe(true);
    expect(permissions.some(([, p]) => p.Properties!.FunctionName.Ref === prod.aliasOf('admin')[0])).toBe(true);
    expect(permissions.some(([, p]) => p.Properties!.FunctionName.Ref === prod.aliasOf('report')[0])).toBe(true);
  });

  it('SQS event sources of process and reply', () => {
    const mappings = prod.ofType('AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(2);
    for (const name of ['process', 'reply'] as const) {
      const mine = mappings.filter(([, m]) => refs(m.Properties!.FunctionName, prod.aliasOf(name)[0]));
      expect(mine, name).toHaveLength(1);
      expect(JSON.stringify(mine[0]![1].Properties!.FunctionName)).toContain(':live');
    }
    for (const [, m] of mappings) for (const name of REDRESS_FUNCTIONS) expect(refs(m.Properties!.FunctionName, prod.functionId(name))).toBe(false);
  });

  it("the clock state machine's check tasks and the sweep schedule", () => {
    const [machine] = prod.ofType('AWS::StepFunctions::StateMachine');
    const definition = machine![1].Properties!.DefinitionString;
    expect(refsIn(definition)).toContain(prod.aliasOf('clock-check')[0]);
    expect(JSON.stringify(definition)).not.toContain(`"${prod.functionId('clock-check')}"`);
    const sweep = prod.ofType('AWS::Events::Rule').find(([, r]) => r.Properties!.ScheduleExpression);
    expect(sweep![1].Properties!.Targets.map((t: { Arn: unknown }) => refsIn(t.Arn))).toEqual([[prod.aliasOf('sweeper')[0]]]);
  });
});
