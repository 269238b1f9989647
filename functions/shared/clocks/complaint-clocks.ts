/**
 * A complaint's clocks as stored on its item, and the pure transitions the timers, the sweeper and the
 * admin actions apply to them. Each stored record is a ClockPlan (policy applied) plus what happened to
 * it: when it stopped and how, and when its warning, breach and level-2 escalation were announced. Those
 * `…At` marks are what make every clock event go out exactly once, whoever notices the transition first.
 */
import * as z from 'zod/mini';
import '../../../schemas/zod-locale.ts';
import type { Clock, FeedbackItem } from '../../../schemas/feedback.ts';
import type { EventType } from '../../../schemas/event-names.ts';
import { domainEvent } from '../events/domain-events.ts';
import type { DomainEvent } from '../ports/event-bus.ts';
import type { TimerRef, TimerStart } from '../ports/clock-timer.ts';
import { CalendarRangeError } from './errors.ts';
import { ClockPlan, clockStateAt, planClocks } from './plan.ts';
import type { ClockPolicy, StopTrigger } from './policy.ts';

export const ClockRecord = z.extend(ClockPlan, {
  stoppedAt: z.optional(z.iso.datetime()),
  /** `satisfied`: a response/resolution (met or breached); `cancelled`: no longer a complaint. */
  stopHow: z.optional(z.enum(['satisfied', 'cancelled'])),
  warnedAt: z.optional(z.iso.datetime()),
  breachedAt: z.optional(z.iso.datetime()),
  escalatedAt: z.optional(z.iso.datetime()),
  /** How many times this clock was resumed after a stop (reopened complaints): names its new timer. */
  generation: z.optional(z.number().check(z.int(), z.minimum(0))),
});
export type ClockRecord = z.infer<typeof ClockRecord>;

/** The three moments a timer checks a clock at. */
export type ClockStage = 'warning' | 'breach' | 'escalate';

/** The stored clock records of an item (none for items that are not complaints). */
export function clockRecords(item: Pick<FeedbackItem, 'clockPlans'>): ClockRecord[] {
  return (item.clockPlans ?? []).map((r) => ({ ...r }));
}

/** The item with `records` as its clock records and its `clocks` view evaluated at `now` (the two are written together). */
export function withClockRecords(item: FeedbackItem, records: ClockRecord[], now: string): FeedbackItem {
  return { ...item, clockPlans: records, clocks: records.map((r) => recordView(r, now)) };
}

/** The design's `clocks[]` entry for a record at `now`, plus the announcement marks. */
export function recordView(record: ClockRecord, now: string): Clock & Record<string, unknown> {
  const { state, escalationLevel } = clockStateAt(record, now, record.stoppedAt, record.stopHow ?? 'satisfied');
  return {
    name: record.name,
    startedAt: record.startedAt,
    warnAt: record.warnAt,
    dueAt: record.dueAt,
    escalateAt: record.escalateAt,
    state,
    escalationLevel,
    ...(record.stoppedAt ? { stoppedAt: record.stoppedAt } : {}),
    ...(record.warnedAt ? { warnedAt: record.warnedAt } : {}),
    ...(record.breachedAt ? { breachedAt: record.breachedAt } : {}),
    ...(record.escalatedAt ? { escalatedAt: record.escalatedAt } : {}),
  };
}

/** The current `clocks[]` of an item, evaluated at `now` (a running clock past its due time shows breached). */
export function itemClockViews(item: FeedbackItem, now: string): Clock[] {
  const records = clockRecords(item);
  if (records.length) return records.map((r) => recordView(r, now));
  // Only the stored view (e.g. read from the metrics index, which does not project the records): a
  // clock that was running when last written is judged against its due and escalation times now.
  return (item.clocks ?? []).map((c) => {
    if (c.state !== 'running') return c;
    const escalateAt = (c as Clock & { escalateAt?: string }).escalateAt;
    if (Date.parse(now) < Date.parse(c.dueAt)) return c;
    return { ...c, state: 'breached', escalationLevel: escalateAt && Date.parse(now) >= Date.parse(escalateAt) ? 2 : Math.max(1, c.escalationLevel) };
  });
}

/** The timer a record runs under, to stop it (its name depends on the item, the clock, the due time and generation). */
export function timerRefFor(item: Pick<FeedbackItem, 'id'>, record: ClockRecord): TimerRef {
  return { feedbackId: item.id, clock: record.name, dueAt: record.dueAt, ...(record.generation ? { generation: record.generation } : {}) };
}

/** The timer input for a record. */
export function timerFor(item: Pick<FeedbackItem, 'id'>, record: ClockRecord): TimerStart {
  return {
    feedbackId: item.id, clock: record.name, warnAt: record.warnAt, dueAt: record.dueAt, escalateAt: record.escalateAt,
    ...(record.generation ? { generation: record.generation } : {}),
  };
}

/**
 * Plans the clocks of a new complaint. If the holiday data does not reach the resolution deadline
 * (CalendarRangeError), the complaint still gets its first-response clock and a timeline note saying
 * which clock could not be planned and why, so the gap is visible rather than silent.
 */
export function openComplaintClocks(item: FeedbackItem, policy: ClockPolicy): { item: FeedbackItem; timers: TimerStart[] } {
  const input = { receivedAt: item.receivedAt, category: item.category, severity: item.severity };
  let plans: ClockPlan[];
  let note: string | undefined;
  try {
    plans = planClocks(input, policy);
  } catch (err) {
    if (!(err instanceof CalendarRangeError)) throw err;
    plans = planClocks(input, { ...policy, jurisdiction: 'none' });
    note = `resolution clock not planned: ${err.message}`;
  }
  const next = withClockRecords(item, plans, item.receivedAt);
  if (note) next.timeline = [...next.timeline, { at: item.receivedAt, type: 'clock_not_planned', actor: 'system', data: { reason: note } }];
  return { item: next, timers: plans.map((p) => timerFor(item, p)) };
}

export interface ClockCheckResult {
  /** The item with the transition recorded (same object when nothing changed). */
  item: FeedbackItem;
  events: DomainEvent[];
  changed: boolean;
  /** Whether the timer should go on waiting for the next stage. */
  continue: boolean;
}

const STAGES: Record<ClockStage, { at: keyof ClockRecord; mark: 'warnedAt' | 'breachedAt' | 'escalatedAt'; type: EventType; level: number; last: boolean }> = {
  warning: { at: 'warnAt', mark: 'warnedAt', type: 'Complaint.SlaWarning', level: 0, last: false },
  breach: { at: 'dueAt', mark: 'breachedAt', type: 'Complaint.SlaBreached', level: 1, last: false },
  escalate: { at: 'escalateAt', mark: 'escalatedAt', type: 'Complaint.Escalated', level: 2, last: true },
};

/**
 * What a timer waking at `stage` does: re-read the clock (the complaint may have been answered, resolved
 * or reclassified meanwhile), and if it is still running and the stage's time has come, record the
 * transition and emit its event. A repeated check finds the mark and emits nothing.
 */
export function checkClock(item: FeedbackItem, clockName: string, stage: ClockStage, now: string): ClockCheckResult {
  const records = clockRecords(item);
  const record = records.find((r) => r.name === clockName);
  const unchanged = (cont: boolean): ClockCheckResult => ({ item, events: [], changed: false, continue: cont });
  // A paused clock announces nothing (its times move by the paused time on resume, which starts a new timer).
  if (!record || record.stoppedAt || record.pausedAt || item.kind !== 'complaint' || item.status === 'resolved') return unchanged(false);
  const spec = STAGES[stage];
  if (Date.parse(now) < Date.parse(record[spec.at] as string)) return unchanged(true);
  // Announce any earlier stage a late timer skipped (e.g. the stack was down), in order, once each.
  const order: ClockStage[] = ['warning', 'breach', 'escalate'];
  const events: DomainEvent[] = [];
  for (const s of order.slice(0, order.indexOf(stage) + 1)) {
    const st = STAGES[s];
    if (record[st.mark]) continue;
    record[st.mark] = now;
    events.push(clockEvent(item, st.type, record, st.level, now));
  }
  if (events.length === 0) return unchanged(!spec.last);
  const next = withClockRecords(item, records, now);
  return { item: next, events: events.map((e) => ({ ...e, detail: { ...e.detail, status: next.status } })), changed: true, continue: !spec.last };
}

/** A clock event with the design's fields; its id is unique per (item, clock, stage, due time). */
export function clockEvent(item: FeedbackItem, type: EventType, record: ClockRecord, escalationLevel: number, at: string): DomainEvent {
  const event = domainEvent(item, type, at, `${record.name}:${record.dueAt}`);
  return { ...event, detail: { ...event.detail, clock: record.name, dueAt: record.dueAt, escalationLevel } };
}

/**
 * Stops the running clocks that `trigger` stops (a first response stops the first-response clock; a
 * resolution stops every clock). Returns the item and the timers to stop.
 */
export function stopComplaintClocks(
  item: FeedbackItem,
  trigger: StopTrigger | 'all',
  now: string,
  how: 'satisfied' | 'cancelled' = 'satisfied',
): { item: FeedbackItem; stopped: TimerRef[] } {
  const records = clockRecords(item);
  const stopped: TimerRef[] = [];
  for (const r of records) {
    if (r.stoppedAt) continue;
    if (trigger !== 'all' && !r.stoppedBy.includes(trigger)) continue;
    r.stoppedAt = now;
    r.stopHow = how;
    stopped.push(timerRefFor(item, r));
  }
  if (stopped.length === 0) return { item, stopped };
  return { item: withClockRecords(item, records, now), stopped };
}

/** The records that are running (not stopped, not paused), for the sweeper: a paused clock has no timer on purpose. */
export function runningClocks(item: FeedbackItem): ClockRecord[] {
  return clockRecords(item).filter((r) => !r.stoppedAt && !r.pausedAt);
}
