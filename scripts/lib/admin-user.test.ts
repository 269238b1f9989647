import { AdminAddUserToGroupCommand, AdminCreateUserCommand, CognitoIdentityProviderClient, UsernameExistsException } from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createHandler, createUserCliCommands, parseCreateUserArgs, type CreateUserOptions } from './admin-user.ts';

const cognito = mockClient(CognitoIdentityProviderClient);
const POOL = 'eu-west-1_AbC123xyz';
const options: CreateUserOptions = { userPoolId: POOL, email: 'jane.doe@example-bank.com', group: 'supervisor', dryRun: false };

beforeEach(() => cognito.reset());

describe('parseCreateUserArgs', () => {
  it('reads the pool, the e-mail (lower-cased), the group, the region and --dry-run', () => {
    const parsed = parseCreateUserArgs(['--user-pool-id', POOL, '--email', 'Jane.Doe@Example-Bank.com', '--group', 'agent', '--region', 'eu-west-1', '--dry-run']);
    expect(parsed).toEqual({ ok: true, options: { userPoolId: POOL, email: 'jane.doe@example-bank.com', group: 'agent', dryRun: true, region: 'eu-west-1' } });
  });

  it('refuses a group that is not a Redress role, a bad pool id or e-mail, a missing value and unknown flags, with the usage', () => {
    const base = ['--user-pool-id', POOL, '--email', 'jane@example-bank.com'];
    for (const argv of [[...base, '--group', 'root'], ['--user-pool-id', 'mypool', '--email', 'jane@example-bank.com', '--group', 'agent'], ['--user-pool-id', POOL, '--email', 'jane', '--group', 'agent'], [...base, '--group'], [...base, '--group', 'agent', '--force']]) {
      const parsed = parseCreateUserArgs(argv);
      expect(parsed.ok, argv.join(' ')).toBe(false);
      if (!parsed.ok) expect(parsed.error).toContain('usage: npm run admin:create-user');
    }
  });
});

describe('createHandler', () => {
  it('invites the handler by e-mail with a verified address, then adds the group', async () => {
    cognito.on(AdminCreateUserCommand).resolves({});
    cognito.on(AdminAddUserToGroupCommand).resolves({});
    const lines = await createHandler(new CognitoIdentityProviderClient({ region: 'eu-west-1' }), options);
    expect(cognito.commandCalls(AdminCreateUserCommand)[0]!.args[0].input).toEqual({
      UserPoolId: POOL,
      Username: 'jane.doe@example-bank.com',
      UserAttributes: [
        { Name: 'email', Value: 'jane.doe@example-bank.com' },
        { Name: 'email_verified', Value: 'true' },
      ],
      DesiredDeliveryMediums: ['EMAIL'],
    });
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)[0]!.args[0].input).toEqual({ UserPoolId: POOL, Username: 'jane.doe@example-bank.com', GroupName: 'supervisor' });
    expect(cognito.calls().map((c) => c.args[0].constructor.name)).toEqual(['AdminCreateUserCommand', 'AdminAddUserToGroupCommand']);
    expect(lines.join('\n')).toMatch(/invited jane\.doe@example-bank\.com[\s\S]*supervisor group/);
  });

  it('adds the group only when the handler already exists', async () => {
    cognito.on(AdminCreateUserCommand).rejects(new UsernameExistsException({ message: 'User account already exists', $metadata: {} }));
    cognito.on(AdminAddUserToGroupCommand).resolves({});
    const lines = await createHandler(new CognitoIdentityProviderClient({ region: 'eu-west-1' }), options);
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)).toHaveLength(1);
    expect(lines[0]).toContain('already exists');
  });

  it('stops on any other Cognito error, before touching the group', async () => {
    cognito.on(AdminCreateUserCommand).rejects(Object.assign(new Error('User pool does not exist'), { name: 'ResourceNotFoundException' }));
    await expect(createHandler(new CognitoIdentityProviderClient({ region: 'eu-west-1' }), options)).rejects.toThrow('User pool does not exist');
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)).toHaveLength(0);
  });
});

describe('createUserCliCommands (--dry-run)', () => {
  it('prints the two AWS CLI commands the run would make, with the region when given', () => {
    expect(createUserCliCommands({ ...options, region: 'eu-west-1' })).toEqual([
      `aws cognito-idp admin-create-user --region eu-west-1 --user-pool-id ${POOL} --username jane.doe@example-bank.com --user-attributes Name=email,Value=jane.doe@example-bank.com Name=email_verified,Value=true --desired-delivery-mediums EMAIL`,
      `aws cognito-idp admin-add-user-to-group --region eu-west-1 --user-pool-id ${POOL} --username jane.doe@example-bank.com --group-name supervisor`,
    ]);
  });
});
