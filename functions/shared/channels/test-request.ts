/**
 * Test support for channel adapters: builds a ChannelRequest the way the ingest handler does (raw body
 * bytes, lower-cased headers, raw and decoded query), and loads the project's copy of the platform
 * test vectors (test/fixtures/channel-vectors.json: each reproduces a value the platform's docs or client library publish).
 */
import { readFileSync } from 'node:fs';
import { ProblemError } from '../errors.ts';
import type { ChannelAdapter, ChannelOutcome, ChannelRequest } from './channel.ts';

/** What a test says about a request; everything has a sensible default. */
export interface RequestSpec {
  method?: string;
  /** A full URL (`https://host/path?query`) or a path with an optional query (`/webhooks/x?crc_token=…`). */
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  now?: Date;
}

/** Builds the ChannelRequest an adapter receives for `spec`. */
export function channelRequest(spec: RequestSpec): ChannelRequest {
  const url = new URL(spec.url, 'https://api.example-bank.com');
  const rawQuery = url.search.startsWith('?') ? url.search.slice(1) : '';
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQuery)) if (!(name in query)) query[name] = value;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(spec.headers ?? {})) headers[name.toLowerCase()] = value;
  return {
    method: spec.method ?? 'POST',
    path: url.pathname,
    rawQuery,
    query,
    headers,
    body: Buffer.isBuffer(spec.body) ? spec.body : Buffer.from(spec.body ?? '', 'utf8'),
    now: spec.now ?? new Date(),
  };
}

/** The outcome of `adapter.handle(req)`, or the ProblemError it threw; any other error fails the test. */
export async function handleOrProblem(adapter: ChannelAdapter, req: ChannelRequest): Promise<ChannelOutcome | ProblemError> {
  try {
    return await adapter.handle(req);
  } catch (err) {
    if (err instanceof ProblemError) return err;
    throw new Error(`adapter threw a non-problem error: ${String(err)}`, { cause: err });
  }
}

/** One entry of test/fixtures/channel-vectors.json. */
export interface ChannelVector {
  index: number;
  protocol: string;
  description: string;
  secret: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  expect: { valid: boolean; status?: number; responseBody?: string };
  now?: number;
  params?: Record<string, string>;
  encodingAESKey?: string;
  appId?: string;
  expectedPlaintext?: string;
  random16?: string;
  timestamp?: string;
  nonce?: string;
  dedupeKey?: string;
}

let cache: ChannelVector[] | undefined;

/** The vectors of one protocol, each with its index in the file (the numbers the channel tests cite, e.g. #31–33). */
export function channelVectors(protocol: string): ChannelVector[] {
  cache ??= (JSON.parse(readFileSync(new URL('../../../test/fixtures/channel-vectors.json', import.meta.url), 'utf8')) as Omit<ChannelVector, 'index'>[]).map(
    (vector, index) => ({ ...vector, index }),
  );
  return cache.filter((vector) => vector.protocol === protocol);
}

/**
 * Property: flipping any bits of any byte of a signed body makes the adapter refuse it with `status`.
 * `request` builds the request for a body, keeping the original signature.
 */
export async function assertBodyTamperingRejected(adapter: ChannelAdapter, body: Buffer, request: (body: Buffer) => ChannelRequest, status: number, numRuns = 300): Promise<void> {
  const fc = (await import('fast-check')).default;
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: body.length - 1 }), fc.integer({ min: 1, max: 255 }), async (position, flip) => {
      const tampered = Buffer.from(body);
      tampered[position] = tampered[position]! ^ flip;
      const outcome = await handleOrProblem(adapter, request(tampered));
      return outcome instanceof ProblemError && outcome.status === status;
    }),
    { numRuns },
  );
}
