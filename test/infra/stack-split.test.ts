/**
 * The stage's two stacks (infra/stage-stacks.ts): everything that holds data or identity is in the
 * stateful stack, the stateless stack holds none of it and only refers to it, and nothing refers the
 * other way, so the stateless stack can be destroyed and redeployed without touching the data.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { synthStage, type SynthesizedStage } from '../helpers/stage-template.ts';

/** Resource types that hold data, keys or identity: they must live in the stateful stack only. */
const STATEFUL_TYPES = ['AWS::DynamoDB::Table', 'AWS::SQS::Queue', 'AWS::Events::EventBus', 'AWS::Events::Archive', 'AWS::Cognito::UserPool', 'AWS::Backup::BackupVault', 'AWS::Backup::BackupPlan'];
/** The code and its wiring: the stateless stack only. */
const STATELESS_TYPES = ['AWS::Lambda::Function', 'AWS::ApiGatewayV2::Api', 'AWS::StepFunctions::StateMachine', 'AWS::Events::Rule', 'AWS::CloudWatch::Alarm', 'AWS::CloudWatch::Dashboard'];

let prod: SynthesizedStage;
let stateful: Record<string, any>;
let stateless: Record<string, any>;
const typesIn = (t: Record<string, any>) => new Set(Object.values(t.Resources as Record<string, { Type: string }>).map((r) => r.Type));

beforeAll(() => {
  prod = synthStage({ stage: 'test', retainData: true, backup: { enabled: true, retentionDays: 35, vaultLock: false } });
  stateful = Template.fromStack(prod.stateful).toJSON();
  stateless = Template.fromStack(prod.stack).toJSON();
}, 120_000);

describe('stateful and stateless stacks', () => {
  it('are named after the stage, the stateless one deployed after the stateful one', () => {
    expect(prod.stateful.stackName).toBe('Redress-test-stateful');
    expect(prod.stack.stackName).toBe('Redress-test-stateless');
    expect(prod.stack.dependencies).toContain(prod.stateful);
    expect(prod.stateful.dependencies).toEqual([]);
  });

  it('keep the table, queues, bus and archive, user pool, backups, channel secret and stage keys in the stateful stack only', () => {
    for (const type of STATEFUL_TYPES) {
      expect(typesIn(stateful).has(type), type).toBe(true);
      expect(typesIn(stateless).has(type), type).toBe(false);
    }
    const secrets = (t: Record<string, any>) => Object.values(t.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::SecretsManager::Secret').map((r) => String(r.Properties.Description));
    expect(secrets(stateful).some((d) => d.startsWith('Redress channel secrets'))).toBe(true);
    expect(secrets(stateless).some((d) => d.startsWith('Redress channel secrets'))).toBe(false);
    const keyAliases = (t: Record<string, any>) => Object.values(t.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::KMS::Alias').map((r) => r.Properties.AliasName);
    expect(keyAliases(stateful).sort()).toEqual(['alias/redress-test-alarms', 'alias/redress-test-data', 'alias/redress-test-logs']);
    expect(keyAliases(stateless)).toEqual([]);
  });

  it('keep the functions, APIs, clock, rules, alarms and dashboard in the stateless stack only', () => {
    for (const type of STATELESS_TYPES) {
      expect(typesIn(stateless).has(type), type).toBe(true);
      expect(typesIn(stateful).has(type), type).toBe(false);
    }
  });

  it('refer only from stateless to stateful: the stateful template imports nothing, the stateless one imports its data', () => {
    expect(JSON.stringify(stateful)).not.toContain('Fn::ImportValue');
    const imports = JSON.stringify(stateless).match(/Fn::ImportValue/g) ?? [];
    expect(imports.length).toBeGreaterThan(0);
  });

  it('retain every data resource of a stage that keeps data when its stack is deleted', () => {
    for (const [id, r] of Object.entries(stateful.Resources as Record<string, any>)) {
      if (!['AWS::DynamoDB::Table', 'AWS::SQS::Queue', 'AWS::Events::Archive', 'AWS::Cognito::UserPool', 'AWS::KMS::Key', 'AWS::SecretsManager::Secret', 'AWS::Backup::BackupVault'].includes(r.Type)) continue;
      expect(r.DeletionPolicy, `${r.Type} ${id}`).toBe('Retain');
    }
  });

  it("let EventBridge dead-letter to the rule targets' queue for the stage's rules by name, and every rule with a dead-letter target has such a name", () => {
    const policy = Object.values(stateful.Resources as Record<string, any>)
      .filter((r) => r.Type === 'AWS::SQS::QueuePolicy')
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .find((s: { Sid?: string }) => s.Sid === 'AllowStageRules');
    expect(policy.Principal).toEqual({ Service: 'events.amazonaws.com' });
    const patterns = (policy.Condition.ArnLike['aws:SourceArn'] as Array<{ 'Fn::Join': [string, unknown[]] }>).map((p) => p['Fn::Join'][1].filter((x) => typeof x === 'string').join('…'));
    expect(patterns.some((p) => p.endsWith(':rule/redress-test/*'))).toBe(true);
    expect(patterns.some((p) => p.endsWith(':rule/redress-test-*'))).toBe(true);
    // The merged template: each rule's EventBusName resolved to the stateful stack's bus it imports.
    const resources = prod.json.Resources as Record<string, any>;
    const withDeadLetters = Object.keys(stateless.Resources as Record<string, any>)
      .map((id) => resources[id]!)
      .filter((r) => r.Type === 'AWS::Events::Rule' && (r.Properties.Targets ?? []).some((t: { DeadLetterConfig?: unknown }) => t.DeadLetterConfig));
    expect(withDeadLetters.length).toBeGreaterThanOrEqual(3);
    for (const rule of withDeadLetters) {
      const bus = rule.Properties.EventBusName?.Ref ? resources[rule.Properties.EventBusName.Ref] : undefined;
      // On the stage's bus (rule/redress-test/…) or, on the default bus, named redress-test-… (rule/redress-test-…).
      const matches = bus ? bus.Properties.Name === 'redress-test' : String(rule.Properties.Name).startsWith('redress-test-');
      expect(matches, JSON.stringify(rule.Properties.Targets)).toBe(true);
    }
  });
});
