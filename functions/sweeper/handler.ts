/**
 * The sweeper Lambda (scheduled every few minutes): repairs clock announcements and timers the timers
 * missed, and re-queues replies whose send is overdue (their queue message was never sent or was lost).
 */
import middy from '@middy/core';
import { errorFields, type Logger } from '../shared/logger.ts';
import { SWEEP_GRACE_MS, sweepClocks, type SweepDeps, type SweepResult } from '../shared/pipeline/sweep.ts';
import { sweepReplies, type SweepRepliesDeps, type SweepRepliesResult } from '../shared/pipeline/sweep-replies.ts';

export type SweeperResult = SweepResult & { replies: SweepRepliesResult };

/** Builds the scheduled sweeper handler over its ports (`graceMs` defaults to `SWEEP_GRACE_MS`). */
export function createSweeperHandler(deps: SweepDeps & Omit<SweepRepliesDeps, 'repository'> & { logger: Logger; graceMs?: number }) {
  return middy<unknown, SweeperResult>().handler(async () => {
    const grace = deps.graceMs ?? SWEEP_GRACE_MS;
    // Both run even when the other fails (a clock sweep failing must not strand replies); the failure is then rethrown.
    const [clocks, replies] = await Promise.allSettled([sweepClocks(deps, grace), sweepReplies(deps, grace)]);
    for (const failed of [clocks, replies]) if (failed.status === 'rejected') deps.logger.error('sweep failed', errorFields(failed.reason));
    if (clocks.status === 'rejected') throw clocks.reason;
    if (replies.status === 'rejected') throw replies.reason;
    const result = { ...clocks.value, replies: replies.value };
    if (result.examined || result.replies.examined) deps.logger.info('sweep', { ...clocks.value, repliesExamined: replies.value.examined, repliesRequeued: replies.value.requeued });
    return result;
  });
}
