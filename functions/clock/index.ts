/** Lambda entry point of the clock-check function (invoked by the clock state machine). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoFeedbackRepository, createDocumentClient } from '../shared/adapters/aws/dynamo-feedback-repository.ts';
import { EventBridgeEventBus } from '../shared/adapters/aws/eventbridge-event-bus.ts';
import { requiredEnv } from '../shared/config.ts';
import { powertoolsObservability, clockCorrelationIds } from '../shared/adapters/powertools/observability.ts';
import { createClockCheckHandler } from './handler.ts';

const observability = powertoolsObservability('clock');

export const handler = createClockCheckHandler({
  repository: new DynamoFeedbackRepository(createDocumentClient(new DynamoDBClient({})), requiredEnv(process.env, 'REDRESS_TABLE_NAME')),
  eventBus: new EventBridgeEventBus(new EventBridgeClient({}), requiredEnv(process.env, 'REDRESS_EVENT_BUS_NAME')),
  logger: observability.logger,
  metrics: observability.metrics,
}).use(observability.middleware(clockCorrelationIds));
