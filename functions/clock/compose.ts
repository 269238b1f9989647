/**
 * The clock-check function's one composition root: the repository the clock-check handler runs over.
 * The Lambda entry (index.ts) gives it an AWS document client and EventBridge; the local stack
 * (infra/local/local-stack.ts) gives it dynalite and its journaled bus, and binds it to the local clock
 * state machine's check tasks. Only what is passed in differs, so the two wirings cannot drift apart.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoFeedbackRepository } from '../shared/adapters/aws/dynamo-feedback-repository.ts';
import type { Logger } from '../shared/logger.ts';
import type { Metrics } from '../shared/metrics.ts';
import type { EventBus } from '../shared/ports/event-bus.ts';
import { createClockCheckHandler } from './handler.ts';

/** What the clock-check function is wired to: the table (through its document client) and the bus. */
export interface ClockCheckAdapters {
  documentClient: DynamoDBDocumentClient;
  tableName: string;
  eventBus: EventBus;
  logger: Logger;
  /** Counts warnings and breaches announced (Powertools EMF in Lambda; absent: nothing is counted). */
  metrics?: Metrics;
}

/** The clock-check handler over `adapters`. */
export function composeClockCheckHandler(adapters: ClockCheckAdapters): ReturnType<typeof createClockCheckHandler> {
  return createClockCheckHandler({
    repository: new DynamoFeedbackRepository(adapters.documentClient, adapters.tableName),
    eventBus: adapters.eventBus,
    logger: adapters.logger,
    ...(adapters.metrics ? { metrics: adapters.metrics } : {}),
  });
}
