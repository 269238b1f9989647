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
import { environmentWithSecrets } from '../shared/adapters/aws/secrets.ts';
import { createReplySender } from '../shared/channels/reply-router.ts';
import { requiredEnv } from '../shared/config.ts';
import { powertoolsObservability, queueCorrelationIds } from '../shared/adapters/powertools/observability.ts';
import { createReplyHandler } from './handler.ts';

const requestHandler = { requestTimeout: 5_000, connectionTimeout: 2_000 };
// Top-level await: the platforms' reply credentials are read from the secret once per cold start.
const env = await environmentWithSecrets(process.env);

const observability = powertoolsObservability('reply');

export const handler = createReplyHandler({
  repository: new DynamoFeedbackRepository(createDocumentClient(new DynamoDBClient({ requestHandler })), requiredEnv(env, 'REDRESS_TABLE_NAME')),
  eventBus: new EventBridgeEventBus(new EventBridgeClient({ requestHandler }), requiredEnv(env, 'REDRESS_EVENT_BUS_NAME')),
  clockTimer: new SfnClockTimer(new SFNClient({ requestHandler }), requiredEnv(env, 'REDRESS_CLOCK_STATE_MACHINE_ARN')),
  queue: new SqsReplyQueue(new SQSClient({ requestHandler }), requiredEnv(env, 'REDRESS_REPLY_QUEUE_URL')),
  sender: createReplySender(env),
  sentReplies: new DynamoSentReplyIndex(createDocumentClient(new DynamoDBClient({ requestHandler })), requiredEnv(env, 'REDRESS_TABLE_NAME')),
  logger: observability.logger,
  metrics: observability.metrics,
}).use(observability.middleware(queueCorrelationIds));
