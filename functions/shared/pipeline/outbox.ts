/** Carrying out an item's outbox: publish its events, start and stop its timers, then remove what was done. */
import type { ClockTimer } from '../ports/clock-timer.ts';
import type { EventBus } from '../ports/event-bus.ts';
import type { FeedbackRepository, OutboxEntry, StoredFeedback } from '../ports/feedback-repository.ts';
import { outboxKey } from '../ports/feedback-repository.ts';

export interface OutboxDeps {
  repository: Pick<FeedbackRepository, 'completeOutbox'>;
  eventBus: EventBus;
  /** Absent where no clocks run (then timer entries stay owed for a function that has a timer). */
  clockTimer?: ClockTimer;
}

/** Builds an outbox map from entries. */
export function outboxOf(entries: OutboxEntry[]): Record<string, OutboxEntry> {
  return Object.fromEntries(entries.map((e) => [outboxKey(e), e]));
}

/**
 * Does everything in the outbox and removes it. Events go out in one publish (ids are deterministic,
 * so a repeat is recognisable); timers start/stop idempotently. Throws if anything fails: the entries
 * stay, and the next attempt (SQS retry, admin retry, sweeper) does them again.
 */
export async function flushOutbox(stored: StoredFeedback, deps: OutboxDeps): Promise<string[]> {
  const entries = Object.entries(stored.outbox ?? {});
  if (entries.length === 0) return [];
  const done: string[] = [];
  const events = entries.filter(([, e]) => e.kind === 'event');
  if (events.length) {
    await deps.eventBus.publish(events.map(([, e]) => (e as Extract<OutboxEntry, { kind: 'event' }>).event));
    done.push(...events.map(([k]) => k));
  }
  if (deps.clockTimer) {
    for (const [key, entry] of entries) {
      if (entry.kind === 'startTimer') await deps.clockTimer.start(entry.timer);
      else if (entry.kind === 'stopTimer') await deps.clockTimer.stop(entry.timer);
      else continue;
      done.push(key);
    }
  }
  await deps.repository.completeOutbox(stored.item.id, done);
  return done;
}
