/**
 * X (Twitter) webhooks: the Account Activity API (AAA) and the X Activity API (XAA) deliver through the
 * same V2 webhooks, with the same CRC handshake and the same signature
 * (https://developer.x.com/en/docs/x-api/enterprise/account-activity-api/guides/securing-webhooks):
 * `x-twitter-webhooks-signature: sha256=<base64 HMAC-SHA256(consumer secret, raw body)>`.
 *
 * X signs no timestamp: replays are stopped by the dedupe key, which is `<for_user_id>:<event id>` for
 * AAA (one event arrives once per subscribed user in the conversation) and `event_uuid` for XAA.
 */
import * as z from 'zod/mini';
import '../../../schemas/zod-locale.ts';
import { secretList } from '../config.ts';
import { BadRequestError, MethodNotAllowedError, UnauthorizedError, UnsupportedMediaTypeError } from '../errors.ts';
import { json, mediaType } from '../http.ts';
import type { ChannelAdapter, ChannelOutcome, ChannelRequest, InboundMessage } from './channel.ts';
import { hmac, matchingSecretIndex } from './crypto-compare.ts';
import { assertHandshakeToken, isHandshakeToken } from './handshake.ts';
import { displayNameOf, isoFromDateString, isoFromMillis, nonBlank, onFirstUse, parseJsonBody, parseWith } from './payload.ts';

/** The payload schemas, built on the first X delivery (see onFirstUse). */
const schemas = onFirstUse(() => {
  const Id = z.string().check(z.minLength(1), z.maxLength(64));

  /** One `direct_message_events[]` item (AAA, and XAA `dm.received` payloads). */
  const DirectMessageEvent = z.object({
    type: z.string(),
    id: Id,
    created_timestamp: z.optional(z.string()),
    message_create: z.optional(
      z.object({
        sender_id: Id,
        target: z.optional(z.object({ recipient_id: z.optional(z.string()) })),
        message_data: z.optional(z.object({ text: z.optional(z.string()) })),
      }),
    ),
  });

  /** The `users` map beside DMs: AAA puts the user object directly, XAA wraps it in `data`. */
  const UsersMap = z.optional(z.record(z.string(), z.unknown()));

  const DirectMessages = z.object({ direct_message_events: z.array(DirectMessageEvent), users: UsersMap });

  /** A v1.1 Tweet as AAA's `tweet_create_events[]` carries it. */
  const Tweet = z.object({
    id_str: Id,
    text: z.optional(z.string()),
    full_text: z.optional(z.string()),
    extended_tweet: z.optional(z.object({ full_text: z.optional(z.string()) })),
    user: z.object({ id_str: Id, name: z.optional(z.string()), screen_name: z.optional(z.string()) }),
    timestamp_ms: z.optional(z.string()),
    created_at: z.optional(z.string()),
    retweeted_status: z.optional(z.unknown()),
  });

  const AccountActivity = z.object({
    for_user_id: z.optional(Id),
    direct_message_events: z.optional(z.array(DirectMessageEvent)),
    users: UsersMap,
    tweet_create_events: z.optional(z.array(Tweet)),
  });

  /** A v2 Post as XAA's `post.mention.create` / `post.reply.create` payload carries it. */
  const PostV2 = z.object({ id: Id, text: z.optional(z.string()), author_id: Id, created_at: z.optional(z.string()) });

  const XaaEvent = z.object({
    event_uuid: z.pipe(z.union([z.string().check(z.minLength(1), z.maxLength(64)), z.number()]), z.transform(String)),
    filter: z.optional(z.object({ user_id: z.optional(z.string()) })),
    event_type: z.string(),
    payload: z.unknown(),
    includes: z.optional(
      z.object({ users: z.optional(z.array(z.object({ id: z.string(), name: z.optional(z.string()), username: z.optional(z.string()) }))) }),
    ),
  });

  const XaaEnvelope = z.object({ data: z.union([XaaEvent, z.array(XaaEvent)]) });
  return { DirectMessageEvent, DirectMessages, Tweet, AccountActivity, PostV2, XaaEvent, XaaEnvelope };
});
type Schemas = ReturnType<typeof schemas>;

/** The XAA event types that carry a customer's post to us. */
const XAA_POST_EVENTS = new Set(['post.mention.create', 'post.reply.create']);

/** The X adapter. Configuration: `REDRESS_X_CONSUMER_SECRET` (comma-separated; the first answers CRCs). */
export function createXAdapter(env: NodeJS.ProcessEnv): ChannelAdapter {
  const secrets = secretList(env.REDRESS_X_CONSUMER_SECRET);
  return {
    route: 'x',
    configured: secrets.length > 0,
    handle(req: ChannelRequest): ChannelOutcome {
      if (req.method === 'GET') return answerXCrc(req.query, secrets[0] ?? '');
      if (req.method !== 'POST') throw new MethodNotAllowedError('X webhooks use GET (CRC) and POST.', ['GET', 'POST']);
      verifyXSignature(req.headers['x-twitter-webhooks-signature'], req.body, secrets);
      const type = mediaType(req.headers['content-type']);
      if (type !== 'application/json') throw new UnsupportedMediaTypeError(req.headers['content-type'], 'application/json');
      const messages = parseXDelivery(req.body);
      return { messages, respond: (accepted) => json(200, { accepted }) };
    },
  };
}

/** The CRC token X expects for `crc_token` (the decoded query value): `sha256=<base64 HMAC-SHA256>`. */
export function xCrcResponseToken(consumerSecret: string, crcToken: string): string {
  return `sha256=${hmac('sha256', consumerSecret, Buffer.from(crcToken, 'utf8'), 'base64')}`;
}

/**
 * Answers the CRC: 200 JSON `{response_token}`, 400 when there is no `crc_token` (not a CRC), 403 when it
 * is not token-shaped. The answer is exactly the signature a POST of the token's text would carry, so
 * only tokens that no POST could ever be accepted with are answered (see handshake.ts): otherwise this
 * route would sign any delivery an attacker asks it to.
 */
export function answerXCrc(query: Record<string, string>, consumerSecret: string): ChannelOutcome {
  const crcToken = query.crc_token;
  if (!crcToken) throw new BadRequestError('GET /webhooks/x needs a crc_token.', [{ field: 'crc_token', message: 'required' }]);
  assertHandshakeToken(isHandshakeToken(crcToken), 'crc_token');
  const responseToken = xCrcResponseToken(consumerSecret, crcToken);
  return { messages: [], respond: () => json(200, { response_token: responseToken }) };
}

/** Checks `x-twitter-webhooks-signature` on the raw bytes against every active consumer secret. */
export function verifyXSignature(header: string | undefined, body: Buffer, secrets: readonly string[]): number {
  const given = header?.trim() ?? '';
  if (!/^sha256=[A-Za-z0-9+/]{43}=$/.test(given)) throw new UnauthorizedError('x-twitter-webhooks-signature is missing or not sha256=<base64>.');
  const index = matchingSecretIndex(secrets, given, (secret) => `sha256=${hmac('sha256', secret, body, 'base64')}`);
  if (index < 0) throw new UnauthorizedError('x-twitter-webhooks-signature does not match the consumer secret.');
  return index;
}

/**
 * Turns a verified X delivery into one message per customer DM or mention. Reads both envelopes:
 * AAA (`for_user_id` + `direct_message_events` / `tweet_create_events`) and XAA (`data.event_type`).
 * Our own outgoing DMs and posts (sender == the subscribed user), retweets, typing and read events are dropped.
 */
export function parseXDelivery(body: Buffer): InboundMessage[] {
  const parsed = parseJsonBody(body);
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && 'data' in parsed) {
    const envelope = parseWith(schemas().XaaEnvelope, parsed, 'X Activity API payload');
    const events = Array.isArray(envelope.data) ? envelope.data : [envelope.data];
    return events.flatMap((event, index) => xaaEventToInbound(event, index));
  }
  const activity = parseWith(schemas().AccountActivity, parsed, 'X Account Activity payload');
  const forUserId = activity.for_user_id;
  if ((activity.direct_message_events?.length || activity.tweet_create_events?.length) && !forUserId) {
    throw new BadRequestError('Invalid X Account Activity payload: for_user_id.', [{ field: 'for_user_id', message: 'required with events' }]);
  }
  const messages: InboundMessage[] = [];
  for (const dm of activity.direct_message_events ?? []) {
    const message = directMessageToInbound(dm, forUserId!, activity.users, `${forUserId}:${dm.id}`);
    if (message) messages.push(message);
  }
  for (const tweet of activity.tweet_create_events ?? []) {
    const message = tweetToInbound(tweet, forUserId!);
    if (message) messages.push(message);
  }
  return messages;
}

function directMessageToInbound(
  dm: z.output<Schemas['DirectMessageEvent']>,
  ourUserId: string | undefined,
  users: Record<string, unknown> | undefined,
  externalId: string,
): InboundMessage | undefined {
  if (dm.type !== 'message_create' || !dm.message_create) return undefined;
  const senderId = dm.message_create.sender_id;
  if (ourUserId !== undefined && senderId === ourUserId) return undefined; // our own outgoing DM
  const body = nonBlank(dm.message_create.message_data?.text);
  if (!body) return undefined;
  const occurredAt = isoFromMillis(dm.created_timestamp);
  const name = displayName(users?.[senderId]);
  return {
    source: 'x',
    channel: 'social',
    externalId,
    ...(occurredAt ? { occurredAt } : {}),
    text: body,
    customer: { id: senderId, ...(name ? { name } : {}) },
    context: { kind: 'direct_message', eventId: dm.id, ...(ourUserId ? { forUserId: ourUserId } : {}) },
  };
}

function tweetToInbound(tweet: z.output<Schemas['Tweet']>, forUserId: string): InboundMessage | undefined {
  if (tweet.user.id_str === forUserId || tweet.retweeted_status !== undefined) return undefined;
  // Long posts arrive truncated in `text`; the whole post is in `extended_tweet.full_text`.
  const body = nonBlank(tweet.extended_tweet?.full_text ?? tweet.full_text ?? tweet.text);
  if (!body) return undefined;
  const occurredAt = isoFromMillis(tweet.timestamp_ms) ?? isoFromDateString(tweet.created_at);
  const name = displayNameOf(tweet.user.name ?? tweet.user.screen_name);
  return {
    source: 'x',
    channel: 'social',
    externalId: `${forUserId}:${tweet.id_str}`,
    ...(occurredAt ? { occurredAt } : {}),
    text: body,
    customer: { id: tweet.user.id_str, ...(name ? { name } : {}) },
    context: { kind: 'mention', postId: tweet.id_str, forUserId },
  };
}

function xaaEventToInbound(event: z.output<Schemas['XaaEvent']>, index: number): InboundMessage[] {
  const ourUserId = event.filter?.user_id;
  if (event.event_type === 'dm.received') {
    const payload = parseWith(schemas().DirectMessages, event.payload, `X Activity dm.received payload (data.${index})`);
    const found = payload.direct_message_events
      .map((dm) => directMessageToInbound(dm, ourUserId, payload.users, event.event_uuid))
      .filter((m): m is InboundMessage => m !== undefined);
    // One event_uuid is one delivery; should it ever carry several DMs, each keeps its own key.
    return found.length > 1 ? found.map((m) => ({ ...m, externalId: `${event.event_uuid}:${String(m.context?.eventId)}` })) : found;
  }
  if (XAA_POST_EVENTS.has(event.event_type)) {
    const post = parseWith(schemas().PostV2, event.payload, `X Activity ${event.event_type} payload (data.${index})`);
    if (ourUserId !== undefined && post.author_id === ourUserId) return [];
    const body = nonBlank(post.text);
    if (!body) return [];
    const author = event.includes?.users?.find((u) => u.id === post.author_id);
    const name = displayNameOf(author?.name ?? author?.username);
    const occurredAt = isoFromDateString(post.created_at);
    return [
      {
        source: 'x',
        channel: 'social',
        externalId: event.event_uuid,
        ...(occurredAt ? { occurredAt } : {}),
        text: body,
        customer: { id: post.author_id, ...(name ? { name } : {}) },
        context: { kind: event.event_type === 'post.reply.create' ? 'reply' : 'mention', postId: post.id, ...(ourUserId ? { forUserId: ourUserId } : {}) },
      },
    ];
  }
  return []; // dm.sent, dm.read, dm.indicate_typing, follows, likes…: housekeeping.
}

/** A display name from a `users` map entry, in either the AAA (`{name}`) or XAA (`{data:{name}}`) shape. */
function displayName(user: unknown): string | undefined {
  if (!user || typeof user !== 'object') return undefined;
  const record = ('data' in user && user.data && typeof user.data === 'object' ? user.data : user) as Record<string, unknown>;
  const name = record.name ?? record.screen_name ?? record.username;
  return typeof name === 'string' ? displayNameOf(name) : undefined;
}
