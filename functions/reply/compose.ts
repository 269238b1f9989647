/**
 * The reply function's one composition root: the repository and sent-reply index the reply handler runs
 * over. The Lambda entry (index.ts) gives it an AWS document client, EventBridge, Step Functions, SQS and
 * the channel secret's reply router; the local stack (infra/local/local-stack.ts) gives it dynalite, its
 * journals and the router over its reply inbox. Only what is passed in differs, so the two wirings cannot
 * drift apart.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoFeedbackRepository } from '../shared/adapters/aws/dynamo-feedback-repository.ts';
import { DynamoSentReplyIndex } from '../shared/adapters/aws/dynamo-sent-reply-index.ts';
import { createReplyHandler, type ReplyHandlerDeps } from './handler.ts';

/** What the reply function is wired to: the table (through its document client), its queue, bus, timer and senders. */
export interface ReplyAdapters extends Pick<ReplyHandlerDeps, 'eventBus' | 'clockTimer' | 'queue' | 'sender' | 'logger' | 'metrics'> {
  documentClient: DynamoDBDocumentClient;
  tableName: string;
}

/** The reply handler over `adapters` (the sender is the channel secret's reply router, rebuilt when it changes). */
export function composeReplyHandler(adapters: ReplyAdapters): ReturnType<typeof createReplyHandler> {
  const { documentClient: doc, tableName: table } = adapters;
  return createReplyHandler({
    repository: new DynamoFeedbackRepository(doc, table),
    eventBus: adapters.eventBus,
    clockTimer: adapters.clockTimer,
    queue: adapters.queue,
    sender: adapters.sender,
    // Where a sent reply's platform message id is remembered, so a delivery report finds its reply.
    sentReplies: new DynamoSentReplyIndex(doc, table),
    logger: adapters.logger,
    ...(adapters.metrics ? { metrics: adapters.metrics } : {}),
  });
}
