/**
 * Step Functions naming of clock timers: the execution name (idempotent starts, stops by name) and the
 * execution input. Step Functions' own rules (80-character names, whole-second Waits) live here, with
 * its adapter, not in the ClockTimer port; the local runner (infra/local) runs the same state machine
 * and so names its executions the same way.
 */
import type { TimerRef, TimerStart } from '../../ports/clock-timer.ts';

/**
 * The execution name of a clock's timer: `<feedbackId>--<clock>--<due time, base 36 seconds>`, unique
 * per (complaint, clock, due time) and at most 80 characters (Step Functions' limit), so starting the
 * same timer twice is recognised and an extended clock gets a fresh execution.
 */
export function timerExecutionName(timer: TimerRef): string {
  const due = Math.floor(Date.parse(timer.dueAt) / 1000).toString(36);
  const generation = timer.generation ? `-g${timer.generation}` : '';
  return `${timer.feedbackId}--${timer.clock}--${due}${generation}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 80);
}

/** An instant as a Step Functions Wait timestamp: whole seconds (it truncates milliseconds), rounded up so it never wakes early. */
export function waitTimestamp(iso: string): string {
  const ms = Date.parse(iso);
  return new Date(Math.ceil(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * The execution input of a clock timer. Step Functions in AWS truncates Wait timestamps to whole
 * seconds, so there they are rounded up (`wholeSeconds`); the local runner keeps milliseconds.
 */
export function timerExecutionInput(timer: TimerStart, { wholeSeconds = true } = {}): Record<string, string> {
  const at = (iso: string) => (wholeSeconds ? waitTimestamp(iso) : iso);
  return {
    feedbackId: timer.feedbackId,
    clock: timer.clock,
    warnAt: at(timer.warnAt),
    // The Wait reads dueAtWait; `dueAt` stays exact because it is part of event ids.
    dueAt: timer.dueAt,
    dueAtWait: at(timer.dueAt),
    escalateAt: at(timer.escalateAt),
  };
}
