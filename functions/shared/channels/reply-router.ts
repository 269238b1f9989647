/**
 * The reply sender for every source (the ReplyRouter port): one adapter per platform, each configured
 * from the environment like its inbound adapter, and the item-to-reply mapping the lifecycle uses.
 * A source whose reply credentials are missing answers `not_configured` (the API's 409 "reply channel
 * not configured"); nothing is sent.
 */
import type { FeedbackItem, ReplyPurpose, Source } from '../../../schemas/feedback.ts';
import type { OutboundReply, ReplyMode, ReplyRouter } from '../ports/reply-sender.ts';
import { createMetaReplySender, metaReplyConfig } from './meta-reply.ts';
import { notConfigured, type FetchLike, type PlatformReplySender, type ReplyHttpOptions } from './reply-http.ts';
import { replyWindow, type WindowDecision } from './reply-window.ts';
import { createOwnChannelReplySender, ownChannelReplyConfig } from './standard-webhooks-reply.ts';
import { createTwilioReplySender, twilioReplyConfig } from './twilio-reply.ts';
import { createWechatReplySender, wechatReplyConfig } from './wechat-reply.ts';
import { createXReplySender, xReplyConfig } from './x-reply.ts';

/** How long one platform call may take by default (`REDRESS_REPLY_TIMEOUT_SECONDS`). */
export const DEFAULT_REPLY_TIMEOUT_SECONDS = 10;

/** What the router needs besides the environment; every field has a production default. */
export interface ReplySenderDeps {
  /** The global `fetch` by default; tests and the local stack may pass another. */
  fetch?: FetchLike;
  now?: () => Date;
  /** Overrides `REDRESS_REPLY_TIMEOUT_SECONDS`. */
  timeoutMs?: number;
  /** OAuth 1.0a nonces for X (random by default). */
  nonce?: () => string;
}

/** The timeout from `REDRESS_REPLY_TIMEOUT_SECONDS` (a positive number of seconds), else the default. */
export function replyTimeoutMs(env: NodeJS.ProcessEnv): number {
  const seconds = Number(env.REDRESS_REPLY_TIMEOUT_SECONDS);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_REPLY_TIMEOUT_SECONDS) * 1000;
}

/** Builds the router over every platform's reply adapter, reading credentials and base URLs from `env`. */
export function createReplySender(env: NodeJS.ProcessEnv, deps: ReplySenderDeps = {}): ReplyRouter {
  const http: ReplyHttpOptions = {
    fetch: deps.fetch ?? ((url, init) => fetch(url, init)),
    now: deps.now ?? (() => new Date()),
    timeoutMs: deps.timeoutMs ?? replyTimeoutMs(env),
  };
  const meta = metaReplyConfig(env);
  const senders: PlatformReplySender[] = [
    createMetaReplySender(meta, http),
    createXReplySender(xReplyConfig(env), http, deps.nonce),
    createWechatReplySender(wechatReplyConfig(env), http),
    createTwilioReplySender(twilioReplyConfig(env), http),
    createOwnChannelReplySender(ownChannelReplyConfig(env), http),
  ];
  const bySource = new Map<Source, PlatformReplySender>(senders.flatMap((s) => s.sources.map((source) => [source, s] as const)));
  return {
    whatsappTemplateConfigured: meta.whatsappTemplate !== undefined,
    configured: (source) => bySource.get(source)?.configured(source) ?? false,
    send(reply) {
      const sender = bySource.get(reply.source);
      return sender ? sender.send(reply) : Promise.resolve(notConfigured(`Redress cannot reply through ${reply.source}.`));
    },
  };
}

/**
 * When the customer last wrote, as the platform stamped it (the item's `occurredAt`), else when Redress
 * received it: what the platform windows count from.
 */
export function lastCustomerMessageAt(item: Pick<FeedbackItem, 'occurredAt' | 'receivedAt'>): Date {
  return new Date(item.occurredAt ?? item.receivedAt);
}

/** The window decision for replying to `item` now through its own channel. */
export function replyWindowFor(item: Pick<FeedbackItem, 'source' | 'occurredAt' | 'receivedAt' | 'platform'>, now: Date, router: Pick<ReplyRouter, 'whatsappTemplateConfigured'>): WindowDecision {
  return replyWindow({
    source: item.source,
    lastCustomerMessageAt: lastCustomerMessageAt(item),
    now,
    isComment: item.platform?.commentId !== undefined,
    whatsappTemplateConfigured: router.whatsappTemplateConfigured,
  });
}

/** The reply the platform needs, from the stored item (raw `customer.id`, never the masked view) and the handler's message. */
export function outboundReplyFor(
  item: Pick<FeedbackItem, 'id' | 'source' | 'externalId' | 'language' | 'customer' | 'platform' | 'context'>,
  reply: { replyId: string; message: string; mode: ReplyMode; createdAt?: string; purpose?: ReplyPurpose },
): OutboundReply {
  const accountId = item.platform?.accountId ?? legacyAccountId(item.context);
  return {
    replyId: reply.replyId,
    feedbackId: item.id,
    source: item.source,
    externalId: item.externalId,
    message: reply.message,
    ...(item.language ? { language: item.language } : {}),
    recipient: {
      ...(item.customer?.id ? { customerId: item.customer.id } : {}),
      ...(accountId ? { accountId } : {}),
      ...(item.platform?.commentId ? { commentId: item.platform.commentId } : {}),
    },
    mode: reply.mode,
    ...(reply.createdAt ? { createdAt: reply.createdAt } : {}),
    ...(reply.purpose ? { purpose: reply.purpose } : {}),
  };
}

/**
 * Items stored before `platform` existed keep the receiving account only in `context` (pageId,
 * instagramAccountId, phoneNumberId), where PII masking may have replaced it: an unmasked all-digit
 * value is still usable, a masked one is not.
 */
function legacyAccountId(context: Record<string, unknown> | undefined): string | undefined {
  for (const key of ['pageId', 'instagramAccountId', 'phoneNumberId']) {
    const value = context?.[key];
    if (typeof value === 'string' && /^\d{1,64}$/.test(value)) return value;
  }
  return undefined;
}
