/**
 * The regulatory clock commands of the lifecycle (extendClock, pauseClock, resumeClock) and the UK summary
 * resolution rule on `resolve`, as pure transitions with fixed instants. Expected times are worked out by
 * hand from the calendars (comments show the counting), not recomputed with the code under test.
 */
import { describe, expect, it } from 'vitest';
import { EVENT_DETAIL_SCHEMAS, type EventType } from '../../../schemas/events.ts';
import type { FeedbackItem } from '../../../schemas/feedback.ts';
import { complaintFixture } from '../../admin/test-fixtures.ts';
import { toView } from '../../admin/view.ts';
import { checkClock, clockRecords, runningClocks, stopComplaintClocks, type ClockRecord } from '../clocks/complaint-clocks.ts';
import { DEFAULT_CLOCK_POLICY, loadClockPolicy, type ClockPolicy } from '../clocks/policy.ts';
import { timerExecutionName } from '../adapters/aws/sfn-execution-naming.ts';
import type { OutboxEntry } from '../ports/feedback-repository.ts';
import { InvalidTransitionError, UnknownClockError, allowedCommands, applyCommand, type Change, type ChangeContext, type Command } from './state-machine.ts';

const CN = DEFAULT_CLOCK_POLICY;
const UK = loadClockPolicy({ REDRESS_JURISDICTION: 'uk' });
const US = loadClockPolicy({ REDRESS_JURISDICTION: 'us' });
/** Monday 2 March 2026, 09:00 UTC (17:00 in Shanghai, 09:00 in London). */
const RECEIVED = '2026-03-02T09:00:00.000Z';
const at = (iso: string, policy: ClockPolicy = CN): ChangeContext => ({ actor: 'sup-1', at: iso, policy });

const cnComplaint = () => complaintFixture({ receivedAt: RECEIVED });
/** A UK payment-services complaint (transfers_payments gets the 15-business-day clock). */
const ukPaymentComplaint = () => complaintFixture({ receivedAt: RECEIVED, category: 'transfers_payments' }, { policy: UK });

const record = (item: FeedbackItem, name: string): ClockRecord => clockRecords(item).find((r) => r.name === name)!;
const events = (change: Change) => change.outbox.flatMap((e) => (e.kind === 'event' ? [e.event] : []));
const timers = (change: Change, kind: 'startTimer' | 'stopTimer') =>
  change.outbox.flatMap((e: OutboxEntry) => (e.kind === kind ? [e.timer] : []));

function refusalOf(attempt: () => unknown): Error {
  try {
    attempt();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the command to be refused');
}

describe('extendClock: each lawful extension', () => {
  // China (Asia/Shanghai, calendar days, day of receipt 2 March not counted):
  //   15 days → end of 17 March = 2026-03-17T16:00Z; 30 → end of 1 April; 60 → end of 1 May; 120 → end of 30 June.
  //   Warning at 80 % of start → due: 30 days 7 h × 0.8 = 24 d 5 h 36 min; 60 days 7 h × 0.8 = 48 d 5 h 36 min.
  // UK payment services (England and Wales business days): 15 → Mon 23 March (end = 2026-03-24T00:00Z, GMT);
  //   35 → Wed 22 April (Good Friday 3 April and Easter Monday 6 April skipped; end = 23:00Z, BST);
  //   70 (level 2) → Fri 12 June (bank holidays 4 and 25 May skipped). Warning: 51 d 14 h × 0.8 = 41 d 6 h 24 min.
  const table = [
    {
      label: 'China complex: 15 → 30 days, no customer notice',
      make: cnComplaint,
      policy: CN,
      steps: [] as string[],
      clock: 'resolution_cn',
      reason: 'complex',
      previousDueAt: '2026-03-17T16:00:00.000Z',
      expected: { warnAt: '2026-03-26T14:36:00.000Z', dueAt: '2026-04-01T16:00:00.000Z', escalateAt: '2026-05-01T16:00:00.000Z' },
      notice: false,
    },
    {
      label: 'China approved (after complex): 30 → 60 days, the customer must be told',
      make: cnComplaint,
      policy: CN,
      steps: ['complex'],
      clock: 'resolution_cn',
      reason: 'approved',
      previousDueAt: '2026-04-01T16:00:00.000Z',
      expected: { warnAt: '2026-04-19T14:36:00.000Z', dueAt: '2026-05-01T16:00:00.000Z', escalateAt: '2026-06-30T16:00:00.000Z' },
      notice: true,
    },
    {
      label: 'UK payment services holding reply: 15 → 35 business days, the customer must be told',
      make: ukPaymentComplaint,
      policy: UK,
      steps: [] as string[],
      clock: 'resolution_uk_payment_services',
      reason: 'holding_reply',
      previousDueAt: '2026-03-24T00:00:00.000Z',
      expected: { warnAt: '2026-04-12T15:24:00.000Z', dueAt: '2026-04-22T23:00:00.000Z', escalateAt: '2026-06-12T23:00:00.000Z' },
      notice: true,
    },
  ];

  it.each(table)('$label', ({ make, policy, steps, clock, reason, previousDueAt, expected, notice }) => {
    // Prepare
    let item = make();
    for (const step of steps) item = applyCommand(item, { type: 'extendClock', clock, reason: step as 'complex' }, at('2026-03-05T10:00:00.000Z', policy)).item;
    const before = record(item, clock);
    expect(before.dueAt).toBe(previousDueAt);
    const now = '2026-03-06T10:00:00.000Z';
    // Act
    const change = applyCommand(item, { type: 'extendClock', clock, reason } as Command, at(now, policy));
    // Assess: the record
    expect(record(change.item, clock)).toMatchObject({ ...expected, extensions: [...steps, reason] });
    expect(change.item.clocks.find((c) => c.name === clock)).toMatchObject({ dueAt: expected.dueAt, warnAt: expected.warnAt, state: 'running' });
    // the timers: the old one stops, one for the new times starts
    expect(timers(change, 'stopTimer')).toEqual([{ feedbackId: item.id, clock, dueAt: previousDueAt }]);
    expect(timers(change, 'startTimer')).toEqual([{ feedbackId: item.id, clock, ...expected }]);
    // the events, with ids qualified by the new version
    const v = `v${item.version + 1}`;
    expect(events(change).map((e) => e.id)).toEqual([
      `${item.id}:Complaint.ClockExtended:${v}`,
      ...(notice ? [`${item.id}:Complaint.CustomerNoticeRequired:${v}`] : []),
    ]);
    expect(events(change)[0]!.detail).toMatchObject({ complaintId: item.id, clock, reason, previousDueAt, dueAt: expected.dueAt, escalationLevel: 0, status: 'open' });
    if (notice) expect(events(change)[1]!.detail).toMatchObject({ complaintId: item.id, clock, reason, dueAt: expected.dueAt });
    // the timeline
    expect(change.entry).toEqual({ at: now, type: 'clock_extended', actor: 'sup-1', data: { clock, reason, previousDueAt, dueAt: expected.dueAt, customerNotice: notice, clocks: [clock] } });
    expect(change.item.version).toBe(item.version + 1);
  });

  it.each(table)('$label: applying it twice answers 409 naming why, and changes nothing', ({ make, policy, steps, clock, reason }) => {
    // Prepare
    let item = make();
    for (const step of [...steps, reason]) item = applyCommand(item, { type: 'extendClock', clock, reason: step as 'complex' }, at('2026-03-05T10:00:00.000Z', policy)).item;
    const snapshot = structuredClone(item);
    // Act
    const err = refusalOf(() => applyCommand(item, { type: 'extendClock', clock, reason } as Command, at('2026-03-06T10:00:00.000Z', policy)));
    // Assess
    expect(err).toBeInstanceOf(InvalidTransitionError);
    expect(err.message).toMatch(new RegExp(`extension "${reason}" was already applied`));
    expect(item).toEqual(snapshot);
  });

  it('after complex and approved, extendClock is no longer among the allowed commands', () => {
    let item = cnComplaint();
    expect(allowedCommands(item)).toContain('extendClock');
    item = applyCommand(item, { type: 'extendClock', clock: 'resolution_cn', reason: 'complex' }, at('2026-03-05T10:00:00.000Z')).item;
    expect(allowedCommands(item)).toContain('extendClock');
    item = applyCommand(item, { type: 'extendClock', clock: 'resolution_cn', reason: 'approved' }, at('2026-03-05T11:00:00.000Z')).item;
    expect(allowedCommands(item)).not.toContain('extendClock');
  });
});

describe('clock commands the rules or the state refuse', () => {
  const resolved = () => applyCommand(cnComplaint(), { type: 'resolve', outcome: 'upheld', summary: 'Refunded.' }, at('2026-03-04T10:00:00.000Z')).item;
  const inquiry = () => complaintFixture({ receivedAt: RECEIVED, kind: 'inquiry', status: 'received' });
  const ukGeneral = () => complaintFixture({ receivedAt: RECEIVED, category: 'fees_pricing' }, { policy: UK });
  const table: Array<[string, () => FeedbackItem, Command, 'conflict' | 'unknown', RegExp]> = [
    ['approved before complex', cnComplaint, { type: 'extendClock', clock: 'resolution_cn', reason: 'approved' }, 'conflict', /requires "complex" first/],
    ['a UK reason on the China clock', cnComplaint, { type: 'extendClock', clock: 'resolution_cn', reason: 'holding_reply' }, 'conflict', /no extension "holding_reply" \(offered: complex, approved\)/],
    ['a China reason on the UK payment-services clock', ukPaymentComplaint, { type: 'extendClock', clock: 'resolution_uk_payment_services', reason: 'complex' }, 'conflict', /offered: holding_reply/],
    ['extending the first-response clock', cnComplaint, { type: 'extendClock', clock: 'first_response', reason: 'complex' }, 'conflict', /offered: none/],
    ['extending the UK 8-week clock (no extensions; nothing else to extend)', ukGeneral, { type: 'extendClock', clock: 'resolution_uk', reason: 'holding_reply' }, 'conflict', /no extension "holding_reply" \(offered: none\)/],
    ['a clock of another jurisdiction', cnComplaint, { type: 'extendClock', clock: 'resolution_uk_payment_services', reason: 'holding_reply' }, 'unknown', /no clock "resolution_uk_payment_services" on this complaint \(it has: first_response, resolution_cn\)/],
    ['pausing a UK clock (no pause reasons)', ukPaymentComplaint, { type: 'pauseClock', clock: 'resolution_uk_payment_services', reason: 'external_appraisal' }, 'conflict', /cannot pause for "external_appraisal" \(allowed: none\)/],
    ['pausing the first-response clock', cnComplaint, { type: 'pauseClock', clock: 'first_response', reason: 'external_appraisal' }, 'conflict', /cannot pause for "external_appraisal" \(allowed: none\)/],
    ['resuming a running clock', cnComplaint, { type: 'resumeClock', clock: 'resolution_cn' }, 'conflict', /clock "resolution_cn": is not paused/],
    ['resuming an unknown clock when none is paused (nothing could be resumed)', cnComplaint, { type: 'resumeClock', clock: 'resolution_xx' }, 'conflict', /no clock of this complaint is paused/],
    ['extending an unknown clock when no clock has an extension left', ukGeneral, { type: 'extendClock', clock: 'resolution_xx', reason: 'complex' }, 'conflict', /no running clock of this complaint has an extension left/],
    ['pausing an unknown clock', cnComplaint, { type: 'pauseClock', clock: 'resolution_xx', reason: 'external_appraisal' }, 'unknown', /no clock "resolution_xx"/],
    ['extending on a resolved complaint', resolved, { type: 'extendClock', clock: 'resolution_cn', reason: 'complex' }, 'conflict', /resolved; its clocks have stopped/],
    ['pausing on a resolved complaint', resolved, { type: 'pauseClock', clock: 'resolution_cn', reason: 'external_appraisal' }, 'conflict', /resolved/],
    ['extending an inquiry', inquiry, { type: 'extendClock', clock: 'resolution_cn', reason: 'complex' }, 'conflict', /only complaints have clocks/],
  ];

  it.each(table)('%s → %s', (_label, make, command, kind, message) => {
    // Prepare
    const item = make();
    // Act
    const err = refusalOf(() => applyCommand(item, command, at('2026-03-05T10:00:00.000Z')));
    // Assess
    expect(err).toBeInstanceOf(kind === 'conflict' ? InvalidTransitionError : UnknownClockError);
    expect(err.message).toMatch(message);
  });

  it('an extension whose new times run past the holiday data answers 409 saying so, and changes nothing', () => {
    // Prepare: received Monday 25 October 2027; 15 and 30 business days fit in 2027, but the holding reply's
    // level-2 time (70 business days) falls in 2028, which the England and Wales data does not hold
    const item = complaintFixture({ receivedAt: '2027-10-25T09:00:00.000Z', category: 'transfers_payments' }, { policy: UK });
    expect(record(item, 'resolution_uk_payment_services')).toBeDefined();
    // Act
    const err = refusalOf(() => applyCommand(item, { type: 'extendClock', clock: 'resolution_uk_payment_services', reason: 'holding_reply' }, at('2027-10-26T09:00:00.000Z', UK)));
    // Assess
    expect(err).toBeInstanceOf(InvalidTransitionError);
    expect(err.message).toMatch(/new times cannot be counted: .*no data for 2028/);
  });

  it('a stopped clock cannot be extended or paused (409), even on an open complaint', () => {
    // Prepare: the resolution clock stopped (as a resolution does), the complaint open again without resuming it
    const stopped = { ...stopComplaintClocks(cnComplaint(), 'all', '2026-03-04T10:00:00.000Z').item, status: 'open' as const };
    // Act / Assess
    for (const command of [
      { type: 'extendClock', clock: 'resolution_cn', reason: 'complex' },
      { type: 'pauseClock', clock: 'resolution_cn', reason: 'external_appraisal' },
    ] as Command[]) {
      const err = refusalOf(() => applyCommand(stopped, command, at('2026-03-05T10:00:00.000Z')));
      expect(err).toBeInstanceOf(InvalidTransitionError);
      expect(err.message).toMatch(/no running clock|stopped at 2026-03-04T10:00:00.000Z/);
    }
  });
});

describe('extension and announcement marks', () => {
  it('a breached clock extended before the new warning time is announced again: warning and breach marks cleared', () => {
    // Prepare: the China clock warned (14 March) and breached (17 March 16:00Z) under 15 days
    let item = cnComplaint();
    item = checkClock(item, 'resolution_cn', 'breach', '2026-03-18T00:00:00.000Z').item;
    expect(record(item, 'resolution_cn')).toMatchObject({ warnedAt: '2026-03-18T00:00:00.000Z', breachedAt: '2026-03-18T00:00:00.000Z' });
    // Act: extended on 20 March, before the new warning time (26 March 14:36Z)
    const change = applyCommand(item, { type: 'extendClock', clock: 'resolution_cn', reason: 'complex' }, at('2026-03-20T00:00:00.000Z'));
    // Assess
    const after = record(change.item, 'resolution_cn');
    expect(after.warnedAt).toBeUndefined();
    expect(after.breachedAt).toBeUndefined();
    expect(change.item.clocks.find((c) => c.name === 'resolution_cn')).toMatchObject({ state: 'running', escalationLevel: 0 });
    expect(events(change)[0]!.detail).toMatchObject({ previousDueAt: '2026-03-17T16:00:00.000Z', dueAt: '2026-04-01T16:00:00.000Z', escalationLevel: 0 });
    // The new timer's warning is announced once more when its time comes.
    expect(checkClock(change.item, 'resolution_cn', 'warning', '2026-03-26T14:36:00.000Z').events.map((e) => e.detailType)).toEqual(['Complaint.SlaWarning']);
  });

  it('a mark whose new time is already past stays (its event went out and is still true)', () => {
    // Prepare: warned under 15 days; extended on 27 March, after the new warning time (26 March 14:36Z) but before the new due time
    let item = cnComplaint();
    item = checkClock(item, 'resolution_cn', 'breach', '2026-03-18T00:00:00.000Z').item;
    // Act
    const change = applyCommand(item, { type: 'extendClock', clock: 'resolution_cn', reason: 'complex' }, at('2026-03-27T00:00:00.000Z'));
    // Assess
    const after = record(change.item, 'resolution_cn');
    expect(after.warnedAt).toBe('2026-03-18T00:00:00.000Z');
    expect(after.breachedAt).toBeUndefined();
    expect(checkClock(change.item, 'resolution_cn', 'warning', '2026-03-27T00:00:01.000Z').events).toEqual([]);
  });

  it('an extension past the clock\'s level-2 time owes no new timer (the escalation is already announced)', () => {
    // Prepare: 60 days after receipt the 15-day clock (level 2 at 30 days) is long escalated; complex makes due 1 April, level 2 1 May
    const item = checkClock(cnComplaint(), 'resolution_cn', 'escalate', '2026-05-02T00:00:00.000Z').item;
    // Act
    const change = applyCommand(item, { type: 'extendClock', clock: 'resolution_cn', reason: 'complex' }, at('2026-05-02T00:00:00.000Z'));
    // Assess
    expect(timers(change, 'startTimer')).toEqual([]);
    expect(record(change.item, 'resolution_cn')).toMatchObject({ breachedAt: '2026-05-02T00:00:00.000Z', escalatedAt: '2026-05-02T00:00:00.000Z' });
    expect(events(change)[0]!.detail).toMatchObject({ escalationLevel: 2 });
  });
});

describe('pauseClock and resumeClock (China: external appraisal)', () => {
  const PAUSED_AT = '2026-03-05T00:00:00.000Z';
  const RESUMED_AT = '2026-03-08T06:30:00.000Z';
  /** 3 days 6 h 30 min. */
  const PAUSED_MS = (3 * 24 + 6.5) * 3_600_000;

  it('pause stops the timer and freezes the clock; resume moves warn, due and level-2 times by exactly the paused time', () => {
    // Prepare
    const item = cnComplaint();
    const original = record(item, 'resolution_cn');
    // Act
    const paused = applyCommand(item, { type: 'pauseClock', clock: 'resolution_cn', reason: 'external_appraisal' }, at(PAUSED_AT));
    const resumed = applyCommand(paused.item, { type: 'resumeClock', clock: 'resolution_cn' }, at(RESUMED_AT));
    // Assess: the pause
    expect(timers(paused, 'stopTimer')).toEqual([{ feedbackId: item.id, clock: 'resolution_cn', dueAt: original.dueAt }]);
    expect(timers(paused, 'startTimer')).toEqual([]);
    expect(record(paused.item, 'resolution_cn')).toMatchObject({ pausedAt: PAUSED_AT, pauseReason: 'external_appraisal', dueAt: original.dueAt });
    expect(events(paused).map((e) => e.detailType)).toEqual(['Complaint.ClockPaused']);
    expect(events(paused)[0]!.detail).toMatchObject({ clock: 'resolution_cn', reason: 'external_appraisal', pausedAt: PAUSED_AT, dueAt: original.dueAt, escalationLevel: 0 });
    expect(allowedCommands(paused.item)).toContain('resumeClock');
    // the view: paused, frozen at the pause (well past the original due time it still shows running, level 0)
    expect(toView(paused.item, '2026-03-25T00:00:00.000Z').clocks.find((c) => c.name === 'resolution_cn')).toMatchObject({
      state: 'running', escalationLevel: 0, paused: true, pausedAt: PAUSED_AT, pauseReason: 'external_appraisal',
    });
    // Assess: the resume — 17 March 16:00Z + 3 d 6 h 30 min = 20 March 22:30Z, and the same shift for warn and level 2
    const after = record(resumed.item, 'resolution_cn');
    expect(after).toMatchObject({ warnAt: '2026-03-17T21:06:00.000Z', dueAt: '2026-03-20T22:30:00.000Z', escalateAt: '2026-04-04T22:30:00.000Z', pausedMs: PAUSED_MS, generation: 1 });
    for (const key of ['warnAt', 'dueAt', 'escalateAt'] as const) expect(Date.parse(after[key]) - Date.parse(original[key])).toBe(PAUSED_MS);
    expect(after.pausedAt).toBeUndefined();
    expect(timers(resumed, 'startTimer')).toEqual([
      { feedbackId: item.id, clock: 'resolution_cn', warnAt: after.warnAt, dueAt: after.dueAt, escalateAt: after.escalateAt, generation: 1 },
    ]);
    expect(timers(resumed, 'stopTimer')).toEqual([]);
    expect(events(resumed)[0]).toMatchObject({
      detailType: 'Complaint.ClockResumed',
      detail: { clock: 'resolution_cn', resumedAt: RESUMED_AT, pausedMs: PAUSED_MS, previousDueAt: original.dueAt, dueAt: '2026-03-20T22:30:00.000Z', escalationLevel: 0 },
    });
    expect(resumed.entry).toMatchObject({ type: 'clock_resumed', data: { clock: 'resolution_cn', pausedMs: PAUSED_MS } });
    expect(toView(resumed.item, RESUMED_AT).clocks.find((c) => c.name === 'resolution_cn')).not.toHaveProperty('paused');
  });

  it('two pauses add up; pausing twice without a resume is refused', () => {
    // Prepare
    let item = cnComplaint();
    item = applyCommand(item, { type: 'pauseClock', clock: 'resolution_cn', reason: 'external_appraisal' }, at('2026-03-04T00:00:00.000Z')).item;
    // Act / Assess
    const again = refusalOf(() => applyCommand(item, { type: 'pauseClock', clock: 'resolution_cn', reason: 'external_appraisal' }, at('2026-03-04T01:00:00.000Z')));
    expect(again).toBeInstanceOf(InvalidTransitionError);
    expect(again.message).toMatch(/already paused since 2026-03-04T00:00:00.000Z/);
    item = applyCommand(item, { type: 'resumeClock', clock: 'resolution_cn' }, at('2026-03-05T00:00:00.000Z')).item; // 1 day
    item = applyCommand(item, { type: 'pauseClock', clock: 'resolution_cn', reason: 'external_appraisal' }, at('2026-03-06T00:00:00.000Z')).item;
    item = applyCommand(item, { type: 'resumeClock', clock: 'resolution_cn' }, at('2026-03-08T12:00:00.000Z')).item; // 2.5 days
    expect(record(item, 'resolution_cn')).toMatchObject({ dueAt: '2026-03-21T04:00:00.000Z', pausedMs: 3.5 * 86_400_000, generation: 2 });
  });

  it('a resume at the pause instant keeps the times but starts its timer under a new name', () => {
    // Prepare
    const item = cnComplaint();
    const paused = applyCommand(item, { type: 'pauseClock', clock: 'resolution_cn', reason: 'external_appraisal' }, at(PAUSED_AT));
    // Act
    const resumed = applyCommand(paused.item, { type: 'resumeClock', clock: 'resolution_cn' }, at(PAUSED_AT));
    // Assess
    const [stopped] = timers(paused, 'stopTimer');
    const [started] = timers(resumed, 'startTimer');
    expect(started!.dueAt).toBe(stopped!.dueAt);
    expect(timerExecutionName(started!)).not.toBe(timerExecutionName(stopped!));
  });

  it('an extension while paused owes no timer; the resume starts one with the extended and shifted times', () => {
    // Prepare
    const paused = applyCommand(cnComplaint(), { type: 'pauseClock', clock: 'resolution_cn', reason: 'external_appraisal' }, at(PAUSED_AT)).item;
    // Act
    const extended = applyCommand(paused, { type: 'extendClock', clock: 'resolution_cn', reason: 'complex' }, at('2026-03-06T00:00:00.000Z'));
    const resumed = applyCommand(extended.item, { type: 'resumeClock', clock: 'resolution_cn' }, at(RESUMED_AT));
    // Assess: 1 April 16:00Z + 3 d 6 h 30 min
    expect(extended.outbox.filter((e) => e.kind !== 'event')).toEqual([]);
    expect(record(extended.item, 'resolution_cn').pausedAt).toBe(PAUSED_AT);
    expect(timers(resumed, 'startTimer')).toMatchObject([{ dueAt: '2026-04-04T22:30:00.000Z', escalateAt: '2026-05-04T22:30:00.000Z', generation: 1 }]);
  });

  it('a paused clock is never announced by a late timer, nor restarted by the sweeper (clocks/complaint-clocks fix)', () => {
    // Prepare
    const paused = applyCommand(cnComplaint(), { type: 'pauseClock', clock: 'resolution_cn', reason: 'external_appraisal' }, at(PAUSED_AT)).item;
    // Act / Assess: long after the original due time
    expect(checkClock(paused, 'resolution_cn', 'breach', '2026-03-20T00:00:00.000Z')).toMatchObject({ changed: false, continue: false, events: [] });
    expect(runningClocks(paused).map((r) => r.name)).toEqual(['first_response']);
  });

  it('resolving during a pause judges the clock against the deadline without the appraisal time, and owes no stopTimer for it', () => {
    // Prepare: paused on 10 March for appraisal, resolved on 19 March (after the unshifted due time of 17 March 16:00Z)
    const paused = applyCommand(cnComplaint(), { type: 'pauseClock', clock: 'resolution_cn', reason: 'external_appraisal' }, at('2026-03-10T00:00:00.000Z')).item;
    // Act
    const resolved = applyCommand(paused, { type: 'resolve', outcome: 'upheld', summary: 'Refunded.' }, at('2026-03-19T00:00:00.000Z'));
    // Assess: due moved by 9 days to 26 March 16:00Z, so the resolution met it
    expect(record(resolved.item, 'resolution_cn')).toMatchObject({ dueAt: '2026-03-26T16:00:00.000Z', stoppedAt: '2026-03-19T00:00:00.000Z' });
    expect(resolved.item.clocks.find((c) => c.name === 'resolution_cn')).toMatchObject({ state: 'met', escalationLevel: 0 });
    expect(timers(resolved, 'stopTimer').map((t) => t.clock)).toEqual(['first_response']);
    expect(resolved.entry.data).toMatchObject({ clocks: ['first_response', 'resolution_cn'] });
  });
});

describe('resolve: UK summary resolution communication (DISP 1.5)', () => {
  // Received Monday 2 March 2026: the third business day after is Thursday 5 March, ending at 2026-03-06T00:00Z (GMT).
  // Received Thursday 2 April 2026: Good Friday and Easter Monday are skipped, so the third business day is
  // Thursday 9 April, ending at 2026-04-09T23:00Z (BST).
  const table: Array<[string, ClockPolicy, string, string, boolean]> = [
    ['uk, last millisecond of the third business day', UK, RECEIVED, '2026-03-05T23:59:59.999Z', true],
    ['uk, the first instant after it', UK, RECEIVED, '2026-03-06T00:00:00.000Z', false],
    ['uk, same day', UK, RECEIVED, '2026-03-02T15:00:00.000Z', true],
    ['uk, across Easter, last millisecond (BST)', UK, '2026-04-02T09:00:00.000Z', '2026-04-09T22:59:59.999Z', true],
    ['uk, across Easter, first instant after', UK, '2026-04-02T09:00:00.000Z', '2026-04-09T23:00:00.000Z', false],
    ['cn has no such rule', CN, RECEIVED, '2026-03-02T15:00:00.000Z', false],
    ['us has no such rule', US, RECEIVED, '2026-03-02T15:00:00.000Z', false],
  ];

  it.each(table)('%s → %s', (_label, policy, receivedAt, resolvedAt, required) => {
    // Prepare
    const item = complaintFixture({ receivedAt, category: 'fees_pricing' }, { policy });
    // Act
    const change = applyCommand(item, { type: 'resolve', outcome: 'upheld', summary: 'Refunded the fee.' }, at(resolvedAt, policy));
    // Assess
    const types = events(change).map((e) => e.detailType);
    expect(types).toEqual(required ? ['Complaint.Resolved', 'Complaint.SummaryResolutionRequired'] : ['Complaint.Resolved']);
    if (required) {
      expect(events(change)[1]).toMatchObject({
        id: `${item.id}:Complaint.SummaryResolutionRequired:v${item.version + 1}`,
        detail: { complaintId: item.id, jurisdiction: 'uk', resolvedAt, status: 'resolved' },
      });
      expect(change.entry.data).toMatchObject({ summaryResolutionRequired: true });
    }
  });

  it('without a policy in the context, no summary resolution event is owed', () => {
    const item = complaintFixture({ receivedAt: RECEIVED }, { policy: UK });
    const change = applyCommand(item, { type: 'resolve', outcome: 'upheld', summary: 'x' }, { actor: 'sup-1', at: '2026-03-02T15:00:00.000Z' });
    expect(events(change).map((e) => e.detailType)).toEqual(['Complaint.Resolved']);
  });

  it('a receipt outside the holiday data resolves anyway and says on the timeline why the rule was not decided', () => {
    // Prepare: received 30 December 2027; three business days run into 2028, which the calendar does not hold
    const item = complaintFixture({ receivedAt: '2027-12-30T09:00:00.000Z', category: 'fees_pricing' }, { policy: UK });
    // Act
    const change = applyCommand(item, { type: 'resolve', outcome: 'upheld', summary: 'x' }, at('2027-12-30T15:00:00.000Z', UK));
    // Assess
    expect(change.item.status).toBe('resolved');
    expect(events(change).map((e) => e.detailType)).toEqual(['Complaint.Resolved']);
    expect(String(change.entry.data?.summaryResolutionUndecided)).toMatch(/no data for 2028/);
  });
});

describe('the new events', () => {
  it('validate against their detail schemas and never carry the customer\'s text or contact details', () => {
    // Prepare: every new event type, from real transitions
    const cn = cnComplaint();
    const ext1 = applyCommand(cn, { type: 'extendClock', clock: 'resolution_cn', reason: 'complex' }, at('2026-03-03T00:00:00.000Z'));
    const ext2 = applyCommand(ext1.item, { type: 'extendClock', clock: 'resolution_cn', reason: 'approved' }, at('2026-03-03T01:00:00.000Z'));
    const pause = applyCommand(ext2.item, { type: 'pauseClock', clock: 'resolution_cn', reason: 'external_appraisal' }, at('2026-03-04T00:00:00.000Z'));
    const resume = applyCommand(pause.item, { type: 'resumeClock', clock: 'resolution_cn' }, at('2026-03-05T00:00:00.000Z'));
    const uk = complaintFixture({ receivedAt: RECEIVED }, { policy: UK });
    const summary = applyCommand(uk, { type: 'resolve', outcome: 'upheld', summary: 'x' }, at('2026-03-03T00:00:00.000Z', UK));
    const all = [ext1, ext2, pause, resume, summary].flatMap(events);
    // Assess
    expect(new Set(all.map((e) => e.detailType))).toEqual(
      new Set(['Complaint.ClockExtended', 'Complaint.CustomerNoticeRequired', 'Complaint.ClockPaused', 'Complaint.ClockResumed', 'Complaint.Resolved', 'Complaint.SummaryResolutionRequired']),
    );
    for (const event of all) {
      const parsed = EVENT_DETAIL_SCHEMAS[event.detailType as EventType].safeParse(event.detail);
      expect(parsed.success, `${event.detailType}: ${parsed.error?.message}`).toBe(true);
      const text = JSON.stringify(event.detail);
      for (const secret of [cn.text, cn.customer.name!, cn.customer.contact!, cn.customer.id!]) expect(text).not.toContain(secret);
    }
  });
});
