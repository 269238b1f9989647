/**
 * The events Redress publishes on EventBridge (source `redress`). The detail never carries the customer's
 * text or contact details: only ids, classification and clock facts. JSON Schemas for consumers are
 * generated from these into schemas/json/.
 */
import * as z from 'zod';
import { Category, Channel, Kind, Severity, Source } from './feedback.ts';

export const EVENT_SOURCE = 'redress';
export const SCHEMA_VERSION = 1;

export const EVENT_TYPES = [
  'Feedback.Received',
  'Complaint.Opened',
  'Complaint.SlaWarning',
  'Complaint.SlaBreached',
  'Complaint.Escalated',
  'Complaint.Responded',
  'Complaint.Resolved',
  'Complaint.Reopened',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

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
  assignee: z.string().nullable(),
  schemaVersion: z.literal(SCHEMA_VERSION),
});

export const FeedbackReceivedDetail = BaseDetail;
export const ComplaintDetail = BaseDetail.extend({ complaintId: z.string(), status: z.string() });
export const ClockEventDetail = ComplaintDetail.extend({
  clock: z.string(),
  dueAt: z.iso.datetime(),
  escalationLevel: z.number().int().min(0),
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
  escalationLevel: z.number().int().min(1),
  occurredAt: z.string(),
  schemaVersion: z.literal(SCHEMA_VERSION),
  fallback: z.literal(true),
});

/** The detail schema of each event type. */
export const EVENT_DETAIL_SCHEMAS: Record<EventType, z.ZodType> = {
  'Feedback.Received': FeedbackReceivedDetail,
  'Complaint.Opened': ComplaintDetail,
  'Complaint.SlaWarning': ClockEventDetail,
  'Complaint.SlaBreached': z.union([ClockEventDetail, ClockFallbackDetail]),
  'Complaint.Escalated': z.union([ClockEventDetail, ClockFallbackDetail]),
  'Complaint.Responded': ComplaintDetail,
  'Complaint.Resolved': ComplaintDetail,
  'Complaint.Reopened': ComplaintDetail,
};
