/** Lambda entry point of the reply function: its composition root (compose.ts) given DynamoDB, EventBridge, Step Functions, SQS and the platforms' reply APIs. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createDocumentClient } from '../shared/adapters/aws/dynamo-feedback-repository.ts';
import { EventBridgeEventBus } from '../shared/adapters/aws/eventbridge-event-bus.ts';
import { SfnClockTimer } from '../shared/adapters/aws/sfn-clock-timer.ts';
import { SqsReplyQueue } from '../shared/adapters/aws/sqs-reply-queue.ts';
import { cachedSecretEnvironment, withSecretEnvironment } from '../shared/adapters/aws/secrets.ts';
import { powertoolsObservability, queueCorrelationIds } from '../shared/adapters/powertools/observability.ts';
import { createReplySender } from '../shared/channels/reply-router.ts';
import { parseEnv } from '../shared/runtime-config.ts';
import { ReplyEnv } from './config.ts';
import { composeReplyHandler } from './compose.ts';

const requestHandler = { requestTimeout: 5_000, connectionTimeout: 2_000 };
// Parsed once at cold start: a missing resource fails it, naming the variable.
const env = parseEnv('reply', ReplyEnv, process.env);
const observability = powertoolsObservability('reply');
// The platforms' reply credentials are read from the secret at cold start (top-level await) and again
// every REDRESS_SECRET_CACHE_SECONDS, so a replaced token is used without a recycle.
const secrets = cachedSecretEnvironment(env, observability.logger);
await secrets.current();

const adapters = {
  documentClient: createDocumentClient(new DynamoDBClient({ requestHandler })),
  tableName: env.REDRESS_TABLE_NAME,
  eventBus: new EventBridgeEventBus(new EventBridgeClient({ requestHandler }), env.REDRESS_EVENT_BUS_NAME),
  clockTimer: new SfnClockTimer(new SFNClient({ requestHandler }), env.REDRESS_CLOCK_STATE_MACHINE_ARN),
  queue: new SqsReplyQueue(new SQSClient({ requestHandler }), env.REDRESS_REPLY_QUEUE_URL),
  logger: observability.logger,
  metrics: observability.metrics,
};

/** The handler with the reply senders of the secret's values as of `channelEnv` (rebuilt when a refresh finds them changed). */
const build = (channelEnv: NodeJS.ProcessEnv) => composeReplyHandler({ ...adapters, sender: createReplySender(channelEnv) }).use(observability.middleware(queueCorrelationIds));

export const handler = withSecretEnvironment(secrets, build);
