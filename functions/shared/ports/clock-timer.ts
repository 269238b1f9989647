/**
 * Port: the timers behind complaint clocks (Step Functions Standard executions in AWS; the same state
 * machine run by aws-local-stepfunctions on one machine). Both operations are idempotent.
 */
import type { TimerRef, TimerStart } from './feedback-repository.ts';

export interface ClockTimer {
  /** Starts the timer for one clock; starting one that already exists does nothing. */
  start(timer: TimerStart): Promise<void>;
  /** Stops a clock's timer; stopping one that is not running (or never ran) does nothing. */
  stop(timer: TimerRef): Promise<void>;
}

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
