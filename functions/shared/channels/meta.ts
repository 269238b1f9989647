/**
 * Meta Graph API webhooks: Messenger, Instagram (DMs and comments) and the WhatsApp Cloud API share
 * one callback URL (`/webhooks/meta`), one `hub.*` handshake and one signature scheme:
 * `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`
 * (https://developers.facebook.com/docs/graph-api/webhooks/getting-started).
 *
 * Meta retries for up to 7 days and signs no timestamp, so replay protection is the dedupe on the
 * message ids returned here (mid, comment id, wamid); old `entry.time` values are never rejected.
 */
import * as z from 'zod/mini';
import '../../../schemas/zod-locale.ts';
import { secretList } from '../config.ts';
import { ForbiddenError, MethodNotAllowedError, UnauthorizedError, UnsupportedMediaTypeError } from '../errors.ts';
import { mediaType, text } from '../http.ts';
import type { Attachment } from '../../../schemas/feedback.ts';
import { MAX_ATTACHMENTS, type ChannelAdapter, type ChannelOutcome, type ChannelRequest, type DeliveryStatus, type DeliveryUpdate, type InboundMessage } from './channel.ts';
import { hmac, matchingSecretIndex, secretsEqual } from './crypto-compare.ts';
import { echo, isEchoToken } from './handshake.ts';
import { displayNameOf, isoFromEpoch, isoFromSeconds, nonBlank, onFirstUse, parseJsonBody, parseWith } from './payload.ts';

/**
 * The payload schemas, built on the first Meta delivery (see onFirstUse).
 * Long: declarations only, one schema per Meta object (Messenger, Instagram, WhatsApp, statuses), built
 * together so the first delivery pays for them once.
 */
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
        // Read leniently, one by one (messagingAttachment): an odd attachment must not refuse the delivery.
        attachments: z.optional(z.array(z.unknown())),
      }),
    ),
    // Receipts are read leniently (Receipt, in messagingReceipts): one we cannot read is skipped, not a 400.
    delivery: z.optional(z.unknown()),
    read: z.optional(z.unknown()),
  });

  /** Messenger `message_deliveries` (`mids`, `watermark`), `message_reads` (`watermark`), Instagram `messaging_seen` (`mid`). */
  const Receipt = z.object({
    mids: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(512)))),
    mid: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
    watermark: z.optional(Epoch),
  });

  /** One Messenger/Instagram attachment: `payload.url` is the only handle the platform gives. */
  const MessagingAttachment = z.object({
    type: z.string(),
    payload: z.optional(z.nullable(z.object({ url: z.optional(z.nullable(z.string())), sticker_id: z.optional(z.union([z.number(), z.string()])) }))),
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

  /** The media object of a WhatsApp image, audio, video, document or sticker message. */
  const WhatsAppMedia = z.object({
    id: z.string().check(z.minLength(1), z.maxLength(512)),
    mime_type: z.optional(z.string()),
    caption: z.optional(z.string()),
    file_size: z.optional(z.number()),
  });

  /** The WhatsApp `messages` change value: inbound `messages[]` and/or `statuses[]` of the messages we sent. */
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
          // Media objects are read leniently (WhatsAppMedia, in whatsAppToInbound): an unreadable one still makes an item.
          image: z.optional(z.unknown()),
          audio: z.optional(z.unknown()),
          video: z.optional(z.unknown()),
          document: z.optional(z.unknown()),
          sticker: z.optional(z.unknown()),
        }),
      ),
    ),
    // Read leniently, one by one (WhatsAppStatus): a status we cannot read is skipped, not a 400.
    statuses: z.optional(z.array(z.unknown())),
  });

  /** A WhatsApp `statuses[]` item: the fate of a message we sent. */
  const WhatsAppStatus = z.object({
    id: z.string().check(z.minLength(1), z.maxLength(512)),
    status: z.string(),
    timestamp: z.optional(Epoch),
    recipient_id: z.optional(z.string().check(z.maxLength(256))),
    errors: z.optional(
      z.array(z.object({ code: z.optional(z.union([z.number(), z.string()])), title: z.optional(z.string()), message: z.optional(z.string()), error_data: z.optional(z.object({ details: z.optional(z.string()) })) })),
    ),
  });

  const Entry = z.object({
    id: z.optional(z.union([Id, z.number()])),
    time: z.optional(Epoch),
    messaging: z.optional(z.array(MessagingEvent)),
    changes: z.optional(z.array(Change)),
  });

  const Envelope = z.object({ object: z.string(), entry: z.array(Entry) });
  return { MessagingEvent, Receipt, MessagingAttachment, CommentValue, WhatsAppMedia, WhatsAppValue, WhatsAppStatus, Envelope };
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
      verifyMetaSignature(req.headers['x-hub-signature-256'], req.body, secrets);
      const type = mediaType(req.headers['content-type']);
      if (type !== 'application/json') throw new UnsupportedMediaTypeError(req.headers['content-type'], 'application/json');
      const { messages, deliveryUpdates } = readMetaDelivery(req.body, req.now);
      return { messages, deliveryUpdates, respond: () => text(200, 'EVENT_RECEIVED') };
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

/** What one Meta delivery holds: customer messages, and reports on the messages we sent. */
export interface MetaDelivery {
  messages: InboundMessage[];
  deliveryUpdates: DeliveryUpdate[];
}

/**
 * Turns a verified Meta delivery into one message per customer message: Messenger and Instagram DMs
 * (`messaging[]`), Instagram comments (`changes[field=comments]`) and WhatsApp messages
 * (`changes[field=messages].value.messages[]`), media included (caption or `[image]`… as the text).
 * Messenger delivery/read receipts and WhatsApp `statuses[]` become delivery updates (`now` dates a
 * report the platform did not date); echoes and unknown kinds are dropped.
 */
export function readMetaDelivery(body: Buffer, now: Date): MetaDelivery {
  const envelope = parseWith(schemas().Envelope, parseJsonBody(body), 'Meta webhook payload');
  const source = sourceOf(envelope.object);
  const delivery: MetaDelivery = { messages: [], deliveryUpdates: [] };
  if (!source) return delivery; // An object type we do not subscribe to (permissions, user…): acknowledge and drop.
  envelope.entry.forEach((entry, entryIndex) => {
    const accountId = entry.id === undefined ? undefined : String(entry.id);
    if (source !== 'whatsapp') {
      for (const event of entry.messaging ?? []) {
        const message = messagingToInbound(event, source, accountId);
        if (message) delivery.messages.push(message);
        delivery.deliveryUpdates.push(...messagingReceipts(event, source, now));
      }
    }
    (entry.changes ?? []).forEach((change, changeIndex) => {
      const at = `entry.${entryIndex}.changes.${changeIndex}.value`;
      if (source === 'whatsapp' && change.field === 'messages') {
        const value = parseWith(schemas().WhatsAppValue, change.value, `WhatsApp change (${at})`);
        delivery.messages.push(...whatsAppToInbound(value));
        delivery.deliveryUpdates.push(...whatsAppStatuses(value, now));
      } else if (source === 'instagram' && change.field === 'comments') {
        const comment = commentToInbound(parseWith(schemas().CommentValue, change.value, `Instagram comment (${at})`), accountId, entry.time);
        if (comment) delivery.messages.push(comment);
      }
    });
  });
  return delivery;
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
  const media = (message.attachments ?? []).map(messagingAttachment).filter((a) => a !== undefined);
  const attachments = media.filter((a): a is Attachment => a.platformMediaId !== undefined).slice(0, MAX_ATTACHMENTS);
  // Media is never dropped: without text, the first attachment's kind is the text, even with no URL to keep.
  const body = nonBlank(message.text) ?? (media[0] ? `[${media[0].type}]` : undefined);
  const senderId = event.sender?.id;
  if (!body || !senderId) return undefined;
  if (accountId !== undefined && senderId === accountId) return undefined; // sent by our own Page / IG account
  const occurredAt = isoFromEpoch(event.timestamp);
  const receivingAccount = accountId ?? event.recipient?.id;
  return {
    source,
    channel: 'social',
    externalId: message.mid,
    ...(occurredAt ? { occurredAt } : {}),
    text: body,
    customer: { id: senderId },
    context: { [source === 'instagram' ? 'instagramAccountId' : 'pageId']: receivingAccount ?? null },
    ...(attachments.length ? { attachments } : {}),
    ...(receivingAccount ? { platform: { accountId: receivingAccount } } : {}),
  };
}

/** Messenger/Instagram attachment types that are media, as Redress names them (others: shares, templates, locations). */
const MESSAGING_MEDIA: Readonly<Record<string, Attachment['type']>> = { image: 'image', audio: 'voice', video: 'video', file: 'document' };

/** One Messenger/Instagram attachment: its kind and, when the platform gave one, its URL; undefined for what is not media. */
function messagingAttachment(raw: unknown): { type: Attachment['type']; platformMediaId?: string } | undefined {
  const parsed = schemas().MessagingAttachment.safeParse(raw);
  if (!parsed.success) return undefined;
  const { type, payload } = parsed.data;
  const kind = payload?.sticker_id !== undefined ? 'sticker' : Object.hasOwn(MESSAGING_MEDIA, type) ? MESSAGING_MEDIA[type] : undefined;
  if (!kind) return undefined;
  const reference = payload?.url || (payload?.sticker_id !== undefined ? String(payload.sticker_id) : undefined);
  return { type: kind, ...(reference && reference.length <= 2048 ? { platformMediaId: reference } : {}) };
}

/** Messenger delivery and read receipts (and Instagram `read.mid`) as delivery updates of our messages. */
function messagingReceipts(event: z.output<Schemas['MessagingEvent']>, source: MetaSource, now: Date): DeliveryUpdate[] {
  const base = {
    source,
    ...(event.sender?.id ? { recipientId: event.sender.id } : {}),
    ...(event.recipient?.id ? { accountId: event.recipient.id } : {}),
  };
  const updates: DeliveryUpdate[] = [];
  for (const [status, raw] of [['delivered', event.delivery], ['read', event.read]] as const) {
    const parsed = raw === undefined ? undefined : schemas().Receipt.safeParse(raw);
    if (!parsed?.success) continue;
    const receipt = parsed.data;
    const watermark = isoFromEpoch(receipt.watermark);
    const at = watermark ?? isoFromEpoch(event.timestamp) ?? now.toISOString();
    const mids = [...(receipt.mids ?? []), ...(receipt.mid ? [receipt.mid] : [])];
    for (const mid of mids) updates.push({ ...base, status, platformMessageId: mid, ...(watermark ? { watermark } : {}), at });
    if (!mids.length && watermark) updates.push({ ...base, status, watermark, at });
  }
  return updates;
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
    // A comment is answered by a private reply to the comment itself (Instagram allows one, within 7 days).
    platform: { ...(accountId ? { accountId } : {}), commentId },
  };
}

/** WhatsApp message types that carry media, as Redress names them. */
const WHATSAPP_MEDIA = { image: 'image', audio: 'voice', video: 'video', document: 'document', sticker: 'sticker' } as const;

function whatsAppToInbound(value: z.output<Schemas['WhatsAppValue']>): InboundMessage[] {
  const names = new Map<string, string>();
  for (const contact of value.contacts ?? []) {
    const name = displayNameOf(contact.profile?.name);
    if (contact.wa_id && name) names.set(contact.wa_id, name);
  }
  const phoneNumberId = value.metadata?.phone_number_id || undefined;
  const out: InboundMessage[] = [];
  for (const message of value.messages ?? []) {
    const mediaType = Object.hasOwn(WHATSAPP_MEDIA, message.type) ? WHATSAPP_MEDIA[message.type as keyof typeof WHATSAPP_MEDIA] : undefined;
    const parsedMedia = mediaType ? schemas().WhatsAppMedia.safeParse(message[message.type as keyof typeof WHATSAPP_MEDIA]) : undefined;
    const media = parsedMedia?.success ? parsedMedia.data : undefined;
    // A media message is an item even when its media object is unreadable: the placeholder says what it was.
    const body = message.type === 'text' ? nonBlank(message.text?.body) : mediaType ? (nonBlank(media?.caption) ?? `[${mediaType}]`) : undefined;
    if (!body) continue; // reactions, locations, contacts, interactive replies…: not feedback text
    const occurredAt = isoFromSeconds(message.timestamp);
    const name = names.get(message.from);
    const attachment: Attachment | undefined =
      media && mediaType
        ? { type: mediaType, platformMediaId: media.id, ...(media.mime_type ? { mimeType: media.mime_type.slice(0, 256) } : {}), ...(isSize(media.file_size) ? { size: media.file_size } : {}) }
        : undefined;
    out.push({
      source: 'whatsapp',
      channel: 'social',
      externalId: message.id,
      ...(occurredAt ? { occurredAt } : {}),
      text: body,
      customer: { id: message.from, ...(name ? { name } : {}) },
      context: { phoneNumberId: phoneNumberId ?? null },
      ...(attachment ? { attachments: [attachment] } : {}),
      ...(phoneNumberId ? { platform: { accountId: phoneNumberId } } : {}),
    });
  }
  return out;
}

const isSize = (n: number | undefined): n is number => n !== undefined && Number.isSafeInteger(n) && n >= 0;

/** The statuses WhatsApp reports that a reply can take (`played`, `deleted`… are not reply states). */
const WHATSAPP_STATUSES: ReadonlySet<string> = new Set<DeliveryStatus>(['sent', 'delivered', 'read', 'failed']);

/** WhatsApp `statuses[]` as delivery updates; a status we cannot read or do not track is skipped. */
function whatsAppStatuses(value: z.output<Schemas['WhatsAppValue']>, now: Date): DeliveryUpdate[] {
  const accountId = value.metadata?.phone_number_id || undefined;
  const updates: DeliveryUpdate[] = [];
  for (const raw of value.statuses ?? []) {
    const parsed = schemas().WhatsAppStatus.safeParse(raw);
    if (!parsed.success || !WHATSAPP_STATUSES.has(parsed.data.status)) continue;
    const status = parsed.data;
    const error = status.errors?.[0];
    updates.push({
      source: 'whatsapp',
      status: status.status as DeliveryStatus,
      platformMessageId: status.id,
      ...(status.recipient_id ? { recipientId: status.recipient_id } : {}),
      ...(accountId ? { accountId } : {}),
      at: isoFromSeconds(status.timestamp) ?? now.toISOString(),
      ...(status.status === 'failed'
        ? { error: { code: String(error?.code ?? 'unknown'), message: (error?.error_data?.details ?? error?.message ?? error?.title ?? 'failed').slice(0, 1000) } }
        : {}),
    });
  }
  return updates;
}
