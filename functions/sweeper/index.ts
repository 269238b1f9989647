/** Lambda entry point of the sweeper: its composition root (compose.ts) given DynamoDB, EventBridge, Step Functions and SQS. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createDocumentClient } from '../shared/adapters/aws/dynamo-feedback-repository.ts';
import { EventBridgeEventBus } from '../shared/adapters/aws/eventbridge-event-bus.ts';
import { SfnClockTimer } from '../shared/adapters/aws/sfn-clock-timer.ts';
import { SqsReplyQueue } from '../shared/adapters/aws/sqs-reply-queue.ts';
import { parseEnv } from '../shared/runtime-config.ts';
import { SweeperEnv } from './config.ts';
import { powertoolsObservability } from '../shared/adapters/powertools/observability.ts';
import { composeSweeperHandler } from './compose.ts';

// Parsed once at cold start: a missing resource fails it, naming the variable.
const env = parseEnv('sweeper', SweeperEnv, process.env);

const observability = powertoolsObservability('sweeper');

export const handler = composeSweeperHandler(
  {},
  {
    documentClient: createDocumentClient(new DynamoDBClient({})),
    tableName: env.REDRESS_TABLE_NAME,
    eventBus: new EventBridgeEventBus(new EventBridgeClient({}), env.REDRESS_EVENT_BUS_NAME),
    clockTimer: new SfnClockTimer(new SFNClient({}), env.REDRESS_CLOCK_STATE_MACHINE_ARN),
    replyQueue: new SqsReplyQueue(new SQSClient({}), env.REDRESS_REPLY_QUEUE_URL),
    logger: observability.logger,
  },
).use(observability.middleware(() => ({})));
