/**
 * Typed runtime configuration: each function declares the REDRESS_* variables it reads as one zod schema
 * (its `config.ts`), parsed once at cold start. A missing resource name or a malformed setting fails the
 * cold start with an error naming every variable that is wrong, instead of the first request failing
 * later. Settings the schema leaves optional take the defaults their loaders document (README,
 * "Configuration"); test/infra/runtime-config.test.ts checks the README lists every variable declared here.
 */
import * as z from 'zod/mini';
import '../../schemas/zod-locale.ts';
import { ConfigurationError } from './config.ts';

/** A schema of environment variables: each one a (perhaps optional) string. */
export type EnvSchema = z.ZodMiniObject<Record<string, z.ZodMiniType<string | undefined>>>;

/** A resource name or address CDK sets (table, queue, bus, state machine): required, not blank. */
export const resourceName = () => z.string().check(z.trim(), z.minLength(1, 'is required'));

/** A setting with a documented default: absent or blank means the default. */
export const setting = () => z.optional(z.string());

/** A setting that must be a number within [min, max] when set (blank: the default). */
export const numberSetting = (min: number, max: number) =>
  z.optional(z.string().check(z.refine((v) => !v.trim() || (Number.isFinite(Number(v)) && Number(v) >= min && Number(v) <= max), `must be a number from ${min} to ${max}`)));

/** The table every function reads and writes (set by CDK). */
export const tableEnv = { REDRESS_TABLE_NAME: resourceName() };

/** The complaint clock policy's variables; loadClockPolicy gives their defaults and checks each value, naming it. */
export const clockPolicyEnv = { REDRESS_JURISDICTION: setting(), REDRESS_SLA_FIRST_RESPONSE: setting(), REDRESS_SLA_CRITICAL_FACTOR: setting() };

/**
 * The channel secret (a Secrets Manager secret keyed by variable names; unset outside AWS): read at cold
 * start and again every REDRESS_SECRET_CACHE_SECONDS (secretCacheTtlMs checks it is a whole number).
 */
export const channelSecretEnv = { REDRESS_SECRETS_ARN: setting(), REDRESS_SECRET_CACHE_SECONDS: numberSetting(0, 86_400) };

/**
 * Parses `env` by `schema` once. Throws one ConfigurationError naming every variable that is missing or wrong (never
 * its value: some are secrets), e.g. `process configuration: REDRESS_TABLE_NAME is required`.
 */
export function parseEnv<S extends EnvSchema>(fn: string, schema: S, env: NodeJS.ProcessEnv): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    return `${name} ${issue.code === 'invalid_type' && env[name] === undefined ? 'is required' : issue.message}`;
  });
  throw new ConfigurationError(`${fn} configuration: ${problems.join('; ')}`);
}

/** The variables a schema reads (the README configuration table must list each). */
export function envVariables(schema: EnvSchema): string[] {
  return Object.keys(schema.shape);
}
