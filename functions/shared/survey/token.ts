/**
 * Survey tokens: the opaque part of `{REDRESS_PUBLIC_URL}/survey/{token}`, the only credential a customer
 * needs to rate a resolution (no login). HMAC-signed, so a token cannot be made up or edited; bound to the
 * complaint and to one resolution of it (the instant the resolution was made, which the complaint's
 * timeline records), so a token from an earlier resolution cannot rate a later one; valid until an expiry
 * it carries (the survey TTL at the time it was issued: changing the TTL later does not shorten or extend
 * links already sent).
 *
 * Layout, then base64url without padding (75 characters for a `fb_` id of 29 characters):
 *   version (1 byte, 1) | resolvedAt (6 bytes, ms since the epoch) | ttl (4 bytes, seconds) | feedback id (ASCII)
 *   | HMAC-SHA-256 of everything before it, truncated to 16 bytes
 * The key is derived from each `REDRESS_SURVEY_SECRET` value with a purpose label (the secret itself signs
 * nothing else). Rotation: the first value signs, every value verifies; every key is tried, with no early
 * exit, and compared in constant time. Only the canonical encoding verifies, so changing any character of
 * a token makes it forged.
 */
import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '../channels/crypto-compare.ts';
import { ConfigurationError } from '../config.ts';

const VERSION = 1;
const MAC_BYTES = 16;
const HEADER_BYTES = 1 + 6 + 4;
const MAX_ID_BYTES = 64;
const ID_FORM = /^[A-Za-z0-9_-]{1,64}$/;
const PURPOSE = 'redress/survey-token/v1';
/** Longest token text: anything longer is forged without decoding it. */
const MAX_TOKEN_CHARS = Math.ceil(((HEADER_BYTES + MAX_ID_BYTES + MAC_BYTES) * 4) / 3);
const MAX_TTL_SECONDS = 0xffff_ffff;

/** What a valid token says: the complaint, the resolution it rates, and until when. */
export interface SurveyClaims {
  feedbackId: string;
  /** When the rated resolution was made (the `resolved` timeline entry's `at`), ISO 8601 UTC with ms. */
  resolvedAt: string;
  expiresAt: string;
}

/** The verdict on a token: `forged` answers 404 (as if there were no such survey), `expired` 410. */
export type SurveyTokenCheck = ({ status: 'valid' } & SurveyClaims) | ({ status: 'expired' } & SurveyClaims) | { status: 'forged' };

export interface SurveyTokens {
  /**
   * The token for a complaint's resolution, valid for the TTL from `resolvedAt`.
   * @throws RangeError for an id that is not 1–64 URL-safe characters or an unreadable instant.
   */
  issue(feedbackId: string, resolvedAt: string): { token: string; expiresAt: string };
  /** Checks a token at `now` (ISO 8601 or epoch ms). Never throws: anything malformed is `forged`. */
  verify(token: string, now: string | number): SurveyTokenCheck;
}

function deriveKey(secret: string): Buffer {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(PURPOSE).digest();
}

function mac(key: Buffer, payload: Buffer): Buffer {
  return createHmac('sha256', key).update(payload).digest().subarray(0, MAC_BYTES);
}

/**
 * Survey tokens over the active secrets (first signs, all verify) with a time to live.
 * @param secrets `REDRESS_SURVEY_SECRET` as a list (config.ts `secretList`); at least one.
 * @param ttlMs how long a link stays valid after the resolution (whole seconds are kept).
 */
export function createSurveyTokens(secrets: readonly string[], ttlMs: number): SurveyTokens {
  if (secrets.length === 0) throw new ConfigurationError('no secret to sign survey links with (REDRESS_SURVEY_SECRET)');
  const ttlSeconds = Math.floor(ttlMs / 1000);
  if (!(ttlSeconds >= 1 && ttlSeconds <= MAX_TTL_SECONDS)) throw new RangeError(`the survey TTL must be from 1 second to ${MAX_TTL_SECONDS} seconds, got ${ttlMs} ms`);
  const keys = secrets.map(deriveKey);

  return {
    issue(feedbackId, resolvedAt) {
      if (!ID_FORM.test(feedbackId)) throw new RangeError(`a survey token needs an id of 1 to ${MAX_ID_BYTES} URL-safe characters, got ${JSON.stringify(feedbackId)}`);
      const resolvedMs = Date.parse(resolvedAt);
      if (!Number.isFinite(resolvedMs) || resolvedMs < 0) throw new RangeError(`resolvedAt ${JSON.stringify(resolvedAt)} is not an instant`);
      const payload = Buffer.alloc(HEADER_BYTES + feedbackId.length);
      payload.writeUInt8(VERSION, 0);
      payload.writeUIntBE(resolvedMs, 1, 6);
      payload.writeUInt32BE(ttlSeconds, 7);
      payload.write(feedbackId, HEADER_BYTES, 'ascii');
      const token = Buffer.concat([payload, mac(keys[0]!, payload)]).toString('base64url');
      return { token, expiresAt: new Date(resolvedMs + ttlSeconds * 1000).toISOString() };
    },

    verify(token, now) {
      const forged = { status: 'forged' } as const;
      if (typeof token !== 'string' || token.length > MAX_TOKEN_CHARS || !/^[A-Za-z0-9_-]+$/.test(token)) return forged;
      const bytes = Buffer.from(token, 'base64url');
      // Non-canonical text (spare bits set in the last character) would decode to the same bytes.
      if (bytes.length < HEADER_BYTES + 1 + MAC_BYTES || bytes.toString('base64url') !== token) return forged;
      const payload = bytes.subarray(0, bytes.length - MAC_BYTES);
      const given = bytes.subarray(bytes.length - MAC_BYTES);
      let valid = false;
      for (const key of keys) valid = constantTimeEqual(given, mac(key, payload)) || valid;
      if (!valid || payload.readUInt8(0) !== VERSION) return forged;
      const feedbackId = payload.subarray(HEADER_BYTES).toString('ascii');
      if (!ID_FORM.test(feedbackId)) return forged;
      const resolvedMs = payload.readUIntBE(1, 6);
      const expiresMs = resolvedMs + payload.readUInt32BE(7) * 1000;
      const claims = { feedbackId, resolvedAt: new Date(resolvedMs).toISOString(), expiresAt: new Date(expiresMs).toISOString() };
      const nowMs = typeof now === 'number' ? now : Date.parse(now);
      return nowMs < expiresMs ? { status: 'valid', ...claims } : { status: 'expired', ...claims };
    },
  };
}
