/**
 * Every log group of the stack, as the stage says: encrypted with the stage's logs key, kept for the
 * stage's retention period, and retained on stack deletion where data is retained. An aspect rather
 * than a setting at each `new LogGroup`, so a log group added later (a new function, an API's access
 * logs) cannot be left with the defaults; test/infra/production.test.ts checks every one.
 */
import { RemovalPolicy, type IAspect } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { CfnLogGroup } from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';

export class StageLogGroups implements IAspect {
  constructor(private readonly props: { key: IKey; retentionDays: number; retain: boolean }) {}

  visit(node: IConstruct): void {
    if (!(node instanceof CfnLogGroup)) return;
    node.kmsKeyId = this.props.key.keyArn;
    node.retentionInDays = this.props.retentionDays;
    node.applyRemovalPolicy(this.props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);
  }
}
