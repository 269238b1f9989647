/**
 * What the lifecycle does to a complaint's clocks: a first response stops the clocks a response stops,
 * a resolution stops all, a reopening resumes the ones the resolution stopped, and reclassifying to or
 * from a complaint opens or cancels them. Items carry clock records (`clockPlans`, see
 * clocks/complaint-clocks.ts) when the timers planned them; older items may carry only the `clocks`
 * view, which is updated by name so they behave the same (they have no timers to stop).
 */
import type { Clock, FeedbackItem } from '../../../schemas/feedback.ts';
import { clockRecordView, clockRecords, openComplaintClocks, stopComplaintClocks, timerFor, type ClockRecord } from '../clocks/complaint-clocks.ts';
import { DEFAULT_CLOCK_POLICY, type ClockPolicy } from '../clocks/policy.ts';
import type { TimerRef, TimerStart } from '../ports/feedback-repository.ts';

/** Clock names a first response stops when an item carries no clock records (the default policy's rules). */
const RESPONSE_STOPPED = new Set(
  [DEFAULT_CLOCK_POLICY.firstResponse, ...Object.values(DEFAULT_CLOCK_POLICY.resolution).flat()]
    .filter((rule) => rule.stoppedBy.includes('first_response'))
    .map((rule) => rule.name),
);

export type ClockTrigger = 'first_response' | 'resolution' | 'cancel';

export interface ClockChange {
  item: FeedbackItem;
  stopped: TimerRef[];
  started: TimerStart[];
  /** Names of the clocks that stopped or resumed, for the timeline. */
  names: string[];
}

function withRecords(item: FeedbackItem, records: ClockRecord[], now: string): FeedbackItem {
  return { ...item, clockPlans: records, clocks: records.map((r) => clockRecordView(r, now)) } as FeedbackItem;
}

/** Stops the clocks `trigger` stops at `at`: met before dueAt, breached from it; `cancel` records them stopped. */
export function stopClocks(item: FeedbackItem, trigger: ClockTrigger, at: string): ClockChange {
  if (clockRecords(item).length) {
    const how = trigger === 'cancel' ? 'cancelled' : 'satisfied';
    const { item: next, stopped } = stopComplaintClocks(item, trigger === 'first_response' ? 'first_response' : 'all', at, how);
    return { item: next, stopped, started: [], names: stopped.map((t) => t.clock) };
  }
  const names: string[] = [];
  const clocks = item.clocks.map((clock): Clock => {
    if (clock.stoppedAt || clock.state === 'met' || clock.state === 'stopped') return clock;
    if (trigger === 'first_response' && !RESPONSE_STOPPED.has(clock.name)) return clock;
    names.push(clock.name);
    const state = trigger === 'cancel' ? 'stopped' : Date.parse(at) < Date.parse(clock.dueAt) ? 'met' : 'breached';
    const escalationLevel = trigger !== 'cancel' && state === 'breached' ? Math.max(1, clock.escalationLevel) : clock.escalationLevel;
    return { ...clock, state, stoppedAt: at, escalationLevel };
  });
  return { item: { ...item, clocks }, stopped: [], started: [], names };
}

/**
 * Resumes the clocks a resolution at `resolvedAt` stopped (a reopened complaint is still owed its
 * regulatory answer, counted from receipt as before); clocks stopped earlier (by the first response)
 * stay stopped. Timers restart for those whose level-2 time is still ahead.
 */
export function resumeClocks(item: FeedbackItem, resolvedAt: string, now: string): ClockChange {
  const records = clockRecords(item);
  if (records.length) {
    const resumed: ClockRecord[] = [];
    const next = records.map((r) => {
      if (r.stoppedAt !== resolvedAt || r.stopHow === 'cancelled') return r;
      const { stoppedAt: _s, stopHow: _h, ...rest } = r;
      // A new generation: the stopped timer's execution name is used up (Step Functions keeps it 90 days).
      const running = { ...rest, generation: (r.generation ?? 0) + 1 };
      resumed.push(running);
      return running;
    });
    const started = resumed.filter((r) => Date.parse(r.escalateAt) > Date.parse(now)).map((r) => timerFor(item, r));
    return { item: withRecords(item, next, now), stopped: [], started, names: resumed.map((r) => r.name) };
  }
  const names: string[] = [];
  const clocks = item.clocks.map((clock): Clock => {
    if (clock.stoppedAt !== resolvedAt || clock.state === 'stopped') return clock;
    names.push(clock.name);
    const { stoppedAt: _s, ...rest } = clock;
    return { ...rest, state: Date.parse(now) < Date.parse(clock.dueAt) ? 'running' : 'breached' };
  });
  return { item: { ...item, clocks }, stopped: [], started: [], names };
}

/** Plans the clocks of an item a handler reclassified as a complaint (as if it had been one from receipt). */
export function openClocks(item: FeedbackItem, policy: ClockPolicy, now: string): ClockChange {
  const { item: planned, timers } = openComplaintClocks(item, policy);
  const records = clockRecords(planned);
  return {
    item: withRecords(planned, records, now),
    stopped: [],
    started: timers.filter((t) => Date.parse(t.escalateAt) > Date.parse(now)),
    names: records.map((r) => r.name),
  };
}
