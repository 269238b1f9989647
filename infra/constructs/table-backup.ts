/**
 * AWS Backup of the feedback table, beside its point-in-time recovery (35 days, to the second): a daily
 * recovery point kept `retentionDays` (35 by default) in a vault encrypted with the stage's data key,
 * optionally locked (compliance mode: after the 3-day grace period nobody, root included, can delete a
 * recovery point early or shorten its retention) and optionally copied to a vault in another region
 * or account (a regional disaster, or a compromised account). Restore steps: docs/runbook.md.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { BackupPlan, BackupPlanRule, BackupResource, BackupVault } from 'aws-cdk-lib/aws-backup';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Schedule } from 'aws-cdk-lib/aws-events';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface TableBackupProps {
  stage: string;
  table: ITable;
  key: IKey;
  retentionDays: number;
  vaultLock: boolean;
  copyToVaultArn?: string;
  retain: boolean;
}

export class TableBackup extends Construct {
  readonly vault: BackupVault;
  readonly plan: BackupPlan;

  constructor(scope: Construct, id: string, props: TableBackupProps) {
    super(scope, id);
    const deleteAfter = Duration.days(props.retentionDays);
    this.vault = new BackupVault(this, 'Vault', {
      backupVaultName: `redress-${props.stage}-table`,
      encryptionKey: props.key,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      ...(props.vaultLock ? { lockConfiguration: { minRetention: deleteAfter, changeableFor: Duration.days(3) } } : {}),
    });
    this.plan = new BackupPlan(this, 'Plan', { backupPlanName: `redress-${props.stage}-table` });
    this.plan.addRule(
      new BackupPlanRule({
        ruleName: 'Daily',
        backupVault: this.vault,
        // 03:00 UTC, outside both Europe's and China's business hours.
        scheduleExpression: Schedule.cron({ hour: '3', minute: '0' }),
        startWindow: Duration.hours(1),
        completionWindow: Duration.hours(4),
        deleteAfter,
        ...(props.copyToVaultArn
          ? { copyActions: [{ destinationBackupVault: BackupVault.fromBackupVaultArn(this, 'CopyVault', props.copyToVaultArn), deleteAfter }] }
          : {}),
      }),
    );
    const selection = this.plan.addSelection('Table', { resources: [BackupResource.fromDynamoDbTable(props.table)] });
    Validations.of(selection).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      reason: "AWS Backup's own service role policy for taking backups; the selection names only the feedback table.",
    });
  }
}
