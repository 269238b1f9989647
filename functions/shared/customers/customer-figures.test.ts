import { describe, expect, it } from 'vitest';
import { customerCounts, previousComplaints90d, repeatComplaints, type CustomerFact } from './customer-figures.ts';

const DAY = 86_400_000;
const at = (days: number) => new Date(Date.UTC(2027, 3, 1) + days * DAY).toISOString();
const complaint = (id: string, days: number, status: CustomerFact['status'] = 'open'): CustomerFact => ({ id, kind: 'complaint', receivedAt: at(days), status });

describe('previousComplaints90d', () => {
  it('counts complaints in the 90 days before the item, not the item, later ones or other kinds', () => {
    const history = [complaint('a', -90), complaint('b', -10), complaint('c', 0), complaint('d', 5), { id: 'e', kind: 'praise', receivedAt: at(-3) } as CustomerFact, complaint('f', -91)];

    expect(previousComplaints90d({ id: 'c', receivedAt: at(0) }, history)).toBe(2);
  });

  it('counts one of two complaints received at the same instant, once', () => {
    const history = [complaint('a', 0), complaint('b', 0)];

    expect([previousComplaints90d({ id: 'a', receivedAt: at(0) }, history), previousComplaints90d({ id: 'b', receivedAt: at(0) }, history)]).toEqual([0, 1]);
  });
});

describe('customerCounts', () => {
  it('counts open complaints of any age and complaints of the last 90 days', () => {
    const history = [complaint('a', -200), complaint('b', -30, 'resolved'), complaint('c', -1, 'responded'), { id: 'd', kind: 'inquiry', receivedAt: at(-1), status: 'received' } as CustomerFact];

    expect(customerCounts(history, at(0))).toEqual({ openComplaints: 2, complaints90d: 2, items: 4 });
  });
});

describe('repeatComplaints', () => {
  const window = { from: at(0), to: at(30) };

  it('rates the window complaints whose customer complained in the 90 days before', () => {
    const prior = [
      { id: 'p1', receivedAt: at(-80), customer: 'A' },
      { id: 'w1', receivedAt: at(1), customer: 'A' },
      { id: 'w2', receivedAt: at(2), customer: 'B' },
      { id: 'w3', receivedAt: at(3), customer: 'B' },
      { id: 'p2', receivedAt: at(-100), customer: 'C' },
      { id: 'w4', receivedAt: at(4), customer: 'C' },
    ];

    expect(repeatComplaints(prior, window)).toEqual({ repeat: 2, withCustomer: 4, rate: 0.5 });
  });

  it('is null without keyed complaints in the window', () => {
    expect(repeatComplaints([{ id: 'p', receivedAt: at(-1), customer: 'A' }], window).rate).toBeNull();
  });
});
