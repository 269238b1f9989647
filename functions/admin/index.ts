/**
 * Lambda entry point of the admin function: its composition root (compose.ts) given DynamoDB, EventBridge,
 * Step Functions and the replies queue. API Gateway's JWT authorizer (Cognito) has verified the token before the function runs.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createDocumentClient } from '../shared/adapters/aws/dynamo-feedback-repository.ts';
import { EventBridgeEventBus } from '../shared/adapters/aws/eventbridge-event-bus.ts';
import { cachedSecretEnvironment, environmentWithSecrets, withSecretEnvironment } from '../shared/adapters/aws/secrets.ts';
import { SfnClockTimer } from '../shared/adapters/aws/sfn-clock-timer.ts';
import { SqsReplyQueue } from '../shared/adapters/aws/sqs-reply-queue.ts';
import { createReplySender } from '../shared/channels/reply-router.ts';
import { createLogger } from '../shared/logger.ts';
import { parseEnv } from '../shared/runtime-config.ts';
import { composeAdminHandler, parseAdminConfig } from './compose.ts';
import { AdminEnv } from './config.ts';

/**
 * REDRESS_SURVEY_SECRET from the function's secret when the bank set one there (rotate it as a
 * comma-separated list); otherwise the cursor secret, which token.ts never uses as it is: it derives a key
 * of its own from it (HMAC with a survey-only label), so the two signatures cannot stand in for each other.
 */
function surveySecrets(env: Record<string, string | undefined>): string | undefined {
  return env.REDRESS_SURVEY_SECRET?.trim() || env.REDRESS_CURSOR_SECRET?.trim() || undefined;
}

// Top-level await: the cursor-signing secret is read once per cold start.
const ownEnv = await environmentWithSecrets(process.env);
const logger = createLogger('admin');
// The platforms' reply credentials live in the channel secret (the same one ingest reads): read at cold
// start and again every REDRESS_SECRET_CACHE_SECONDS, so a replaced token is used without a recycle.
const channelSecrets = cachedSecretEnvironment({ ...ownEnv, REDRESS_SECRETS_ARN: ownEnv.REDRESS_CHANNEL_SECRETS_ARN }, logger);
// Parsed once at cold start, with both secrets read: a missing resource or a bad clock or zone setting
// fails it, naming the variable.
const env = parseEnv('admin', AdminEnv, { ...(await channelSecrets.current()), REDRESS_SECRETS_ARN: ownEnv.REDRESS_SECRETS_ARN });
// Without any survey secret (a function started outside the stack) there is no survey: no link is signed.
const config = parseAdminConfig(env, surveySecrets(env));

const adapters = {
  documentClient: createDocumentClient(new DynamoDBClient({})),
  tableName: env.REDRESS_TABLE_NAME,
  eventBus: new EventBridgeEventBus(new EventBridgeClient({}), env.REDRESS_EVENT_BUS_NAME),
  // Responses and resolutions stop clock timers (StopExecution); without the state machine the stop entries stay owed.
  ...(env.REDRESS_CLOCK_STATE_MACHINE_ARN ? { clockTimer: new SfnClockTimer(new SFNClient({}), env.REDRESS_CLOCK_STATE_MACHINE_ARN) } : {}),
  logger,
};
// Replies to customers: the platforms' reply credentials come from the channel secret.
const replyQueue = env.REDRESS_REPLY_QUEUE_URL ? new SqsReplyQueue(new SQSClient({}), env.REDRESS_REPLY_QUEUE_URL) : undefined;

/** The handler with the reply router of the channel secret as of `channelEnv` (rebuilt when a refresh finds it changed). */
const build = (channelEnv: NodeJS.ProcessEnv) =>
  composeAdminHandler(config, { ...adapters, ...(replyQueue ? { replies: { router: createReplySender(channelEnv), queue: replyQueue } } : {}) });

export const handler = withSecretEnvironment(channelSecrets, build);
