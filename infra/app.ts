/** CDK app entry (`cdk synth`, `cdk deploy -c stage=prod`). */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks, ServerlessChecks } from 'cdk-nag';
import { stageConfigFromContext } from './config.ts';
import { RedressStack } from './redress-stack.ts';

const app = new App();
const config = stageConfigFromContext((key) => app.node.tryGetContext(key));
new RedressStack(app, `Redress-${config.stage}`, {
  config,
  // A stage that pins its account and region (cdk.json `stages`) deploys there and nowhere else.
  env: { account: config.account ?? process.env.CDK_DEFAULT_ACCOUNT, region: config.region ?? process.env.CDK_DEFAULT_REGION },
  description: `Redress feedback and complaint API (${config.stage})`,
  terminationProtection: config.retainData,
});
// cdk-nag's AWS Solutions, Serverless and NIST 800-53 rev 5 packs run on every synth; `-c nag=false` skips them for a quick look.
if (app.node.tryGetContext('nag') !== 'false') {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app), new NIST80053R5Checks(app));
}
app.synth();
