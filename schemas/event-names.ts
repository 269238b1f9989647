/**
 * The names and version of the events Redress publishes, without their schemas (schemas/events.ts): the
 * Lambdas that publish events need only these, and importing them from here keeps the event schemas out
 * of their bundles and their initialisation.
 */
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
  'Complaint.ClockExtended',
  'Complaint.CustomerNoticeRequired',
  'Complaint.SummaryResolutionRequired',
  'Complaint.ClockPaused',
  'Complaint.ClockResumed',
  'Complaint.SatisfactionRequested',
  'Complaint.Rated',
  'Reply.Sent',
  'Reply.Delivered',
  'Reply.Failed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
