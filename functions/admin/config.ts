/**
 * The admin function's environment, parsed once at cold start (functions/shared/runtime-config.ts),
 * after its own secret (cursor and survey keys) and the channel secret (reply credentials) are read.
 */
import * as z from 'zod/mini';
import { replyCredentialEnv } from '../shared/channels/env.ts';
import { channelSecretEnv, clockPolicyEnv, resourceName, setting, tableEnv } from '../shared/runtime-config.ts';

export const AdminEnv = z.object({
  ...tableEnv,
  REDRESS_EVENT_BUS_NAME: resourceName(),
  /** Unset: responses and resolutions leave their clock stops owed (no timer to stop). */
  REDRESS_CLOCK_STATE_MACHINE_ARN: setting(),
  /** Unset: no replies to customers from this function. */
  REDRESS_REPLY_QUEUE_URL: setting(),
  ...channelSecretEnv,
  /** Here the admin function's own secret (cursor and survey keys), read once per cold start. */
  REDRESS_SECRETS_ARN: setting(),
  /** The channel secret (reply credentials), read at cold start and every REDRESS_SECRET_CACHE_SECONDS. */
  REDRESS_CHANNEL_SECRETS_ARN: setting(),
  REDRESS_CURSOR_SECRET: setting(),
  REDRESS_JWT_SECRET: setting(),
  REDRESS_SURVEY_SECRET: setting(),
  REDRESS_SURVEY_TTL: setting(),
  REDRESS_TIMEZONE: setting(),
  ...clockPolicyEnv,
  ...replyCredentialEnv,
});
