/**
 * Safe deployments of the stage's functions: each function gets a `live` alias on its current version,
 * and everything that invokes it (API routes, queue event sources, the clock state machine, the sweep
 * schedule) invokes the alias, never `$LATEST`. A CodeDeploy deployment group per function shifts the
 * alias to a new version: canary on prod (10 % for 5 minutes, then all), all at once elsewhere, and
 * rolls back automatically when the function's errors or throttles alarm fires during the shift
 * (docs/runbook.md "Deployments and rollback").
 */
import { Alias, Function as LambdaFunction, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { LambdaApplication, LambdaDeploymentConfig, LambdaDeploymentGroup, type ILambdaDeploymentConfig } from 'aws-cdk-lib/aws-codedeploy';
import type { IAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';

/** How CodeDeploy shifts traffic to a new version (stage config `deployment`). */
export type DeploymentStrategy = 'all-at-once' | 'canary-10-percent-5-minutes' | 'linear-10-percent-every-minute';

const CONFIGS: Record<DeploymentStrategy, ILambdaDeploymentConfig> = {
  'all-at-once': LambdaDeploymentConfig.ALL_AT_ONCE,
  'canary-10-percent-5-minutes': LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
  'linear-10-percent-every-minute': LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTE,
};

/** The alias every invoker uses. */
export const LIVE_ALIAS = 'live';

export interface FunctionDeploymentsProps {
  stage: string;
  strategy: DeploymentStrategy;
}

export class FunctionDeployments extends Construct {
  readonly application: LambdaApplication;
  /** Each function's deployment group, by the function's name (as in RedressStack.functions). */
  readonly groups: Record<string, LambdaDeploymentGroup> = {};
  /** Each function's `live` alias, by name. */
  readonly aliases: Record<string, Alias> = {};

  constructor(scope: Construct, id: string, private readonly props: FunctionDeploymentsProps) {
    super(scope, id);
    this.application = new LambdaApplication(this, 'Application', { applicationName: `redress-${props.stage}` });
  }

  /** The `live` alias of `fn`, shifted by a deployment group of its own; invoke this, not the function. */
  add(name: string, fn: IFunction): Alias {
    if (!(fn instanceof LambdaFunction)) throw new Error(`the ${name} function must be a Lambda Function of this stack to get a version`);
    const alias = new Alias(this, `${name}-live`, { aliasName: LIVE_ALIAS, version: fn.currentVersion });
    this.aliases[name] = alias;
    this.groups[name] = new LambdaDeploymentGroup(this, `${name}-deployment`, {
      application: this.application,
      deploymentGroupName: `redress-${this.props.stage}-${name}`,
      alias,
      deploymentConfig: CONFIGS[this.props.strategy],
      autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
    });
    return alias;
  }

  /** Roll back a function's deployment when any of `alarms` fires while it shifts. */
  rollBackOn(name: string, alarms: IAlarm[]): void {
    const group = this.groups[name];
    if (!group) throw new Error(`no deployment group for the ${name} function`);
    for (const alarm of alarms) group.addAlarm(alarm);
  }
}
