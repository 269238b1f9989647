/**
 * Channel and signing secrets in AWS live in one Secrets Manager secret (a JSON object keyed by the
 * environment variable names, e.g. {"REDRESS_WEB_SECRET": "whsec_…"}), so no secret value sits in the
 * function configuration or the CloudFormation template. A function reads it at cold start and, through
 * SecretEnvironment, again once REDRESS_SECRET_CACHE_SECONDS (default 300) have passed, so a rotated
 * value reaches warm functions within that time without recycling them (docs/runbook.md "Rotating keys
 * and secrets").
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigurationError } from '../../config.ts';
import { errorFields, type Logger } from '../../logger.ts';

/** The environment with the secret's keys overlaid (only REDRESS_* keys are taken). */
export async function environmentWithSecrets(env: NodeJS.ProcessEnv, client?: SecretsManagerClient): Promise<NodeJS.ProcessEnv> {
  const arn = env.REDRESS_SECRETS_ARN;
  if (!arn) return env;
  return overlay(env, await readSecretString(arn, client ?? new SecretsManagerClient({})));
}

async function readSecretString(arn: string, client: SecretsManagerClient): Promise<string> {
  const res = await client.send(new GetSecretValueCommand({ SecretId: arn }));
  return res.SecretString ?? '{}';
}

function overlay(env: NodeJS.ProcessEnv, secretString: string): NodeJS.ProcessEnv {
  const values = JSON.parse(secretString) as Record<string, unknown>;
  const merged: NodeJS.ProcessEnv = { ...env };
  for (const [k, v] of Object.entries(values)) if (k.startsWith('REDRESS_') && typeof v === 'string') merged[k] = v;
  return merged;
}

/** REDRESS_SECRET_CACHE_SECONDS as milliseconds: how long a read secret is used before it is read again (default 300 s; 0 reads it on every invocation). */
export function secretCacheTtlMs(env: NodeJS.ProcessEnv): number {
  const raw = env.REDRESS_SECRET_CACHE_SECONDS;
  if (raw === undefined || raw.trim() === '') return 300_000;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 86_400) throw new ConfigurationError(`REDRESS_SECRET_CACHE_SECONDS must be a whole number of seconds from 0 to 86400, not "${raw}"`);
  return seconds * 1000;
}

export interface SecretEnvironmentOptions {
  ttlMs: number;
  /** Reads the secret's JSON text (default: GetSecretValue of REDRESS_SECRETS_ARN). */
  read?: (arn: string) => Promise<string>;
  /** Told when a refresh fails and the previous values stay in use. */
  onStale?: (err: unknown) => void;
  now?: () => number;
}

/** After a failed refresh, the previous values are used and the read tried again after at most this long. */
const RETRY_AFTER_FAILURE_MS = 30_000;

/**
 * The environment with the secret overlaid, read again once it is older than the TTL. The same object
 * is returned for as long as the secret's text is unchanged, so callers rebuild what depends on it only
 * after a rotation. The first read's failure is thrown (the function cannot start without its
 * secrets); a later refresh's failure keeps the values in hand (a Secrets Manager outage must not stop
 * intake) and is reported to `onStale`.
 */
export class SecretEnvironment {
  private readonly read: (arn: string) => Promise<string>;
  private readonly now: () => number;
  private value: { env: NodeJS.ProcessEnv; text: string } | undefined;
  private nextReadAt = 0;
  private pending: Promise<NodeJS.ProcessEnv> | undefined;

  constructor(
    private readonly base: NodeJS.ProcessEnv,
    private readonly options: SecretEnvironmentOptions,
  ) {
    const client = options.read ? undefined : new SecretsManagerClient({});
    this.read = options.read ?? ((arn) => readSecretString(arn, client!));
    this.now = options.now ?? Date.now;
  }

  /** The environment as of the last read, reading the secret first if the TTL has passed. */
  async current(): Promise<NodeJS.ProcessEnv> {
    const arn = this.base.REDRESS_SECRETS_ARN;
    if (!arn) return this.base;
    if (this.value && this.now() < this.nextReadAt) return this.value.env;
    // One read at a time: concurrent invocations (the local stack) share it.
    this.pending ??= this.refresh(arn).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async refresh(arn: string): Promise<NodeJS.ProcessEnv> {
    try {
      const text = await this.read(arn);
      if (!this.value || this.value.text !== text) this.value = { env: overlay(this.base, text), text };
      this.nextReadAt = this.now() + this.options.ttlMs;
      return this.value.env;
    } catch (err) {
      if (!this.value) throw err;
      this.options.onStale?.(err);
      this.nextReadAt = this.now() + Math.min(this.options.ttlMs, RETRY_AFTER_FAILURE_MS);
      return this.value.env;
    }
  }
}

/**
 * The channel secret as every function reads it: `REDRESS_SECRETS_ARN` of `env`, kept for
 * REDRESS_SECRET_CACHE_SECONDS, a failed refresh logged as a warning while the values in hand stay in use.
 */
export function cachedSecretEnvironment(env: NodeJS.ProcessEnv, logger: Pick<Logger, 'warn'>): SecretEnvironment {
  return new SecretEnvironment(env, { ttlMs: secretCacheTtlMs(env), onStale: (err) => logger.warn('channel secret not refreshed; the values in hand stay in use', errorFields(err)) });
}

/**
 * A handler that reads the secret environment at each invocation (cached, see SecretEnvironment) and
 * rebuilds the inner handler (channel adapters, reply senders) only when the environment changed.
 */
export function withSecretEnvironment<E, C, R>(secrets: SecretEnvironment, build: (env: NodeJS.ProcessEnv) => (event: E, context: C) => Promise<R>): (event: E, context: C) => Promise<R> {
  let built: { env: NodeJS.ProcessEnv; handler: (event: E, context: C) => Promise<R> } | undefined;
  return async (event, context) => {
    const env = await secrets.current();
    if (built?.env !== env) built = { env, handler: build(env) };
    return built.handler(event, context);
  };
}
