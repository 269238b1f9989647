/** Lambda entry point of the sweeper. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoClockActions } from '../shared/adapters/aws/dynamo-clock-actions.ts';
import { DynamoFeedbackRepository, createDocumentClient } from '../shared/adapters/aws/dynamo-feedback-repository.ts';
import { DynamoRepliesDue } from '../shared/adapters/aws/dynamo-replies-due.ts';
import { EventBridgeEventBus } from '../shared/adapters/aws/eventbridge-event-bus.ts';
import { SfnClockTimer } from '../shared/adapters/aws/sfn-clock-timer.ts';
import { SqsReplyQueue } from '../shared/adapters/aws/sqs-reply-queue.ts';
import { parseEnv } from '../shared/runtime-config.ts';
import { SweeperEnv } from './config.ts';
import { powertoolsObservability } from '../shared/adapters/powertools/observability.ts';
import { createSweeperHandler } from './handler.ts';

// Parsed once at cold start: a missing resource fails it, naming the variable.
const env = parseEnv('sweeper', SweeperEnv, process.env);
const table = env.REDRESS_TABLE_NAME;
const doc = createDocumentClient(new DynamoDBClient({}));

const observability = powertoolsObservability('sweeper');

export const handler = createSweeperHandler({
  repository: new DynamoFeedbackRepository(doc, table),
  eventBus: new EventBridgeEventBus(new EventBridgeClient({}), env.REDRESS_EVENT_BUS_NAME),
  clockTimer: new SfnClockTimer(new SFNClient({}), env.REDRESS_CLOCK_STATE_MACHINE_ARN),
  actions: new DynamoClockActions(doc, table),
  repliesDue: new DynamoRepliesDue(doc, table),
  replyQueue: new SqsReplyQueue(new SQSClient({}), env.REDRESS_REPLY_QUEUE_URL),
  logger: observability.logger,
}).use(observability.middleware(() => ({})));
