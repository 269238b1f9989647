/**
 * Standard Webhooks (v1, symmetric): the protocol of our own web, mobile and call-centre back ends.
 * Signed content is `${webhook-id}.${webhook-timestamp}.${raw body}`, HMAC-SHA256 keyed with the
 * base64 bytes after `whsec_`; the header may carry several space-separated `v1,<base64>` entries.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SubmittedFeedback } from '../../../schemas/webhook.ts';
import type { Channel, Source } from '../../../schemas/feedback.ts';
import { secretList } from '../config.ts';
import { storableIssues } from '../../../schemas/storable.ts';
import { BadRequestError, MethodNotAllowedError, UnauthorizedError, UnsupportedMediaTypeError } from '../errors.ts';
import { json, mediaType } from '../http.ts';
import { parseWith } from '../validation.ts';
import type { ChannelAdapter, ChannelOutcome, ChannelRequest, InboundMessage } from './channel.ts';
import { parseJsonBody } from './payload.ts';

/** The timestamp window, both ways: a delivery signed more than 5 minutes from now is a replay or a broken clock. */
export const TOLERANCE_SECONDS = 300;

/** Decodes a `whsec_…` secret (or bare base64) into the HMAC key bytes. */
export function decodeWebhookSecret(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
}

/** The `v1,<base64>` signature of one message, as a sender computes it. */
export function signStandardWebhook(secret: string, id: string, timestamp: number | string, body: Buffer | string): string {
  const mac = createHmac('sha256', decodeWebhookSecret(secret))
    .update(`${id}.${timestamp}.`)
    .update(body)
    .digest('base64');
  return `v1,${mac}`;
}

export interface StandardWebhookHeaders {
  id: string;
  timestamp: number;
}

/**
 * Verifies a Standard Webhooks delivery on its raw bytes against every active key.
 * Throws UnauthorizedError for missing headers, a timestamp outside ±5 minutes, or no matching signature.
 */
export function verifyStandardWebhook(
  headers: Record<string, string>,
  body: Buffer,
  keys: Buffer[],
  now: Date,
): StandardWebhookHeaders {
  const id = headers['webhook-id'];
  const ts = headers['webhook-timestamp'];
  const sig = headers['webhook-signature'];
  if (!id || !ts || !sig) throw new UnauthorizedError('Missing webhook-id, webhook-timestamp or webhook-signature.');
  if (!/^\d{1,12}$/.test(ts)) throw new UnauthorizedError('webhook-timestamp is not Unix seconds.');
  const timestamp = Number(ts);
  if (Math.abs(now.getTime() / 1000 - timestamp) > TOLERANCE_SECONDS) {
    throw new UnauthorizedError('webhook-timestamp is outside the 5-minute tolerance.');
  }
  const given = v1Signatures(sig);
  for (const key of keys) {
    const expected = Buffer.from(createHmac('sha256', key).update(`${id}.${ts}.`).update(body).digest('base64'), 'utf8');
    // Check every candidate (no early exit on the first key) so timing says nothing about which key matched.
    for (const candidate of given) {
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) return { id, timestamp };
    }
  }
  throw new UnauthorizedError('No webhook-signature entry matches an active key.');
}

/** A v1 signature as the spec writes it: the base64 of a 32-byte HMAC-SHA256, 43 characters and one `=`. */
const V1_SIGNATURE = /^v1,([A-Za-z0-9+/]{43}=)$/;

/**
 * The `v1` signatures of a `webhook-signature` header (space-delimited entries), each as the exact base64
 * text it carries. Parsed strictly, as the reference libraries compare the text: an entry with anything
 * after the signature (`v1,<sig>!!!`, `v1,<sig>,x`), or base64 that is not the canonical encoding of 32
 * bytes, matches nothing. Entries of other versions (`v1a,…`) are skipped.
 */
export function v1Signatures(header: string): Buffer[] {
  return header
    .split(' ')
    .map((entry) => V1_SIGNATURE.exec(entry)?.[1])
    .filter((value): value is string => value !== undefined)
    .map((value) => Buffer.from(value, 'utf8'));
}

export interface StandardWebhooksChannel {
  /** Route under /webhooks/ and the item's source. */
  route: 'web' | 'mobile' | 'hotline';
  channel: Channel;
  source: Source;
  /** The active `whsec_` secrets, first one current. */
  secrets: string[];
}

/** The adapter for one of our own Standard Webhooks channels (web, mobile, hotline). */
export function createStandardWebhooksAdapter(config: StandardWebhooksChannel): ChannelAdapter {
  const keys = config.secrets.map(decodeWebhookSecret).filter((k) => k.length > 0);
  return {
    route: config.route,
    configured: keys.length > 0,
    handle(req: ChannelRequest): ChannelOutcome {
      if (req.method !== 'POST') throw new MethodNotAllowedError('Feedback webhooks are POSTs.', ['POST']);
      const type = mediaType(req.headers['content-type']);
      if (type !== 'application/json') throw new UnsupportedMediaTypeError(req.headers['content-type'], 'application/json');
      const { id } = verifyStandardWebhook(req.headers, req.body, keys, req.now);
      const message = parseSubmittedFeedback(req.body, id, config);
      return { messages: [message], respond: (accepted) => json(202, { accepted }) };
    },
  };
}

/** The longest `webhook-id` kept as an item's external id. */
const MAX_WEBHOOK_ID_LENGTH = 512;

/**
 * Parses and validates a verified body into one inbound message. Besides the schema, the raw `context`
 * (as JSON.parse made it, so a `__proto__` key is still seen) must be storable: 400 naming each value
 * DynamoDB or the marshaller could not take (schemas/storable.ts), before anything is acknowledged.
 */
export function parseSubmittedFeedback(body: Buffer, webhookId: string, config: Pick<StandardWebhooksChannel, 'channel' | 'source'>): InboundMessage {
  if (webhookId.length > MAX_WEBHOOK_ID_LENGTH) {
    throw new BadRequestError('webhook-id is too long.', [{ field: 'webhook-id', message: `at most ${MAX_WEBHOOK_ID_LENGTH} characters` }]);
  }
  const raw = parseJsonBody(body);
  const { data, timestamp } = parseWith(SubmittedFeedback, raw, 'field(s)');
  const unstorable = storableIssues((raw as { data: { context?: unknown } }).data.context);
  if (unstorable.length) {
    const errors = unstorable.map((issue) => ({ field: ['data', 'context', ...issue.path].join('.'), message: issue.message }));
    throw new BadRequestError(`Invalid field(s): ${errors.map((e) => e.field).join(', ')}.`, errors);
  }
  const contact = data.customer?.phone ?? data.customer?.email;
  return {
    source: config.source,
    channel: config.channel,
    externalId: webhookId,
    ...(timestamp ? { occurredAt: new Date(timestamp).toISOString() } : {}),
    text: data.text,
    ...(data.language ? { language: data.language } : {}),
    ...(data.subject ? { subject: data.subject } : {}),
    ...(data.rating !== undefined ? { rating: data.rating } : {}),
    customer: {
      ...(data.customer?.id ? { id: data.customer.id } : {}),
      ...(data.customer?.name ? { name: data.customer.name } : {}),
      ...(contact ? { contact } : {}),
    },
    ...(data.context ? { context: data.context } : {}),
  };
}

/** The three Standard Webhooks channels, configured from their secret variables. */
export function createOwnChannelAdapters(env: NodeJS.ProcessEnv): ChannelAdapter[] {
  return [
    createStandardWebhooksAdapter({ route: 'web', channel: 'web', source: 'web', secrets: secretList(env.REDRESS_WEB_SECRET) }),
    createStandardWebhooksAdapter({ route: 'mobile', channel: 'mobile', source: 'mobile', secrets: secretList(env.REDRESS_MOBILE_SECRET) }),
    createStandardWebhooksAdapter({ route: 'hotline', channel: 'hotline', source: 'hotline', secrets: secretList(env.REDRESS_HOTLINE_SECRET) }),
  ];
}
