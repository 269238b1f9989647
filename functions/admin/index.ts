/**
 * Lambda entry point of the admin function: wires the handler to DynamoDB, EventBridge and Step
 * Functions. API Gateway's JWT authorizer (Cognito) has verified the token before the function runs.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoAdminQueries } from '../shared/adapters/aws/dynamo-admin-queries.ts';
import { DynamoCustomerLinks } from '../shared/adapters/aws/dynamo-customer-links.ts';
import { DynamoCustomerQueries } from '../shared/adapters/aws/dynamo-customer-queries.ts';
import { DynamoFeedbackRepository, createDocumentClient } from '../shared/adapters/aws/dynamo-feedback-repository.ts';
import { EventBridgeEventBus } from '../shared/adapters/aws/eventbridge-event-bus.ts';
import { SecretEnvironment, environmentWithSecrets, secretCacheTtlMs, withSecretEnvironment } from '../shared/adapters/aws/secrets.ts';
import { SfnClockTimer } from '../shared/adapters/aws/sfn-clock-timer.ts';
import { DynamoFaqStore } from '../shared/faq/adapters/dynamo-faq-store.ts';
import { FaqIndexCache } from '../shared/faq/faq-index-cache.ts';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoSentReplyIndex } from '../shared/adapters/aws/dynamo-sent-reply-index.ts';
import { SqsReplyQueue } from '../shared/adapters/aws/sqs-reply-queue.ts';
import { createReplySender } from '../shared/channels/reply-router.ts';
import { loadClockPolicy } from '../shared/clocks/policy.ts';
import { parseEnv } from '../shared/runtime-config.ts';
import { AdminEnv } from './config.ts';
import { createLogger, errorFields } from '../shared/logger.ts';
import type { ClockTimer } from '../shared/ports/clock-timer.ts';
import { createCursorCodec, cursorSecrets } from './cursor.ts';
import { createCustomerService } from './customers.ts';
import { createAdminHandler } from './handler.ts';
import { DynamoPlanStore } from '../shared/adapters/aws/dynamo-plan-store.ts';
import { DynamoRatingPointerStore } from '../shared/adapters/aws/dynamo-rating-pointer-store.ts';
import { reportTimeZone } from '../shared/reports/quarters.ts';
import { surveyConfig } from '../shared/survey/config.ts';

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
const channelSecrets = new SecretEnvironment(
  { ...ownEnv, REDRESS_SECRETS_ARN: ownEnv.REDRESS_CHANNEL_SECRETS_ARN },
  { ttlMs: secretCacheTtlMs(ownEnv), onStale: (err) => logger.warn('channel secret not refreshed; the values in hand stay in use', errorFields(err)) },
);
// Parsed once at cold start, with both secrets read: a missing resource or a bad clock or zone setting
// fails it, naming the variable.
const env = parseEnv('admin', AdminEnv, { ...(await channelSecrets.current()), REDRESS_SECRETS_ARN: ownEnv.REDRESS_SECRETS_ARN });
const doc = createDocumentClient(new DynamoDBClient({}));
const table = env.REDRESS_TABLE_NAME;

// Responses and resolutions stop clock timers (StopExecution); without the state machine the stop entries stay owed.
const timer: ClockTimer | undefined = env.REDRESS_CLOCK_STATE_MACHINE_ARN ? new SfnClockTimer(new SFNClient({}), env.REDRESS_CLOCK_STATE_MACHINE_ARN) : undefined;

const surveySecret = surveySecrets(env);
// The FAQ: checked on every read (one small GetItem), so a read after a change in any container sees it.
const faqStore = new DynamoFaqStore(doc, table);
// Replies to customers: the platforms' reply credentials come from the same secret; the first attempt
// is made here, retries by the reply function through the replies queue.
const replyQueue = env.REDRESS_REPLY_QUEUE_URL ? new SqsReplyQueue(new SQSClient({}), env.REDRESS_REPLY_QUEUE_URL) : undefined;
const sentReplies = new DynamoSentReplyIndex(doc, table);

const deps = {
  repository: new DynamoFeedbackRepository(doc, table),
  queries: new DynamoAdminQueries(doc, table),
  customers: createCustomerService({ queries: new DynamoCustomerQueries(doc, table), links: new DynamoCustomerLinks(doc, table) }),
  eventBus: new EventBridgeEventBus(new EventBridgeClient({}), env.REDRESS_EVENT_BUS_NAME),
  ...(timer ? { clockTimer: timer } : {}),
  clockPolicy: loadClockPolicy(env),
  faq: { store: faqStore, cache: new FaqIndexCache(faqStore, { ttlMs: 0 }) },
  cursors: createCursorCodec(cursorSecrets(env)),
  logger,
  // The quarterly evaluation (issue 16): the plan and customer bases (the reports are the report function's).
  plans: new DynamoPlanStore(doc, table),
  timeZone: reportTimeZone(env),
  // Without any secret (a function started outside the stack) there is no survey: no link is signed.
  ...(surveySecret ? { survey: surveyConfig({ ...env, REDRESS_SURVEY_SECRET: surveySecret }) } : {}),
  ratingPointers: new DynamoRatingPointerStore(doc, table),
};

/** The handler with the reply router of the channel secret as of `channelEnv` (rebuilt when a refresh finds it changed). */
const build = (channelEnv: NodeJS.ProcessEnv) =>
  createAdminHandler({ ...deps, ...(replyQueue ? { replies: { router: createReplySender(channelEnv), queue: replyQueue, sentReplies } } : {}) });

export const handler = withSecretEnvironment(channelSecrets, build);
