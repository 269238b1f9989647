/**
 * The sweeper: repairs what the timers missed. For every complaint whose next clock announcement is
 * overdue by more than a grace period (its timer never ran, failed, or the stack was down), it runs the
 * due checks directly (each announcement goes out once: the item records it) and makes sure each
 * running clock has its timer (starting one is idempotent).
 */
import { runningClocks, timerFor, type ClockStage } from '../clocks/complaint-clocks.ts';
import type { ClockActionsIndex } from '../ports/clock-actions.ts';
import type { ClockTimer } from '../ports/clock-timer.ts';
import type { EventBus } from '../ports/event-bus.ts';
import type { FeedbackRepository } from '../ports/feedback-repository.ts';
import { runClockCheck } from './clock-check.ts';
import { flushOutbox } from './outbox.ts';

/**
 * How long a clock announcement may be overdue before the sweeper repairs it: long enough that a timer
 * running a little late (Step Functions start latency, a retried Lambda) is not raced, short enough
 * that a lost timer's announcement is only minutes late. The one default for AWS and the local stack;
 * tests shorten it through the local stack's `sweepGraceMs`.
 */
export const SWEEP_GRACE_MS = 120_000;

export interface SweepDeps {
  repository: FeedbackRepository;
  eventBus: EventBus;
  clockTimer: ClockTimer;
  actions: ClockActionsIndex;
  now?: () => Date;
}

export interface SweepResult {
  examined: number;
  announced: number;
}

/** One sweep over complaints whose clock announcements are overdue by `graceMs`. */
export async function sweepClocks(deps: SweepDeps, graceMs = SWEEP_GRACE_MS, limit = 500): Promise<SweepResult> {
  const now = deps.now?.() ?? new Date();
  const ids = await deps.actions.overdue(new Date(now.getTime() - graceMs).toISOString(), limit);
  let announced = 0;
  for (const id of ids) {
    const stored = await deps.repository.get(id);
    if (!stored) continue;
    if (Object.keys(stored.outbox).length) await flushOutbox(stored, deps);
    for (const record of runningClocks(stored.item)) {
      const stage = latestDueStage(record, now);
      if (stage) {
        const result = await runClockCheck({ feedbackId: id, clock: record.name, stage }, deps);
        announced += result.emitted.length;
      }
      // A clock with a stage still ahead needs its timer; starting one that exists does nothing.
      if (Date.parse(record.escalateAt) > now.getTime()) await deps.clockTimer.start(timerFor(stored.item, record));
    }
  }
  return { examined: ids.length, announced };
}

function latestDueStage(record: { warnAt: string; dueAt: string; escalateAt: string }, now: Date): ClockStage | undefined {
  const t = now.getTime();
  if (t >= Date.parse(record.escalateAt)) return 'escalate';
  if (t >= Date.parse(record.dueAt)) return 'breach';
  if (t >= Date.parse(record.warnAt)) return 'warning';
  return undefined;
}
