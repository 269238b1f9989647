/**
 * Reading IAM out of a synthesized template as AWS would evaluate it: CloudFormation intrinsics are
 * resolved to concrete ARNs (each resource gets a made-up physical name derived from its logical id,
 * in a fixed account and region), and actions and resources are matched with IAM's `*` and `?`
 * wildcards. Enough of CloudFormation for the policies CDK writes; anything else throws, so a new
 * shape is noticed rather than misread.
 */

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';

export interface CfnResource {
  Type: string;
  Properties?: Record<string, any>;
}
export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
}

export interface Statement {
  effect: string;
  actions: string[];
  resources: string[];
  /** Anything beyond Effect/Action/Resource (Condition, NotAction, Principal, Sid…). */
  extraKeys: string[];
  /** The statement's Condition block, when it has one. */
  condition?: unknown;
}

const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': REGION,
  'AWS::AccountId': ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'Redress-test',
};

/** The made-up physical values of a resource: its Ref and attributes. */
function attributeOf(template: CfnTemplate, id: string, attribute: 'Ref' | string): string {
  const resource = template.Resources[id];
  if (!resource) throw new Error(`no resource ${id}`);
  const name = id.toLowerCase();
  const arn = (service: string, rest: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${rest}`;
  const values: Record<string, Record<string, string>> = {
    'AWS::DynamoDB::Table': { Ref: name, Arn: arn('dynamodb', `table/${name}`) },
    'AWS::SQS::Queue': { Ref: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}`, Arn: arn('sqs', name), QueueName: name },
    'AWS::Events::EventBus': { Ref: String(resource.Properties?.Name ?? name), Arn: arn('events', `event-bus/${String(resource.Properties?.Name ?? name)}`) },
    'AWS::StepFunctions::StateMachine': { Ref: arn('states', `stateMachine:${name}`), Arn: arn('states', `stateMachine:${name}`), Name: name },
    'AWS::SecretsManager::Secret': { Ref: arn('secretsmanager', `secret:${name}-AbCdEf`), Id: arn('secretsmanager', `secret:${name}-AbCdEf`) },
    'AWS::Lambda::Function': { Ref: name, Arn: arn('lambda', `function:${name}`) },
    'AWS::IAM::Role': { Ref: name, Arn: `arn:aws:iam::${ACCOUNT}:role/${name}` },
    'AWS::SNS::Topic': { Ref: arn('sns', name), TopicArn: arn('sns', name) },
    'AWS::KMS::Key': { Ref: name, Arn: arn('kms', `key/${name}`) },
    'AWS::Logs::LogGroup': { Ref: name, Arn: arn('logs', `log-group:${name}:*`) },
  };
  const value = values[resource.Type]?.[attribute];
  if (value === undefined) throw new Error(`no made-up value for ${resource.Type} ${id}.${attribute}`);
  return value;
}

/** Resolves a CloudFormation value (string or intrinsic) to a string. */
export function evaluate(template: CfnTemplate, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) throw new Error(`cannot evaluate ${JSON.stringify(value)}`);
  const [fn, arg] = Object.entries(value)[0] as [string, any];
  switch (fn) {
    case 'Ref':
      return PSEUDO[arg] ?? attributeOf(template, arg, 'Ref');
    case 'Fn::GetAtt':
      return attributeOf(template, arg[0], arg[1]);
    case 'Fn::Join':
      return (arg[1] as unknown[]).map((v) => evaluate(template, v)).join(arg[0]);
    case 'Fn::Select':
      return evaluateList(template, arg[1])[Number(arg[0])] ?? '';
    case 'Fn::Sub':
      return String(typeof arg === 'string' ? arg : arg[0]).replace(/\$\{([^}]+)\}/g, (_, ref: string) => {
        const [id, att] = ref.split('.');
        return PSEUDO[ref] ?? attributeOf(template, id!, att ?? 'Ref');
      });
    default:
      throw new Error(`cannot evaluate ${fn}`);
  }
}

function evaluateList(template: CfnTemplate, value: any): string[] {
  if (Array.isArray(value)) return value.map((v) => evaluate(template, v));
  if (value['Fn::Split']) return evaluate(template, value['Fn::Split'][1]).split(value['Fn::Split'][0]);
  throw new Error(`cannot evaluate a list from ${JSON.stringify(value)}`);
}

/** The logical id of the resource whose Ref a value is (`{Ref: id}`), if it is one. */
export function refOf(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null && 'Ref' in value ? String((value as { Ref: unknown }).Ref) : undefined;
}

/** Every statement of the inline policies attached to a role (AWS::IAM::Policy resources and the role's own Policies). */
export function roleStatements(template: CfnTemplate, roleId: string): Statement[] {
  const documents: any[] = [];
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::IAM::Policy') continue;
    if ((resource.Properties?.Roles ?? []).some((r: unknown) => refOf(r) === roleId)) documents.push(resource.Properties!.PolicyDocument);
  }
  for (const p of template.Resources[roleId]?.Properties?.Policies ?? []) documents.push(p.PolicyDocument);
  return documents.flatMap((d) =>
    (d.Statement as Array<Record<string, unknown>>).map((s) => ({
      effect: String(s.Effect),
      actions: [s.Action ?? []].flat().map(String),
      resources: [s.Resource ?? []].flat().map((r) => evaluate(template, r)),
      extraKeys: Object.keys(s).filter((k) => !['Effect', 'Action', 'Resource'].includes(k)),
      ...(s.Condition !== undefined ? { condition: s.Condition } : {}),
    })),
  );
}

/** Managed policies of a role, and customer-managed policies (AWS::IAM::ManagedPolicy) that attach to it. */
export function roleManagedPolicies(template: CfnTemplate, roleId: string): string[] {
  const arns = (template.Resources[roleId]?.Properties?.ManagedPolicyArns ?? []).map((a: unknown) => evaluate(template, a));
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type === 'AWS::IAM::ManagedPolicy' && (resource.Properties?.Roles ?? []).some((r: unknown) => refOf(r) === roleId)) arns.push(`customer-managed:${id}`);
  }
  return arns;
}

/** IAM's wildcard match: `*` any run of characters, `?` one character, case-sensitive (ARNs). */
export function iamMatches(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(value);
}

/** IAM's action match: the service prefix and action name compare case-insensitively. */
export function actionMatches(pattern: string, action: string): boolean {
  return iamMatches(pattern.toLowerCase(), action.toLowerCase());
}
