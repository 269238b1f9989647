/**
 * The admin API's requests and answers (complaint handlers): query strings, bodies, the complaint view,
 * lists, metrics and problem details. Handlers validate with these; the OpenAPI document is generated
 * from them (functions/admin/openapi.ts), so the contract and the checks cannot drift apart.
 */
import * as z from 'zod';
import { CATEGORIES, CHANNELS, Category, Channel, Clock, FeedbackItem, Kind, Severity } from './feedback.ts';

export const ROLES = ['agent', 'supervisor', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** `limit`: 1 to 200, default 50 (a query string value, so it is coerced from text). */
export const Limit = z.coerce.number({ error: 'limit must be a whole number from 1 to 200' }).int('limit must be a whole number from 1 to 200').min(1, 'limit must be at least 1').max(200, 'limit must be at most 200').default(50);
/** An opaque, signed continuation token from a previous page's `nextCursor`. */
export const Cursor = z.string().min(1).max(2048);
/** An instant in a query string (ISO 8601 with a zone); normalised to UTC with milliseconds by the handler. */
export const Instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a zone, e.g. 2026-11-28T09:30:00Z' });
const BooleanText = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true');

export const COMPLAINT_STATUSES = ['open', 'responded', 'resolved'] as const;

/** GET /admin/complaints */
export const ComplaintListQuery = z.object({
  status: z.enum(COMPLAINT_STATUSES, { error: `status must be one of ${COMPLAINT_STATUSES.join(', ')}` }).optional(),
  category: Category.optional(),
  severity: Severity.optional(),
  channel: Channel.optional(),
  /** A handler's user id, or `none` for unassigned complaints. */
  assignee: z.string().min(1).max(128).optional(),
  breached: BooleanText.optional(),
  /** Only with status=resolved (resolved complaints leave the open queue): the receipt window, default the last 30 days. */
  from: Instant.optional(),
  to: Instant.optional(),
  limit: Limit,
  cursor: Cursor.optional(),
});
export type ComplaintListQuery = z.infer<typeof ComplaintListQuery>;

/** GET /admin/feedback */
export const FeedbackListQuery = z.object({
  kind: Kind.optional(),
  channel: Channel.optional(),
  /** Receipt window [from, to); default the 30 days up to now, at most 366 days. */
  from: Instant.optional(),
  to: Instant.optional(),
  limit: Limit,
  cursor: Cursor.optional(),
});
export type FeedbackListQuery = z.infer<typeof FeedbackListQuery>;

/** GET /admin/metrics */
export const MetricsQuery = z.object({
  /** Receipt window [from, to); default the 30 days up to now, at most 366 days. */
  from: Instant.optional(),
  to: Instant.optional(),
});
export type MetricsQuery = z.infer<typeof MetricsQuery>;

const UserId = z.string().trim().min(1, 'must not be empty').max(128);

export const AssignBody = z.object({ assignee: UserId });
export const RespondBody = z.object({ message: z.string().trim().min(1, 'message must not be empty').max(10_000) });
export const RESOLUTION_OUTCOMES = ['upheld', 'partially_upheld', 'rejected'] as const;
export const ResolveBody = z.object({
  outcome: z.enum(RESOLUTION_OUTCOMES, { error: `outcome must be one of ${RESOLUTION_OUTCOMES.join(', ')}` }),
  summary: z.string().trim().min(1, 'summary must not be empty').max(10_000),
});
export const ReopenBody = z.object({ reason: z.string().trim().min(1, 'reason must not be empty').max(10_000) });
export const NoteBody = z.object({ text: z.string().trim().min(1, 'text must not be empty').max(10_000) });
export const ReclassifyBody = z
  .object({ kind: Kind.optional(), category: Category.optional(), severity: Severity.optional(), reason: z.string().trim().max(2_000).optional() })
  .refine((b) => b.kind !== undefined || b.category !== undefined || b.severity !== undefined, { message: 'give at least one of kind, category, severity', path: ['kind'] });
export const SatisfactionBody = z.object({
  score: z.number({ error: 'score must be a whole number from 1 to 5' }).int('score must be a whole number from 1 to 5').min(1, 'score must be from 1 to 5').max(5, 'score must be from 1 to 5'),
  comment: z.string().max(2_000).optional(),
});
/**
 * The extensions the default clock policy offers (functions/shared/clocks/policy.ts): China `complex`
 * (15 → 30 days) and `approved` (→ 60 days, after `complex`, customer told); UK payment services
 * `holding_reply` (15 → 35 business days, customer told). Which one a clock accepts is the lifecycle's
 * call (409 otherwise); an unknown word is a bad request.
 */
export const EXTENSION_REASONS = ['complex', 'approved', 'holding_reply'] as const;
/** The pause reasons the default policy offers (China: time on external appraisal is not counted). */
export const PAUSE_REASONS = ['external_appraisal'] as const;
/** POST /admin/complaints/{id}/clocks/{clock}/extend */
export const ExtendClockBody = z.object({ reason: z.enum(EXTENSION_REASONS, { error: `reason must be one of ${EXTENSION_REASONS.join(', ')}` }) });
/** POST /admin/complaints/{id}/clocks/{clock}/pause */
export const PauseClockBody = z.object({ reason: z.enum(PAUSE_REASONS, { error: `reason must be one of ${PAUSE_REASONS.join(', ')}` }) });
/** POST /admin/complaints/{id}/clocks/{clock}/resume (no fields; an empty body is fine). */
export const ResumeClockBody = z.object({});
export type ExtendClockBody = z.infer<typeof ExtendClockBody>;
export type PauseClockBody = z.infer<typeof PauseClockBody>;
export type ResumeClockBody = z.infer<typeof ResumeClockBody>;
export type AssignBody = z.infer<typeof AssignBody>;
export type RespondBody = z.infer<typeof RespondBody>;
export type ResolveBody = z.infer<typeof ResolveBody>;
export type ReopenBody = z.infer<typeof ReopenBody>;
export type NoteBody = z.infer<typeof NoteBody>;
export type ReclassifyBody = z.infer<typeof ReclassifyBody>;
export type SatisfactionBody = z.infer<typeof SatisfactionBody>;

/** What a handler changed of the model's answer, and the model's own answer (kept for audit and retraining). */
export const ClassificationOverride = z.object({
  kind: Kind,
  category: Category,
  severity: Severity,
  by: z.string(),
  at: z.iso.datetime(),
  reason: z.string().optional(),
});

/** A clock as the admin API shows it: the design's fields, plus when it started, its level-2 time, and regulatory facts. */
export const ClockView = Clock.extend({
  startedAt: z.iso.datetime().optional(),
  /** Level-2 escalation time. */
  escalateAt: z.iso.datetime().optional(),
  warnedAt: z.iso.datetime().optional(),
  breachedAt: z.iso.datetime().optional(),
  escalatedAt: z.iso.datetime().optional(),
  /** Present while the clock is paused (China: external appraisal); its state is frozen until resumed. */
  paused: z.literal(true).optional(),
  pausedAt: z.iso.datetime().optional(),
  pauseReason: z.string().optional(),
  /** Extension reasons applied, oldest first (e.g. complex, approved; holding_reply). */
  extensions: z.array(z.string()).optional(),
});

/** A feedback item as the admin API shows it: contact and platform ids masked, clocks evaluated now, internals dropped. */
export const FeedbackView = FeedbackItem.omit({ clockPlans: true }).extend({
  clocks: z.array(ClockView),
  classification: FeedbackItem.shape.classification.extend({
    /** The classifier's answer, kept once a handler reclassifies. */
    model: z.object({ kind: Kind, category: Category, severity: Severity }).optional(),
    /** The handler's latest reclassification. */
    override: ClassificationOverride.optional(),
  }),
});
export type FeedbackView = z.infer<typeof FeedbackView>;

/** `{items, nextCursor}`: `nextCursor` is absent on the last page. */
export const FeedbackPage = z.object({ items: z.array(FeedbackView), nextCursor: z.string().optional() });

const Ratio = z.number().min(0).max(1).nullable();
const Seconds = z.number().min(0).nullable();

/** Figures for one slice (all feedback, one channel, one category). `null` where a figure is undefined (0/0). */
export const MetricFigures = z.object({
  feedback: z.number().int(),
  complaints: z.number().int(),
  inquiries: z.number().int(),
  suggestions: z.number().int(),
  praise: z.number().int(),
  complaintShare: Ratio,
  /** Share of feedback from web + mobile (the bank's digital-adoption target). */
  digitalShare: Ratio,
  firstResponse: z.object({
    met: z.number().int(),
    breached: z.number().int(),
    pending: z.number().int(),
    compliance: Ratio,
    medianSeconds: Seconds,
    p90Seconds: Seconds,
  }),
  responded: z.number().int(),
  /** Complaints received in the window that are resolved now. */
  resolved: z.number().int(),
  resolutionRate: Ratio,
  /** Complaints with a clock at escalation level 1 or more (breached, then escalated). */
  escalations: z.number().int(),
  satisfaction: z.object({ count: z.number().int(), mean: z.number().min(1).max(5).nullable() }),
});
export type MetricFigures = z.infer<typeof MetricFigures>;

export const Metrics = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  totals: MetricFigures,
  byChannel: z.record(z.enum(CHANNELS), MetricFigures),
  byCategory: z.record(z.enum(CATEGORIES), MetricFigures),
});
export type Metrics = z.infer<typeof Metrics>;

/** RFC 9457 problem details, as every error answers. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  allowed: z.array(z.string()).optional(),
  currentVersion: z.number().int().optional(),
});
