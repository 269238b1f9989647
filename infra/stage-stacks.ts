/**
 * A stage as two stacks: `Redress-<stage>-stateful` (keys, table, queues, bus and archive, secret, user
 * pool, backups) and `Redress-<stage>-stateless` (functions, APIs, state machine, rules, alarms,
 * dashboard), the second using the first's resources by reference (CloudFormation exports). CDK deploys
 * them in that order (`cdk deploy --all`); the stateless one can be destroyed and redeployed alone.
 */
import type { Environment } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StageConfig } from './config.ts';
import { RedressStack } from './redress-stack.ts';
import { RedressStatefulStack } from './redress-stateful-stack.ts';

export interface StageStacks {
  stateful: RedressStatefulStack;
  stateless: RedressStack;
}

/** Both stacks of a stage, named after it, in `env`. */
export function stageStacks(scope: Construct, config: StageConfig, env?: Environment): StageStacks {
  const stateful = new RedressStatefulStack(scope, `Redress-${config.stage}-stateful`, {
    config,
    env,
    description: `Redress feedback and complaint API (${config.stage}): data, keys, queues, event bus, secrets, user pool`,
    // Deleting it would delete (or, with retainData, orphan) the stage's data: protected wherever data is kept.
    terminationProtection: config.retainData,
  });
  const stateless = new RedressStack(scope, `Redress-${config.stage}-stateless`, {
    config,
    data: stateful,
    env,
    description: `Redress feedback and complaint API (${config.stage}): functions, APIs, clock, rules, alarms`,
  });
  stateless.addStackDependency(stateful, 'uses its table, queues, bus, secret, keys and user pool');
  return { stateful, stateless };
}
