import { describe, expect, it } from 'vitest';
import { CalendarRangeError, ClockOperationError } from './errors.ts';
import {
  ClockPlan,
  clockStateAt,
  extendPlan,
  needsSummaryResolutionCommunication,
  pausePlan,
  planClocks,
  resumePlan,
} from './plan.ts';
import { loadClockPolicy } from './policy.ts';

const at = (start: string, seconds: number) => new Date(Date.parse(start) + seconds * 1_000).toISOString();

function only(plans: ClockPlan[], name: string): ClockPlan {
  const plan = plans.find((p) => p.name === name);
  if (!plan) throw new Error(`no clock ${name} in ${plans.map((p) => p.name).join(', ')}`);
  return plan;
}

function times(plan: ClockPlan) {
  return { warnAt: plan.warnAt, dueAt: plan.dueAt, escalateAt: plan.escalateAt };
}

describe('planClocks: first response', () => {
  it('PT6S warns at 4.8 s, breaches at 6 s and escalates to level 2 at 12 s', () => {
    // Prepare
    const policy = loadClockPolicy({ REDRESS_SLA_FIRST_RESPONSE: 'PT6S', REDRESS_JURISDICTION: 'none' });
    // Act
    const plans = planClocks({ receivedAt: '2026-11-28T09:30:00Z', category: 'fees_pricing', severity: 'medium' }, policy);
    // Assess
    expect(plans.map((p) => p.name)).toEqual(['first_response']);
    expect(plans[0]).toMatchObject({
      startedAt: '2026-11-28T09:30:00.000Z',
      warnAt: '2026-11-28T09:30:04.800Z',
      dueAt: '2026-11-28T09:30:06.000Z',
      escalateAt: '2026-11-28T09:30:12.000Z',
      stoppedBy: ['first_response', 'resolution'],
    });
  });

  it('gives the default 24 hours, as elapsed time even across the London clock change', () => {
    // Act
    const [plan] = planClocks({ receivedAt: '2026-03-28T12:00:00Z', category: 'other', severity: 'low' }, loadClockPolicy({ REDRESS_JURISDICTION: 'uk' }));
    // Assess
    expect(plan && times(plan)).toEqual({
      warnAt: '2026-03-29T07:12:00.000Z',
      dueAt: '2026-03-29T12:00:00.000Z',
      escalateAt: '2026-03-30T12:00:00.000Z',
    });
  });

  it('tightens the target to a quarter for critical severity, and only for critical', () => {
    // Prepare
    const policy = loadClockPolicy({});
    const input = { receivedAt: '2026-11-28T09:30:00Z', category: 'fraud_security' } as const;
    // Act
    const critical = only(planClocks({ ...input, severity: 'critical' }, policy), 'first_response');
    const high = only(planClocks({ ...input, severity: 'high' }, policy), 'first_response');
    // Assess
    expect(critical.target).toEqual({ kind: 'duration', duration: 'PT6H' });
    expect(times(critical)).toEqual({ warnAt: '2026-11-28T14:18:00.000Z', dueAt: '2026-11-28T15:30:00.000Z', escalateAt: '2026-11-28T21:30:00.000Z' });
    expect(high.dueAt).toBe('2026-11-29T09:30:00.000Z');
  });

  it('applies the critical factor to an overridden target (PT6S → 1.5 s)', () => {
    // Act
    const [plan] = planClocks(
      { receivedAt: '2026-11-28T09:30:00Z', category: 'other', severity: 'critical' },
      loadClockPolicy({ REDRESS_SLA_FIRST_RESPONSE: 'PT6S', REDRESS_JURISDICTION: 'none' }),
    );
    // Assess
    expect(plan && times(plan)).toEqual({ warnAt: '2026-11-28T09:30:01.200Z', dueAt: '2026-11-28T09:30:01.500Z', escalateAt: '2026-11-28T09:30:03.000Z' });
  });

  it('refuses input that does not validate', () => {
    const policy = loadClockPolicy({});
    expect(() => planClocks({ receivedAt: '2026-11-28 09:30', category: 'other', severity: 'low' }, policy)).toThrow(/receivedAt/);
    expect(() => planClocks({ receivedAt: '2026-11-28T09:30:00Z', category: 'weather' as never, severity: 'low' }, policy)).toThrow(/category/);
  });

  it('produces plans that validate against the ClockPlan schema (safe to store)', () => {
    for (const jurisdiction of ['cn', 'uk', 'us', 'none']) {
      const plans = planClocks({ receivedAt: '2026-05-01T12:00:00Z', category: 'card_issues', severity: 'critical' }, loadClockPolicy({ REDRESS_JURISDICTION: jurisdiction }));
      for (const plan of plans) expect(ClockPlan.parse(plan)).toEqual(plan);
    }
  });
});

describe('planClocks: China', () => {
  const received = '2026-09-30T10:00:00+08:00';
  const plan = () => only(planClocks({ receivedAt: received, category: 'service_attitude', severity: 'medium' }, loadClockPolicy({})), 'resolution_cn');

  it('decides within 15 calendar days, through Golden Week, due at the end of the 15th day in Beijing', () => {
    // Act
    const clock = plan();
    // Assess
    expect(clock.timeZone).toBe('Asia/Shanghai');
    expect(clock.businessDays).toBeUndefined();
    expect(times(clock)).toEqual({ warnAt: '2026-10-12T13:12:00.000Z', dueAt: '2026-10-15T16:00:00.000Z', escalateAt: '2026-10-30T16:00:00.000Z' });
    expect(clock.stoppedBy).toEqual(['resolution']);
  });

  it('extends to 30 days for a complex case, without a customer notice', () => {
    // Act
    const { plan: extended, changed, customerNotice } = extendPlan(plan(), 'complex');
    // Assess
    expect(changed).toBe(true);
    expect(customerNotice).toBe(false);
    expect(extended.target).toMatchObject({ kind: 'calendar_days', days: 30 });
    expect(extended.dueAt).toBe('2026-10-30T16:00:00.000Z');
    expect(extended.escalateAt).toBe('2026-11-29T16:00:00.000Z');
    expect(extended.extensions).toEqual(['complex']);
  });

  it('extends a further 30 days with approval, and asks for a customer notice', () => {
    // Act
    const { plan: extended, customerNotice } = extendPlan(extendPlan(plan(), 'complex').plan, 'approved');
    // Assess
    expect(customerNotice).toBe(true);
    expect(extended.dueAt).toBe('2026-11-29T16:00:00.000Z');
    expect(extended.escalateAt).toBe('2027-01-28T16:00:00.000Z');
    expect(extended.extensions).toEqual(['complex', 'approved']);
  });

  it('refuses approval before the complex extension, and unknown reasons', () => {
    expect(() => extendPlan(plan(), 'approved')).toThrow(/requires "complex" first/);
    expect(() => extendPlan(plan(), 'holding_reply')).toThrow(ClockOperationError);
    expect(() => extendPlan(plan(), 'holding_reply')).toThrow(/offered: complex, approved/);
  });

  it('is idempotent: the same extension twice changes nothing and asks for no second notice', () => {
    // Prepare
    const approved = extendPlan(extendPlan(plan(), 'complex').plan, 'approved').plan;
    // Act
    const again = extendPlan(approved, 'approved');
    // Assess
    expect(again).toEqual({ plan: approved, changed: false, customerNotice: false });
  });

  it('excludes time on external appraisal: pausing five days moves every time five days later', () => {
    // Prepare
    const running = plan();
    // Act
    const paused = pausePlan(running, '2026-10-05T00:00:00Z', 'external_appraisal');
    const resumed = resumePlan(paused, '2026-10-10T00:00:00Z');
    // Assess
    expect(resumed.pausedMs).toBe(5 * 86_400_000);
    expect(resumed.pausedAt).toBeUndefined();
    expect(times(resumed)).toEqual({ warnAt: '2026-10-17T13:12:00.000Z', dueAt: '2026-10-20T16:00:00.000Z', escalateAt: '2026-11-04T16:00:00.000Z' });
  });

  it('adds up several pauses', () => {
    // Prepare: two days, then three days on external appraisal.
    const first = resumePlan(pausePlan(plan(), '2026-10-02T00:00:00Z', 'external_appraisal'), '2026-10-04T00:00:00Z');
    // Act
    const second = resumePlan(pausePlan(first, '2026-10-08T00:00:00Z', 'external_appraisal'), '2026-10-11T00:00:00Z');
    // Assess
    expect(second.pausedMs).toBe(5 * 86_400_000);
    expect(second.dueAt).toBe('2026-10-20T16:00:00.000Z');
  });

  it('freezes a paused clock: it does not breach while paused', () => {
    // Prepare: paused before the original due time, asked about after it.
    const paused = pausePlan(plan(), '2026-10-14T00:00:00Z', 'external_appraisal');
    // Act
    const state = clockStateAt(paused, '2026-10-20T00:00:00Z');
    // Assess
    expect(state).toEqual({ state: 'running', escalationLevel: 0, warned: true, paused: true });
  });

  it('keeps paused time when extended afterwards', () => {
    // Prepare
    const resumed = resumePlan(pausePlan(plan(), '2026-10-05T00:00:00Z', 'external_appraisal'), '2026-10-07T00:00:00Z');
    // Act
    const extended = extendPlan(resumed, 'complex').plan;
    // Assess: 30 days end 2026-10-30T16:00Z, plus two paused days.
    expect(extended.dueAt).toBe('2026-11-01T16:00:00.000Z');
  });

  it('refuses pauses the rule does not allow, double pauses and resuming a running clock', () => {
    const running = plan();
    expect(() => pausePlan(running, '2026-10-05T00:00:00Z', 'holiday')).toThrow(/allowed: external_appraisal/);
    const paused = pausePlan(running, '2026-10-05T00:00:00Z', 'external_appraisal');
    expect(() => pausePlan(paused, '2026-10-06T00:00:00Z', 'external_appraisal')).toThrow(/already paused/);
    expect(() => resumePlan(running, '2026-10-06T00:00:00Z')).toThrow(/is not paused/);
    expect(() => resumePlan(paused, '2026-10-04T00:00:00Z')).toThrow(/before it was paused/);
    expect(() => pausePlan(running, '2026-09-01T00:00:00Z', 'external_appraisal')).toThrow(/before the clock started/);
  });
});

describe('planClocks: UK', () => {
  const policy = loadClockPolicy({ REDRESS_JURISDICTION: 'uk' });
  const received = '2026-10-02T10:00:00+01:00'; // Friday

  it('gives payment-services complaints 15 business days, ending at London midnight', () => {
    // Act
    const clock = only(planClocks({ receivedAt: received, category: 'card_issues', severity: 'medium' }, policy), 'resolution_uk_payment_services');
    // Assess: 15th business day Fri 23 Oct (BST); level 2 at 30 business days, Fri 13 Nov (GMT).
    expect(clock).toMatchObject({ businessDays: true, calendar: 'uk-england-wales', dueAt: '2026-10-23T23:00:00.000Z', escalateAt: '2026-11-14T00:00:00.000Z' });
  });

  it.each(['transfers_payments', 'card_issues', 'fraud_security'] as const)('treats %s as payment services', (category) => {
    const names = planClocks({ receivedAt: received, category, severity: 'low' }, policy).map((p) => p.name);
    expect(names).toEqual(['first_response', 'resolution_uk_payment_services']);
  });

  it('gives other complaints 8 weeks, ending at London midnight after the clocks go back', () => {
    // Act
    const clock = only(planClocks({ receivedAt: received, category: 'fees_pricing', severity: 'medium' }, policy), 'resolution_uk');
    // Assess
    expect(clock.businessDays).toBeUndefined();
    expect(clock.dueAt).toBe('2026-11-28T00:00:00.000Z');
    expect(clock.escalateAt).toBe('2027-01-23T00:00:00.000Z');
  });

  it('extends to 35 business days with a holding reply, which the customer must receive', () => {
    // Prepare
    const clock = only(planClocks({ receivedAt: received, category: 'transfers_payments', severity: 'medium' }, policy), 'resolution_uk_payment_services');
    // Act
    const { plan: extended, customerNotice } = extendPlan(clock, 'holding_reply');
    // Assess: 35th business day Fri 20 Nov; 70th Wed 13 Jan 2027 (Christmas, Boxing Day substitute and New Year skipped).
    expect(customerNotice).toBe(true);
    expect(times(extended)).toMatchObject({ dueAt: '2026-11-21T00:00:00.000Z', escalateAt: '2027-01-14T00:00:00.000Z' });
  });

  it('refuses extensions of the 8-week and first-response clocks', () => {
    const plans = planClocks({ receivedAt: received, category: 'fees_pricing', severity: 'medium' }, policy);
    expect(() => extendPlan(only(plans, 'resolution_uk'), 'holding_reply')).toThrow(/offered: none/);
    expect(() => extendPlan(only(plans, 'first_response'), 'complex')).toThrow(ClockOperationError);
  });

  it('throws CalendarRangeError when a business-day clock would run into 2028', () => {
    // Prepare: 30 business days after 1 Dec 2027 reach January 2028, which the data does not cover.
    const input = { receivedAt: '2027-12-01T10:00:00Z', category: 'card_issues', severity: 'low' } as const;
    // Act / Assess
    expect(() => planClocks(input, policy)).toThrow(CalendarRangeError);
    expect(() => planClocks(input, policy)).toThrow(/uk-england-wales.*2028/);
  });
});

describe('planClocks: US', () => {
  it('gives 15 days to respond and 60 to close, ending at New York midnight', () => {
    // Act
    const plans = planClocks({ receivedAt: '2026-09-30T02:00:00Z', category: 'debt_collection', severity: 'high' }, loadClockPolicy({ REDRESS_JURISDICTION: 'us' }));
    // Assess: received 29 Sept 22:00 EDT.
    expect(plans.map((p) => p.name)).toEqual(['first_response', 'response_us', 'resolution_us']);
    expect(only(plans, 'response_us')).toMatchObject({ dueAt: '2026-10-15T04:00:00.000Z', escalateAt: '2026-10-30T04:00:00.000Z', stoppedBy: ['first_response', 'resolution'] });
    expect(only(plans, 'resolution_us')).toMatchObject({ dueAt: '2026-11-29T05:00:00.000Z', stoppedBy: ['resolution'] });
  });

  it('names the clocks a first response stops and those a resolution stops', () => {
    const plans = planClocks({ receivedAt: '2026-09-30T02:00:00Z', category: 'other', severity: 'low' }, loadClockPolicy({ REDRESS_JURISDICTION: 'us' }));
    const stoppedBy = (trigger: 'first_response' | 'resolution') => plans.filter((p) => p.stoppedBy.includes(trigger)).map((p) => p.name);
    expect(stoppedBy('first_response')).toEqual(['first_response', 'response_us']);
    expect(stoppedBy('resolution')).toEqual(['first_response', 'response_us', 'resolution_us']);
  });
});

describe('clockStateAt', () => {
  const start = '2026-11-28T09:30:00.000Z';
  const [plan] = planClocks({ receivedAt: start, category: 'other', severity: 'low' }, loadClockPolicy({ REDRESS_SLA_FIRST_RESPONSE: 'PT6S', REDRESS_JURISDICTION: 'none' }));
  if (!plan) throw new Error('no plan');

  it.each([
    [1, { state: 'running', escalationLevel: 0, warned: false }],
    [4.799, { state: 'running', escalationLevel: 0, warned: false }],
    [4.8, { state: 'running', escalationLevel: 0, warned: true }],
    [5.999, { state: 'running', escalationLevel: 0, warned: true }],
    [6, { state: 'breached', escalationLevel: 1, warned: true }],
    [11.999, { state: 'breached', escalationLevel: 1, warned: true }],
    [12, { state: 'breached', escalationLevel: 2, warned: true }],
  ])('with no stop, at +%f s is %o', (seconds, expected) => {
    expect(clockStateAt(plan, at(start, seconds))).toEqual({ ...expected, paused: false });
  });

  it.each([
    [3, 'met', 0],
    [5.999, 'met', 0],
    [6, 'breached', 1],
    [7, 'breached', 1],
    [13, 'breached', 2],
  ])('stopped at +%f s is %s at level %i, frozen afterwards', (seconds, state, level) => {
    // Act: asked long after the stop.
    const result = clockStateAt(plan, at(start, 60), at(start, seconds));
    // Assess
    expect(result).toMatchObject({ state, escalationLevel: level });
  });

  it('ignores a stop that lies after "now"', () => {
    expect(clockStateAt(plan, at(start, 5), at(start, 10))).toMatchObject({ state: 'running', escalationLevel: 0 });
  });

  it('reports a cancelled clock as stopped, with the level it had reached', () => {
    expect(clockStateAt(plan, at(start, 60), at(start, 7), 'cancelled')).toMatchObject({ state: 'stopped', escalationLevel: 1 });
    expect(clockStateAt(plan, at(start, 60), at(start, 2), 'cancelled')).toMatchObject({ state: 'stopped', escalationLevel: 0 });
  });
});

describe('needsSummaryResolutionCommunication', () => {
  const received = '2026-10-02T10:00:00+01:00'; // Friday; business days 1–3 are Mon 5 to Wed 7 Oct

  it('is true up to the end of the third business day after receipt (UK)', () => {
    expect(needsSummaryResolutionCommunication(received, '2026-10-02T16:00:00+01:00', 'uk')).toBe(true);
    expect(needsSummaryResolutionCommunication(received, '2026-10-07T23:59:59.999+01:00', 'uk')).toBe(true);
  });

  it('is false from midnight that ends the third business day', () => {
    expect(needsSummaryResolutionCommunication(received, '2026-10-08T00:00:00+01:00', 'uk')).toBe(false);
  });

  it('counts business days around Easter 2026', () => {
    // Received Thursday 2 April; 3 and 6 April are bank holidays; days 1–3 are 7, 8 and 9 April.
    expect(needsSummaryResolutionCommunication('2026-04-02T09:00:00+01:00', '2026-04-09T20:00:00+01:00', 'uk')).toBe(true);
    expect(needsSummaryResolutionCommunication('2026-04-02T09:00:00+01:00', '2026-04-10T09:00:00+01:00', 'uk')).toBe(false);
  });

  it.each(['cn', 'us', 'none'] as const)('is always false under %s', (jurisdiction) => {
    expect(needsSummaryResolutionCommunication(received, '2026-10-02T11:00:00+01:00', jurisdiction)).toBe(false);
  });

  it('refuses a resolution before receipt', () => {
    expect(() => needsSummaryResolutionCommunication(received, '2026-10-01T10:00:00Z', 'uk')).toThrow(/before receivedAt/);
  });
});
