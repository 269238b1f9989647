/**
 * Channel and signing secrets in AWS live in one Secrets Manager secret (a JSON object keyed by the
 * environment variable names, e.g. {"REDRESS_WEB_SECRET": "whsec_…"}), read once per cold start, so no
 * secret value sits in the function configuration or the CloudFormation template.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** The environment with the secret's keys overlaid (only REDRESS_* keys are taken). */
export async function environmentWithSecrets(env: NodeJS.ProcessEnv, client?: SecretsManagerClient): Promise<NodeJS.ProcessEnv> {
  const arn = env.REDRESS_SECRETS_ARN;
  if (!arn) return env;
  const res = await (client ?? new SecretsManagerClient({})).send(new GetSecretValueCommand({ SecretId: arn }));
  const values = JSON.parse(res.SecretString ?? '{}') as Record<string, unknown>;
  const merged: NodeJS.ProcessEnv = { ...env };
  for (const [k, v] of Object.entries(values)) if (k.startsWith('REDRESS_') && typeof v === 'string') merged[k] = v;
  return merged;
}
