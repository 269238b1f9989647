/**
 * Inviting a complaint handler to the stage's Cognito user pool (`npm run admin:create-user`): the
 * account (AdminCreateUser: e-mail as username, verified, invitation by e-mail with a temporary
 * password; MFA is enrolled at first sign-in) and its group (AdminAddUserToGroup: agent, supervisor or
 * admin, the `cognito:groups` claim the admin API reads). Re-running for an existing handler only adds
 * the group. `--dry-run` prints the equivalent AWS CLI commands instead of calling Cognito.
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  type AdminAddUserToGroupCommandInput,
  type AdminCreateUserCommandInput,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { ROLES } from '../../schemas/admin.ts';

export type HandlerRole = (typeof ROLES)[number];

export interface CreateUserOptions {
  userPoolId: string;
  email: string;
  group: HandlerRole;
  dryRun: boolean;
  region?: string;
}

const USAGE = 'usage: npm run admin:create-user -- --user-pool-id <AdminUserPoolId> --email <address> --group agent|supervisor|admin [--region <region>] [--dry-run]';
const POOL_ID = /^[a-z]{2}(-[a-z]+)+-\d_[0-9A-Za-z]+$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The options from the command line, or the reason they do not fit (with the usage). */
export function parseCreateUserArgs(argv: readonly string[]): { ok: true; options: CreateUserOptions } | { ok: false; error: string } {
  const values: Record<string, string> = {};
  let dryRun = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--dry-run') dryRun = true;
    else if (['--user-pool-id', '--email', '--group', '--region'].includes(arg) && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) values[arg.slice(2)] = argv[++i]!;
    else return { ok: false, error: `unexpected argument ${arg}\n${USAGE}` };
  }
  const fail = (why: string) => ({ ok: false as const, error: `${why}\n${USAGE}` });
  const userPoolId = values['user-pool-id'] ?? '';
  const email = (values.email ?? '').trim().toLowerCase();
  const group = values.group ?? '';
  if (!POOL_ID.test(userPoolId)) return fail('--user-pool-id must be a Cognito user pool id (<region>_<id>, the stack output AdminUserPoolId)');
  if (!EMAIL.test(email)) return fail('--email must be an e-mail address');
  if (!(ROLES as readonly string[]).includes(group)) return fail(`--group must be one of ${ROLES.join(', ')}`);
  return { ok: true, options: { userPoolId, email, group: group as HandlerRole, dryRun, ...(values.region ? { region: values.region } : {}) } };
}

/** The two requests: the account, invited by e-mail, and its group. */
export function createUserRequests(o: CreateUserOptions): { createUser: AdminCreateUserCommandInput; addToGroup: AdminAddUserToGroupCommandInput } {
  return {
    createUser: {
      UserPoolId: o.userPoolId,
      Username: o.email,
      UserAttributes: [
        { Name: 'email', Value: o.email },
        { Name: 'email_verified', Value: 'true' },
      ],
      DesiredDeliveryMediums: ['EMAIL'],
    },
    addToGroup: { UserPoolId: o.userPoolId, Username: o.email, GroupName: o.group },
  };
}

/** The same requests as AWS CLI commands (what `--dry-run` prints), shell-quoted. */
export function createUserCliCommands(o: CreateUserOptions): string[] {
  const q = (s: string) => (/^[\w@.,=:/+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const region = o.region ? ` --region ${q(o.region)}` : '';
  return [
    `aws cognito-idp admin-create-user${region} --user-pool-id ${q(o.userPoolId)} --username ${q(o.email)} --user-attributes Name=email,Value=${q(o.email)} Name=email_verified,Value=true --desired-delivery-mediums EMAIL`,
    `aws cognito-idp admin-add-user-to-group${region} --user-pool-id ${q(o.userPoolId)} --username ${q(o.email)} --group-name ${q(o.group)}`,
  ];
}

/**
 * Creates the handler (or finds it already there) and adds it to its group. Returns what happened, one
 * line each; Cognito's own errors (no such pool or group, throttling, no permission) are thrown.
 */
export async function createHandler(client: Pick<CognitoIdentityProviderClient, 'send'>, o: CreateUserOptions): Promise<string[]> {
  const { createUser, addToGroup } = createUserRequests(o);
  const done: string[] = [];
  try {
    await client.send(new AdminCreateUserCommand(createUser));
    done.push(`invited ${o.email} (an e-mail with a temporary password is on its way; MFA is set up at first sign-in)`);
  } catch (error) {
    if ((error as { name?: string }).name !== 'UsernameExistsException') throw error;
    done.push(`${o.email} already exists: adding the group only`);
  }
  await client.send(new AdminAddUserToGroupCommand(addToGroup));
  done.push(`${o.email} is in the ${o.group} group`);
  return done;
}
