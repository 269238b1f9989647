/**
 * IAM proven, not read: each function's role must allow every AWS call the function makes, on the
 * resource it makes it on, and nothing else. The calls come from test/fixtures/aws-calls.json, recorded
 * by the integration suite on the local stack and the entry-point test (and checked against them
 * there); the resources are what each function's environment points at in the synthesized template.
 * Policies are evaluated as IAM would (test/helpers/cfn-iam.ts): intrinsics resolved to ARNs, `*`
 * matched as a wildcard.
 *
 * Besides the recorded calls a role legitimately needs what AWS does with it on the function's behalf:
 * the SQS event source mapping polls with it (AWS's AWSLambdaSQSQueueExecutionRole: ReceiveMessage,
 * DeleteMessage, GetQueueAttributes on the queue), and active tracing sends X-Ray segments (actions
 * that exist only on Resource "*"); logs go through the AWSLambdaBasicExecutionRole managed policy.
 * And encryption: a call on a resource encrypted with one of the stage's customer-managed keys (the table,
 * the queues, the secrets, the clock state machine) needs that key too, `kms:Decrypt` (reads, receives)
 * and `kms:GenerateDataKey` (writes, sends, execution input), on that key and no other.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { stageConfigFromContext } from '../../infra/config.ts';
import { FAQ_PARTITIONS_ONLY } from '../../infra/constructs/faq-access.ts';
import { CUSTOMER_PARTITIONS_ONLY } from '../../infra/constructs/customer-access.ts';
import type { RedressStack } from '../../infra/redress-stack.ts';
import { synthStage } from '../helpers/stage-template.ts';
import { REDRESS_FUNCTIONS, type RedressFunctionName } from '../../infra/local/aws-calls.ts';
import { readFixture, recordedKey, type RecordedCall } from '../helpers/aws-calls.ts';
import { ACCOUNT, REGION, actionMatches, evaluate, iamMatches, refOf, roleManagedPolicies, roleStatements, type CfnTemplate, type Statement } from '../helpers/cfn-iam.ts';

/** API operations authorised by an IAM action of another name. */
const IAM_ACTION_OF_COMMAND: Record<string, string> = {
  'sqs:SendMessageBatch': 'sqs:SendMessage',
  'sqs:DeleteMessageBatch': 'sqs:DeleteMessage',
  'sqs:ChangeMessageVisibilityBatch': 'sqs:ChangeMessageVisibility',
};
const SQS_EVENT_SOURCE_ACTIONS = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'];
const XRAY_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];
const BASIC_EXECUTION_ROLE = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
/** What a function needs on the customer-managed key of a resource it calls (infra/constructs/stage-keys.ts). */
const DATA_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'];
/** Resource types whose Ref is their ARN (the rest have an Arn attribute). */
const REF_IS_ARN = new Set(['AWS::StepFunctions::StateMachine', 'AWS::SecretsManager::Secret', 'AWS::SNS::Topic']);

/** A permission the role must have: the IAM action, the grant's resource pattern, and a resource it must match. */
interface Needed {
  why: string;
  action: string;
  /** The exact resource a least-privilege statement names. */
  pattern: string;
  /** A concrete resource a call addresses (for a pattern with a wildcard, one of its instances). */
  sample: string;
}

let template: CfnTemplate;
let stack: RedressStack;
const calls = readFixture();

beforeAll(() => {
  // Both stacks of the stage as one template: the roles are in the stateless stack, what they act on mostly in the stateful one.
  const stage = synthStage({ stage: 'test' });
  stack = stage.stack;
  template = stage.json;
}, 120_000);

function functionOf(fn: RedressFunctionName): { id: string; roleId: string; env: Record<string, unknown>; traced: boolean } {
  const id = stack.getLogicalId(stack.functions[fn].node.defaultChild as CfnFunction);
  const props = template.Resources[id]!.Properties!;
  return { id, roleId: props.Role['Fn::GetAtt'][0], env: props.Environment?.Variables ?? {}, traced: props.TracingConfig?.Mode === 'Active' };
}

function arnOf(resourceId: string): string {
  const type = template.Resources[resourceId]!.Type;
  return evaluate(template, REF_IS_ARN.has(type) ? { Ref: resourceId } : { 'Fn::GetAtt': [resourceId, 'Arn'] });
}

/** The ARN of the customer-managed key a resource of this stack is encrypted with, if any. */
function keyOf(resourceId: string): string | undefined {
  const p = template.Resources[resourceId]!.Properties ?? {};
  const key = p.SSESpecification?.KMSMasterKeyId ?? p.KmsMasterKeyId ?? p.KmsKeyId ?? p.EncryptionConfiguration?.KmsKeyId;
  return key === undefined ? undefined : evaluate(template, key);
}

/** The key permissions a call on `resourceId` needs, when that resource is encrypted with a customer-managed key. */
function keyNeeds(why: string, resourceId: string): Needed[] {
  const key = keyOf(resourceId);
  return key ? DATA_KEY_ACTIONS.map((action) => ({ why: `${why} (encrypted)`, action, pattern: key, sample: key })) : [];
}

/** What one recorded call needs, on the resource the function's environment names. */
function neededFor(fn: RedressFunctionName, call: RecordedCall): Needed {
  const { env } = functionOf(fn);
  const why = recordedKey(call);
  const resourceId = refOf(env[call.resource]);
  if (!resourceId) throw new Error(`${why}: the ${fn} function's environment has no ${call.resource} naming a resource of this stack`);
  const arn = arnOf(resourceId);
  const action = IAM_ACTION_OF_COMMAND[call.command] ?? call.command;
  if (call.part?.startsWith('index/')) return { why, action, pattern: `${arn}/${call.part}`, sample: `${arn}/${call.part}` };
  if (call.part === 'execution') {
    const executions = arn.replace(':stateMachine:', ':execution:');
    return { why, action, pattern: `${executions}:*`, sample: `${executions}:fb_sample--first_response--abc123` };
  }
  if (call.part) throw new Error(`${why}: unknown resource part ${call.part}`);
  return { why, action, pattern: arn, sample: arn };
}

/** Everything function `fn`'s role needs: its recorded calls, its event source mapping's polling, X-Ray. */
function needs(fn: RedressFunctionName): Needed[] {
  const { id, traced } = functionOf(fn);
  const ours = calls.filter((c) => c.function === fn);
  const out = ours.map((c) => neededFor(fn, c));
  for (const c of ours) out.push(...keyNeeds(recordedKey(c), refOf(functionOf(fn).env[c.resource])!));
  // A mapping invokes the function or its `live` alias (infra/constructs/function-deployments.ts); either way it polls with the function's role.
  const invokers = new Set([id, ...Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::Lambda::Alias' && refOf(r.Properties?.FunctionName) === id).map(([aliasId]) => aliasId)]);
  // CDK names an alias in a mapping as `<function name taken from the alias ARN>:live`: any Ref inside it counts.
  const refsIn = (value: unknown) => [...JSON.stringify(value ?? null).matchAll(/"Ref":"([^"]+)"/g)].map((m) => m[1]!);
  for (const mapping of Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping' && refsIn(r.Properties?.FunctionName).some((ref) => invokers.has(ref)))) {
    const queue = evaluate(template, mapping.Properties!.EventSourceArn);
    expect(queue, 'an event source other than SQS').toMatch(/^arn:aws:sqs:/);
    for (const action of SQS_EVENT_SOURCE_ACTIONS) out.push({ why: 'SQS event source mapping', action, pattern: queue, sample: queue });
    const queueId = (mapping.Properties!.EventSourceArn as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt']?.[0];
    if (queueId) out.push(...keyNeeds('SQS event source mapping', queueId));
  }
  if (traced) for (const action of XRAY_ACTIONS) out.push({ why: 'active tracing', action, pattern: '*', sample: '*' });
  return out;
}

const statementsOf = (fn: RedressFunctionName): Statement[] => roleStatements(template, functionOf(fn).roleId);
const allows = (statements: Statement[], action: string, resource: string) =>
  statements.some((s) => s.effect === 'Allow' && s.actions.some((a) => actionMatches(a, action)) && s.resources.some((r) => iamMatches(r, resource)));

/** A DynamoDB-only statement whose one condition holds it to the customer links' partitions. */
const narrowsToCustomerLinks = (s: Statement): boolean => s.actions.every((a) => a.startsWith('dynamodb:')) && JSON.stringify(s.condition) === JSON.stringify(CUSTOMER_PARTITIONS_ONLY);
/** A DynamoDB-only statement whose one condition holds it to the FAQ's partitions. */
const narrowsToFaq = (s: Statement): boolean => s.actions.every((a) => a.startsWith('dynamodb:')) && JSON.stringify(s.condition) === JSON.stringify(FAQ_PARTITIONS_ONLY);

describe('the FAQ grants', () => {
  it.each([
    ['process', ['dynamodb:BatchGetItem']],
    // The admin function's BatchGetItem is on the whole table, as its GetItem: the lists read a page's items in batches.
    ['admin', ['dynamodb:BatchWriteItem', 'dynamodb:Query']],
  ] as const)('%s may batch (and query the table) only on the FAQ partitions', (fn, actions) => {
    const unconditioned = statementsOf(fn).filter((st) => st.actions.some((a) => (actions as readonly string[]).includes(a)) && st.resources.some((r) => !r.includes('/index/')) && !narrowsToFaq(st) && !narrowsToCustomerLinks(st));
    const conditioned = statementsOf(fn).filter(narrowsToFaq).flatMap((st) => st.actions);
    expect(unconditioned).toEqual([]);
    expect(conditioned.sort()).toEqual([...actions].sort());
  });
});

describe('the admin lists reading whole items in batches', () => {
  it('admin may BatchGetItem on the table exactly where it may GetItem (no write batch, no other resource)', () => {
    const batchGets = statementsOf('admin').filter((st) => st.actions.includes('dynamodb:BatchGetItem'));
    expect(batchGets).toHaveLength(1);
    expect(batchGets[0]!.actions).toContain('dynamodb:GetItem');
    expect(batchGets[0]!.actions).not.toContain('dynamodb:BatchWriteItem');
    expect(batchGets[0]!.condition).toBeUndefined();
  });
});

describe('the customer-link grants', () => {
  it('admin may query and delete on the table only in the customer-link partitions', () => {
    const onTable = statementsOf('admin').filter((st) => st.actions.some((a) => ['dynamodb:Query', 'dynamodb:DeleteItem'].includes(a)) && st.resources.some((r) => !r.includes('/index/')));
    expect(onTable.filter((st) => !narrowsToFaq(st) && !narrowsToCustomerLinks(st))).toEqual([]);
    expect(onTable.filter(narrowsToCustomerLinks).flatMap((st) => st.actions).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:Query']);
  });
});

describe('the recorded calls (test/fixtures/aws-calls.json)', () => {
  it('cover every function of the stack, and only those', () => {
    expect(Object.keys(stack.functions).sort()).toEqual([...REDRESS_FUNCTIONS].sort());
    for (const fn of REDRESS_FUNCTIONS) expect(calls.filter((c) => c.function === fn), `no recorded calls for ${fn}`).not.toHaveLength(0);
  });

  it('each name a resource the function finds through its environment', () => {
    const unresolved = calls.filter((c) => c.resource.startsWith('?')).map(recordedKey);
    expect(unresolved).toEqual([]);
  });
});

describe.each(REDRESS_FUNCTIONS)('the %s function role', (fn) => {
  it('allows every call the function makes, on its resource', () => {
    const statements = statementsOf(fn);
    const denied = needs(fn).filter((n) => !allows(statements, n.action, n.sample));
    expect(denied.map((n) => `${n.action} on ${n.sample} (${n.why})`)).toEqual([]);
  });

  it('allows nothing the function does not call: no other action, no other or broader resource', () => {
    const needed = needs(fn);
    const extra: string[] = [];
    for (const s of statementsOf(fn)) {
      // A condition may only narrow: the FAQ's grants and the customer links' held to their own partitions
      // (infra/constructs/faq-access.ts, customer-access.ts).
      const keys = s.extraKeys.filter((k) => !(k === 'Condition' && (narrowsToFaq(s) || narrowsToCustomerLinks(s))));
      if (s.effect !== 'Allow' || keys.length) extra.push(`a statement with ${s.effect} ${keys.join(', ')}`);
      for (const action of s.actions) {
        for (const resource of s.resources) {
          if (!needed.some((n) => n.action.toLowerCase() === action.toLowerCase() && n.pattern === resource)) extra.push(`${action} on ${resource}`);
        }
      }
    }
    expect(extra).toEqual([]);
  });

  it('has no wildcard resource on a write action (X-Ray aside: its actions exist only on "*")', () => {
    const readOnly = /^[a-z0-9-]+:(Get|Describe|List|Query|Scan|BatchGet|Receive)/;
    const wild: string[] = [];
    for (const s of statementsOf(fn)) {
      for (const action of s.actions.filter((a) => !readOnly.test(a) && !XRAY_ACTIONS.includes(a))) {
        // The one wildcard a write may carry: the execution name, under one state machine (named at run time).
        for (const r of s.resources.filter((r) => r.includes('*') && !/^arn:aws:states:[^:*]+:\d{12}:execution:[^:*]+:\*$/.test(r))) wild.push(`${action} on ${r}`);
      }
    }
    expect(wild).toEqual([]);
  });

  it('has only the basic execution managed policy (its own logs)', () => {
    expect(roleManagedPolicies(template, functionOf(fn).roleId)).toEqual([BASIC_EXECUTION_ROLE]);
  });
});

describe('the grants issue 12 found missing', () => {
  it('admin may query the MetricsByDay index (the KPIs)', () => {
    const admin = needs('admin').find((n) => n.action === 'dynamodb:Query' && n.sample.endsWith('/index/MetricsByDay'));
    expect(admin).toBeDefined();
    expect(allows(statementsOf('admin'), 'dynamodb:Query', admin!.sample)).toBe(true);
  });

  it('the sweeper may stop clock executions (owed stops it completes)', () => {
    const stop = needs('sweeper').find((n) => n.action === 'states:StopExecution');
    expect(stop).toBeDefined();
    expect(allows(statementsOf('sweeper'), 'states:StopExecution', stop!.sample)).toBe(true);
  });
});

describe('permissions boundary', () => {
  const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/bank-developer-boundary`;
  const roles = (t: CfnTemplate) => Object.values(t.Resources).filter((r) => r.Type === 'AWS::IAM::Role');

  it('is set on every role either stack creates when the stage names one', () => {
    const t = synthStage({ stage: 'test', permissionsBoundaryArn: BOUNDARY }).json;
    expect(roles(t).length).toBeGreaterThanOrEqual(REDRESS_FUNCTIONS.length + 1);
    for (const role of roles(t)) expect(evaluate(t, role.Properties?.PermissionsBoundary ?? '(none)')).toBe(BOUNDARY);
  });

  it('is absent unless the stage names one', () => {
    for (const role of roles(template)) expect(role.Properties?.PermissionsBoundary).toBeUndefined();
  });

  it('is read from `-c permissionsBoundaryArn=…`, and a value that is not a managed policy ARN is refused', () => {
    const context = (values: Record<string, string>) => (key: string) => values[key];
    expect(stageConfigFromContext(context({ permissionsBoundaryArn: BOUNDARY })).permissionsBoundaryArn).toBe(BOUNDARY);
    expect(stageConfigFromContext(context({})).permissionsBoundaryArn).toBeUndefined();
    expect(() => stageConfigFromContext(context({ permissionsBoundaryArn: 'bank-developer-boundary' }))).toThrow(/permissionsBoundaryArn|managed policy ARN/);
  });
});
