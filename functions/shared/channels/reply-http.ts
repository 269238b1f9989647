/**
 * What every reply adapter shares: calling a platform through an injectable `fetch` with a timeout,
 * and turning what came back (or did not) into a SendOutcome. Network trouble, timeouts, 5xx and 429
 * are transient (worth retrying, honouring `Retry-After`); other 4xx are permanent.
 */
import type { Source } from '../../../schemas/feedback.ts';
import type { OutboundReply, ReplyPermanentFailure, ReplyTransientFailure, SendOutcome } from '../ports/reply-sender.ts';

/** The part of the WHATWG `fetch` the adapters use (the global one in Lambda; a fake in tests). */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** What a reply adapter needs from its surroundings. */
export interface ReplyHttpOptions {
  fetch: FetchLike;
  /** How long one platform call may take, headers and body, before it counts as a transient `timeout`. */
  timeoutMs: number;
  now: () => Date;
}

/** One request to a platform, built by a pure request builder (tested against the platform's documented examples). */
export interface PlatformRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** What a platform answered. */
export interface PlatformAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/** A send that did not go through, and whether trying again may help. */
export type PlatformFailure = ReplyTransientFailure | ReplyPermanentFailure;

/** One platform's reply adapter, as the router sees it. */
export interface PlatformReplySender {
  readonly sources: readonly Source[];
  /** True when this stack has the credentials to send for `source`. */
  configured(source: Source): boolean;
  send(reply: OutboundReply): Promise<SendOutcome>;
}

/** Platform error messages are stored on the reply: kept short. */
const MAX_ERROR_MESSAGE = 1000;

/** The longest wait honoured from a platform's Retry-After (the retry schedule caps it again). */
const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Sends `request` and reads the whole answer within `timeoutMs`. A timeout or a network error is a
 * transient failure (it never throws); redirects are not followed (a platform API does not redirect a
 * send, and a callback receiver that does is misconfigured).
 */
export async function callPlatform(options: ReplyHttpOptions, request: PlatformRequest): Promise<PlatformAnswer | ReplyTransientFailure> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const response = await options.fetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
      redirect: 'manual',
      signal,
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  } catch (err) {
    if (signal.aborted || (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))) {
      return transient('timeout', `No answer within ${options.timeoutMs} ms.`);
    }
    // Node's fetch says "fetch failed" and puts the reason (ECONNREFUSED, ENOTFOUND…) in `cause`; never the URL's query.
    const cause = err instanceof Error && err.cause && typeof err.cause === 'object' && 'code' in err.cause ? String(err.cause.code) : undefined;
    return transient('network', `The request could not be made${cause ? ` (${cause})` : ''}.`);
  }
}

/** A transient failure with the platform's code and message (cut to a storable length). */
export function transient(code: string, message: string, retryAfterMs?: number): ReplyTransientFailure {
  return { status: 'transient', code, message: message.slice(0, MAX_ERROR_MESSAGE), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

/** A permanent failure with the platform's code and message (cut to a storable length). */
export function permanent(code: string, message: string): ReplyPermanentFailure {
  return { status: 'permanent', code, message: message.slice(0, MAX_ERROR_MESSAGE) };
}

/**
 * The failure an HTTP error status means, with the platform's own code and message: 5xx, 429 and 408
 * are transient (with the wait from `Retry-After`), everything else (4xx, and 3xx: a redirect is a
 * misconfigured receiver) is permanent.
 */
export function httpFailure(answer: PlatformAnswer, code: string, message: string, now: Date): ReplyTransientFailure | ReplyPermanentFailure {
  if (answer.status >= 500 || answer.status === 429 || answer.status === 408) {
    return transient(code, message, retryAfterMs(answer.headers, now));
  }
  return permanent(code, message);
}

/** True for a 2xx status. */
export const isSuccess = (status: number): boolean => status >= 200 && status < 300;

/**
 * The wait `Retry-After` asks for, in milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3);
 * undefined when absent or unreadable. Never negative, at most a day.
 */
export function retryAfterMs(headers: Headers, now: Date): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now.getTime();
  return Number.isFinite(ms) ? Math.min(Math.max(0, ms), MAX_RETRY_AFTER_MS) : undefined;
}

/** The answer's body as JSON, or undefined when it is not JSON (an HTML error page from a proxy). */
export function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A plain object's own field, or undefined (for reading platform answers without trusting their shape). */
export function field(value: unknown, name: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, name) ? (value as Record<string, unknown>)[name] : undefined;
}

/** A string or number field as a string, else undefined. */
export function textField(value: unknown, name: string): string | undefined {
  const v = field(value, name);
  return typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
}

/** The base URL from configuration without a trailing slash, or the platform's default. */
export function baseUrl(configured: string | undefined, fallback: string): string {
  const value = configured?.trim() || fallback;
  return value.replace(/\/+$/, '');
}

/** A "not configured" outcome naming what is missing (never a secret's value). */
export function notConfigured(message: string): SendOutcome {
  return { status: 'not_configured', code: 'reply_channel_not_configured', message };
}
