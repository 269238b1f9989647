/**
 * The canonical feedback shapes shared by every channel, the queue, the store and the admin API.
 * One zod schema per shape: types are inferred from them, JSON Schema / OpenAPI are generated from them.
 */
import * as z from 'zod';

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
  id: z.string().max(256).optional(),
  name: z.string().max(256).optional(),
  contact: z.string().max(256).optional(),
});
export type CustomerRef = z.infer<typeof CustomerRef>;

/**
 * One feedback message as the ingest Lambda puts it on the queue: already verified, normalised and
 * PII-masked, so nothing downstream ever holds the customer's raw contact details.
 */
export const FeedbackMessage = z.object({
  id: z.string().regex(/^fb_[a-z0-9]+$/),
  source: Source,
  channel: Channel,
  externalId: z.string().min(1).max(512),
  receivedAt: z.iso.datetime(),
  occurredAt: z.iso.datetime().optional(),
  text: z.string().min(1),
  language: z.string().max(16).optional(),
  subject: z.string().max(500).optional(),
  rating: z.number().min(0).max(10).optional(),
  customer: CustomerRef.default({}),
  context: z.record(z.string(), z.unknown()).optional(),
});
export type FeedbackMessage = z.infer<typeof FeedbackMessage>;

/** JR/T 0169-2018 codes: channel, business type, complaint reason. */
export const Jrt0169Codes = z.object({ channel: z.string(), business: z.string(), reason: z.string() });

/** What the classifier says about one message, with the cues that decided it. */
export const Classification = z.object({
  kind: Kind,
  category: Category,
  severity: Severity,
  sentiment: z.number().min(-1).max(1),
  language: z.string(),
  confidence: z.number().min(0).max(1),
  reasons: z.array(z.string()),
  codes: z.object({ jrt0169: Jrt0169Codes }),
});
export type Classification = z.infer<typeof Classification>;

export const CLOCK_STATES = ['running', 'met', 'breached', 'stopped'] as const;
export const Clock = z.object({
  name: z.string(),
  dueAt: z.iso.datetime(),
  warnAt: z.iso.datetime().optional(),
  state: z.enum(CLOCK_STATES),
  stoppedAt: z.iso.datetime().optional(),
  escalationLevel: z.number().int().min(0),
});
export type Clock = z.infer<typeof Clock>;

export const TimelineEntry = z.object({
  at: z.iso.datetime(),
  type: z.string(),
  actor: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const Satisfaction = z.object({ score: z.number().int().min(1).max(5), comment: z.string().optional(), at: z.iso.datetime() });

export const FEEDBACK_STATUSES = ['open', 'responded', 'resolved', 'received'] as const;

/** A stored feedback item (a complaint is a feedback item of kind `complaint`), as the admin API returns it. */
export const FeedbackItem = z.object({
  id: z.string(),
  kind: Kind,
  channel: Channel,
  source: Source,
  externalId: z.string(),
  receivedAt: z.iso.datetime(),
  occurredAt: z.iso.datetime().optional(),
  language: z.string(),
  text: z.string(),
  subject: z.string().optional(),
  rating: z.number().optional(),
  customer: CustomerRef,
  context: z.record(z.string(), z.unknown()).optional(),
  category: Category,
  severity: Severity,
  sentiment: z.number(),
  classification: z.object({
    confidence: z.number(),
    reasons: z.array(z.string()),
    codes: z.object({ jrt0169: Jrt0169Codes }),
  }),
  status: z.enum(FEEDBACK_STATUSES),
  assignee: z.string().nullable(),
  clocks: z.array(Clock),
  /** The clocks' policy records (internal: targets, rules, announcement marks); `clocks` is their view. */
  clockPlans: z.array(z.record(z.string(), z.unknown())).optional(),
  timeline: z.array(TimelineEntry),
  satisfaction: Satisfaction.nullable(),
  version: z.number().int(),
});
export type FeedbackItem = z.infer<typeof FeedbackItem>;
