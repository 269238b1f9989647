import { describe, expect, it } from 'vitest';
import type { FeedbackItem } from '../../../schemas/feedback.ts';
import { applyCommand } from '../lifecycle/state-machine.ts';
import { computeMetrics, percentile } from './metrics.ts';
import { complaintFixture } from '../../admin/test-fixtures.ts';

const H = 3_600_000;
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
const act = (item: FeedbackItem, type: 'respond' | 'resolve' | 'rate', at: string): FeedbackItem => {
  const command =
    type === 'respond' ? { type, message: 'Sorry.', via: 'phone' as const, replyId: 'rp_test' } : type === 'resolve' ? { type, outcome: 'upheld' as const, summary: 'Refunded.' } : { type, score: 4 };
  return applyCommand(item, command, { actor: 'sup-1', at }).item;
};

describe('computeMetrics', () => {
  // A hand-worked week: every figure below is computed by hand from these seven items.
  const r1 = '2026-03-02T09:00:00.000Z';
  const r2 = '2026-03-03T09:00:00.000Z';
  const r7 = '2026-03-07T23:00:00.000Z';
  const answeredMet = act(act(act(complaintFixture({ receivedAt: r1, channel: 'web' }), 'respond', plus(r1, H)), 'resolve', plus(r1, 2 * H)), 'rate', plus(r1, 3 * H));
  const answeredLate = act(complaintFixture({ receivedAt: r2, channel: 'mobile', source: 'mobile' }), 'respond', plus(r2, 30 * H));
  const neverAnswered = complaintFixture({ receivedAt: '2026-03-04T09:00:00.000Z', channel: 'hotline', source: 'hotline', category: 'waiting_time' });
  const inquiry = complaintFixture({ receivedAt: '2026-03-05T09:00:00.000Z', kind: 'inquiry', status: 'received', category: 'other' });
  const praise = complaintFixture({ receivedAt: '2026-03-06T09:00:00.000Z', kind: 'praise', status: 'received', channel: 'social', source: 'x', category: 'other' });
  const outside = complaintFixture({ receivedAt: '2026-03-09T09:00:00.000Z' });
  const noClocks = act(complaintFixture({ receivedAt: r7, channel: 'web' }, { clocks: false }), 'respond', plus(r7, 2 * H));
  const items = [answeredMet, answeredLate, neverAnswered, inquiry, praise, outside, noClocks];
  const metrics = computeMetrics(items, { from: '2026-03-01T00:00:00.000Z', to: '2026-03-08T00:00:00.000Z' }, '2026-03-10T00:00:00.000Z', 24 * H);

  it('totals', () => {
    expect(metrics.totals).toEqual({
      feedback: 6,
      complaints: 4,
      inquiries: 1,
      suggestions: 0,
      praise: 1,
      complaintShare: 4 / 6,
      digitalShare: 4 / 6,
      firstResponse: { met: 2, breached: 2, pending: 0, compliance: 0.5, medianSeconds: 7200, p90Seconds: 108_000 },
      responded: 3,
      resolved: 1,
      resolutionRate: 0.25,
      escalations: 2,
      satisfaction: { count: 1, mean: 4 },
      satisfactionBySource: { customer: { count: 0, mean: null }, handler: { count: 1, mean: 4 } },
    });
  });

  it('reports customer-given and handler-recorded scores apart', () => {
    const at = '2026-03-02T09:00:00.000Z';
    const resolved = (score: number, source?: 'customer') =>
      applyCommand(act(complaintFixture({ receivedAt: at }), 'resolve', plus(at, H)), { type: 'rate', score, ...(source ? { source } : {}) }, { actor: source ?? 'sup-1', at: plus(at, 2 * H) }).item;
    const m = computeMetrics([resolved(5, 'customer'), resolved(3, 'customer'), resolved(2)], { from: '2026-03-01T00:00:00.000Z', to: '2026-03-08T00:00:00.000Z' }, '2026-03-10T00:00:00.000Z', 24 * H);
    expect(m.totals.satisfaction).toEqual({ count: 3, mean: 10 / 3 });
    expect(m.totals.satisfactionBySource).toEqual({ customer: { count: 2, mean: 4 }, handler: { count: 1, mean: 2 } });
  });

  it('slices by channel and category, with null where a figure is undefined', () => {
    expect(metrics.byChannel.web).toMatchObject({ feedback: 3, complaints: 2, digitalShare: 1, firstResponse: { met: 2, breached: 0, compliance: 1 } });
    expect(metrics.byChannel.social).toMatchObject({ feedback: 1, complaints: 0, praise: 1, complaintShare: 0, digitalShare: 0, resolutionRate: null, firstResponse: { compliance: null, medianSeconds: null, p90Seconds: null }, satisfaction: { count: 0, mean: null } });
    expect(metrics.byCategory.waiting_time).toMatchObject({ complaints: 1, firstResponse: { breached: 1, pending: 0 }, escalations: 1 });
    expect(Object.keys(metrics.byCategory)).toHaveLength(11);
    expect(Object.keys(metrics.byChannel)).toEqual(['hotline', 'web', 'mobile', 'social']);
  });

  it('counts an item once even if it is read twice', () => {
    const twice = computeMetrics([...items, answeredMet], { from: metrics.from, to: metrics.to }, '2026-03-10T00:00:00.000Z', 24 * H);
    expect(twice.totals.feedback).toBe(6);
  });

  it('an unanswered complaint before its due time is pending', () => {
    const fresh = complaintFixture({ receivedAt: '2026-03-09T23:00:00.000Z' });
    const m = computeMetrics([fresh], { from: '2026-03-09T00:00:00.000Z', to: '2026-03-10T00:00:00.000Z' }, '2026-03-10T00:00:00.000Z', 24 * H);
    expect(m.totals.firstResponse).toMatchObject({ pending: 1, met: 0, breached: 0, compliance: null });
  });

  it('percentile is nearest-rank', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([5], 0.9)).toBe(5);
    expect(percentile([4, 1, 3, 2], 0.5)).toBe(2);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
  });
});
