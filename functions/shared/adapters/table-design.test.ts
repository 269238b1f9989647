import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../schemas/feedback.ts';
import { indexAttributes, queueSortKey } from './table-design.ts';

const clock = (dueAt: string, state: Clock['state'] = 'running'): Clock => ({ name: 'first_response', dueAt, state, escalationLevel: 0 });

describe('queueSortKey', () => {
  it('orders clocked complaints by their earliest running due time, then unclocked ones newest first', () => {
    const keys = [
      queueSortKey({ id: 'fb_a', receivedAt: '2026-11-28T09:00:00Z', clocks: [] }),
      queueSortKey({ id: 'fb_b', receivedAt: '2026-11-28T10:00:00Z', clocks: [] }),
      queueSortKey({ id: 'fb_c', receivedAt: '2026-11-28T09:00:00Z', clocks: [clock('2026-11-29T12:00:00Z'), clock('2026-11-29T08:00:00Z')] }),
      queueSortKey({ id: 'fb_d', receivedAt: '2026-11-28T09:00:00Z', clocks: [clock('2026-11-29T10:00:00Z')] }),
      queueSortKey({ id: 'fb_e', receivedAt: '2026-11-28T09:00:00Z', clocks: [clock('2026-11-29T01:00:00Z', 'met')] }),
    ];
    const order = [...keys].sort().map((k) => k.split('#').pop());
    // fb_e's only clock is met, so it queues with the unclocked ones (same receivedAt as fb_a).
    expect(order.slice(0, 3)).toEqual(['fb_c', 'fb_d', 'fb_b']);
    expect(new Set(order.slice(3))).toEqual(new Set(['fb_a', 'fb_e']));
  });

  it('keeps an overdue complaint (breached, not yet answered) on top, and drops a clock answered late', () => {
    const overdue = queueSortKey({ id: 'fb_late', receivedAt: '2026-11-28T09:00:00Z', clocks: [clock('2026-11-29T01:00:00Z', 'breached'), clock('2026-12-13T09:00:00Z')] });
    const dueSoon = queueSortKey({ id: 'fb_soon', receivedAt: '2026-11-28T12:00:00Z', clocks: [clock('2026-11-29T12:00:00Z')] });
    expect([dueSoon, overdue].sort()).toEqual([overdue, dueSoon]);
    const answeredLate = queueSortKey({ id: 'fb_x', receivedAt: '2026-11-28T09:00:00Z', clocks: [{ ...clock('2026-11-29T01:00:00Z', 'breached'), stoppedAt: '2026-11-29T03:00:00Z' }, clock('2026-12-13T09:00:00Z')] });
    expect(answeredLate).toBe('0#2026-12-13T09:00:00Z#fb_x');
  });
});

describe('indexAttributes', () => {
  const base = {
    id: 'fb_x', kind: 'complaint' as const, channel: 'web' as const, source: 'web' as const, externalId: 'm', receivedAt: '2026-11-28T09:30:00.000Z',
    language: 'en', text: 't', customer: {}, category: 'other' as const, severity: 'low' as const, sentiment: 0,
    classification: { confidence: 1, reasons: [], codes: { jrt0169: { channel: '', business: '', reason: '' } } },
    status: 'open' as const, assignee: null, clocks: [], timeline: [], satisfaction: null, version: 1,
  };

  it('puts every item in its day, open complaints in the queue, assigned ones under their assignee', () => {
    expect(indexAttributes(base)).toMatchObject({ dayPk: 'DAY#2026-11-28', queuePk: 'OPEN' });
    expect(indexAttributes({ ...base, assignee: 'alice' }).assigneePk).toBe('ASSIGNEE#alice');
    expect(indexAttributes({ ...base, status: 'resolved' }).queuePk).toBeUndefined();
    expect(indexAttributes({ ...base, kind: 'praise', status: 'received' }).queuePk).toBeUndefined();
  });

  it('puts an item in triage on the sparse triage index, soonest due first, and takes it off when triage is gone', () => {
    const inquiry = { ...base, kind: 'inquiry' as const, status: 'received' as const };
    const triaged = indexAttributes({ ...inquiry, triage: { reason: 'negative_not_complaint', dueAt: '2026-11-28T13:30:00.000Z' } });
    expect(triaged).toMatchObject({ triagePk: 'TRIAGE', triageSk: '2026-11-28T13:30:00.000Z#fb_x' });
    expect(indexAttributes(inquiry).triagePk).toBeUndefined();
    expect(indexAttributes(inquiry).triageSk).toBeUndefined();
  });
});

describe('customer index attributes', () => {
  const KEY = `ck1_${'a'.repeat(32)}`;
  const base = { id: 'fb_x', kind: 'complaint', receivedAt: '2027-01-02T03:04:05.000Z', status: 'open', clocks: [], assignee: null } as unknown as Parameters<typeof indexAttributes>[0];

  it('put a keyed complaint in its customer history and in the complaints by day', () => {
    const attrs = indexAttributes({ ...base, customerKey: KEY });

    expect(attrs).toMatchObject({ customerPk: `CUST#${KEY}`, customerSk: '2027-01-02T03:04:05.000Z#fb_x', cdayPk: 'CDAY#2027-01-02', cdaySk: '2027-01-02T03:04:05.000Z#fb_x' });
  });

  it('keep other kinds out of the complaints by day', () => {
    const attrs = indexAttributes({ ...base, kind: 'praise', status: 'received', customerKey: KEY });

    expect(attrs.customerPk).toBe(`CUST#${KEY}`);
    expect(attrs.cdayPk).toBeUndefined();
  });

  it('keep unkeyed items out of both', () => {
    const attrs = indexAttributes(base);

    expect([attrs.customerPk, attrs.cdayPk]).toEqual([undefined, undefined]);
  });
});
