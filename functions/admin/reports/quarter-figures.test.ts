import { describe, expect, it } from 'vitest';
import { HandlerFigures, QuarterFigures } from '../../../schemas/reports.ts';
import { computeQuarter, createQuarterTally } from './quarter-figures.ts';
import { quarterWindow } from '../../shared/reports/quarters.ts';
import { reportFactsOf, type ReportItem } from '../../shared/reports/report-facts.ts';
import { quarterItems } from './report-test-items.ts';

const H = 3_600_000;
const ZONE = 'Asia/Shanghai';
const NOW = '2027-04-15T00:00:00.000Z';
const items = quarterItems();
const all = Object.values(items);
const inputs = { window: quarterWindow('2027-Q1', ZONE), now: NOW, firstResponseTargetMs: 24 * H, customerBase: { activeCustomers: 20_000, digitalActiveCustomers: 9_000 } };
const { figures, handlers } = computeQuarter(all, inputs);

// Every expectation below is worked out by hand from report-test-items.ts.
describe('a quarter computed from a hand-made set of items (2027-Q1, Beijing time)', () => {
  it('counts the items received in the quarter by kind: 23:30 on 31 March is Q1, 00:30 on 1 April is not', () => {
    // c1 c2 c5 c6 c8, i1 i2, p1, s1 (c3 is Q2, c4 Q4 2026, c7 Q3 2026).
    expect(figures).toMatchObject({ feedback: 9, complaints: 5, inquiries: 2, suggestions: 1, praise: 1, complaintShare: 5 / 9, digitalShare: 5 / 9 });
  });

  it('complaint rate per 10,000 active customers and digital usage from the customer base', () => {
    expect(figures.complaintRate).toBe((5 / 20_000) * 10_000);
    expect(figures.digitalUsage).toBe(0.45);
    expect(figures.customerBase).toEqual({ activeCustomers: 20_000, digitalActiveCustomers: 9_000 });
  });

  it('first-response compliance and times of the complaints received in it, judged now', () => {
    // met: c1 (1 h), c2 (18.5 h, in Q2); breached: c6 (30 h), c5 and c8 (never answered).
    expect(figures.firstResponse).toEqual({ met: 2, breached: 3, pending: 0, compliance: 0.4, medianSeconds: 18.5 * 3600, p90Seconds: 30 * 3600 });
    expect(figures.responded).toBe(3);
  });

  it('resolution rate and time: received in the quarter, resolved now (by their current resolution)', () => {
    // c1 after 48 h, c2 after 32.5 h (in Q2), c6 after 96 h (carol's resolution).
    expect(figures.resolved).toBe(3);
    expect(figures.resolutionRate).toBe(0.6);
    expect(figures.resolutionTime).toEqual({ medianSeconds: 48 * 3600, p90Seconds: 96 * 3600 });
  });

  it('escalations: complaints received in it with a clock at level 1 or more', () => {
    expect(figures.escalations).toBe(3); // c5, c6, c8
  });

  it('satisfaction follows the ratings given in the quarter, customers and handlers apart', () => {
    // customer: c1 5, c4 2 (received in Q4 2026, rated in Q1); handler: carol's 3 on c6.
    expect(figures.satisfaction.customer).toEqual({ count: 2, mean: 3.5, distribution: { 1: 0, 2: 1, 3: 0, 4: 0, 5: 1 } });
    expect(figures.satisfaction.handler).toEqual({ count: 1, mean: 3, distribution: { 1: 0, 2: 0, 3: 1, 4: 0, 5: 0 } });
  });

  it('handler throughput: resolutions made in the quarter per handler-day', () => {
    // Made in Q1: c1 (alice), c4 (alice), c6 (carol; bob's earlier one was reopened). c2's is in Q2.
    // Days: alice 5 Jan, 7 Jan, 10 Jan, 31 Mar (the 00:15 note on 1 April is Q2); bob 11, 12 Feb; carol 13, 14 Feb.
    expect(figures.resolutionsMade).toBe(3);
    expect(figures.handlerDays).toBe(8);
    expect(figures.handlerThroughput).toBe(3 / 8);
  });

  it('repeat complaints: another complaint from the same customer in the 90 days before', () => {
    // With a key: c1 (first of k1), c2 (c1 85.5 days before), c5 (c4 43 days before), c6 (c7 is 162 days before).
    expect(figures.repeatComplaints).toEqual({ count: 2, withCustomer: 4, rate: 0.5 });
  });

  it('the intake rating on its own scale, by source, and the inquiries the FAQ answered', () => {
    expect(figures.intakeRating).toEqual({ count: 2, mean: 6, bySource: { mobile: { count: 1, mean: 4 }, web: { count: 1, mean: 8 } } });
    expect(figures.inquiriesAnsweredAutomatically).toBe(1);
    expect(figures.autoAnswerRate).toBe(0.5);
  });

  it('matches the answer schema', () => {
    expect(QuarterFigures.safeParse(figures).success).toBe(true);
    for (const h of handlers) expect(HandlerFigures.safeParse(h).success).toBe(true);
  });
});

describe('per-handler figures', () => {
  const byId = Object.fromEntries(handlers.map((h) => [h.handler, h]));

  it('lists every handler who acted in the quarter, by id', () => {
    expect(handlers.map((h) => h.handler)).toEqual(['alice', 'bob', 'carol']);
  });

  it('alice: three complaints handled, two first responses (one within target), two resolved, rated 5 and 2', () => {
    expect(byId.alice).toEqual({
      handler: 'alice',
      complaintsHandled: 3, // c1, c4, c5
      firstResponses: 2, // c1 (1 h), c4 (resolved without a response, 21 days after receipt)
      firstResponsesWithinTarget: 1,
      firstResponseCompliance: 0.5,
      medianFirstResponseSeconds: 3600,
      resolved: 2,
      reopened: 0,
      handlerDays: 4,
      throughput: 0.5,
      customerSatisfaction: { count: 2, mean: 3.5 },
    });
  });

  it('bob: a late first response, and a resolution that was reopened (c2 is all Q2)', () => {
    expect(byId.bob).toMatchObject({ complaintsHandled: 1, firstResponses: 1, firstResponsesWithinTarget: 0, medianFirstResponseSeconds: 30 * 3600, resolved: 0, reopened: 1, handlerDays: 2, throughput: 0 });
  });

  it("carol: the resolution that stands; a handler's own score is not customer satisfaction", () => {
    expect(byId.carol).toMatchObject({ complaintsHandled: 1, firstResponses: 0, firstResponseCompliance: null, medianFirstResponseSeconds: null, resolved: 1, reopened: 0, handlerDays: 2, customerSatisfaction: { count: 0, mean: null } });
  });
});

describe('null where inputs are missing, and robustness', () => {
  it('without a customer base, complaint rate and digital usage are null', () => {
    const { figures: f } = computeQuarter(all, { ...inputs, customerBase: null });
    expect(f.complaintRate).toBeNull();
    expect(f.digitalUsage).toBeNull();
    expect(f.customerBase).toBeNull();
  });

  it('with no active customers, they are null rather than infinite', () => {
    const { figures: f } = computeQuarter(all, { ...inputs, customerBase: { activeCustomers: 0, digitalActiveCustomers: 0 } });
    expect(f.complaintRate).toBeNull();
    expect(f.digitalUsage).toBeNull();
  });

  it('an empty quarter: counts 0, every ratio and statistic null', () => {
    const { figures: f, handlers: h } = computeQuarter([], inputs);
    expect(f).toMatchObject({ feedback: 0, complaintShare: null, resolutionRate: null, handlerThroughput: null, autoAnswerRate: null, repeatComplaints: { rate: null }, resolutionTime: { medianSeconds: null } });
    expect(f.satisfaction.customer.mean).toBeNull();
    expect(h).toEqual([]);
  });

  it('without customer keys, the repeat complaint rate is null', () => {
    const keyless = all.map(({ customerKey: _k, ...rest }) => rest as ReportItem);
    expect(computeQuarter(keyless, inputs).figures.repeatComplaints).toEqual({ count: 0, withCustomer: 0, rate: null });
  });

  it('prior complaints (id, receipt, key) count for repeats only, and only within the 90 days before', () => {
    const tally = createQuarterTally(inputs);
    const { c4, c7, ...rest } = items;
    for (const item of Object.values(rest)) tally.add(item);
    for (const prior of [c4, c7]) tally.addPrior({ id: prior.id, receivedAt: prior.receivedAt, customerKey: prior.customerKey! });
    const f = tally.figures();
    expect(f.repeatComplaints).toEqual({ count: 2, withCustomer: 4, rate: 0.5 }); // c5 through c4 as before; c7 is too early
    expect(f.satisfaction.customer.count).toBe(1); // c4's rating needs the item itself
  });

  it('a prior copy of an item fed in full changes nothing', () => {
    const tally = createQuarterTally(inputs);
    tally.addPrior({ id: items.c4.id, receivedAt: items.c4.receivedAt, customerKey: 'k2' });
    for (const item of all) tally.add(item);
    expect(tally.figures()).toEqual(figures);
  });

  it('a complaint fed twice (a read racing a write) counts once, the first copy winning', () => {
    const tally = createQuarterTally(inputs);
    const complaints = all.filter((i) => i.kind === 'complaint');
    const later = { ...items.c5, status: 'resolved' as const };
    for (const item of [...all, ...complaints, later]) tally.add(item);
    expect(tally.figures()).toEqual(figures);
    expect(tally.handlers()).toEqual(handlers);
  });

  it('stored report facts give the same figures as facts derived from timelines', () => {
    const projected = all.map(({ timeline, ...rest }) => ({ ...rest, reportFacts: reportFactsOf({ kind: rest.kind, receivedAt: rest.receivedAt, timeline: timeline ?? [], satisfaction: rest.satisfaction }) }));
    expect(computeQuarter(projected, inputs)).toEqual({ figures, handlers });
  });
});
