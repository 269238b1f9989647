/** The report function's environment, parsed once at cold start (functions/shared/runtime-config.ts). */
import * as z from 'zod/mini';
import { clockPolicyEnv, setting, tableEnv } from '../shared/runtime-config.ts';

export const ReportEnv = z.object({
  ...tableEnv,
  ...clockPolicyEnv,
  /** The report zone (reportTimeZone: default Asia/Shanghai; an unknown zone fails the cold start). */
  REDRESS_TIMEZONE: setting(),
});
