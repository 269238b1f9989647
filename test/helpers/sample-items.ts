/** Sample items and the events they produce, for schema and contract tests. */
import type { FeedbackItem } from '../../schemas/feedback.ts';
import { checkClock, openComplaintClocks } from '../../functions/shared/clocks/complaint-clocks.ts';
import { loadClockPolicy } from '../../functions/shared/clocks/policy.ts';
import { initialOutbox } from '../../functions/shared/pipeline/feedback-item.ts';
import type { DomainEvent } from '../../functions/shared/ports/event-bus.ts';

export function sampleComplaint(overrides: Partial<FeedbackItem> = {}): FeedbackItem {
  return {
    id: 'fb_sample', kind: 'complaint', channel: 'web', source: 'web', externalId: 'msg_1', receivedAt: '2026-11-28T09:30:00.000Z',
    language: 'en', text: 'I was charged twice', customer: { id: 'c-1' }, category: 'fees_pricing', severity: 'medium', sentiment: -0.5,
    classification: { confidence: 0.9, reasons: ['charged twice'], codes: { jrt0169: { channel: '01', business: '02', reason: '03' } } },
    status: 'open', assignee: null, clocks: [], timeline: [], satisfaction: null, version: 1, ...overrides,
  };
}

/** Every event a new complaint's life produces without a handler: received, opened, warning, breach, escalation. */
export function eventsForNewItem(): DomainEvent[] {
  const { item } = openComplaintClocks(sampleComplaint(), loadClockPolicy({ REDRESS_SLA_FIRST_RESPONSE: 'PT1H' }));
  const events = initialOutbox(item).flatMap((e) => (e.kind === 'event' ? [e.event] : []));
  const late = checkClock(item, 'first_response', 'escalate', '2026-11-28T12:00:00.000Z');
  return [...events, ...late.events];
}
