/** The clock-check function's environment, parsed once at cold start (functions/shared/runtime-config.ts). */
import * as z from 'zod/mini';
import { resourceName, tableEnv } from '../shared/runtime-config.ts';

export const ClockCheckEnv = z.object({
  ...tableEnv,
  REDRESS_EVENT_BUS_NAME: resourceName(),
});
