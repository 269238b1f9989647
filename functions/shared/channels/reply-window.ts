/**
 * The platforms' reply windows, as pure functions of the source, the customer's last message as the
 * platform timestamped it (Meta `timestamp`, WhatsApp `timestamp`, WeChat `CreateTime`: the item's
 * `occurredAt`) and now. They decide how a reply may be sent, or refuse it naming the rule, before
 * anything is sent: a platform refusing later would only fail the reply after the handler moved on.
 */
import type { Source } from '../../../schemas/feedback.ts';
import type { ReplyMode } from '../ports/reply-sender.ts';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** Messenger and Instagram: standard messaging within 24 h of the customer's last message. */
export const META_RESPONSE_WINDOW_MS = DAY_MS;
/** Messenger and Instagram: the HUMAN_AGENT tag, for a person answering, up to 7 days. */
export const META_HUMAN_AGENT_WINDOW_MS = 7 * DAY_MS;
/** Instagram private replies to a comment: within 7 days of the comment. */
export const INSTAGRAM_PRIVATE_REPLY_WINDOW_MS = 7 * DAY_MS;
/** WhatsApp customer-service window: free-form messages within 24 h of the customer's last message. */
export const WHATSAPP_SERVICE_WINDOW_MS = DAY_MS;
/** WeChat customer-service messages (客服消息): within 48 h of the customer's last message. */
export const WECHAT_SERVICE_WINDOW_MS = 2 * DAY_MS;

/** The rule a refused reply broke (the 409 names it). */
export type WindowRule = 'meta_human_agent_7d' | 'instagram_private_reply_7d' | 'whatsapp_24h_customer_service' | 'wechat_48h_customer_service';

/** The responses that remain possible once the platform's window is closed: made outside Redress and recorded. */
export const OUTSIDE_VIAS = ['phone', 'email', 'letter', 'in_person'] as const;
export type OutsideVia = (typeof OUTSIDE_VIAS)[number];

/** A reply the window allows, and how it must be sent. */
export interface WindowOpen {
  allowed: true;
  mode: ReplyMode;
  /** When this mode stops being allowed (Messenger's RESPONSE at 24 h), if it does. */
  modeEndsAt?: string;
  /** When the channel stops taking replies at all; absent when it never does (X, SMS, WhatsApp with a template). */
  closesAt?: string;
}

/** A reply the window refuses, with the rule, an explanation, and what is still allowed. */
export interface WindowClosed {
  allowed: false;
  rule: WindowRule;
  message: string;
  stillAllowed: readonly OutsideVia[];
  closedAt: string;
}

export type WindowDecision = WindowOpen | WindowClosed;

/** What the decision needs to know about the item and the stack. */
export interface WindowInput {
  source: Source;
  /** The customer's last message as the platform timestamped it (fall back to when Redress received it). */
  lastCustomerMessageAt: Date;
  now: Date;
  /** The item is an Instagram comment (answered by a private reply). */
  isComment?: boolean;
  /** `REDRESS_WHATSAPP_TEMPLATE` is set: WhatsApp replies after 24 h go out as that template. */
  whatsappTemplateConfigured?: boolean;
}

/**
 * Decides whether a reply through the item's own channel may be sent now, and how. A last message
 * stamped in the future (clock skew) counts as just now. Windows are half-open: at exactly 24 h the
 * 24-hour window is closed.
 */
export function replyWindow(input: WindowInput): WindowDecision {
  const last = input.lastCustomerMessageAt.getTime();
  const elapsed = Math.max(0, input.now.getTime() - last);
  const at = (ms: number) => new Date(last + ms).toISOString();
  switch (input.source) {
    case 'messenger':
    case 'instagram':
      if (input.source === 'instagram' && input.isComment) {
        return elapsed < INSTAGRAM_PRIVATE_REPLY_WINDOW_MS
          ? { allowed: true, mode: 'private_reply', closesAt: at(INSTAGRAM_PRIVATE_REPLY_WINDOW_MS) }
          : closed('instagram_private_reply_7d', 'Instagram allows one private reply to a comment within 7 days of the comment.', at(INSTAGRAM_PRIVATE_REPLY_WINDOW_MS));
      }
      if (elapsed < META_RESPONSE_WINDOW_MS) {
        return { allowed: true, mode: 'response', modeEndsAt: at(META_RESPONSE_WINDOW_MS), closesAt: at(META_HUMAN_AGENT_WINDOW_MS) };
      }
      return elapsed < META_HUMAN_AGENT_WINDOW_MS
        ? { allowed: true, mode: 'human_agent', modeEndsAt: at(META_HUMAN_AGENT_WINDOW_MS), closesAt: at(META_HUMAN_AGENT_WINDOW_MS) }
        : closed(
            'meta_human_agent_7d',
            'Messenger and Instagram take a reply within 24 hours of the customer’s last message, and with the HUMAN_AGENT tag up to 7 days; after that only the customer can reopen the conversation.',
            at(META_HUMAN_AGENT_WINDOW_MS),
          );
    case 'whatsapp':
      if (elapsed < WHATSAPP_SERVICE_WINDOW_MS) {
        return {
          allowed: true,
          mode: 'free_form',
          modeEndsAt: at(WHATSAPP_SERVICE_WINDOW_MS),
          ...(input.whatsappTemplateConfigured ? {} : { closesAt: at(WHATSAPP_SERVICE_WINDOW_MS) }),
        };
      }
      return input.whatsappTemplateConfigured
        ? { allowed: true, mode: 'template' }
        : closed(
            'whatsapp_24h_customer_service',
            'WhatsApp takes free-form messages within 24 hours of the customer’s last message; after that only an approved template (REDRESS_WHATSAPP_TEMPLATE), which is not configured.',
            at(WHATSAPP_SERVICE_WINDOW_MS),
          );
    case 'wechat':
      return elapsed < WECHAT_SERVICE_WINDOW_MS
        ? { allowed: true, mode: 'free_form', closesAt: at(WECHAT_SERVICE_WINDOW_MS) }
        : closed('wechat_48h_customer_service', 'WeChat customer-service messages can be sent within 48 hours of the customer’s last message.', at(WECHAT_SERVICE_WINDOW_MS));
    default:
      return { allowed: true, mode: 'unrestricted' };
  }
}

function closed(rule: WindowRule, message: string, closedAt: string): WindowClosed {
  return { allowed: false, rule, message, stillAllowed: OUTSIDE_VIAS, closedAt };
}
