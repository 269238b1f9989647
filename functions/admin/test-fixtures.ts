/** Test fixtures for the admin API and the lifecycle: made-up complaints (no real people's data). */
import type { FeedbackItem } from '../../schemas/feedback.ts';
import { openComplaintClocks } from '../shared/clocks/complaint-clocks.ts';
import { DEFAULT_CLOCK_POLICY, type ClockPolicy } from '../shared/clocks/policy.ts';

let counter = 0;

/**
 * A stored complaint (open, unassigned, version 1) with the clocks of `options.policy` (default: the
 * default policy, jurisdiction cn) unless `clocks: false`.
 */
export function complaintFixture(overrides: Partial<FeedbackItem> = {}, options: { clocks?: boolean; policy?: ClockPolicy } = {}): FeedbackItem {
  counter++;
  const receivedAt = overrides.receivedAt ?? '2026-03-02T09:00:00.000Z';
  const base: FeedbackItem = {
    id: `fb_fixture${counter.toString(36)}`,
    kind: 'complaint',
    channel: 'web',
    source: 'web',
    externalId: `ext-${counter}`,
    receivedAt,
    language: 'en',
    text: 'I want to complain: the fee was charged twice.',
    customer: { id: 'c-0001', name: 'Test Customer', contact: '***@example.com' },
    category: 'fees_pricing',
    severity: 'medium',
    sentiment: -0.6,
    classification: { confidence: 0.9, reasons: ['test'], codes: { jrt0169: { channel: '01', business: '02', reason: '03' } } },
    status: 'open',
    assignee: null,
    clocks: [],
    timeline: [{ at: receivedAt, type: 'received', actor: 'channel:web', data: { kind: 'complaint' } }],
    satisfaction: null,
    version: 1,
    ...overrides,
  };
  if (options.clocks === false || base.kind !== 'complaint') return base;
  return openComplaintClocks(base, options.policy ?? DEFAULT_CLOCK_POLICY).item;
}
