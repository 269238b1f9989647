/**
 * The stage's customer-managed KMS keys, one per data domain, each with yearly rotation: `data` (the
 * table, the queues and dead-letter queues, the secrets, the state machine's execution data), `logs`
 * (every log group) and `alarms` (the alarm topic). Each key policy lets only the service that needs the
 * key use it, scoped to this account (and, for CloudWatch Logs, to this account's log groups through the
 * encryption context); functions get their use of the data key in their IAM policies
 * (`grantDataKeyUse`), as test/infra/iam.test.ts requires.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** The actions a function needs on the data key: Decrypt to read (items, messages, secrets), GenerateDataKey to write. */
export const DATA_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'] as const;

export interface StageKeysProps {
  stage: string;
  /** Keep the keys when the stack is deleted (anything encrypted with a deleted key is lost). */
  retain: boolean;
}

export class StageKeys extends Construct {
  readonly data: Key;
  readonly logs: Key;
  readonly alarms: Key;

  constructor(scope: Construct, id: string, props: StageKeysProps) {
    super(scope, id);
    const { account, region, partition } = Stack.of(this);
    const removalPolicy = props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.data = new Key(this, 'Data', {
      alias: `alias/redress-${props.stage}-data`,
      description: `Redress ${props.stage}: feedback table, queues, secrets, clock state machine`,
      enableKeyRotation: true,
      removalPolicy,
    });
    this.logs = new Key(this, 'Logs', {
      alias: `alias/redress-${props.stage}-logs`,
      description: `Redress ${props.stage}: CloudWatch log groups`,
      enableKeyRotation: true,
      removalPolicy,
    });
    // CloudWatch Logs encrypts with the key only for this account's log groups (its documented key policy).
    this.logs.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal(`logs.${region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:*` } },
      }),
    );
    this.alarms = new Key(this, 'Alarms', {
      alias: `alias/redress-${props.stage}-alarms`,
      description: `Redress ${props.stage}: alarm topic`,
      enableKeyRotation: true,
      removalPolicy,
    });
    // CloudWatch alarms of this account publish to the encrypted alarm topic.
    this.alarms.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );
  }

  /** Lets a function use the data key for the encrypted resources it calls (table, queues, secrets). */
  grantDataKeyUse(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: [...DATA_KEY_ACTIONS], resources: [this.data.keyArn] }));
  }
}
