/** Pure construction of stored items and of the events they owe. */
import type { Classification, FeedbackItem, FeedbackMessage, Triage } from '../../../schemas/feedback.ts';
import { domainEvent } from '../events/domain-events.ts';
import type { OutboxEntry } from '../ports/feedback-repository.ts';

/**
 * A new item from a queued message and its classification. Complaints open; other kinds are just received.
 * An item the triage policy holds back (`triage`, triage-policy.ts) waits in triage for a handler to settle its kind.
 */
export function buildFeedbackItem(message: FeedbackMessage, classification: Classification, triage?: Triage): FeedbackItem {
  const isComplaint = classification.kind === 'complaint';
  return {
    id: message.id,
    kind: classification.kind,
    channel: message.channel,
    source: message.source,
    externalId: message.externalId,
    receivedAt: message.receivedAt,
    ...(message.occurredAt ? { occurredAt: message.occurredAt } : {}),
    language: classification.language,
    text: message.text,
    ...(message.subject ? { subject: message.subject } : {}),
    ...(message.rating !== undefined ? { rating: message.rating } : {}),
    customer: message.customer,
    ...(message.context ? { context: message.context } : {}),
    ...(message.attachments ? { attachments: message.attachments } : {}),
    ...(message.platform ? { platform: message.platform } : {}),
    ...(message.customerKey ? { customerKey: message.customerKey } : {}),
    ...(message.customerAliases?.length ? { customerAliases: message.customerAliases } : {}),
    category: classification.category,
    severity: classification.severity,
    sentiment: classification.sentiment,
    classification: {
      confidence: classification.confidence,
      reasons: classification.reasons,
      codes: classification.codes,
      // The calibrated fields, kept so a handler (and a later evaluation) sees why the item was or was not triaged.
      ...(classification.probabilities ? { probabilities: classification.probabilities } : {}),
      ...(classification.negative !== undefined ? { negative: classification.negative } : {}),
      ...(classification.supportedLanguage !== undefined ? { supportedLanguage: classification.supportedLanguage } : {}),
    },
    status: isComplaint ? 'open' : 'received',
    assignee: null,
    clocks: [],
    timeline: [{ at: message.receivedAt, type: 'received', actor: `channel:${message.source}`, data: { kind: classification.kind, ...(triage ? { triage: triage.reason } : {}) } }],
    satisfaction: null,
    ...(triage ? { triage } : {}),
    version: 1,
  };
}

/** What a new item owes: every item announces itself; a complaint also opens. */
export function initialOutbox(item: FeedbackItem): OutboxEntry[] {
  const events = [domainEvent(item, 'Feedback.Received', item.receivedAt)];
  if (item.kind === 'complaint') events.push(domainEvent(item, 'Complaint.Opened', item.receivedAt));
  return events.map((event) => ({ kind: 'event', event }));
}
