/** Lambda entry point of the reply function: wires the handler to DynamoDB, EventBridge, Step Functions, SQS and the platforms' reply APIs. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoFeedbackRepository, createDocumentClient } from '../shared/adapters/aws/dynamo-feedback-repository.ts';
import { EventBridgeEventBus } from '../shared/adapters/aws/eventbridge-event-bus.ts';
import { SfnClockTimer } from '../shared/adapters/aws/sfn-clock-timer.ts';
import { DynamoSentReplyIndex } from '../shared/adapters/aws/dynamo-sent-reply-index.ts';
import { SqsReplyQueue } from '../shared/adapters/aws/sqs-reply-queue.ts';
import { SecretEnvironment, secretCacheTtlMs, withSecretEnvironment } from '../shared/adapters/aws/secrets.ts';
import { powertoolsObservability, queueCorrelationIds } from '../shared/adapters/powertools/observability.ts';
import { createReplySender } from '../shared/channels/reply-router.ts';
import { requiredEnv } from '../shared/config.ts';
import { errorFields } from '../shared/logger.ts';
import { createReplyHandler } from './handler.ts';

const requestHandler = { requestTimeout: 5_000, connectionTimeout: 2_000 };
const observability = powertoolsObservability('reply');
// The platforms' reply credentials are read from the secret at cold start (top-level await) and again
// every REDRESS_SECRET_CACHE_SECONDS, so a replaced token is used without a recycle.
const secrets = new SecretEnvironment(process.env, { ttlMs: secretCacheTtlMs(process.env), onStale: (err) => observability.logger.warn('channel secret not refreshed; the values in hand stay in use', errorFields(err)) });
await secrets.current();

const table = requiredEnv(process.env, 'REDRESS_TABLE_NAME');
const doc = createDocumentClient(new DynamoDBClient({ requestHandler }));
const deps = {
  repository: new DynamoFeedbackRepository(doc, table),
  eventBus: new EventBridgeEventBus(new EventBridgeClient({ requestHandler }), requiredEnv(process.env, 'REDRESS_EVENT_BUS_NAME')),
  clockTimer: new SfnClockTimer(new SFNClient({ requestHandler }), requiredEnv(process.env, 'REDRESS_CLOCK_STATE_MACHINE_ARN')),
  queue: new SqsReplyQueue(new SQSClient({ requestHandler }), requiredEnv(process.env, 'REDRESS_REPLY_QUEUE_URL')),
  sentReplies: new DynamoSentReplyIndex(doc, table),
  logger: observability.logger,
  metrics: observability.metrics,
};

/** The handler with the reply senders of the secret's values as of `env` (rebuilt when a refresh finds them changed). */
const build = (env: NodeJS.ProcessEnv) => createReplyHandler({ ...deps, sender: createReplySender(env) }).use(observability.middleware(queueCorrelationIds));

export const handler = withSecretEnvironment(secrets, build);
