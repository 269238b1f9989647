/**
 * Domain events: the event an item's state change owes, with its deterministic id and the detail every
 * event about an item carries. Shared by the lifecycle, the clocks, replies and the pipeline, so it
 * belongs to none of them (clocks/ and pipeline/ used to import each other through it).
 */
import type { FeedbackItem } from '../../../schemas/feedback.ts';
import { SCHEMA_VERSION, type EventType } from '../../../schemas/event-names.ts';
import type { DomainEvent } from '../ports/event-bus.ts';

/** The event detail common to every event about this item (ids and classification, never text or contact). */
export function eventDetail(item: FeedbackItem, type: EventType, occurredAt: string, qualifier?: string): Record<string, unknown> {
  const eventId = eventIdFor(item.id, type, qualifier);
  const base = {
    eventId,
    feedbackId: item.id,
    occurredAt,
    kind: item.kind,
    category: item.category,
    severity: item.severity,
    language: item.language,
    source: item.source,
    channel: item.channel,
    assignee: item.assignee,
    schemaVersion: SCHEMA_VERSION,
  };
  return type.startsWith('Complaint.') ? { ...base, complaintId: item.id, status: item.status } : base;
}

/** `<feedbackId>:<type>[:<qualifier>]`: the same state change always yields the same event id. */
export function eventIdFor(feedbackId: string, type: EventType, qualifier?: string): string {
  return qualifier ? `${feedbackId}:${type}:${qualifier}` : `${feedbackId}:${type}`;
}

/** The event for one state change of an item, with its deterministic id. */
export function domainEvent(item: FeedbackItem, type: EventType, occurredAt: string, qualifier?: string): DomainEvent {
  return { id: eventIdFor(item.id, type, qualifier), detailType: type, time: occurredAt, detail: eventDetail(item, type, occurredAt, qualifier) };
}
