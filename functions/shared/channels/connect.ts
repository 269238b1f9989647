/**
 * Amazon Connect contact events through EventBridge
 * (https://docs.aws.amazon.com/connect/latest/adminguide/connect-eventbridge-events.html) for the hotline. Connect
 * publishes to the bank's default event bus; an EventBridge rule there sends matching events to an API
 * destination (`POST /webhooks/hotline/connect`) whose connection adds the API-key header
 * `x-bank-connect-key`. EventBridge signs nothing over the body, so that key (compared in constant time
 * with every active `REDRESS_CONNECT_KEY`) is the whole of the authentication.
 *
 * Contact Lens rule matches (post-call, real-time, post-chat) become one hotline item each: a call the
 * bank's own rules flagged, for a handler to review. Contact events (INITIATED, DISCONNECTED…) carry no
 * caller number and no transcript, so they and every other detail-type are acknowledged and dropped.
 * Items are deduplicated on the EventBridge event `id` (EventBridge redelivers for 24 h); the item's
 * externalId is the contact id, which names the call in the bank's Connect instance.
 */
import * as z from 'zod/mini';
import '../../../schemas/zod-locale.ts';
import { secretList } from '../config.ts';
import { BadRequestError, MethodNotAllowedError, UnauthorizedError, UnsupportedMediaTypeError } from '../errors.ts';
import { json, mediaType } from '../http.ts';
import type { ChannelAdapter, ChannelOutcome, ChannelRequest, InboundMessage } from './channel.ts';
import { secretsEqual } from './crypto-compare.ts';
import { isoFromDateString, onFirstUse, parseJsonBody, parseWith } from './payload.ts';

/**
 * The header the EventBridge connection adds (an API-key connection; the name is ours:
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-api-destinations.html).
 */
export const CONNECT_KEY_HEADER = 'x-bank-connect-key';

/** The EventBridge source of every event Amazon Connect publishes. */
export const CONNECT_EVENT_SOURCE = 'aws.connect';

/** The detail-types that flag a contact for review: Contact Lens rules whose action is "Generate an EventBridge event". */
export const RULE_MATCH_DETAIL_TYPES: ReadonlySet<string> = new Set([
  'Contact Lens Post Call Rules Matched',
  'Contact Lens Realtime Rules Matched',
  'Contact Lens Post Chat Rules Matched',
]);

/** The longest text kept from any one field of the event (rule names and ARNs are far shorter). */
const MAX_FIELD = 2048;
/** The longest rule name put into the item's text. */
const MAX_RULE_NAME = 256;

/** The payload schemas, built on the first Connect delivery (see onFirstUse). */
const schemas = onFirstUse(() => {
  const Text = z.string().check(z.minLength(1), z.maxLength(MAX_FIELD));
  return {
    // An ISO 8601 time as the queue schema takes it (FeedbackMessage.occurredAt).
    IsoTime: z.iso.datetime(),
    // The EventBridge envelope: `id` is unique per event and the same on every redelivery of it.
    Envelope: z.object({
      id: z.string().check(z.minLength(1), z.maxLength(256)),
      'detail-type': z.string().check(z.minLength(1), z.maxLength(256)),
      source: z.string().check(z.maxLength(256)),
      time: z.optional(z.string()),
      detail: z.record(z.string(), z.unknown()),
    }),
    // Contact Lens rule matches (fields as the AWS CDK event patterns define them; vector #32 of
    // test/fixtures/channel-vectors.json).
    RuleMatch: z.object({
      ruleName: z.string().check(z.minLength(1), z.maxLength(MAX_FIELD)),
      actionName: z.optional(Text),
      instanceArn: z.optional(Text),
      contactArn: z.optional(Text),
      contactId: z.optional(Text),
      agentArn: z.optional(Text),
      queueArn: z.optional(Text),
    }),
  };
});

/** A Connect contact id (a UUID in practice): what the item's externalId and the handlers' look-ups use. */
const CONTACT_ID = /^[A-Za-z0-9._:-]{1,256}$/;

/**
 * True when `given` equals one of the active keys. Every key is compared (no early exit), each by its
 * SHA-256 digest, so the timing shows neither which key matched nor how long the keys are.
 */
export function connectKeyMatches(given: string | undefined, keys: readonly string[]): boolean {
  if (given === undefined || given === '') return false;
  let matched = false;
  for (const key of keys) matched = secretsEqual(given, key) || matched;
  return matched;
}

/**
 * The Amazon Connect adapter (route `hotline/connect`). Configuration: `REDRESS_CONNECT_KEY`, the value(s)
 * of the connection's API-key header, comma-separated during a rotation. Without one the route answers
 * 503 (not configured) and accepts nothing.
 */
export function createConnectAdapter(env: NodeJS.ProcessEnv): ChannelAdapter {
  const keys = secretList(env.REDRESS_CONNECT_KEY);
  return {
    route: 'hotline/connect',
    configured: keys.length > 0,
    handle(req: ChannelRequest): ChannelOutcome {
      if (req.method !== 'POST') throw new MethodNotAllowedError('EventBridge API destinations deliver POSTs.', ['POST']);
      // The key first: nothing about an unauthenticated request (its type, size or shape) is looked at.
      if (!connectKeyMatches(req.headers[CONNECT_KEY_HEADER], keys)) {
        throw new UnauthorizedError(`${CONNECT_KEY_HEADER} is missing or is not an active key.`);
      }
      const type = mediaType(req.headers['content-type']);
      if (type !== 'application/json') throw new UnsupportedMediaTypeError(req.headers['content-type'], 'application/json');
      const messages = connectEventToInbound(parseJsonBody(req.body));
      // EventBridge wants any 2xx; the accepted list is for people reading the API destination's logs.
      return { messages, respond: (accepted) => json(200, { accepted }) };
    },
  };
}

/**
 * The hotline item a verified EventBridge event makes: one for a Contact Lens rule match, none for
 * anything else (contact events, other detail-types, other sources). Throws a 400 for a body that is not
 * an EventBridge event, or a rule match without a rule name or a contact.
 */
export function connectEventToInbound(value: unknown): InboundMessage[] {
  const { Envelope, RuleMatch, IsoTime } = schemas();
  const event = parseWith(Envelope, value, 'EventBridge event field(s)');
  if (event.source !== CONNECT_EVENT_SOURCE || !RULE_MATCH_DETAIL_TYPES.has(event['detail-type'])) return [];
  const detail = parseWith(RuleMatch, event.detail, 'Contact Lens rule-match field(s)');
  const contactId = contactIdOf(detail.contactArn) ?? detail.contactId;
  if (contactId === undefined || !CONTACT_ID.test(contactId)) {
    const field = detail.contactArn !== undefined ? 'detail.contactArn' : 'detail.contactId';
    throw new BadRequestError('The rule match names no contact.', [{ field, message: 'a contact ARN ending /contact/<contactId>, or a contactId' }]);
  }
  const ruleName = detail.ruleName.slice(0, MAX_RULE_NAME);
  // Only a time the queue schema takes as ISO 8601 (Date.parse also reads years past 9999, `+010000-…`).
  const time = isoFromDateString(event.time);
  const occurredAt = time !== undefined && IsoTime.safeParse(time).success ? time : undefined;
  const context: Record<string, unknown> = { contactId, ruleName, detailType: event['detail-type'], eventId: event.id };
  for (const key of ['actionName', 'instanceArn', 'agentArn', 'queueArn'] as const) {
    if (detail[key] !== undefined) context[key] = detail[key];
  }
  return [
    {
      source: 'hotline',
      channel: 'hotline',
      externalId: contactId,
      // Each event is its own item: two rules (or a real-time and a post-call match) on one call are two flags.
      dedupeKey: `connect:${event.id}`,
      ...(occurredAt ? { occurredAt } : {}),
      text: `[Contact Lens rule: ${ruleName}]`,
      context,
    },
  ];
}

/** The contact id at the end of a contact ARN (`arn:aws:connect:…:instance/<id>/contact/<contactId>`), if it is one. */
export function contactIdOf(contactArn: string | undefined): string | undefined {
  const match = contactArn === undefined ? null : /^arn:[^:]+:connect:[^:]*:[^:]*:instance\/[^/]+\/contact\/([^/]+)$/.exec(contactArn);
  return match?.[1];
}
