/**
 * Reading an admin request: its JSON body, query string, If-Match and path segments, each refused with
 * the problem+json answer that names what is wrong (400, 413, 415). Shared by the route groups.
 */
import type * as z from 'zod/mini';
import type { FeedbackItem } from '../../schemas/feedback.ts';
import { parseCustomerKey } from '../shared/customers/customer-key.ts';
import { assertBodyWithin, BadRequestError, UnsupportedMediaTypeError } from '../shared/errors.ts';
import { lowerHeaders, mediaType, rawBody, type HttpEvent } from '../shared/http.ts';
import { parseWith } from '../shared/validation.ts';

const MAX_BODY_BYTES = 64 * 1024;
const DAY_MS = 86_400_000;
const DEFAULT_WINDOW_DAYS = 30;
const MAX_WINDOW_DAYS = 366;

/** `"7"` for version 7. */
export const etag = (version: number) => `"${version}"`;

/**
 * The versions an If-Match header accepts: `*` (any), or a list of entity tags, quoted or bare (`"7"`,
 * `7`). If-Match compares strongly (RFC 9110 §13.1.1), so a weak tag (`W/"7"`) matches nothing; so do
 * tags that are not versions (both answer 412).
 */
export function parseIfMatch(header: string | undefined): '*' | number[] | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  if (header.trim() === '*') return '*';
  return header
    .split(',')
    .map((t) => t.trim())
    .filter((t) => !/^W\//i.test(t))
    .map((t) => t.replace(/^"(.*)"$/, '$1'))
    .filter((t) => /^\d{1,15}$/.test(t))
    .map(Number);
}

/** The request's JSON object body (`{}` when empty), or the 413, 415 or 400 that refuses it. */
export function jsonBody(event: HttpEvent): unknown {
  const body = rawBody(event);
  assertBodyWithin(body, MAX_BODY_BYTES);
  const type = mediaType(lowerHeaders(event.headers)['content-type']);
  if (body.length > 0 && type !== undefined && type !== 'application/json') throw new UnsupportedMediaTypeError(type, 'application/json');
  if (body.length === 0) return {};
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value;
  } catch {
    throw new BadRequestError('The body must be a JSON object.', [{ field: '(body)', message: 'not a JSON object' }]);
  }
}

/** Unknown names echoed back in a 400 are cut to this length, and at most MAX_NAMED of them are listed. */
const MAX_PARAMETER_NAME = 64;
const MAX_NAMED = 10;

/**
 * Validates a query string against its route's schema. A parameter the schema does not name is a 400
 * naming it (`?customer=`, `?statuss=`): silently ignoring a misspelt filter would answer a different
 * question than the one asked.
 */
export function parseQuery<T extends z.ZodMiniObject>(schema: T, params: Record<string, string | undefined> | undefined): z.output<T> {
  const known = Object.keys(schema.shape);
  const unknown = Object.keys(params ?? {}).filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    const named = unknown.slice(0, MAX_NAMED).map((name) => name.slice(0, MAX_PARAMETER_NAME));
    throw new BadRequestError(
      `Unknown query parameter${unknown.length > 1 ? 's' : ''}: ${named.join(', ')}. This route takes ${known.join(', ')}.`,
      named.map((field) => ({ field, message: 'unknown query parameter' })),
    );
  }
  return parseWith(schema, params ?? {}, 'query');
}

/** Canonical UTC instants (so key ranges compare as text), validated to a sane window. */
export function windowOf(query: { from?: string | undefined; to?: string | undefined }, now: Date): { from: string; to: string } {
  const toMs = query.to ? Date.parse(query.to) : now.getTime();
  const fromMs = query.from ? Date.parse(query.from) : toMs - DEFAULT_WINDOW_DAYS * DAY_MS;
  if (!(fromMs < toMs)) throw new BadRequestError('from must be before to.', [{ field: 'from', message: 'must be before to' }]);
  if (toMs - fromMs > MAX_WINDOW_DAYS * DAY_MS) throw new BadRequestError(`The window is longer than ${MAX_WINDOW_DAYS} days.`, [{ field: 'from', message: `at most ${MAX_WINDOW_DAYS} days before to` }]);
  if (fromMs < Date.UTC(2000, 0, 1) || toMs > Date.UTC(9999, 0, 1)) throw new BadRequestError('from/to out of range.', [{ field: 'from', message: 'out of range' }]);
  return { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() };
}

/** Whether an item was received in the window (always, without one). */
export const inWindow = (item: FeedbackItem, window: { from: string; to: string } | undefined) => !window || (item.receivedAt >= window.from && item.receivedAt < window.to);

/**
 * A customer key from a path segment (still percent-encoded), or a 400 naming the segment: a key is
 * `ck<version>_` and 32 lower-case hex characters. Undefined when the route has no such segment.
 */
export function pathCustomerKey(segment: string | undefined, field: string): string | undefined {
  if (segment === undefined) return undefined;
  let text: string | undefined;
  try {
    text = decodeURIComponent(segment);
  } catch {
    text = undefined;
  }
  const key = parseCustomerKey(text);
  if (!key) throw new BadRequestError(`${field} is not a customer key.`, [{ field, message: 'must be ck<version>_ and 32 lower-case hex characters' }]);
  return key;
}
