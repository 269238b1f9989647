/**
 * Reading configuration from the environment. Every secret variable is a comma-separated list of
 * active values (rotation): requests signed with any of them verify, and the first is used to sign.
 */

/**
 * The configuration error family: a function's environment or policy that does not validate. Thrown at
 * cold start (never by a request), the message naming each bad variable or field and never a value that
 * could be a secret; the runtime's own log line is the only place it shows.
 */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/** The active values of a secret variable, in order; empty when it is unset or blank. */
export function secretList(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** A required environment variable, or a clear error naming it. */
export function requiredEnv(env: NodeJS.ProcessEnv, name: string): string {
  const v = env[name];
  if (!v) throw new ConfigurationError(`environment variable ${name} is required`);
  return v;
}
