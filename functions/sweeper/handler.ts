/** The sweeper Lambda (scheduled every few minutes): repairs clock announcements and timers the timers missed. */
import middy from '@middy/core';
import type { Logger } from '../shared/logger.ts';
import { sweepClocks, type SweepDeps, type SweepResult } from '../shared/pipeline/sweep.ts';

/** Builds the scheduled sweeper handler over its ports (`graceMs` defaults to `SWEEP_GRACE_MS`). */
export function createSweeperHandler(deps: SweepDeps & { logger: Logger; graceMs?: number }) {
  return middy<unknown, SweepResult>().handler(async () => {
    const result = await sweepClocks(deps, deps.graceMs);
    if (result.examined) deps.logger.info('sweep', { ...result });
    return result;
  });
}
