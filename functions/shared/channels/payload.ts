/**
 * Small pure helpers the social and telephony adapters share once a delivery is verified: parsing JSON
 * into a clear 400, naming zod's failures as fields, and turning platform timestamps into ISO 8601 UTC
 * without ever throwing on a silly value.
 */
import type * as z from 'zod/mini';
import { hasVisibleText } from '../../../schemas/storable.ts';
import { BadRequestError } from '../errors.ts';
import { parseWith as parseWithSchema } from '../validation.ts';

/**
 * A value built on its first use and then kept. One ingest function serves every channel, and a cold
 * start is for one request: a channel's schemas (and WeChat's XML parser) are built when that channel is
 * first called, not for every channel at module load.
 */
export function onFirstUse<T extends object>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}

/**
 * Parses a verified JSON body. `keepAsText` names number fields whose exact digits matter (WeChat's
 * 64-bit MsgId): their source text is kept as a string instead of a rounded JS number.
 */
export function parseJsonBody(body: Buffer | string, keepAsText: readonly string[] = []): unknown {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  try {
    if (!keepAsText.length) return JSON.parse(text);
    // Node 22 passes the source text of primitives to the reviver (JSON.parse source text access).
    const reviver = (key: string, value: unknown, context?: { source?: string }): unknown =>
      keepAsText.includes(key) && typeof value === 'number' && context?.source !== undefined ? context.source : value;
    return JSON.parse(text, reviver as (this: unknown, key: string, value: unknown) => unknown);
  } catch {
    throw new BadRequestError('The body is not valid JSON.', [{ field: '(body)', message: 'invalid JSON' }]);
  }
}

/** Platform payloads can be deeply nested junk: name at most this many bad fields in a 400. */
const MAX_PLATFORM_ISSUES = 20;

/** Validates a platform payload with `schema`, or throws a 400 naming (up to 20) bad fields. */
export function parseWith<T extends z.ZodMiniType>(schema: T, value: unknown, what: string): z.output<T> {
  return parseWithSchema(schema, value, what, MAX_PLATFORM_ISSUES);
}

/** The largest time a JS Date can hold, in milliseconds. */
const MAX_DATE_MS = 8.64e15;

/** ISO 8601 UTC for epoch milliseconds, or undefined for anything that is not a usable time. */
export function isoFromMillis(value: number | string | undefined | null): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const ms = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_DATE_MS) return undefined;
  return new Date(ms).toISOString();
}

/** ISO 8601 UTC for epoch seconds (WeChat CreateTime, WhatsApp timestamp), or undefined. */
export function isoFromSeconds(value: number | string | undefined | null): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const s = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(s)) return undefined;
  return isoFromMillis(s * 1000);
}

/**
 * ISO 8601 UTC for an epoch value that may be seconds or milliseconds: Meta sends `entry.time` in
 * milliseconds for messaging and in seconds for Instagram comments. Anything above 10^11 is taken as
 * milliseconds (10^11 seconds is the year 5138).
 */
export function isoFromEpoch(value: number | string | undefined | null): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return undefined;
  return n > 1e11 ? isoFromMillis(n) : isoFromSeconds(n);
}

/** ISO 8601 UTC for a date string (`2026-07-24T21:23:23.000Z`, or X v1.1's `Wed Oct 10 20:19:24 +0000 2018`). */
export function isoFromDateString(value: string | undefined | null): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : isoFromMillis(ms);
}

/**
 * The text if it has a character that shows, else undefined: attachments-only messages carry none, and a
 * message of NUL, zero-width or space characters is not feedback (hasVisibleText).
 */
export function nonBlank(text: string | undefined | null): string | undefined {
  return typeof text === 'string' && hasVisibleText(text) ? text : undefined;
}

/** A display name cut to what CustomerRef stores (256 characters); undefined when nothing in it shows. */
export function displayNameOf(name: string | undefined | null): string | undefined {
  return typeof name === 'string' && hasVisibleText(name) ? name.slice(0, 256) : undefined;
}
