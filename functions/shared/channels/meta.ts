/**
 * Meta Graph API webhooks: Messenger, Instagram (DMs and comments) and the WhatsApp Cloud API share
 * one callback URL (`/webhooks/meta`), one `hub.*` handshake and one signature scheme:
 * `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>` (channels.md §2).
 *
 * Meta retries for up to 7 days and signs no timestamp, so replay protection is the dedupe on the
 * message ids returned here (mid, comment id, wamid); old `entry.time` values are never rejected.
 */
import * as z from 'zod/mini';
import '../../../schemas/zod-locale.ts';
import { secretList } from '../config.ts';
import { ForbiddenError, MethodNotAllowedError, UnauthorizedError, UnsupportedMediaTypeError } from '../errors.ts';
import { mediaType, text } from '../http.ts';
import type { ChannelAdapter, ChannelOutcome, ChannelRequest, InboundMessage } from './channel.ts';
import { hmac, matchingSecretIndex, secretsEqual } from './crypto-compare.ts';
import { echo, isEchoToken } from './handshake.ts';
import { assertBodySize, displayNameOf, isoFromEpoch, isoFromSeconds, nonBlank, onFirstUse, parseJsonBody, parseWith } from './payload.ts';

/** The payload schemas, built on the first Meta delivery (see onFirstUse). */
const schemas = onFirstUse(() => {
  const Id = z.string().check(z.minLength(1), z.maxLength(256));
  const Epoch = z.union([z.number(), z.string()]);

  /** One `messaging[]` event (Messenger and Instagram DMs). Unknown event kinds (read, delivery, reaction…) pass with no message. */
  const MessagingEvent = z.object({
    sender: z.optional(z.object({ id: Id })),
    recipient: z.optional(z.object({ id: Id })),
    timestamp: z.optional(Epoch),
    message: z.optional(
      z.object({
        mid: z.string().check(z.minLength(1), z.maxLength(512)),
        text: z.optional(z.string()),
        is_echo: z.optional(z.boolean()),
        is_deleted: z.optional(z.boolean()),
        is_unsupported: z.optional(z.boolean()),
      }),
    ),
  });

  /** One `changes[]` item; `value` is read per `field` below. */
  const Change = z.object({ field: z.string(), value: z.unknown() });

  /** An Instagram (or Page) comment. Facebook Login apps may send `comment_id` instead of `id`. */
  const CommentValue = z.object({
    id: z.optional(Id),
    comment_id: z.optional(Id),
    text: z.optional(z.string()),
    message: z.optional(z.string()),
    from: z.optional(z.object({ id: Id, username: z.optional(z.string()), name: z.optional(z.string()) })),
    media: z.optional(z.object({ id: z.optional(Id) })),
    parent_id: z.optional(Id),
  });

  /** The WhatsApp `messages` change value: inbound `messages[]` and/or housekeeping `statuses[]`. */
  const WhatsAppValue = z.object({
    metadata: z.optional(z.object({ phone_number_id: z.optional(z.string()), display_phone_number: z.optional(z.string()) })),
    contacts: z.optional(z.array(z.object({ wa_id: z.optional(z.string()), profile: z.optional(z.object({ name: z.optional(z.string()) })) }))),
    messages: z.optional(
      z.array(
        z.object({
          id: z.string().check(z.minLength(1), z.maxLength(512)),
          from: Id,
          timestamp: z.optional(Epoch),
          type: z.string(),
          text: z.optional(z.object({ body: z.string() })),
        }),
      ),
    ),
    statuses: z.optional(z.array(z.unknown())),
  });

  const Entry = z.object({
    id: z.optional(z.union([Id, z.number()])),
    time: z.optional(Epoch),
    messaging: z.optional(z.array(MessagingEvent)),
    changes: z.optional(z.array(Change)),
  });

  const Envelope = z.object({ object: z.string(), entry: z.array(Entry) });
  return { MessagingEvent, CommentValue, WhatsAppValue, Envelope };
});
type Schemas = ReturnType<typeof schemas>;

/**
 * The Meta adapter. Configuration: `REDRESS_META_APP_SECRET` (comma-separated: the Meta app secret and,
 * for Instagram Login apps, the Instagram app secret) and `REDRESS_META_VERIFY_TOKEN` for the handshake.
 */
export function createMetaAdapter(env: NodeJS.ProcessEnv): ChannelAdapter {
  const secrets = secretList(env.REDRESS_META_APP_SECRET);
  const verifyToken = env.REDRESS_META_VERIFY_TOKEN ?? '';
  return {
    route: 'meta',
    configured: secrets.length > 0,
    handle(req: ChannelRequest): ChannelOutcome {
      if (req.method === 'GET') return answerMetaHandshake(req.query, verifyToken);
      if (req.method !== 'POST') throw new MethodNotAllowedError('Meta webhooks use GET (handshake) and POST.', ['GET', 'POST']);
      assertBodySize(req.body);
      verifyMetaSignature(req.headers['x-hub-signature-256'], req.body, secrets);
      const type = mediaType(req.headers['content-type']);
      if (type !== 'application/json') throw new UnsupportedMediaTypeError(req.headers['content-type'], 'application/json');
      const messages = parseMetaDelivery(req.body);
      return { messages, respond: () => text(200, 'EVENT_RECEIVED') };
    },
  };
}

/**
 * The `hub.*` verification handshake: 200 with `hub.challenge` as text/plain (never sniffed) when the
 * mode is `subscribe`, the verify token matches (constant time) and the challenge is token-shaped (Meta
 * sends an integer: a bounded token of letters and digits, so the echo can carry no markup or
 * document); 403 otherwise, without echoing anything.
 */
export function answerMetaHandshake(query: Record<string, string>, verifyToken: string): ChannelOutcome {
  const challenge = query['hub.challenge'];
  const ok =
    verifyToken.length > 0 &&
    query['hub.mode'] === 'subscribe' &&
    secretsEqual(query['hub.verify_token'] ?? '', verifyToken) &&
    isEchoToken(challenge);
  if (!ok) throw new ForbiddenError('The hub.* verification handshake failed (mode, verify token or challenge).');
  return { messages: [], respond: () => echo(challenge) };
}

/**
 * Checks `X-Hub-Signature-256` on the raw bytes against every active secret; the legacy SHA-1
 * `X-Hub-Signature` is never enough. Hex is compared lower-cased so either case verifies.
 * Returns the index of the secret that matched (for logging which app secret signs).
 */
export function verifyMetaSignature(header: string | undefined, body: Buffer, secrets: readonly string[]): number {
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header?.trim() ?? '');
  if (!match) throw new UnauthorizedError('X-Hub-Signature-256 is missing or not sha256=<64 hex digits>.');
  const given = match[1]!.toLowerCase();
  const index = matchingSecretIndex(secrets, given, (secret) => hmac('sha256', secret, body, 'hex'));
  if (index < 0) throw new UnauthorizedError('X-Hub-Signature-256 does not match any active app secret.');
  return index;
}

/**
 * Turns a verified Meta delivery into one message per customer text: Messenger and Instagram DMs
 * (`messaging[]`), Instagram comments (`changes[field=comments]`) and WhatsApp text messages
 * (`changes[field=messages].value.messages[]`). Echoes, receipts, statuses and unknown kinds are dropped.
 */
export function parseMetaDelivery(body: Buffer): InboundMessage[] {
  const envelope = parseWith(schemas().Envelope, parseJsonBody(body), 'Meta webhook payload');
  const source = sourceOf(envelope.object);
  if (!source) return []; // An object type we do not subscribe to (permissions, user…): acknowledge and drop.
  const messages: InboundMessage[] = [];
  envelope.entry.forEach((entry, entryIndex) => {
    const accountId = entry.id === undefined ? undefined : String(entry.id);
    if (source !== 'whatsapp') {
      for (const event of entry.messaging ?? []) {
        const message = messagingToInbound(event, source, accountId);
        if (message) messages.push(message);
      }
    }
    (entry.changes ?? []).forEach((change, changeIndex) => {
      const at = `entry.${entryIndex}.changes.${changeIndex}.value`;
      if (source === 'whatsapp' && change.field === 'messages') {
        messages.push(...whatsAppToInbound(parseWith(schemas().WhatsAppValue, change.value, `WhatsApp change (${at})`)));
      } else if (source === 'instagram' && change.field === 'comments') {
        const comment = commentToInbound(parseWith(schemas().CommentValue, change.value, `Instagram comment (${at})`), accountId, entry.time);
        if (comment) messages.push(comment);
      }
    });
  });
  return messages;
}

type MetaSource = 'messenger' | 'instagram' | 'whatsapp';

function sourceOf(object: string): MetaSource | undefined {
  if (object === 'page') return 'messenger';
  if (object === 'instagram') return 'instagram';
  if (object === 'whatsapp_business_account') return 'whatsapp';
  return undefined;
}

function messagingToInbound(event: z.output<Schemas['MessagingEvent']>, source: MetaSource, accountId: string | undefined): InboundMessage | undefined {
  const message = event.message;
  // Read and delivery receipts carry no `message`; echoes are our own outgoing messages.
  if (!message || message.is_echo || message.is_deleted || message.is_unsupported) return undefined;
  const body = nonBlank(message.text);
  const senderId = event.sender?.id;
  if (!body || !senderId) return undefined;
  if (accountId !== undefined && senderId === accountId) return undefined; // sent by our own Page / IG account
  const occurredAt = isoFromEpoch(event.timestamp);
  return {
    source,
    channel: 'social',
    externalId: message.mid,
    ...(occurredAt ? { occurredAt } : {}),
    text: body,
    customer: { id: senderId },
    context: { [source === 'instagram' ? 'instagramAccountId' : 'pageId']: accountId ?? event.recipient?.id ?? null },
  };
}

function commentToInbound(value: z.output<Schemas['CommentValue']>, accountId: string | undefined, entryTime: number | string | undefined): InboundMessage | undefined {
  const commentId = value.id ?? value.comment_id;
  const body = nonBlank(value.text ?? value.message);
  if (!commentId || !body) return undefined;
  // Our own replies under a post come back as comments from our account: not customer feedback.
  if (value.from && accountId !== undefined && value.from.id === accountId) return undefined;
  const occurredAt = isoFromEpoch(entryTime);
  const name = displayNameOf(value.from?.username ?? value.from?.name);
  return {
    source: 'instagram',
    channel: 'social',
    externalId: commentId,
    ...(occurredAt ? { occurredAt } : {}),
    text: body,
    customer: { ...(value.from ? { id: value.from.id } : {}), ...(name ? { name } : {}) },
    context: { instagramAccountId: accountId ?? null, kind: 'comment', ...(value.media?.id ? { mediaId: value.media.id } : {}) },
  };
}

function whatsAppToInbound(value: z.output<Schemas['WhatsAppValue']>): InboundMessage[] {
  const names = new Map<string, string>();
  for (const contact of value.contacts ?? []) {
    const name = displayNameOf(contact.profile?.name);
    if (contact.wa_id && name) names.set(contact.wa_id, name);
  }
  const out: InboundMessage[] = [];
  // `statuses[]` (sent/delivered/read/failed) are housekeeping: never turned into messages.
  for (const message of value.messages ?? []) {
    const body = message.type === 'text' ? nonBlank(message.text?.body) : undefined;
    if (!body) continue;
    const occurredAt = isoFromSeconds(message.timestamp);
    const name = names.get(message.from);
    out.push({
      source: 'whatsapp',
      channel: 'social',
      externalId: message.id,
      ...(occurredAt ? { occurredAt } : {}),
      text: body,
      customer: { id: message.from, ...(name ? { name } : {}) },
      context: { phoneNumberId: value.metadata?.phone_number_id ?? null },
    });
  }
  return out;
}
