/**
 * The process function's environment, parsed once at cold start (functions/shared/runtime-config.ts):
 * its resources, and the settings compose.ts's loaders turn into policies (each loader validates its
 * own durations and names the variable when one is wrong).
 */
import * as z from 'zod/mini';
import { replyCredentialEnv } from '../shared/channels/env.ts';
import { channelSecretEnv, clockPolicyEnv, numberSetting, resourceName, setting, tableEnv } from '../shared/runtime-config.ts';

/** The settings, without the resources: what the local stack and its worker give the composition root. */
export const ProcessSettingsEnv = z.object({
  ...clockPolicyEnv,
  REDRESS_TRIAGE_THRESHOLD: setting(),
  REDRESS_SLA_TRIAGE: setting(),
  REDRESS_RETRY_FIRST_DELAY: setting(),
  REDRESS_RETRY_MAX_DELAY: setting(),
  REDRESS_PROCESS_ATTEMPTS: setting(),
  REDRESS_SURVEY_TTL: setting(),
  REDRESS_FAQ_CACHE_SECONDS: numberSetting(0, 3600),
  REDRESS_FAQ_AUTOREPLY: setting(),
});

/** Everything the Lambda reads: the settings and the resources CDK sets. */
export const ProcessEnv = z.extend(ProcessSettingsEnv, {
  ...tableEnv,
  REDRESS_EVENT_BUS_NAME: resourceName(),
  REDRESS_CLOCK_STATE_MACHINE_ARN: resourceName(),
  REDRESS_QUEUE_URL: resourceName(),
  REDRESS_DEAD_LETTER_QUEUE_URL: resourceName(),
  /** Required only with REDRESS_FAQ_AUTOREPLY (automatic answers are queued for the reply function). */
  REDRESS_REPLY_QUEUE_URL: setting(),
  /** The channel secret: which channels have reply credentials (automatic answers). */
  ...channelSecretEnv,
  ...replyCredentialEnv,
});
