/**
 * The clock-check Lambda, invoked by the clock state machine's Task states with
 * `{feedbackId, clock, stage}`; answers `{continue}` for the state machine's Choice.
 */
import middy from '@middy/core';
import * as z from 'zod/mini';
import '../../schemas/zod-locale.ts';
import { errorFields, type Logger } from '../shared/logger.ts';
import { noMetrics, type Metrics } from '../shared/metrics.ts';
import { runClockCheck, type ClockCheckDeps } from '../shared/pipeline/clock-check.ts';

export const ClockCheckEvent = z.object({
  feedbackId: z.string().check(z.minLength(1)),
  clock: z.string().check(z.minLength(1)),
  stage: z.enum(['warning', 'breach', 'escalate']),
});

/** Builds the clock-check handler over its ports. */
export function createClockCheckHandler(deps: ClockCheckDeps & { logger: Logger; metrics?: Metrics }) {
  const metrics = deps.metrics ?? noMetrics;
  return middy<unknown, { continue: boolean }>().handler(async (event) => {
    const input = ClockCheckEvent.parse(event);
    try {
      const result = await runClockCheck(input, deps);
      metrics.count('SlaWarnings', result.emitted.filter((t) => t === 'Complaint.SlaWarning').length);
      metrics.count('SlaBreaches', result.emitted.filter((t) => t === 'Complaint.SlaBreached').length);
      if (result.emitted.length) deps.logger.info('clock transition', { feedbackId: input.feedbackId, clock: input.clock, stage: input.stage, emitted: result.emitted });
      return { continue: result.continue };
    } catch (err) {
      deps.logger.error('clock check failed', { feedbackId: input.feedbackId, clock: input.clock, stage: input.stage, ...errorFields(err) });
      throw err;
    }
  });
}
