/**
 * Port: sending a handler's reply to the customer on the platform they wrote from (Messenger,
 * Instagram, WhatsApp, X, WeChat, SMS through Twilio, or a signed callback to the bank's own web,
 * mobile and call-centre back ends). Adapters live beside their inbound adapters
 * (`functions/shared/channels/*-reply.ts`); `createReplySender` (channels/reply-router.ts) picks one by source.
 *
 * A send never throws for anything the platform or the network does: the outcome says whether the
 * platform accepted the reply, whether trying again later may work, or whether it never will.
 */
import type { ReplyPurpose, Source } from '../../../schemas/feedback.ts';

/**
 * How a reply is sent, decided by the platform's window (channels/reply-window.ts) before sending:
 * - `response`: Messenger/Instagram within 24 h of the customer's last message (`messaging_type: RESPONSE`);
 * - `human_agent`: Messenger/Instagram from 24 h to 7 days (`MESSAGE_TAG` + `HUMAN_AGENT`);
 * - `private_reply`: an Instagram comment answered in the commenter's inbox (once, within 7 days);
 * - `free_form`: WhatsApp text within 24 h, WeChat customer-service message within 48 h;
 * - `template`: WhatsApp after 24 h, the configured template with the message as its one body parameter;
 * - `unrestricted`: X, SMS and the bank's own back ends, which have no window.
 */
export type ReplyMode = 'response' | 'human_agent' | 'private_reply' | 'free_form' | 'template' | 'unrestricted';

/** Who receives the reply, in the platform's own terms (all from the stored item). */
export interface ReplyRecipient {
  /**
   * The customer's id on the platform: PSID (Messenger), IGSID (Instagram), wa_id (WhatsApp), user id
   * (X: the DM participant), OpenID (WeChat), caller number (Twilio), the bank's customer id (web, mobile, hotline).
   */
  customerId?: string;
  /** The bank's account that received the message: Page id, Instagram account id, WhatsApp phone-number id. */
  accountId?: string;
  /** An Instagram comment: a private reply answers the comment, not a conversation. */
  commentId?: string;
}

/** One reply as the platform needs it. The text is exactly what the handler wrote (never masked). */
export interface OutboundReply {
  /** `rp_…`: the Standard Webhooks `webhook-id`, so a back end can drop a redelivery. */
  replyId: string;
  feedbackId: string;
  source: Source;
  /** The item's platform message id (the customer's message this answers). */
  externalId: string;
  message: string;
  /** The item's language (`zh`, `en`…), for back ends that render it. */
  language?: string;
  recipient: ReplyRecipient;
  mode: ReplyMode;
  /** When the handler created the reply (ISO 8601): the `timestamp` of a `reply.created` callback, so every retry sends the same body. */
  createdAt?: string;
  /** Why it was made (a handler's `response`, Redress's `ratingRequest`), so a back end can tell them apart. */
  purpose?: ReplyPurpose;
}

/** The platform took the reply. `platformMessageId` is its id, when the platform gives one (WeChat gives none). */
export interface ReplySent {
  status: 'sent';
  platformMessageId?: string;
}

/** Trying again later may work: 5xx, 429, a timeout, a connection error, a token still refused after one refresh. */
export interface ReplyTransientFailure {
  status: 'transient';
  /** The platform's error code (`131000`, `-1`, `http_503`, `timeout`, `network`…). */
  code: string;
  message: string;
  /** How long the platform asked us to wait (Retry-After, X's rate-limit reset), when it said. */
  retryAfterMs?: number;
}

/** The platform refused the reply and will refuse it again (a 4xx with its error code and message). */
export interface ReplyPermanentFailure {
  status: 'permanent';
  code: string;
  message: string;
}

/** This stack has no reply credentials for the item's channel: nothing was sent (answer 409 before queueing). */
export interface ReplyChannelNotConfigured {
  status: 'not_configured';
  code: 'reply_channel_not_configured';
  message: string;
}

export type SendOutcome = ReplySent | ReplyTransientFailure | ReplyPermanentFailure | ReplyChannelNotConfigured;

export interface ReplySender {
  /** Sends one reply; resolves with the outcome, never rejects for platform or network failures. */
  send(reply: OutboundReply): Promise<SendOutcome>;
}

/** The sender for every source, which also says which sources can be answered on this stack. */
export interface ReplyRouter extends ReplySender {
  /** True when `source` has the reply credentials it needs (a handler's reply through it can be accepted). */
  configured(source: Source): boolean;
  /** True when a WhatsApp template is configured for replies after the 24-hour window. */
  readonly whatsappTemplateConfigured: boolean;
}
