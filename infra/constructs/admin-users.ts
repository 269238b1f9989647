/**
 * The complaint handlers' Cognito user pool (groups agent, supervisor, admin: the `cognito:groups` claim
 * the admin handler reads) and the console's app client, or the stage's existing pool and clients. The
 * users are state (accounts, MFA enrolments, group memberships), so this lives in the stateful stack; the
 * admin API's JWT authorizer (stateless stack) trusts the pool by reference.
 */
import { CfnOutput, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccountRecovery, CfnUserPoolGroup, Mfa, OAuthScope, UserPool, UserPoolClient, type IUserPool, type IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES } from '../../schemas/admin.ts';

export interface AdminUsersProps {
  stage: string;
  retainData: boolean;
  /**
   * The handlers' console signs in with the authorization-code flow and PKCE only (a public client, no
   * secret, no password flows), back to these URLs; a hosted sign-in domain with this prefix if given.
   */
  signIn?: { callbackUrls: string[]; logoutUrls: string[]; domainPrefix?: string };
  /** Use this user pool (and its app clients as audiences) instead of creating one. */
  existingUserPool?: { userPoolId: string; clientIds: string[] };
}

export class AdminUsers extends Construct {
  readonly userPool: IUserPool;
  /** The app clients whose ID tokens the admin API accepts (the authorizer's audiences). */
  readonly clients: IUserPoolClient[];

  constructor(scope: Construct, id: string, props: AdminUsersProps) {
    super(scope, id);
    if (props.existingUserPool) {
      this.userPool = UserPool.fromUserPoolId(this, 'Users', props.existingUserPool.userPoolId);
      this.clients = props.existingUserPool.clientIds.map((clientId, i) => UserPoolClient.fromUserPoolClientId(this, `Client${i}`, clientId));
      return;
    }
    const pool = new UserPool(this, 'Users', {
      userPoolName: `redress-${props.stage}-handlers`,
      // Handlers are invited by an administrator; nobody signs themselves up to a bank's complaint system.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: { minLength: 14, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true, tempPasswordValidity: Duration.days(3) },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      deletionProtection: props.retainData,
    });
    for (const role of ROLES) new CfnUserPoolGroup(this, `Group-${role}`, { userPoolId: pool.userPoolId, groupName: role, description: `Redress ${role}s` });
    const signIn = props.signIn ?? { callbackUrls: ['http://localhost:3000/callback'], logoutUrls: ['http://localhost:3000/'] };
    const consoleClient = pool.addClient('Console', {
      // Authorization code + PKCE only: no implicit grant, no client credentials, no SRP or password auth flows.
      authFlows: { userSrp: false, userPassword: false, adminUserPassword: false, custom: false },
      oAuth: { flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false }, scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE], callbackUrls: signIn.callbackUrls, logoutUrls: signIn.logoutUrls },
      generateSecret: false,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      preventUserExistenceErrors: true,
    });
    this.clients = [consoleClient];
    if (signIn.domainPrefix) {
      const domain = pool.addDomain('SignIn', { cognitoDomain: { domainPrefix: signIn.domainPrefix } });
      new CfnOutput(scope, 'AdminSignInUrl', { value: domain.baseUrl(), description: 'Hosted sign-in of the handlers\' console (authorization code + PKCE)' });
    }
    new CfnOutput(scope, 'AdminConsoleClientId', { value: consoleClient.userPoolClientId, description: 'Cognito app client id of the handlers\' console (public client, PKCE)' });
    new CfnOutput(scope, 'AdminUserPoolId', { value: pool.userPoolId, description: 'Cognito user pool of complaint handlers (groups agent, supervisor, admin)' });
    this.userPool = pool;
    Validations.of(pool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason: 'Handlers are invited (no self sign-up) and MFA (TOTP) is required; the Plus tier\'s threat protection is a per-user cost the bank can switch on per stage.',
    });
  }
}
