/**
 * The survey's configuration from the environment:
 * - `REDRESS_SURVEY_SECRET`: comma-separated active secrets (the first signs links, all verify);
 * - `REDRESS_SURVEY_TTL`: how long a link stays valid after the resolution, ISO 8601 (default `P14D`);
 * - `REDRESS_PUBLIC_URL`: the scheme and host customers reach (`https://feedback.example-bank.com`).
 * A bad value stops the cold start with a message naming the variable.
 */
import { ConfigurationError, secretList } from '../config.ts';
import { parseIsoDuration } from '../clocks/duration.ts';
import { createSurveyTokens, type SurveyTokens } from './token.ts';

export const DEFAULT_SURVEY_TTL = 'P14D';
/** A link outliving a year would outlive the complaint's relevance (and the 4-byte TTL field is far larger). */
const MAX_TTL_MS = 366 * 86_400_000;

export interface SurveyConfig {
  tokens: SurveyTokens;
  ttlMs: number;
  /** Without a trailing slash; undefined when not configured (no link can be sent then). */
  publicUrl: string | undefined;
}

/**
 * Reads the survey configuration.
 * @throws Error naming the variable when the secret is missing, the TTL is not a duration from 1 s to 366 days, or the URL is not http(s).
 */
export function surveyConfig(env: Record<string, string | undefined>): SurveyConfig {
  const secrets = secretList(env.REDRESS_SURVEY_SECRET);
  if (secrets.length === 0) throw new ConfigurationError('REDRESS_SURVEY_SECRET is required to sign survey links');
  const ttlMs = surveyTtlMs(env);
  return { tokens: createSurveyTokens(secrets, ttlMs), ttlMs, publicUrl: publicBaseUrl(env.REDRESS_PUBLIC_URL) };
}

/**
 * `REDRESS_SURVEY_TTL` in ms (default P14D): the survey window, which the process function needs for a
 * bare "reply 1–5" without holding the signing secret.
 * @throws Error naming the variable when it is not a duration from 1 s to 366 days.
 */
export function surveyTtlMs(env: Record<string, string | undefined>): number {
  const ttlText = env.REDRESS_SURVEY_TTL?.trim() || DEFAULT_SURVEY_TTL;
  let ttlMs: number;
  try {
    ttlMs = parseIsoDuration(ttlText);
  } catch (err) {
    throw new ConfigurationError(`REDRESS_SURVEY_TTL: ${(err as Error).message}`, { cause: err });
  }
  if (ttlMs < 1000 || ttlMs > MAX_TTL_MS) throw new ConfigurationError(`REDRESS_SURVEY_TTL must be from PT1S to P366D, got ${ttlText}`);
  return ttlMs;
}

/**
 * `REDRESS_PUBLIC_URL` without a trailing slash, or undefined when unset.
 * @throws Error when it is set but not an absolute http(s) URL.
 */
export function publicBaseUrl(value: string | undefined): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigurationError(`REDRESS_PUBLIC_URL must be an absolute URL, got ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigurationError(`REDRESS_PUBLIC_URL must be http(s), got ${JSON.stringify(text)}`);
  return text.replace(/\/+$/, '');
}

/** The customer's link: `{REDRESS_PUBLIC_URL}/survey/{token}` (the token is URL-safe as it is). */
export function surveyUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/survey/${token}`;
}
