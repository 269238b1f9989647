import { describe, expect, it } from 'vitest';
import { sampleComplaint } from '../../../test/helpers/sample-items.ts';
import { timerExecutionName } from '../adapters/aws/sfn-execution-naming.ts';
import { reopenClocks } from '../lifecycle/clocks.ts';
import { checkClock, clockRecords, itemClockViews, openComplaintClocks, stopComplaintClocks } from './complaint-clocks.ts';
import { loadClockPolicy } from './policy.ts';

const policy = loadClockPolicy({ REDRESS_SLA_FIRST_RESPONSE: 'PT10S', REDRESS_JURISDICTION: 'cn' });
const at = (s: number) => new Date(Date.parse('2026-11-28T09:30:00.000Z') + s * 1000).toISOString();

describe('openComplaintClocks', () => {
  it('plans the first-response and resolution clocks and a timer for each', () => {
    const { item, timers } = openComplaintClocks(sampleComplaint(), policy);
    expect(clockRecords(item).map((r) => r.name)).toEqual(['first_response', 'resolution_cn']);
    expect(timers.map((t) => [t.clock, t.warnAt, t.dueAt, t.escalateAt])[0]).toEqual(['first_response', at(8), at(10), at(20)]);
    expect(item.clocks[0]).toMatchObject({ name: 'first_response', state: 'running', escalationLevel: 0 });
  });

  it('keeps the first-response clock and notes the gap when a calendar year is missing', () => {
    const late = sampleComplaint({ receivedAt: '2027-12-20T09:00:00.000Z', category: 'transfers_payments' });
    const { item } = openComplaintClocks(late, loadClockPolicy({ REDRESS_JURISDICTION: 'uk' }));
    expect(clockRecords(item).map((r) => r.name)).toEqual(['first_response']);
    expect(item.timeline.at(-1)).toMatchObject({ type: 'clock_not_planned' });
  });
});

describe('checkClock', () => {
  const opened = openComplaintClocks(sampleComplaint(), policy).item;

  it('announces each stage once, at or after its time', () => {
    const early = checkClock(opened, 'first_response', 'warning', at(7.9));
    expect([early.changed, early.continue]).toEqual([false, true]);
    const warn = checkClock(opened, 'first_response', 'warning', at(8));
    expect(warn.events.map((e) => e.detailType)).toEqual(['Complaint.SlaWarning']);
    expect(checkClock(warn.item, 'first_response', 'warning', at(9)).changed).toBe(false);
    const breach = checkClock(warn.item, 'first_response', 'breach', at(10));
    expect(breach.events.map((e) => [e.detailType, e.detail.escalationLevel])).toEqual([['Complaint.SlaBreached', 1]]);
    const escalate = checkClock(breach.item, 'first_response', 'escalate', at(20));
    expect(escalate.events.map((e) => [e.detailType, e.detail.escalationLevel])).toEqual([['Complaint.Escalated', 2]]);
    expect(escalate.continue).toBe(false);
    expect(itemClockViews(escalate.item, at(21))[0]).toMatchObject({ state: 'breached', escalationLevel: 2 });
  });

  it('a late timer announces the skipped stages in order', () => {
    const late = checkClock(opened, 'first_response', 'escalate', at(30));
    expect(late.events.map((e) => e.detailType)).toEqual(['Complaint.SlaWarning', 'Complaint.SlaBreached', 'Complaint.Escalated']);
  });

  it('says nothing for a stopped clock, and tells the timer to stop', () => {
    const { item, stopped } = stopComplaintClocks(opened, 'first_response', at(3));
    expect(stopped.map((t) => t.clock)).toEqual(['first_response']);
    const check = checkClock(item, 'first_response', 'breach', at(10));
    expect([check.changed, check.continue, check.events]).toEqual([false, false, []]);
    expect(itemClockViews(item, at(10))[0]).toMatchObject({ state: 'met', stoppedAt: at(3) });
  });
});

describe('reopened clocks', () => {
  it('get a new timer name, so their timer can start again', () => {
    const opened = openComplaintClocks(sampleComplaint(), policy).item;
    const { item: resolved, stopped } = stopComplaintClocks(opened, 'all', at(5));
    const resumed = reopenClocks(resolved, at(5), at(6));
    const before = stopped.find((t) => t.clock === 'resolution_cn')!;
    const after = resumed.started.find((t) => t.clock === 'resolution_cn')!;
    expect(timerExecutionName(after)).not.toBe(timerExecutionName(before));
    expect(timerExecutionName(after).length).toBeLessThanOrEqual(80);
  });
});
