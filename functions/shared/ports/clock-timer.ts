/**
 * Port: the timers behind complaint clocks (Step Functions Standard executions in AWS; the same state
 * machine run by aws-local-stepfunctions on one machine). Both operations are idempotent.
 */

/** Which timer: one per (complaint, clock, due time); an extended clock gets a new timer. */
export interface TimerRef {
  feedbackId: string;
  clock: string;
  dueAt: string;
  /** Bumped each time a stopped clock is resumed (a reopened complaint), so its new timer has a new name. */
  generation?: number;
}

/** A clock timer to start, with the instants it wakes at. */
export interface TimerStart extends TimerRef {
  warnAt: string;
  escalateAt: string;
}

export interface ClockTimer {
  /** Starts the timer for one clock; starting one that already exists does nothing. */
  start(timer: TimerStart): Promise<void>;
  /** Stops a clock's timer; stopping one that is not running (or never ran) does nothing. */
  stop(timer: TimerRef): Promise<void>;
}
