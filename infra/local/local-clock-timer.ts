/**
 * ClockTimer on one machine: each timer is an execution of the CDK-synthesized clock state machine,
 * run by aws-local-stepfunctions with its Task states bound to local handlers (the clock check, and the
 * fallback announcement on the local bus). Starts, stops and completions are journaled, so after a
 * restart every clock that was still running is resumed: Wait states whose time has passed return at
 * once, and the checks (idempotent) announce what fell due while the stack was down, once.
 */
import { join } from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import type { ClockTimer } from '../../functions/shared/ports/clock-timer.ts';
import { timerExecutionInput, timerExecutionName } from '../../functions/shared/adapters/aws/sfn-execution-naming.ts';
import type { DomainEvent, EventBus } from '../../functions/shared/ports/event-bus.ts';
import type { TimerRef, TimerStart } from '../../functions/shared/ports/clock-timer.ts';
import type { ClockCheckInput } from '../../functions/shared/pipeline/clock-check.ts';
import { errorFields, type Logger } from '../../functions/shared/logger.ts';
import { CLOCK_STATES } from '../constructs/clock-states.ts';
import { loadClockDefinition } from './clock-definition.ts';
import { Journal } from './journal.ts';

/** The longest delay a Node timer takes (2^31 - 1 ms), less a margin. */
const MAX_TIMER_MS = 2 ** 31 - 1 - 60_000;

/** Resolves at `until` (epoch ms), however far away, sleeping in chunks a Node timer can hold; rejects when aborted. */
export async function sleepUntil(until: number, signal: AbortSignal): Promise<void> {
  while (Date.now() < until) {
    if (signal.aborted) throw new Error('aborted');
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(resolve, Math.min(until - Date.now(), MAX_TIMER_MS));
      signal.addEventListener('abort', () => (clearTimeout(t), reject(new Error('aborted'))), { once: true });
    });
  }
}

type TimerRecord = { op: 'start'; name: string; input: Record<string, string> } | { op: 'end'; name: string };

export interface LocalClockTimerDeps {
  dataDir: string;
  /** Runs one clock check (the clock-check Lambda's work) and answers whether to keep waiting. */
  check: (input: ClockCheckInput) => Promise<{ continue: boolean }>;
  eventBus: EventBus;
  logger: Logger;
}

export class LocalClockTimer implements ClockTimer {
  private readonly machine: StateMachine;
  private readonly pending = new Map<string, Record<string, string>>();
  private readonly running = new Map<string, { abort: () => void; done: Promise<unknown> }>();
  private readonly used = new Set<string>();
  /** Timers being journaled by start(), not running yet (not stalled either). */
  private readonly starting = new Set<string>();
  private journal!: Journal;
  private closed = false;
  private resumed = false;
  /** State transitions so far (what Step Functions Standard bills), for the usage meter. */
  transitions = 0;

  private constructor(
    private readonly deps: LocalClockTimerDeps,
    definition: Record<string, unknown>,
  ) {
    this.machine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });
  }

  /** Opens the timer journal and resumes every timer that had not ended. */
  static async open(deps: LocalClockTimerDeps): Promise<LocalClockTimer> {
    const timer = new LocalClockTimer(deps, await loadClockDefinition());
    timer.journal = Journal.open<TimerRecord>(
      join(deps.dataDir, 'clock-timers.jsonl'),
      (r) => {
        timer.used.add(r.name);
        if (r.op === 'start') timer.pending.set(r.name, r.input);
        else timer.pending.delete(r.name);
      },
      () => [...timer.pending].map(([name, input]) => ({ op: 'start', name, input })),
    );
    return timer;
  }

  /** Resumes the timers that were running when the stack stopped. */
  resume(): number {
    this.resumed = true;
    for (const [name, input] of this.pending) this.run(name, input);
    return this.pending.size;
  }

  async start(timer: TimerStart): Promise<void> {
    const name = timerExecutionName(timer);
    if (this.used.has(name)) return; // as Step Functions: an execution name is used once
    const input = timerExecutionInput(timer, { wholeSeconds: false });
    this.used.add(name);
    this.pending.set(name, input);
    this.starting.add(name);
    try {
      await this.journal.append({ op: 'start', name, input });
      this.run(name, input);
    } finally {
      this.starting.delete(name);
    }
  }

  async stop(timer: TimerRef): Promise<void> {
    const name = timerExecutionName(timer);
    const execution = this.running.get(name);
    if (!this.pending.has(name) && !execution) return;
    this.pending.delete(name);
    this.running.delete(name);
    execution?.abort();
    await this.journal.append({ op: 'end', name });
  }

  /**
   * Throws when clocks would not be kept or would not fire: the runner is closed, its journal is
   * unusable, or a timer that should be running is not (its execution failed, and nothing restarts it
   * before the stack does). For /health.
   */
  check(): void {
    if (this.closed) throw new Error('the clock runner is closed');
    this.journal.check();
    if (!this.resumed) return;
    const stalled = [...this.pending.keys()].filter((name) => !this.running.has(name) && !this.starting.has(name)).length;
    if (stalled > 0) throw new Error(`${stalled} clock timer(s) stopped by an error`);
  }

  /** Timers currently running (for health and tests). */
  get active(): number {
    return this.running.size;
  }

  private run(name: string, input: Record<string, string>): void {
    if (this.running.has(name) || this.closed) return;
    // Node timers cannot wait longer than 2^31-1 ms (24.8 days), and a Wait state would fire at once.
    // For such a wait, the Wait state is overridden to 0 and the check task that follows it sleeps
    // (in chunks) until the same instant: same states, same order, same instants.
    const sleeping = new AbortController();
    const waitTimeOverrides: Record<string, number> = {};
    const sleepBefore: Record<string, number> = {};
    const waits: Array<[string, string, string | undefined]> = [
      ['WaitForWarning', CLOCK_STATES.checkWarning, input.warnAt],
      ['WaitForDue', CLOCK_STATES.checkBreach, input.dueAtWait],
      ['WaitForEscalation', CLOCK_STATES.checkEscalation, input.escalateAt],
    ];
    for (const [wait, check, at] of waits) {
      const ms = Date.parse(at ?? '') - Date.now();
      if (ms > MAX_TIMER_MS) {
        waitTimeOverrides[wait] = 0;
        sleepBefore[check] = Date.parse(at!);
      }
    }
    const checkAfterSleep = async (state: string, params: unknown) => {
      if (sleepBefore[state]) await sleepUntil(sleepBefore[state]!, sleeping.signal);
      return this.checkTask(params);
    };
    const execution = this.machine.run(input, {
      noThrowOnAbort: true,
      // As in AWS, the context object names the execution (the check task passes it on for log correlation).
      context: { Execution: { Name: name } },
      overrides: {
        waitTimeOverrides,
        taskResourceLocalHandlers: {
          [CLOCK_STATES.checkWarning]: (params) => checkAfterSleep(CLOCK_STATES.checkWarning, params),
          [CLOCK_STATES.checkBreach]: (params) => checkAfterSleep(CLOCK_STATES.checkBreach, params),
          [CLOCK_STATES.checkEscalation]: (params) => checkAfterSleep(CLOCK_STATES.checkEscalation, params),
          [CLOCK_STATES.breachFallback]: (params) => this.fallbackTask(params),
          [CLOCK_STATES.escalationFallback]: (params) => this.fallbackTask(params),
        },
      },
    });
    void (async () => {
      try {
        for await (const e of execution.eventLogs) if (e.type === 'StateEntered') this.transitions++;
      } catch {
        // the log ends with the execution (also when aborted)
      }
    })();
    const done = execution.result
      .then(async (result) => {
        if (result === null || this.closed) return; // aborted (stopped, or the stack is closing)
        this.running.delete(name);
        this.pending.delete(name);
        await this.journal.append({ op: 'end', name });
      })
      .catch((err: unknown) => {
        this.running.delete(name);
        this.deps.logger.error('clock execution failed', { execution: name, ...errorFields(err) });
      });
    this.running.set(name, {
      abort: () => {
        sleeping.abort();
        execution.abort();
      },
      done,
    });
  }

  /** The lambda:invoke task: Parameters {FunctionName, Payload} in, {Payload} out, as Lambda answers. */
  private async checkTask(params: unknown): Promise<{ Payload: { continue: boolean } }> {
    const payload = (params as { Payload: ClockCheckInput }).Payload;
    return { Payload: await this.deps.check(payload) };
  }

  /** The events:putEvents fallback task: publish its entries on the local bus. */
  private async fallbackTask(params: unknown): Promise<{ FailedEntryCount: number }> {
    const entries = (params as { Entries: Array<{ Detail: Record<string, unknown> | string; DetailType: string }> }).Entries;
    const events: DomainEvent[] = entries.map((e) => {
      const detail = typeof e.Detail === 'string' ? (JSON.parse(e.Detail) as Record<string, unknown>) : e.Detail;
      return { id: String(detail.eventId), detailType: e.DetailType, time: String(detail.occurredAt ?? new Date().toISOString()), detail };
    });
    await this.deps.eventBus.publish(events);
    return { FailedEntryCount: 0 };
  }

  /** Aborts every execution (they resume from the journal at the next start). */
  async close(): Promise<void> {
    this.closed = true;
    for (const { abort } of this.running.values()) abort();
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
    this.running.clear();
    await this.journal.close();
  }
}
