/**
 * The canonical feedback shapes shared by every channel, the queue, the store and the admin API.
 * One zod schema per shape: types are inferred from them, JSON Schema / OpenAPI are generated from them.
 */
import * as z from 'zod/mini';
import './zod-locale.ts';

export const CHANNELS = ['hotline', 'web', 'mobile', 'social'] as const;
export const SOURCES = ['web', 'mobile', 'hotline', 'twilio', 'messenger', 'instagram', 'whatsapp', 'x', 'wechat'] as const;
export const KINDS = ['complaint', 'inquiry', 'suggestion', 'praise'] as const;
export const CATEGORIES = [
  'service_attitude', 'resolution_efficiency', 'waiting_time', 'digital_banking', 'fees_pricing',
  'fraud_security', 'misselling_disclosure', 'debt_collection', 'card_issues', 'transfers_payments', 'other',
] as const;
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

export const Channel = z.enum(CHANNELS);
export const Source = z.enum(SOURCES);
export const Kind = z.enum(KINDS);
export const Category = z.enum(CATEGORIES);
export const Severity = z.enum(SEVERITIES);
export type Channel = z.infer<typeof Channel>;
export type Source = z.infer<typeof Source>;
export type Kind = z.infer<typeof Kind>;
export type Category = z.infer<typeof Category>;
export type Severity = z.infer<typeof Severity>;

/** Who sent it, as far as the channel tells us. `contact` is always masked before it is stored. */
export const CustomerRef = z.object({
  id: z.optional(z.string().check(z.maxLength(256))),
  name: z.optional(z.string().check(z.maxLength(256))),
  contact: z.optional(z.string().check(z.maxLength(256))),
});
export type CustomerRef = z.infer<typeof CustomerRef>;

/** What a media message carried: the platform's own kinds, named once for every platform. */
export const ATTACHMENT_TYPES = ['image', 'voice', 'video', 'document', 'sticker'] as const;

/**
 * One media attachment of a customer's message, kept by reference: the platform's media id (WhatsApp,
 * WeChat `MediaId`) or, where the platform gives no id (Messenger, Instagram), its attachment URL. The
 * bytes are not fetched; a bank that must keep them fetches by this reference while the platform holds it.
 */
export const Attachment = z.object({
  type: z.enum(ATTACHMENT_TYPES),
  mimeType: z.optional(z.string().check(z.maxLength(256))),
  platformMediaId: z.string().check(z.minLength(1), z.maxLength(2048)),
  size: z.optional(z.number().check(z.int(), z.minimum(0))),
});
export type Attachment = z.infer<typeof Attachment>;

/**
 * Where a reply to the item goes on its platform, besides the customer's own id (`customer.id`): the
 * bank's account that received the message (Messenger Page id, Instagram account id, WhatsApp
 * phone-number id) and, for an Instagram comment, the comment a private reply answers. These are the
 * bank's identifiers, not the customer's: kept as given, never masked (a Page id can look like a card number).
 */
export const PlatformAddress = z.object({
  accountId: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
  commentId: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
});
export type PlatformAddress = z.infer<typeof PlatformAddress>;

/**
 * One feedback message as the ingest Lambda puts it on the queue: already verified, normalised and
 * PII-masked, so nothing downstream ever holds the customer's raw contact details.
 */
export const FeedbackMessage = z.object({
  id: z.string().check(z.regex(/^fb_[a-z0-9]+$/)),
  source: Source,
  channel: Channel,
  externalId: z.string().check(z.minLength(1), z.maxLength(512)),
  receivedAt: z.iso.datetime(),
  occurredAt: z.optional(z.iso.datetime()),
  text: z.string().check(z.minLength(1)),
  language: z.optional(z.string().check(z.maxLength(16))),
  subject: z.optional(z.string().check(z.maxLength(500))),
  rating: z.optional(z.number().check(z.minimum(0), z.maximum(10))),
  customer: z._default(CustomerRef, {}),
  context: z.optional(z.record(z.string(), z.unknown())),
  // At most MAX_ATTACHMENTS (channel.ts) per message: a platform sends a handful.
  attachments: z.optional(z.array(Attachment).check(z.maxLength(20))),
  platform: z.optional(PlatformAddress),
});
export type FeedbackMessage = z.infer<typeof FeedbackMessage>;

/** JR/T 0169-2018 codes: channel, business type, complaint reason. */
export const Jrt0169Codes = z.object({ channel: z.string(), business: z.string(), reason: z.string() });

/** What the classifier says about one message, with the cues that decided it. */
export const Classification = z.object({
  kind: Kind,
  category: Category,
  severity: Severity,
  sentiment: z.number().check(z.minimum(-1), z.maximum(1)),
  language: z.string(),
  confidence: z.number().check(z.minimum(0), z.maximum(1)),
  reasons: z.array(z.string()),
  codes: z.object({ jrt0169: Jrt0169Codes }),
});
export type Classification = z.infer<typeof Classification>;

export const CLOCK_STATES = ['running', 'met', 'breached', 'stopped'] as const;
export const Clock = z.object({
  name: z.string(),
  dueAt: z.iso.datetime(),
  warnAt: z.optional(z.iso.datetime()),
  state: z.enum(CLOCK_STATES),
  stoppedAt: z.optional(z.iso.datetime()),
  escalationLevel: z.number().check(z.int(), z.minimum(0)),
});
export type Clock = z.infer<typeof Clock>;

export const TimelineEntry = z.object({
  at: z.iso.datetime(),
  type: z.string(),
  actor: z.string(),
  data: z.optional(z.record(z.string(), z.unknown())),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const Satisfaction = z.object({
  score: z.number().check(z.int(), z.minimum(1), z.maximum(5)),
  comment: z.optional(z.string()),
  at: z.iso.datetime(),
});

export const FEEDBACK_STATUSES = ['open', 'responded', 'resolved', 'received'] as const;

/** How a reply reaches the customer: `channel` sends it through the platform the item came from; the others record a response made outside Redress. */
export const REPLY_VIAS = ['channel', 'phone', 'email', 'letter', 'in_person'] as const;
export type ReplyVia = (typeof REPLY_VIAS)[number];
/** `queued` → `sent` (the platform took it) → `delivered` → `read` where the platform reports it; or `failed`. */
export const REPLY_STATUSES = ['queued', 'sent', 'delivered', 'read', 'failed'] as const;
export type ReplyStatus = (typeof REPLY_STATUSES)[number];

/** One reply to the customer, as the item shows it. `message` is the handler's text PII-masked (the platform got it as written). */
export const Reply = z.object({
  id: z.string(),
  via: z.enum(REPLY_VIAS),
  status: z.enum(REPLY_STATUSES),
  /** When the handler (or the system) made it. */
  at: z.iso.datetime(),
  sentAt: z.optional(z.iso.datetime()),
  deliveredAt: z.optional(z.iso.datetime()),
  readAt: z.optional(z.iso.datetime()),
  failedAt: z.optional(z.iso.datetime()),
  platformMessageId: z.optional(z.string()),
  /** The platform's error code and message (or Redress's, such as a closed window). */
  error: z.optional(z.object({ code: z.string(), message: z.string() })),
  actor: z.string(),
  message: z.string(),
  /** How the platform was asked to carry it (`response`, `human_agent`, `template`…), for channel replies. */
  mode: z.optional(z.string()),
});
export type Reply = z.infer<typeof Reply>;

/** A stored feedback item (a complaint is a feedback item of kind `complaint`), as the admin API returns it. */
export const FeedbackItem = z.object({
  id: z.string(),
  kind: Kind,
  channel: Channel,
  source: Source,
  externalId: z.string(),
  receivedAt: z.iso.datetime(),
  occurredAt: z.optional(z.iso.datetime()),
  language: z.string(),
  text: z.string(),
  subject: z.optional(z.string()),
  rating: z.optional(z.number()),
  customer: CustomerRef,
  context: z.optional(z.record(z.string(), z.unknown())),
  attachments: z.optional(z.array(Attachment)),
  platform: z.optional(PlatformAddress),
  category: Category,
  severity: Severity,
  sentiment: z.number(),
  classification: z.object({
    confidence: z.number(),
    reasons: z.array(z.string()),
    codes: z.object({ jrt0169: Jrt0169Codes }),
  }),
  status: z.enum(FEEDBACK_STATUSES),
  assignee: z.nullable(z.string()),
  clocks: z.array(Clock),
  /** The clocks' policy records (internal: targets, rules, announcement marks); `clocks` is their view. */
  clockPlans: z.optional(z.array(z.record(z.string(), z.unknown()))),
  /** When the complaint first had a response (or a resolution without one): the first-response KPI, kept compact for the metrics index. */
  firstRespondedAt: z.optional(z.iso.datetime()),
  timeline: z.array(TimelineEntry),
  /** Replies to the customer, oldest first (absent until the first). */
  replies: z.optional(z.array(Reply)),
  satisfaction: z.nullable(Satisfaction),
  version: z.number().check(z.int()),
});
export type FeedbackItem = z.infer<typeof FeedbackItem>;
