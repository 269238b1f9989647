/** CDK app entry (`cdk synth`, `cdk deploy -c stage=prod`). */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks, ServerlessChecks } from 'cdk-nag';
import { stageConfigFromContext } from './config.ts';
import { stageStacks } from './stage-stacks.ts';

const app = new App();
const config = stageConfigFromContext((key) => app.node.tryGetContext(key));
// Two stacks per stage: stateful (data, keys, identity) and stateless (code and wiring), deployed in that order.
// A stage that pins its account and region (cdk.json `stages`) deploys there and nowhere else.
stageStacks(app, config, { account: config.account ?? process.env.CDK_DEFAULT_ACCOUNT, region: config.region ?? process.env.CDK_DEFAULT_REGION });
// cdk-nag's AWS Solutions, Serverless and NIST 800-53 rev 5 packs run on every synth; `-c nag=false` skips them for a quick look.
if (app.node.tryGetContext('nag') !== 'false') {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app), new NIST80053R5Checks(app));
}
app.synth();
