/**
 * `npm run admin:create-user -- --user-pool-id <AdminUserPoolId> --email jane.doe@example-bank.com
 * --group agent [--region eu-west-1] [--dry-run]`: invites a complaint handler to the stage's user pool
 * and puts them in their group (scripts/lib/admin-user.ts). Uses the AWS credentials and region of the
 * environment (AWS_PROFILE, AWS_REGION), like the AWS CLI; `--dry-run` prints the AWS CLI commands.
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createHandler, createUserCliCommands, parseCreateUserArgs } from './lib/admin-user.ts';

const parsed = parseCreateUserArgs(process.argv.slice(2));
if (!parsed.ok) {
  process.stderr.write(`${parsed.error}\n`);
  process.exit(2);
}
const { options } = parsed;
if (options.dryRun) {
  for (const command of createUserCliCommands(options)) process.stdout.write(`${command}\n`);
} else {
  try {
    const client = new CognitoIdentityProviderClient(options.region ? { region: options.region } : {});
    for (const line of await createHandler(client, options)) process.stdout.write(`${line}\n`);
  } catch (error) {
    const e = error as { name?: string; message?: string };
    process.stderr.write(`admin:create-user failed: ${e.name ?? 'Error'}: ${e.message ?? String(error)}\n`);
    process.exit(1);
  }
}
