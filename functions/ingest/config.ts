/** The ingest function's environment, parsed once at cold start (functions/shared/runtime-config.ts). */
import * as z from 'zod/mini';
import { webhookEnv } from '../shared/channels/env.ts';
import { channelSecretEnv, resourceName, setting, tableEnv } from '../shared/runtime-config.ts';

export const IngestEnv = z.object({
  ...tableEnv,
  REDRESS_QUEUE_URL: resourceName(),
  /** The replies queue, for the platforms' delivery reports (unset: they are dropped). */
  REDRESS_REPLY_QUEUE_URL: setting(),
  ...channelSecretEnv,
  ...webhookEnv,
});
