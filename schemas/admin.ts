/**
 * The admin API's requests and answers (complaint handlers): query strings, bodies, the complaint view,
 * lists, metrics and problem details. Handlers validate with these; the OpenAPI document is generated
 * from them (functions/admin/openapi.ts), so the contract and the checks cannot drift apart.
 */
import * as z from 'zod/mini';
import './zod-locale.ts';
import { ROLES } from '../functions/shared/auth/roles.ts';
import { EXTENSION_REASONS, PAUSE_REASONS, RESOLUTION_OUTCOMES, type CommandFields } from '../functions/shared/lifecycle/commands.ts';
import { Suggestion } from './faq.ts';
import { CATEGORIES, CHANNELS, Category, Channel, Clock, CustomerKey, CustomerRef, FeedbackItem, KINDS, Kind, REPLY_STATUSES, REPLY_VIAS, Severity, TRIAGE_REASONS } from './feedback.ts';

// The roles and the lifecycle's command vocabulary are the domain's (functions/shared/auth/roles.ts,
// functions/shared/lifecycle/commands.ts): the request bodies below are built from them.
export { ROLES } from '../functions/shared/auth/roles.ts';
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** `limit`: 1 to 200, default 50 (a query string value, so it is coerced from text). */
export const Limit = z._default(
  z.coerce
    .number({ error: 'limit must be a whole number from 1 to 200' })
    .check(z.int('limit must be a whole number from 1 to 200'), z.minimum(1, 'limit must be at least 1'), z.maximum(200, 'limit must be at most 200')),
  50,
);
/** An opaque, signed continuation token from a previous page's `nextCursor`. */
export const Cursor = z.string().check(z.minLength(1), z.maxLength(2048));
/** An instant in a query string (ISO 8601 with a zone); normalised to UTC with milliseconds by the handler. */
export const Instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a zone, e.g. 2026-11-28T09:30:00Z' });
const BooleanText = z.pipe(
  z.enum(['true', 'false'], { error: 'must be true or false' }),
  z.transform((v) => v === 'true'),
);

export const COMPLAINT_STATUSES = ['open', 'responded', 'resolved'] as const;

/** GET /admin/complaints */
export const ComplaintListQuery = z.object({
  status: z.optional(z.enum(COMPLAINT_STATUSES, { error: `status must be one of ${COMPLAINT_STATUSES.join(', ')}` })),
  category: z.optional(Category),
  severity: z.optional(Severity),
  channel: z.optional(Channel),
  /** A handler's user id, or `none` for unassigned complaints. */
  assignee: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  breached: z.optional(BooleanText),
  /** Only with status=resolved (resolved complaints leave the open queue): the receipt window, default the last 30 days. */
  from: z.optional(Instant),
  to: z.optional(Instant),
  limit: Limit,
  cursor: z.optional(Cursor),
  /** Only this customer's complaints (a `customerKey`; linked keys count as the same customer). */
  customer: z.optional(CustomerKey),
});
export type ComplaintListQuery = z.infer<typeof ComplaintListQuery>;

/** GET /admin/feedback */
export const FeedbackListQuery = z.object({
  kind: z.optional(Kind),
  channel: z.optional(Channel),
  /** Receipt window [from, to); default the 30 days up to now, at most 366 days. */
  from: z.optional(Instant),
  to: z.optional(Instant),
  limit: Limit,
  cursor: z.optional(Cursor),
  /** Only this customer's items (a `customerKey`; linked keys count as the same customer). */
  customer: z.optional(CustomerKey),
});
export type FeedbackListQuery = z.infer<typeof FeedbackListQuery>;

/** GET /admin/triage */
export const TriageListQuery = z.object({
  /** Only items in triage for this reason. */
  reason: z.optional(z.enum(TRIAGE_REASONS, { error: `reason must be one of ${TRIAGE_REASONS.join(', ')}` })),
  limit: Limit,
  cursor: z.optional(Cursor),
});
export type TriageListQuery = z.infer<typeof TriageListQuery>;

/** GET /admin/metrics */
export const MetricsQuery = z.object({
  /** Receipt window [from, to); default the 30 days up to now, at most 366 days. */
  from: z.optional(Instant),
  to: z.optional(Instant),
});
export type MetricsQuery = z.infer<typeof MetricsQuery>;

const UserId = z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(128));

export const AssignBody = z.object({ assignee: UserId });

/**
 * The longest text a handler may write in one note, response, resolution summary or reopening reason
 * (UTF-16 units, as JavaScript counts; at most 15,000 bytes in UTF-8). Together with the item budget
 * (functions/shared/lifecycle/item-budget.ts) it keeps every complaint under DynamoDB's item limit.
 */
export const HANDLER_TEXT_MAX = 5_000;
/** The longest reclassification reason or satisfaction comment. */
export const SHORT_TEXT_MAX = 2_000;
const HandlerText = (field: string) =>
  z.string().check(z.trim(), z.minLength(1, `${field} must not be empty`), z.maxLength(HANDLER_TEXT_MAX, `${field} must be at most ${HANDLER_TEXT_MAX} characters`));

/**
 * A reply to the customer (`…/responses` on a complaint, `…/replies` on any item): `via` defaults to
 * `channel`. An object schema, so fields can be added (an FAQ entry's id) without breaking callers.
 */
export const RespondBody = z
  .object({
    /** The text to send; with `faqId`, the handler's edit of that entry's answer. */
    message: z.optional(HandlerText('message')),
    via: z.optional(z.enum(REPLY_VIAS, { error: `via must be one of ${REPLY_VIAS.join(', ')}` })),
    /** An FAQ entry whose answer (in the item's language) is sent, or edited by `message`; recorded on the reply. */
    faqId: z.optional(z.string().check(z.trim(), z.minLength(1, 'faqId must not be empty'), z.maxLength(SHORT_TEXT_MAX, `faqId must be at most ${SHORT_TEXT_MAX} characters`))),
  })
  .check(z.refine((b) => b.message !== undefined || b.faqId !== undefined, { message: 'give message, or faqId (with message to edit its answer)', path: ['message'] }));
export const ReplyBody = RespondBody;
/** The answer to a reply: its id and status (`queued` through the channel, `sent` for a response made outside Redress). */
export const ReplyAccepted = z.object({ reply: z.object({ id: z.string(), status: z.enum(REPLY_STATUSES) }) });
export { RESOLUTION_OUTCOMES };
export const ResolveBody = z.object({
  outcome: z.enum(RESOLUTION_OUTCOMES, { error: `outcome must be one of ${RESOLUTION_OUTCOMES.join(', ')}` }),
  summary: HandlerText('summary'),
});
export const ReopenBody = z.object({ reason: HandlerText('reason') });
export const NoteBody = z.object({ text: HandlerText('text') });
export const ReclassifyBody = z
  .object({
    kind: z.optional(Kind),
    category: z.optional(Category),
    severity: z.optional(Severity),
    reason: z.optional(z.string().check(z.trim(), z.maxLength(SHORT_TEXT_MAX, `reason must be at most ${SHORT_TEXT_MAX} characters`))),
  })
  .check(
    z.refine((b) => b.kind !== undefined || b.category !== undefined || b.severity !== undefined, {
      message: 'give at least one of kind, category, severity',
      path: ['kind'],
    }),
  );
/**
 * PATCH /admin/feedback/{id}: a handler settles an item's kind (triage). `kind` is required: settling is
 * deciding it, whatever the model said; the category may be corrected at the same time.
 */
export const SettleKindBody = z.object({
  kind: z.enum(KINDS, { error: `kind is required, one of ${KINDS.join(', ')}` }),
  category: z.optional(Category),
  reason: z.optional(z.string().check(z.trim(), z.maxLength(SHORT_TEXT_MAX, `reason must be at most ${SHORT_TEXT_MAX} characters`))),
});
export const SatisfactionBody = z.object({
  score: z
    .number({ error: 'score must be a whole number from 1 to 5' })
    .check(z.int('score must be a whole number from 1 to 5'), z.minimum(1, 'score must be from 1 to 5'), z.maximum(5, 'score must be from 1 to 5')),
  comment: z.optional(z.string().check(z.maxLength(SHORT_TEXT_MAX))),
});
/** Extension and pause reasons (functions/shared/lifecycle/commands.ts): which one a clock accepts is the lifecycle's call (409 otherwise); an unknown word is a bad request. */
export { EXTENSION_REASONS, PAUSE_REASONS };
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
export type ReplyBody = z.infer<typeof ReplyBody>;
export type ResolveBody = z.infer<typeof ResolveBody>;
export type ReopenBody = z.infer<typeof ReopenBody>;
export type NoteBody = z.infer<typeof NoteBody>;
export type ReclassifyBody = z.infer<typeof ReclassifyBody>;
export type SettleKindBody = z.infer<typeof SettleKindBody>;
export type SatisfactionBody = z.infer<typeof SatisfactionBody>;

/**
 * Each lifecycle command's body, checked by the compiler to parse to exactly what the lifecycle takes
 * (CommandFields): a body that drifts from the domain's command is a type error here.
 */
export const COMMAND_BODIES = {
  assign: AssignBody,
  respond: RespondBody,
  reply: ReplyBody,
  resolve: ResolveBody,
  reopen: ReopenBody,
  note: NoteBody,
  reclassify: ReclassifyBody,
  settleKind: SettleKindBody,
  rate: SatisfactionBody,
  extendClock: ExtendClockBody,
  pauseClock: PauseClockBody,
  resumeClock: ResumeClockBody,
} satisfies { [K in keyof CommandFields]: z.ZodMiniType<CommandFields[K]> };

/** What a handler changed of the model's answer, and the model's own answer (kept for audit and retraining). */
export const ClassificationOverride = z.object({
  kind: Kind,
  category: Category,
  severity: Severity,
  by: z.string(),
  at: z.iso.datetime(),
  reason: z.optional(z.string()),
});

/** A clock as the admin API shows it: the design's fields, plus when it started, its level-2 time, and regulatory facts. */
export const ClockView = z.extend(Clock, {
  startedAt: z.optional(z.iso.datetime()),
  /** Level-2 escalation time. */
  escalateAt: z.optional(z.iso.datetime()),
  warnedAt: z.optional(z.iso.datetime()),
  breachedAt: z.optional(z.iso.datetime()),
  escalatedAt: z.optional(z.iso.datetime()),
  /** Present while the clock is paused (China: external appraisal); its state is frozen until resumed. */
  paused: z.optional(z.literal(true)),
  pausedAt: z.optional(z.iso.datetime()),
  pauseReason: z.optional(z.string()),
  /** Extension reasons applied, oldest first (e.g. complex, approved; holding_reply). */
  extensions: z.optional(z.array(z.string())),
});

/** A feedback item as the admin API shows it: contact and platform ids masked, clocks evaluated now, internals dropped. */
export const FeedbackView = z.extend(z.omit(FeedbackItem, { clockPlans: true }), {
  /** The customer as handlers see it; a single item's view adds the customer's recent complaints and their history's address. */
  customer: z.extend(CustomerRef, {
    /** Complaints from the same customer (linked keys included) received in the 90 days before this item. */
    previousComplaints90d: z.optional(z.number().check(z.int(), z.minimum(0))),
    /** `/admin/customers/{customerKey}`: the customer's history. */
    history: z.optional(z.string()),
  }),
  clocks: z.array(ClockView),
  /**
   * Set while the bank's latest answer to the customer failed (the platform refused it, or it ran out of
   * retries) and no later one was sent: the customer has heard nothing, whatever the clocks say.
   */
  /**
   * A single item's view: whether its channel takes a reply now (`mode`, `modeEndsAt`, `closesAt`), or,
   * once the platform's window has closed, the rule and the `via` values still allowed.
   */
  replyWindow: z.optional(
    z.object({
      allowed: z.boolean(),
      mode: z.optional(z.string()),
      modeEndsAt: z.optional(z.string()),
      closesAt: z.optional(z.string()),
      rule: z.optional(z.string()),
      closedAt: z.optional(z.string()),
      stillAllowed: z.optional(z.array(z.string())),
    }),
  ),
  needsAction: z.optional(z.object({ reason: z.literal('reply_failed'), replyId: z.string(), at: z.string(), code: z.optional(z.string()) })),
  /** The suggested answers with each entry's question and answer as the FAQ has them now (an entry since removed is left out). */
  suggestions: z.optional(z.array(Suggestion)),
  classification: z.extend(FeedbackItem.shape.classification, {
    /** The classifier's answer, kept once a handler reclassifies. */
    model: z.optional(z.object({ kind: Kind, category: Category, severity: Severity })),
    /** The handler's latest reclassification. */
    override: z.optional(ClassificationOverride),
  }),
});
export type FeedbackView = z.infer<typeof FeedbackView>;

/** `{items, nextCursor}`: `nextCursor` is absent on the last page. */
export const FeedbackPage = z.object({ items: z.array(FeedbackView), nextCursor: z.optional(z.string()) });

const Ratio = z.nullable(z.number().check(z.minimum(0), z.maximum(1)));
const Seconds = z.nullable(z.number().check(z.minimum(0)));

/** Figures for one slice (all feedback, one channel, one category). `null` where a figure is undefined (0/0). */
export const MetricFigures = z.object({
  feedback: z.number().check(z.int()),
  complaints: z.number().check(z.int()),
  inquiries: z.number().check(z.int()),
  suggestions: z.number().check(z.int()),
  praise: z.number().check(z.int()),
  complaintShare: Ratio,
  /** Share of feedback from web + mobile (the bank's digital-adoption target). */
  digitalShare: Ratio,
  firstResponse: z.object({
    met: z.number().check(z.int()),
    breached: z.number().check(z.int()),
    pending: z.number().check(z.int()),
    compliance: Ratio,
    medianSeconds: Seconds,
    p90Seconds: Seconds,
  }),
  responded: z.number().check(z.int()),
  /** Complaints received in the window that are resolved now. */
  resolved: z.number().check(z.int()),
  resolutionRate: Ratio,
  /** Complaints with a clock at escalation level 1 or more (breached, then escalated). */
  escalations: z.number().check(z.int()),
  satisfaction: z.object({ count: z.number().check(z.int()), mean: z.nullable(z.number().check(z.minimum(1), z.maximum(5))) }),
  /** The same scores by who gave them: the customer (survey link, "reply 1–5") or a handler who recorded them. */
  satisfactionBySource: z.object({
    customer: z.object({ count: z.number().check(z.int()), mean: z.nullable(z.number().check(z.minimum(1), z.maximum(5))) }),
    handler: z.object({ count: z.number().check(z.int()), mean: z.nullable(z.number().check(z.minimum(1), z.maximum(5))) }),
  }),
});
export type MetricFigures = z.infer<typeof MetricFigures>;

export const Metrics = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  totals: MetricFigures,
  byChannel: z.record(z.enum(CHANNELS), MetricFigures),
  byCategory: z.record(z.enum(CATEGORIES), MetricFigures),
  /**
   * Complaints received in the window whose customer (linked keys as one) had another complaint in the
   * 90 days before, over the window's complaints that have a customer key; `null` when none has one.
   */
  repeatComplaintRate: z.optional(Ratio),
  repeatComplaints: z.optional(z.object({ repeat: z.number().check(z.int()), withCustomer: z.number().check(z.int()) })),
});
export type Metrics = z.infer<typeof Metrics>;

/** RFC 9457 problem details, as every error answers. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().check(z.int()),
  detail: z.optional(z.string()),
  instance: z.optional(z.string()),
  errors: z.optional(z.array(z.object({ field: z.string(), message: z.string() }))),
  allowed: z.optional(z.array(z.string())),
  currentVersion: z.optional(z.number().check(z.int())),
  /** 422: the complaint's size now, and the ceiling the refused action's entries may fill (DynamoDB bytes). */
  itemBytes: z.optional(z.number().check(z.int())),
  limitBytes: z.optional(z.number().check(z.int())),
});

/** GET /admin/customers/{customerKey} */
export const CustomerHistoryQuery = z.object({ limit: Limit, cursor: z.optional(Cursor) });
export type CustomerHistoryQuery = z.infer<typeof CustomerHistoryQuery>;

/** POST /admin/customers/{customerKey}/links: the other key, to be the same customer. */
export const CustomerLinkBody = z.object({ customerKey: CustomerKey });
export type CustomerLinkBody = z.infer<typeof CustomerLinkBody>;

/** A link as the admin API shows it, from the key asked about: the other key, who linked them and when. */
export const CustomerLinkView = z.object({
  customerKey: CustomerKey,
  linkedBy: z.string(),
  linkedAt: z.iso.datetime(),
  reason: z.enum(['supervisor', 'key-rotation']),
});

/** One audited link change of the key asked about. */
export const CustomerLinkAudit = z.object({
  at: z.iso.datetime(),
  action: z.enum(['linked', 'unlinked']),
  otherKey: CustomerKey,
  actor: z.string(),
});

/** A customer's links: every key that is this customer (the key asked about first), and its own links. */
export const CustomerLinks = z.object({
  customerKey: CustomerKey,
  /** Every key of this customer, following links transitively; the key asked about first. */
  keys: z.array(CustomerKey),
  links: z.array(CustomerLinkView),
  /** The key's link changes (linked, unlinked), newest first, at most 50. */
  audit: z.array(CustomerLinkAudit),
});

/** GET /admin/customers/{customerKey}: the customer's items newest first, with counts over every linked key. */
export const CustomerHistory = z.extend(CustomerLinks, {
  counts: z.object({
    /** The customer's complaints not resolved now. */
    openComplaints: z.number().check(z.int()),
    /** The customer's complaints received in the last 90 days. */
    complaints90d: z.number().check(z.int()),
    /** True when a key has more items than the counts read (5,000 per key): the counts are then lower bounds. */
    truncated: z.boolean(),
  }),
  items: z.array(FeedbackView),
  nextCursor: z.optional(z.string()),
});
export type CustomerHistory = z.infer<typeof CustomerHistory>;
