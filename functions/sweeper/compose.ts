/**
 * The sweeper's one composition root: the repository and the clock-action and replies-due indexes the
 * sweeper handler runs over. The Lambda entry (index.ts) gives it an AWS document client, EventBridge,
 * Step Functions and SQS; the local stack (infra/local/local-stack.ts) gives it dynalite and its journals,
 * and runs it on an interval. Only what is passed in differs, so the two wirings cannot drift apart.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoClockActions } from '../shared/adapters/aws/dynamo-clock-actions.ts';
import { DynamoFeedbackRepository } from '../shared/adapters/aws/dynamo-feedback-repository.ts';
import { DynamoRepliesDue } from '../shared/adapters/aws/dynamo-replies-due.ts';
import type { Logger } from '../shared/logger.ts';
import type { ClockTimer } from '../shared/ports/clock-timer.ts';
import type { EventBus } from '../shared/ports/event-bus.ts';
import type { ReplyQueue } from '../shared/ports/reply-queue.ts';
import { createSweeperHandler } from './handler.ts';

/** The sweeper's settings. */
export interface SweeperConfig {
  /** How overdue an announcement or reply must be before it is repaired (default `SWEEP_GRACE_MS`; local tests shorten it). */
  graceMs?: number;
}

/** What the sweeper is wired to: the table (through its document client), the bus, the clock timers and the replies queue. */
export interface SweeperAdapters {
  documentClient: DynamoDBDocumentClient;
  tableName: string;
  eventBus: EventBus;
  clockTimer: ClockTimer;
  replyQueue: ReplyQueue;
  logger: Logger;
}

/** The sweeper handler over `adapters`, configured by `config`. */
export function composeSweeperHandler(config: SweeperConfig, adapters: SweeperAdapters): ReturnType<typeof createSweeperHandler> {
  const { documentClient: doc, tableName: table } = adapters;
  return createSweeperHandler({
    repository: new DynamoFeedbackRepository(doc, table),
    eventBus: adapters.eventBus,
    clockTimer: adapters.clockTimer,
    actions: new DynamoClockActions(doc, table),
    repliesDue: new DynamoRepliesDue(doc, table),
    replyQueue: adapters.replyQueue,
    logger: adapters.logger,
    ...(config.graceMs !== undefined ? { graceMs: config.graceMs } : {}),
  });
}
