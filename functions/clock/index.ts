/** Lambda entry point of the clock-check function (invoked by the clock state machine): its composition root (compose.ts) given DynamoDB and EventBridge. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { createDocumentClient } from '../shared/adapters/aws/dynamo-feedback-repository.ts';
import { EventBridgeEventBus } from '../shared/adapters/aws/eventbridge-event-bus.ts';
import { parseEnv } from '../shared/runtime-config.ts';
import { ClockCheckEnv } from './config.ts';
import { powertoolsObservability, clockCorrelationIds } from '../shared/adapters/powertools/observability.ts';
import { composeClockCheckHandler } from './compose.ts';

// Parsed once at cold start: a missing resource fails it, naming the variable.
const env = parseEnv('clock-check', ClockCheckEnv, process.env);
const observability = powertoolsObservability('clock');

export const handler = composeClockCheckHandler({
  documentClient: createDocumentClient(new DynamoDBClient({})),
  tableName: env.REDRESS_TABLE_NAME,
  eventBus: new EventBridgeEventBus(new EventBridgeClient({}), env.REDRESS_EVENT_BUS_NAME),
  logger: observability.logger,
  metrics: observability.metrics,
}).use(observability.middleware(clockCorrelationIds));
