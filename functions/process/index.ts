/** Lambda entry point of the process function: wires the handler to DynamoDB, EventBridge and the classifier. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoFeedbackRepository, createDocumentClient } from '../shared/adapters/aws/dynamo-feedback-repository.ts';
import { EventBridgeEventBus } from '../shared/adapters/aws/eventbridge-event-bus.ts';
import { SfnClockTimer } from '../shared/adapters/aws/sfn-clock-timer.ts';
import { loadClockPolicy } from '../shared/clocks/policy.ts';
import { createLocalClassifier } from '../shared/classification/local-classifier.ts';
import { requiredEnv } from '../shared/config.ts';
import { createLogger } from '../shared/logger.ts';
import { createProcessHandler } from './handler.ts';

export const handler = createProcessHandler({
  repository: new DynamoFeedbackRepository(createDocumentClient(new DynamoDBClient({})), requiredEnv(process.env, 'REDRESS_TABLE_NAME')),
  eventBus: new EventBridgeEventBus(new EventBridgeClient({}), requiredEnv(process.env, 'REDRESS_EVENT_BUS_NAME')),
  clockTimer: new SfnClockTimer(new SFNClient({}), requiredEnv(process.env, 'REDRESS_CLOCK_STATE_MACHINE_ARN')),
  // Validated at cold start: a bad REDRESS_SLA_FIRST_RESPONSE or REDRESS_JURISDICTION fails loudly here.
  clockPolicy: loadClockPolicy(process.env),
  classifier: createLocalClassifier(),
  logger: createLogger('process'),
});
