/** The reply function's environment, parsed once at cold start (functions/shared/runtime-config.ts). */
import * as z from 'zod/mini';
import { replyCredentialEnv } from '../shared/channels/env.ts';
import { channelSecretEnv, resourceName, tableEnv } from '../shared/runtime-config.ts';

export const ReplyEnv = z.object({
  ...tableEnv,
  REDRESS_EVENT_BUS_NAME: resourceName(),
  REDRESS_CLOCK_STATE_MACHINE_ARN: resourceName(),
  REDRESS_REPLY_QUEUE_URL: resourceName(),
  ...channelSecretEnv,
  ...replyCredentialEnv,
});
