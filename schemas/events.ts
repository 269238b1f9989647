/**
 * The events Redress publishes on EventBridge (source `redress`). The detail never carries the customer's
 * text or contact details: only ids, classification and clock facts. JSON Schemas for consumers are
 * generated from these into schemas/json/.
 */
import * as z from 'zod/mini';
import './zod-locale.ts';
import { SCHEMA_VERSION, type EventType } from './event-names.ts';
import { Category, Channel, Kind, REPLY_PURPOSES, Severity, Source } from './feedback.ts';

// The names live in a zod-free module so Lambdas that only publish events do not build these schemas at init.
export { EVENT_SOURCE, EVENT_TYPES, SCHEMA_VERSION, type EventType } from './event-names.ts';

/** Fields every event detail carries. */
export const BaseDetail = z.object({
  /** Deterministic per state change: consumers drop repeats by it. */
  eventId: z.string(),
  feedbackId: z.string(),
  occurredAt: z.iso.datetime(),
  kind: Kind,
  category: Category,
  severity: Severity,
  language: z.string(),
  source: Source,
  channel: Channel,
  assignee: z.nullable(z.string()),
  schemaVersion: z.literal(SCHEMA_VERSION),
});

export const FeedbackReceivedDetail = BaseDetail;
export const ComplaintDetail = z.extend(BaseDetail, { complaintId: z.string(), status: z.string() });
export const ClockEventDetail = z.extend(ComplaintDetail, {
  clock: z.string(),
  dueAt: z.iso.datetime(),
  escalationLevel: z.number().check(z.int(), z.minimum(0)),
});

/** A regulatory resolution clock was extended (China `complex` / `approved`, UK `holding_reply`). */
export const ClockExtendedDetail = z.extend(ComplaintDetail, {
  clock: z.string(),
  /** The extension reason the clock's rule offers. */
  reason: z.string(),
  /** The due time before the extension. */
  previousDueAt: z.iso.datetime(),
  dueAt: z.iso.datetime(),
  /** The clock's escalation level right after the extension (0 when the new due time is still ahead). */
  escalationLevel: z.number().check(z.int(), z.minimum(0)),
});

/**
 * The customer must be told about an extension (China's approved +30 days; the UK holding reply to 35
 * business days). Consumers (correspondence systems) send the notice; Redress only announces the duty.
 */
export const CustomerNoticeRequiredDetail = z.extend(ComplaintDetail, {
  clock: z.string(),
  reason: z.string(),
  /** The new due time the notice tells the customer about. */
  dueAt: z.iso.datetime(),
});

/** UK DISP 1.5: a complaint resolved by the end of the third business day after receipt needs a summary resolution communication. */
export const SummaryResolutionRequiredDetail = z.extend(ComplaintDetail, {
  jurisdiction: z.string(),
  resolvedAt: z.iso.datetime(),
});

/** A resolution clock was paused (China: time on external appraisal is not counted). */
export const ClockPausedDetail = z.extend(ComplaintDetail, {
  clock: z.string(),
  reason: z.string(),
  pausedAt: z.iso.datetime(),
  /** The due time as it stood when paused (it moves by the paused time on resume). */
  dueAt: z.iso.datetime(),
  escalationLevel: z.number().check(z.int(), z.minimum(0)),
});

/** A paused clock resumed: its warn, due and level-2 times moved by exactly the paused time. */
export const ClockResumedDetail = z.extend(ComplaintDetail, {
  clock: z.string(),
  resumedAt: z.iso.datetime(),
  /** Length of the pause that ended, in milliseconds. */
  pausedMs: z.number().check(z.int(), z.minimum(0)),
  previousDueAt: z.iso.datetime(),
  dueAt: z.iso.datetime(),
  escalationLevel: z.number().check(z.int(), z.minimum(0)),
});

/**
 * What the clock state machine announces by itself when the clock check keeps failing (so a breach
 * is never lost): ids and clock facts only, marked `fallback`. The sweeper reconciles the item later.
 */
export const ClockFallbackDetail = z.object({
  eventId: z.string(),
  feedbackId: z.string(),
  complaintId: z.string(),
  clock: z.string(),
  dueAt: z.iso.datetime(),
  escalationLevel: z.number().check(z.int(), z.minimum(1)),
  occurredAt: z.string(),
  schemaVersion: z.literal(SCHEMA_VERSION),
  fallback: z.literal(true),
});

/**
 * A complaint was resolved and its customer is asked to rate the resolution (issue 16): the survey link
 * (an opaque signed token, valid until `expiresAt`). Redress sends the request itself as a reply on the
 * item (`purpose: "ratingRequest"`): `replyId` names it; `notSent` says why none was sent (the channel
 * has no reply credentials, or its window is closed), the link staying valid. Never the text. No PII.
 */
export const SatisfactionRequestedDetail = z.extend(ComplaintDetail, {
  surveyUrl: z.url(),
  expiresAt: z.iso.datetime(),
  resolvedAt: z.iso.datetime(),
  /** On messaging channels a bare 1–5 reply inside the window is taken as the rating. */
  replyWithRating: z.boolean(),
  /** `zh` or `en`: the language the request is written in. */
  messageLanguage: z.enum(['zh', 'en']),
  /** The reply carrying the request (its Reply.* events follow it). */
  replyId: z.optional(z.string()),
  /** Why no request was sent: `reply_channel_not_configured` or the platform window's rule (`whatsapp_24h_customer_service`…). */
  notSent: z.optional(z.string()),
});

/** A resolution was rated: the score and who gave it (the customer's comment stays on the item). */
export const RatedDetail = z.extend(ComplaintDetail, {
  score: z.number().check(z.int(), z.minimum(1), z.maximum(5)),
  /** `satisfaction.source`: the customer (survey link, "reply 1–5") or a handler who recorded it. */
  ratedBy: z.enum(['customer', 'handler']),
  ratedAt: z.iso.datetime(),
});

/**
 * A reply to the customer changed status: the platform took it (`Reply.Sent`), reported it delivered or
 * read (`Reply.Delivered`, status `delivered` or `read`), or it failed (`Reply.Failed`, with the platform's
 * error code). `purpose` tells a handler's response from Redress's rating request. Never the reply's text.
 */
export const ReplyDetail = z.extend(BaseDetail, {
  replyId: z.string(),
  /** `response` (a handler's reply) or `ratingRequest` (the rating request Redress sends on resolution). */
  purpose: z.enum(REPLY_PURPOSES),
  status: z.enum(['sent', 'delivered', 'read', 'failed']),
  via: z.string(),
  errorCode: z.optional(z.string()),
  /** Who made the reply: a handler's user id, or `faq` for an automatic FAQ answer. */
  actor: z.optional(z.string()),
  /** The FAQ entry the reply answered with, when it was one (its id, never its text). */
  faqId: z.optional(z.string()),
});

/** The detail schema of each event type. */
export const EVENT_DETAIL_SCHEMAS: Record<EventType, z.ZodMiniType> = {
  'Feedback.Received': FeedbackReceivedDetail,
  'Complaint.Opened': ComplaintDetail,
  'Complaint.SlaWarning': ClockEventDetail,
  'Complaint.SlaBreached': z.union([ClockEventDetail, ClockFallbackDetail]),
  'Complaint.Escalated': z.union([ClockEventDetail, ClockFallbackDetail]),
  'Complaint.Responded': ComplaintDetail,
  'Complaint.Resolved': ComplaintDetail,
  'Complaint.Reopened': ComplaintDetail,
  'Complaint.ClockExtended': ClockExtendedDetail,
  'Complaint.CustomerNoticeRequired': CustomerNoticeRequiredDetail,
  'Complaint.SummaryResolutionRequired': SummaryResolutionRequiredDetail,
  'Complaint.ClockPaused': ClockPausedDetail,
  'Complaint.ClockResumed': ClockResumedDetail,
  'Complaint.SatisfactionRequested': SatisfactionRequestedDetail,
  'Complaint.Rated': RatedDetail,
  'Reply.Sent': ReplyDetail,
  'Reply.Delivered': ReplyDetail,
  'Reply.Failed': ReplyDetail,
};
