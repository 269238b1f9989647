/**
 * Lambda entry point of the admin function: wires the handler to DynamoDB, EventBridge and Step
 * Functions. API Gateway's JWT authorizer (Cognito) has verified the token before the function runs.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoAdminQueries } from '../shared/adapters/aws/dynamo-admin-queries.ts';
import { DynamoFeedbackRepository, createDocumentClient } from '../shared/adapters/aws/dynamo-feedback-repository.ts';
import { EventBridgeEventBus } from '../shared/adapters/aws/eventbridge-event-bus.ts';
import { environmentWithSecrets } from '../shared/adapters/aws/secrets.ts';
import { SfnClockTimer } from '../shared/adapters/aws/sfn-clock-timer.ts';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoSentReplyIndex } from '../shared/adapters/aws/dynamo-sent-reply-index.ts';
import { SqsReplyQueue } from '../shared/adapters/aws/sqs-reply-queue.ts';
import { createReplySender } from '../shared/channels/reply-router.ts';
import { loadClockPolicy } from '../shared/clocks/policy.ts';
import { requiredEnv, secretList } from '../shared/config.ts';
import { createLogger } from '../shared/logger.ts';
import type { ClockTimer } from '../shared/ports/clock-timer.ts';
import { createCursorCodec } from './cursor.ts';
import { createAdminHandler } from './handler.ts';

// Top-level await: the cursor-signing secret is read once per cold start.
const ownEnv = await environmentWithSecrets(process.env);
// The platforms' reply credentials live in the channel secret (the same one ingest reads).
const env = ownEnv.REDRESS_CHANNEL_SECRETS_ARN ? { ...(await environmentWithSecrets({ ...ownEnv, REDRESS_SECRETS_ARN: ownEnv.REDRESS_CHANNEL_SECRETS_ARN })), REDRESS_SECRETS_ARN: ownEnv.REDRESS_SECRETS_ARN } : ownEnv;
const doc = createDocumentClient(new DynamoDBClient({}));
const table = requiredEnv(env, 'REDRESS_TABLE_NAME');

const cursorSecrets = secretList(env.REDRESS_CURSOR_SECRET);
// Responses and resolutions stop clock timers (StopExecution); without the state machine the stop entries stay owed.
const timer: ClockTimer | undefined = env.REDRESS_CLOCK_STATE_MACHINE_ARN ? new SfnClockTimer(new SFNClient({}), env.REDRESS_CLOCK_STATE_MACHINE_ARN) : undefined;

// Replies to customers: the platforms' reply credentials come from the same secret; the first attempt
// is made here, retries by the reply function through the replies queue.
const replies = env.REDRESS_REPLY_QUEUE_URL
  ? { router: createReplySender(env), queue: new SqsReplyQueue(new SQSClient({}), env.REDRESS_REPLY_QUEUE_URL), sentReplies: new DynamoSentReplyIndex(doc, table) }
  : undefined;

export const handler = createAdminHandler({
  ...(replies ? { replies } : {}),
  repository: new DynamoFeedbackRepository(doc, table),
  queries: new DynamoAdminQueries(doc, table),
  eventBus: new EventBridgeEventBus(new EventBridgeClient({}), requiredEnv(env, 'REDRESS_EVENT_BUS_NAME')),
  ...(timer ? { clockTimer: timer } : {}),
  clockPolicy: loadClockPolicy(env),
  cursors: createCursorCodec(cursorSecrets.length ? cursorSecrets : secretList(requiredEnv(env, 'REDRESS_JWT_SECRET'))),
  logger: createLogger('admin'),
});
