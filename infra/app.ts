/** CDK app entry (`cdk synth`, `cdk deploy -c stage=prod`). */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stageConfigFromContext } from './config.ts';
import { RedressStack } from './redress-stack.ts';

const app = new App();
const config = stageConfigFromContext((key) => app.node.tryGetContext(key));
new RedressStack(app, `Redress-${config.stage}`, {
  config,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  description: `Redress feedback and complaint API (${config.stage})`,
});
// cdk-nag's AWS Solutions rules run on every synth; `-c nag=false` skips them for a quick look.
if (app.node.tryGetContext('nag') !== 'false') Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
