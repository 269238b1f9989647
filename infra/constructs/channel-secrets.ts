/**
 * One Secrets Manager secret holding every channel and signing secret (JSON keyed by the variable
 * names in the README), generated with placeholders on first deploy; operators put the real values in.
 * Functions read it once per cold start (REDRESS_SECRETS_ARN), so no secret is in the template.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export class ChannelSecrets extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string, props: { retainData: boolean; encryptionKey?: IKey }) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: 'Redress channel secrets (REDRESS_WEB_SECRET, REDRESS_META_APP_SECRET, …): fill in after the first deploy',
      // Generated only so the secret exists; an unset channel (empty value) answers 503 rather than accepting unsigned traffic.
      generateSecretString: { secretStringTemplate: JSON.stringify({ REDRESS_WEB_SECRET: '' }), generateStringKey: 'unused' },
      encryptionKey: props.encryptionKey,
      removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
  }
}
