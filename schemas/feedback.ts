/**
 * The canonical feedback shapes shared by every channel, the queue, the store and the admin API.
 * One zod schema per shape: types are inferred from them, JSON Schema / OpenAPI are generated from them.
 */
import * as z from 'zod/mini';
import './zod-locale.ts';
import { StoredSuggestion, Suggestion } from './faq.ts';
import type { ClockRecord } from '../functions/shared/clocks/complaint-clocks.ts';

export const CHANNELS = ['hotline', 'web', 'mobile', 'social'] as const;
/** The bank's own back ends (Standard Webhooks): their `customer.id` is the bank's own customer reference. */
export const BANK_SOURCES = ['web', 'mobile', 'hotline'] as const;
/** The platforms: their `customer.id` is the person's identity there (PSID, WhatsApp number, X id, OpenID, caller number). */
export const PLATFORM_SOURCES = ['twilio', 'messenger', 'instagram', 'whatsapp', 'x', 'wechat'] as const;
export const SOURCES = [...BANK_SOURCES, ...PLATFORM_SOURCES] as const;
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

/** A pseudonymous customer key: `ck<version>_` and 32 lower-case hex characters. */
export const CustomerKey = z.string().check(z.regex(/^ck[1-9][0-9]{0,2}_[0-9a-f]{32}$/, 'must be a customer key (ck<version>_ and 32 hex characters)'));

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
  /** The customer's pseudonymous key (functions/shared/customers/customer-key.ts), derived before masking. */
  customerKey: z.optional(CustomerKey),
  /** The same identity's keys under the other active secrets, during a key rotation. */
  customerAliases: z.optional(z.array(CustomerKey).check(z.maxLength(8))),
});
export type FeedbackMessage = z.infer<typeof FeedbackMessage>;

/** JR/T 0169-2018 codes: channel, business type, complaint reason. */
export const Jrt0169Codes = z.object({ channel: z.string(), business: z.string(), reason: z.string() });

const Probability = z.number().check(z.minimum(0), z.maximum(1));

/** Calibrated probability of each kind (they sum to 1): what triage and any auto-reply threshold read. */
export const KindProbabilities = z.object({ complaint: Probability, inquiry: Probability, suggestion: Probability, praise: Probability });
export type KindProbabilities = z.infer<typeof KindProbabilities>;

/**
 * What the classifier says about one message, with the cues that decided it. `confidence` is the calibrated
 * probability that `category` is right; `probabilities`, `negative` and `supportedLanguage` are what the
 * triage of uncertain classifications reads (optional: items classified before them lack them).
 */
export const Classification = z.object({
  kind: Kind,
  category: Category,
  severity: Severity,
  sentiment: z.number().check(z.minimum(-1), z.maximum(1)),
  language: z.string(),
  confidence: Probability,
  reasons: z.array(z.string()),
  codes: z.object({ jrt0169: Jrt0169Codes }),
  probabilities: z.optional(KindProbabilities),
  /** The message reads negative (its opinion or its wording), whatever kind it was given. */
  negative: z.optional(z.boolean()),
  /** Whether the message's language is one the classifier reads (English, Chinese); if not, a person should check it. */
  supportedLanguage: z.optional(z.boolean()),
});
export type Classification = z.infer<typeof Classification>;

/**
 * Why an item waits in triage for a person to settle its kind (functions/shared/triage/triage-policy.ts):
 * not taken as a complaint but with a complaint probability at the threshold (`uncertain_kind`), reading
 * negative (`negative_not_complaint`), or in a language the classifier does not read (`unsupported_language`).
 */
export const TRIAGE_REASONS = ['uncertain_kind', 'negative_not_complaint', 'unsupported_language'] as const;
export const TriageReason = z.enum(TRIAGE_REASONS);
/** An item in triage: why, and by when a handler should settle it (`receivedAt` + REDRESS_SLA_TRIAGE). */
export const Triage = z.object({ reason: TriageReason, dueAt: z.iso.datetime() });
export type Triage = z.infer<typeof Triage>;

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

export const SATISFACTION_SOURCES = ['customer', 'handler'] as const;
export const Satisfaction = z.object({
  score: z.number().check(z.int(), z.minimum(1), z.maximum(5)),
  comment: z.optional(z.string()),
  at: z.iso.datetime(),
  /** Who gave it: the customer (survey link, "reply 1–5") or a handler who recorded it. Absent on older records: a handler's. */
  source: z.optional(z.enum(SATISFACTION_SOURCES)),
});

export const FEEDBACK_STATUSES = ['open', 'responded', 'resolved', 'received'] as const;

/** How a reply reaches the customer: `channel` sends it through the platform the item came from; the others record a response made outside Redress. */
export const REPLY_VIAS = ['channel', 'phone', 'email', 'letter', 'in_person'] as const;
export type ReplyVia = (typeof REPLY_VIAS)[number];
/** `queued` → `sent` (the platform took it) → `delivered` → `read` where the platform reports it; or `failed`. */
export const REPLY_STATUSES = ['queued', 'sent', 'delivered', 'read', 'failed'] as const;
export type ReplyStatus = (typeof REPLY_STATUSES)[number];

/** Why a reply was made: a handler's `response`, or the `ratingRequest` Redress sends on resolution (never a first response). */
export const REPLY_PURPOSES = ['response', 'ratingRequest'] as const;
export type ReplyPurpose = (typeof REPLY_PURPOSES)[number];

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
  /** Why it was made; absent on replies stored before purposes existed (a handler's `response`). */
  purpose: z.optional(z.enum(REPLY_PURPOSES)),
  /** The FAQ entry whose answer this is (a handler's `{faqId}` reply, or an automatic answer by actor `faq`). */
  faqId: z.optional(z.string()),
  /** True when the handler edited the FAQ entry's answer before sending it. */
  faqEdited: z.optional(z.boolean()),
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
  /** The customer's pseudonymous key: a keyed hash of the bank's customer id or of the platform identity (`ck<version>_…`). */
  customerKey: z.optional(CustomerKey),
  /** Keys of the same identity under other active secrets (a rotation's overlap); linked to `customerKey`. */
  customerAliases: z.optional(z.array(CustomerKey)),
  category: Category,
  severity: Severity,
  sentiment: z.number(),
  classification: z.object({
    confidence: z.number(),
    reasons: z.array(z.string()),
    codes: z.object({ jrt0169: Jrt0169Codes }),
    probabilities: z.optional(KindProbabilities),
    negative: z.optional(z.boolean()),
    supportedLanguage: z.optional(z.boolean()),
  }),
  status: z.enum(FEEDBACK_STATUSES),
  assignee: z.nullable(z.string()),
  clocks: z.array(Clock),
  /**
   * The clocks' policy records (internal: targets, rules, announcement marks); `clocks` is their view. Loose
   * here (the records' schema lives with the clocks, which import this file); the type below is exact.
   */
  clockPlans: z.optional(z.array(z.record(z.string(), z.unknown()))),
  /** When the complaint first had a response (or a resolution without one): the first-response KPI, kept compact for the metrics index. */
  firstRespondedAt: z.optional(z.iso.datetime()),
  timeline: z.array(TimelineEntry),
  /** Replies to the customer, oldest first (absent until the first). */
  replies: z.optional(z.array(Reply)),
  satisfaction: z.nullable(Satisfaction),
  /** Present while the item waits in triage (GET /admin/triage); removed once a handler settles its kind. */
  triage: z.optional(Triage),
  /**
   * Inquiries: the FAQ entries most likely to answer it (at most 3, best first), found when it was
   * processed; absent when no FAQ was loaded then (GET /admin/feedback/{id}/suggestions recomputes).
   * Stored as `{faqId, score, cues}` (the admin API adds each entry's text from the FAQ); items stored
   * before 2026-12-06 hold whole suggestions.
   */
  suggestions: z.optional(z.array(z.union([Suggestion, StoredSuggestion]))),
  version: z.number().check(z.int()),
});
/** A stored feedback item; its clock records typed as the clocks write them (ClockRecord). */
export type FeedbackItem = Omit<z.infer<typeof FeedbackItem>, 'clockPlans'> & { clockPlans?: ClockRecord[] };
