/**
 * The contract every channel adapter implements. An adapter knows one platform's protocol: its
 * handshake, how it signs deliveries (verified on the raw bytes, before any parsing), its payload
 * shapes, and the answer the platform expects. It knows nothing about queues or storage: the ingest
 * handler masks, queues and acknowledges what the adapter returns.
 */
import type { Attachment, Channel, CustomerRef, PlatformAddress, Source } from '../../../schemas/feedback.ts';
import type { HttpResult } from '../http.ts';
import type { NonceClaim } from '../ports/nonce-store.ts';

/** One HTTP request as the adapter sees it: raw body bytes and lower-cased headers. */
export interface ChannelRequest {
  method: string;
  /** The path without the query string, e.g. `/webhooks/meta`. */
  path: string;
  /** The query string exactly as received (no leading `?`), for signatures over the URL. */
  rawQuery: string;
  /** Decoded query parameters (first value wins for repeated names). */
  query: Record<string, string>;
  headers: Record<string, string>;
  body: Buffer;
  /** When the request arrived; adapters use it for timestamp windows (inject it in tests). */
  now: Date;
}

/** One customer message found in a delivery, before masking and before it has an id. */
export interface InboundMessage {
  source: Source;
  channel: Channel;
  /** The platform's message id: the dedupe key (webhook-id, mid, wamid, MsgId, TranscriptionSid…). */
  externalId: string;
  /**
   * What the item's id derives from when the delivery, not the message, is the unit: Amazon Connect's
   * EventBridge event id, where externalId is the contact, which several rule matches share. Absent:
   * externalId.
   */
  dedupeKey?: string;
  occurredAt?: string;
  text: string;
  language?: string;
  subject?: string;
  rating?: number;
  /** Raw customer identity as the platform gives it; the ingest handler masks `contact` before queueing. */
  customer?: CustomerRef;
  context?: Record<string, unknown>;
  /** Media the message carried (image, voice note, video, document, sticker), by the platform's reference. */
  attachments?: Attachment[];
  /** The bank's account that received it (Page, Instagram account, WhatsApp number) and the comment a private reply answers. */
  platform?: PlatformAddress;
}

/** The states a platform reports for a message Redress sent (a reply). */
export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

/**
 * A platform's report on a message Redress sent: WhatsApp `statuses[]`, Messenger `message_deliveries`
 * / `message_reads` (Instagram `read`), Twilio `MessageStatus` callbacks. Adapters return these beside
 * the customer messages of the same delivery; a reply is found by `platformMessageId` (the id the
 * platform answered the send with) or, for a watermark, as every reply to `recipientId` through
 * `accountId` sent at or before `watermark`. Applying one twice changes nothing; a later report can
 * arrive first (a `read` before its `delivered`), so whoever applies them keeps the furthest state.
 */
export interface DeliveryUpdate {
  source: Source;
  status: DeliveryStatus;
  /** The platform's id of our message (wamid, Messenger/Instagram mid, Twilio MessageSid). */
  platformMessageId?: string;
  /** Messenger/Instagram watermark: every message sent to `recipientId` up to this time has reached `status`. */
  watermark?: string;
  /** The customer's platform id (PSID/IGSID, wa_id, phone number). */
  recipientId?: string;
  /** The bank's account (Page id, Instagram account id, WhatsApp phone-number id, Twilio number). */
  accountId?: string;
  /** When the platform says it happened (ISO 8601); the request time when the platform gives none. */
  at: string;
  /** For `failed`: the platform's error code and message. */
  error?: { code: string; message: string };
}

/** What the ingest handler did with one message: its feedback id and whether it was seen before. */
export interface AcceptedMessage {
  id: string;
  duplicate: boolean;
}

/** The outcome of one request: messages to accept, and the answer to give once they are queued. */
export interface ChannelOutcome {
  messages: InboundMessage[];
  /** Reports on messages Redress sent, found in the same delivery (none for most requests). */
  deliveryUpdates?: DeliveryUpdate[];
  /** Builds the platform's acknowledgement after the messages are durably queued. */
  respond(accepted: AcceptedMessage[]): HttpResult;
  /**
   * A signed pair that may be used once (WeChat: its signatures cover the timestamp and nonce, not the
   * body). The ingest handler claims it before answering or queueing anything: 403 when it was used for
   * another request.
   */
  nonce?: NonceClaim;
}

/**
 * A platform adapter. `handle` throws a ProblemError (401/403/400/413/415…) for anything it rejects;
 * a handshake (GET) returns no messages and its answer.
 */
export interface ChannelAdapter {
  /** The route suffix under `/webhooks/`, e.g. `web`, `meta`, `hotline/twilio`. */
  readonly route: string;
  /** False when the channel's secret is not configured: the route then answers 503 instead of accepting unsigned traffic. */
  readonly configured: boolean;
  /** True when deeper paths (`/webhooks/<route>/…`) belong to this adapter too (Twilio callback URLs). */
  readonly acceptsSubPaths?: boolean;
  handle(req: ChannelRequest): ChannelOutcome | Promise<ChannelOutcome>;
}

/** At most this many attachments are kept per message (platforms send a handful; the queue schema allows 20). */
export const MAX_ATTACHMENTS = 20;

/** The most any channel body may be: 256 KB (API Gateway's and SQS's natural unit). */
export const MAX_BODY_BYTES = 256 * 1024;
