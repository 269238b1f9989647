/** What a clock timer does when it wakes: re-check the complaint and record (once) what is due. */
import { checkClock, type ClockStage } from '../clocks/complaint-clocks.ts';
import type { EventBus } from '../ports/event-bus.ts';
import { VersionConflictError, type FeedbackRepository, type OutboxEntry } from '../ports/feedback-repository.ts';
import { flushOutbox, outboxOf } from './outbox.ts';

export interface ClockCheckDeps {
  repository: FeedbackRepository;
  eventBus: EventBus;
  now?: () => Date;
}

export interface ClockCheckInput {
  feedbackId: string;
  clock: string;
  stage: ClockStage;
}

/**
 * Re-reads the item, applies the stage's transition (if the clock still runs and its time has come),
 * writes it with one conditional put carrying the events in the item's outbox, then publishes them.
 * A concurrent admin change makes the put fail on `version`; we re-read and decide again, so a response
 * that landed first always silences the clock.
 * @returns whether the timer should keep waiting for the next stage.
 */
export async function runClockCheck(input: ClockCheckInput, deps: ClockCheckDeps): Promise<{ continue: boolean; emitted: string[] }> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const stored = await deps.repository.get(input.feedbackId);
    if (!stored) return { continue: false, emitted: [] };
    const now = (deps.now?.() ?? new Date()).toISOString();
    const result = checkClock(stored.item, input.clock, input.stage, now);
    if (!result.changed) {
      if (Object.keys(stored.outbox).length) await flushOutbox(stored, deps);
      return { continue: result.continue, emitted: [] };
    }
    const next = { ...result.item, version: stored.item.version + 1 };
    const outbox = { ...stored.outbox, ...outboxOf(result.events.map((event): OutboxEntry => ({ kind: 'event', event }))) };
    try {
      const written = await deps.repository.replace(next, stored.item.version, outbox);
      await flushOutbox(written, deps);
      return { continue: result.continue, emitted: result.events.map((e) => e.detailType) };
    } catch (err) {
      if (!(err instanceof VersionConflictError)) throw err;
    }
  }
  throw new Error(`clock check for ${input.feedbackId}/${input.clock} kept losing to concurrent updates`);
}
