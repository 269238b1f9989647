/**
 * What the lifecycle does to a complaint's clocks: a first response stops the clocks a response stops,
 * a resolution stops all, a reopening resumes the ones the resolution stopped, and reclassifying to or
 * from a complaint opens or cancels them. The regulatory actions change one named clock: an extension
 * (China complex/approved, UK holding reply) moves its times, a pause (China external appraisal) stops
 * its timer, a resume restarts it with the times moved by exactly the paused time. A complaint's clocks are its
 * clock records (`clockPlans`, see clocks/complaint-clocks.ts); `clocks` is their view, rewritten with them.
 */
import type { FeedbackItem } from '../../../schemas/feedback.ts';
import { withClockRecords, clockRecords, openComplaintClocks, stopComplaintClocks, timerFor, timerRefFor, type ClockRecord } from '../clocks/complaint-clocks.ts';
import { ClockOperationError } from '../clocks/errors.ts';
import { extendPlan, pausePlan, resumePlan } from '../clocks/plan.ts';
import type { ClockPolicy } from '../clocks/policy.ts';
import type { TimerRef, TimerStart } from '../ports/clock-timer.ts';
import { UnknownClockError } from './errors.ts';

export type ClockTrigger = 'first_response' | 'resolution' | 'cancel';

export interface ClockChange {
  item: FeedbackItem;
  stopped: TimerRef[];
  started: TimerStart[];
  /** Names of the clocks that stopped or resumed, for the timeline. */
  names: string[];
}

/**
 * Stops the clocks `trigger` stops at `at`: met before dueAt, breached from it; `cancel` records them stopped.
 * A paused clock is first resumed at `at` (its paused time folded into its times), so a complaint resolved
 * during an external appraisal is judged against the deadline that excludes the appraisal. Its timer was
 * already stopped by the pause, so no stopTimer is owed for it.
 */
export function stopClocks(item: FeedbackItem, trigger: ClockTrigger, at: string): ClockChange {
  const records = clockRecords(item);
  const how = trigger === 'cancel' ? 'cancelled' : 'satisfied';
  const stopsHere = (r: ClockRecord) => !r.stoppedAt && (trigger !== 'first_response' || r.stoppedBy.includes('first_response'));
  const folded = new Set<string>();
  const prepared = records.map((r) => {
    if (!stopsHere(r) || !r.pausedAt) return r;
    folded.add(r.name);
    // resumePlan keeps every other field of the record (marks, generation); never resume before the pause.
    return resumePlan(r, Date.parse(at) < Date.parse(r.pausedAt) ? r.pausedAt : at) as ClockRecord;
  });
  const base = folded.size ? withClockRecords(item, prepared, at) : item;
  const { item: next, stopped } = stopComplaintClocks(base, trigger === 'first_response' ? 'first_response' : 'all', at, how);
  return { item: next, stopped: stopped.filter((t) => !folded.has(t.clock)), started: [], names: stopped.map((t) => t.clock) };
}

/**
 * Resumes the clocks a resolution at `resolvedAt` stopped (a reopened complaint is still owed its
 * regulatory answer, counted from receipt as before); clocks stopped earlier (by the first response)
 * stay stopped. Timers restart for those whose level-2 time is still ahead.
 */
export function reopenClocks(item: FeedbackItem, resolvedAt: string, now: string): ClockChange {
  const records = clockRecords(item);
  // Not a complaint (no clock records): nothing to resume, and the item keeps its shape.
  if (records.length === 0) return { item, stopped: [], started: [], names: [] };
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
  return { item: withClockRecords(item, next, now), stopped: [], started, names: resumed.map((r) => r.name) };
}

/** Plans the clocks of an item a handler reclassified as a complaint (as if it had been one from receipt). */
export function openClocks(item: FeedbackItem, policy: ClockPolicy, now: string): ClockChange {
  const { item: planned, timers } = openComplaintClocks(item, policy);
  const records = clockRecords(planned);
  return {
    item: withClockRecords(planned, records, now),
    stopped: [],
    started: timers.filter((t) => Date.parse(t.escalateAt) > Date.parse(now)),
    names: records.map((r) => r.name),
  };
}

/**
 * Replans a complaint's first-response clock after its severity changed (the target tightens with severity:
 * a quarter of it for `critical`), as if the new severity had been known at receipt. Only a clock still
 * running and never extended is replanned; it takes a new generation (its timer gets a new name) and any
 * announcement marks start afresh, since the deadline they announced is gone.
 */
export function replanFirstResponse(item: FeedbackItem, policy: ClockPolicy, now: string): ClockChange {
  const unchanged: ClockChange = { item, stopped: [], started: [], names: [] };
  const records = clockRecords(item);
  const current = records.find((r) => r.name === policy.firstResponse.name);
  if (!current || current.stoppedAt || current.pausedAt || current.extensions.length) return unchanged;
  const fresh = clockRecords(openComplaintClocks(item, policy).item).find((r) => r.name === current.name);
  if (!fresh || fresh.dueAt === current.dueAt) return unchanged;
  const replanned: ClockRecord = { ...fresh, generation: (current.generation ?? 0) + 1 };
  const next = withClockRecords(item, records.map((r) => (r === current ? replanned : r)), now);
  return {
    item: next,
    stopped: [timerRefFor(item, current)],
    started: Date.parse(replanned.escalateAt) > Date.parse(now) ? [timerFor(next, replanned)] : [],
    names: [current.name],
  };
}

/** The outcome of a regulatory action on one clock. */
export interface ClockActionChange extends ClockChange {
  /** The clock's record before and after the action. */
  before: ClockRecord;
  after: ClockRecord;
}

/**
 * Clears the announcement marks whose time has moved into the future, so the warning, breach or level-2
 * escalation is announced again when the new time comes; marks whose time is still past stay (their
 * event went out once and is still true).
 */
function clearFutureMarks(record: ClockRecord, at: string): ClockRecord {
  const atMs = Date.parse(at);
  const next = { ...record };
  if (next.warnedAt && Date.parse(next.warnAt) > atMs) delete next.warnedAt;
  if (next.breachedAt && Date.parse(next.dueAt) > atMs) delete next.breachedAt;
  if (next.escalatedAt && Date.parse(next.escalateAt) > atMs) delete next.escalatedAt;
  return next;
}

/** The record named `clock` and the item's records, or UnknownClockError; a stopped clock cannot be changed. */
function runningRecord(item: FeedbackItem, clock: string, what: string): { records: ClockRecord[]; index: number; record: ClockRecord } {
  const records = clockRecords(item);
  const index = records.findIndex((r) => r.name === clock);
  if (index < 0) throw new UnknownClockError({ id: item.id, version: item.version }, clock, records.map((r) => r.name));
  const record = records[index]!;
  if (record.stoppedAt) throw new ClockOperationError(clock, `stopped at ${record.stoppedAt}; only a running clock can be ${what}`);
  return { records, index, record };
}

/** The new timer of a record, when it is running (not paused) and its level-2 time is still ahead. */
function timerToStart(item: FeedbackItem, record: ClockRecord, at: string): TimerStart[] {
  return !record.pausedAt && !record.stoppedAt && Date.parse(record.escalateAt) > Date.parse(at) ? [timerFor(item, record)] : [];
}

/**
 * Extends the running clock `clock` for `reason` as its rule allows (the new total counts from receipt).
 * The old timer stops and one for the new times starts (none while the clock is paused: the resume starts it).
 * @throws UnknownClockError when the complaint has no such clock.
 * @throws ClockOperationError when the clock is stopped, the extension was already applied, or its rule does
 *   not offer `reason` (or its prerequisite is missing).
 */
export function extendItemClock(item: FeedbackItem, clock: string, reason: string, at: string): ClockActionChange & { customerNotice: boolean } {
  const { records, index, record: before } = runningRecord(item, clock, 'extended');
  if (before.extensions.includes(reason)) {
    throw new ClockOperationError(clock, `extension "${reason}" was already applied (due ${before.dueAt}); an extension is applied once`);
  }
  const extension = extendPlan(before, reason);
  // extendPlan spreads the record it is given, so the stored fields (generation, marks) carry over.
  const after = clearFutureMarks(extension.plan as ClockRecord, at);
  records[index] = after;
  return {
    item: withClockRecords(item, records, at),
    stopped: before.pausedAt ? [] : [timerRefFor(item, before)],
    started: timerToStart(item, after, at),
    names: [clock],
    before,
    after,
    customerNotice: extension.customerNotice,
  };
}

/**
 * Pauses the running clock `clock` for `reason` (China: external appraisal). Its timer stops; its times stay
 * until the resume adds the paused time to them.
 * @throws UnknownClockError when the complaint has no such clock.
 * @throws ClockOperationError when the clock is stopped, already paused, or its rule allows no such pause.
 */
export function pauseItemClock(item: FeedbackItem, clock: string, reason: string, at: string): ClockActionChange {
  const { records, index, record: before } = runningRecord(item, clock, 'paused');
  const after = pausePlan(before, at, reason) as ClockRecord;
  records[index] = after;
  return { item: withClockRecords(item, records, at), stopped: [timerRefFor(item, before)], started: [], names: [clock], before, after };
}

/**
 * Resumes the paused clock `clock`: its warn, due and level-2 times move by exactly the paused time, and a
 * timer for them starts under a new generation (a resume at the pause instant leaves the due time as it
 * was, and the stopped timer's execution name cannot be reused).
 * @throws UnknownClockError when the complaint has no such clock.
 * @throws ClockOperationError when the clock is stopped or not paused.
 */
export function resumeItemClock(item: FeedbackItem, clock: string, at: string): ClockActionChange & { pausedMs: number } {
  const { records, index, record: before } = runningRecord(item, clock, 'resumed');
  if (!before.pausedAt) throw new ClockOperationError(clock, 'is not paused');
  const resumed = resumePlan(before, at) as ClockRecord;
  const after = clearFutureMarks({ ...resumed, generation: (before.generation ?? 0) + 1 }, at);
  records[index] = after;
  return {
    item: withClockRecords(item, records, at),
    stopped: [],
    started: timerToStart(item, after, at),
    names: [clock],
    before,
    after,
    pausedMs: Date.parse(at) - Date.parse(before.pausedAt),
  };
}

/**
 * Whether some clock of the item could take a command of this kind now (for the `allowed` list of a 409):
 * `extend` needs a running clock with an extension not yet applied whose prerequisite is met, `pause` a
 * running clock that is not paused and whose rule allows pauses, `resume` a paused running clock.
 */
export function clockActionAvailable(item: FeedbackItem, action: 'extend' | 'pause' | 'resume'): boolean {
  return clockRecords(item).some((r) => {
    if (r.stoppedAt) return false;
    switch (action) {
      case 'extend':
        return r.rule.extensions.some((e) => !r.extensions.includes(e.reason) && (!e.requires || r.extensions.includes(e.requires)));
      case 'pause':
        return !r.pausedAt && r.rule.pauseReasons.length > 0;
      case 'resume':
        return r.pausedAt !== undefined;
    }
  });
}
