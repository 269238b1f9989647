/**
 * The admin function's one composition root: which repository, query and store adapters the admin handler
 * runs over, and with which options. The Lambda entry (index.ts) gives it an AWS document client,
 * EventBridge, Step Functions and the replies queue; the local stack (infra/local/local-stack.ts) gives it
 * dynalite and the stack's journals. Only what is passed in differs, so the two wirings cannot drift apart.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAdminQueries } from '../shared/adapters/aws/dynamo-admin-queries.ts';
import { DynamoCustomerLinks } from '../shared/adapters/aws/dynamo-customer-links.ts';
import { DynamoCustomerQueries } from '../shared/adapters/aws/dynamo-customer-queries.ts';
import { DynamoFeedbackRepository } from '../shared/adapters/aws/dynamo-feedback-repository.ts';
import { DynamoPlanStore } from '../shared/adapters/aws/dynamo-plan-store.ts';
import { DynamoRatingPointerStore } from '../shared/adapters/aws/dynamo-rating-pointer-store.ts';
import { DynamoSentReplyIndex } from '../shared/adapters/aws/dynamo-sent-reply-index.ts';
import { loadClockPolicy, type ClockPolicy } from '../shared/clocks/policy.ts';
import { DynamoFaqStore } from '../shared/faq/adapters/dynamo-faq-store.ts';
import { FaqIndexCache } from '../shared/faq/faq-index-cache.ts';
import type { Logger } from '../shared/logger.ts';
import type { ClockTimer } from '../shared/ports/clock-timer.ts';
import type { EventBus } from '../shared/ports/event-bus.ts';
import { reportTimeZone } from '../shared/reports/quarters.ts';
import { surveyConfig, type SurveyConfig } from '../shared/survey/config.ts';
import { createCursorCodec, cursorSecrets } from './cursor.ts';
import { createCustomerService } from './customers.ts';
import { createAdminHandler, type AdminReplyDeps } from './handler.ts';

/** The admin function's settings, each validated (a bad value fails the cold start, naming its variable). */
export interface AdminConfig {
  /** REDRESS_SLA_*, REDRESS_JURISDICTION…: first-response target, clocks of items reclassified as complaints. */
  clockPolicy: ClockPolicy;
  /** REDRESS_TIMEZONE: the bank's quarters and days. */
  timeZone: string;
  /** REDRESS_CURSOR_SECRET (else REDRESS_JWT_SECRET): the keys list cursors are signed with (first signs, all verify). */
  cursorSecrets: string[];
  /** The customer survey; absent, resolutions ask for no rating and `/survey/{token}` does not answer. */
  survey?: SurveyConfig;
}

/**
 * The admin function's settings from its environment. `surveySecret` is the survey key the caller chose
 * (in AWS the survey secret, else the cursor secret; locally REDRESS_SURVEY_SECRET): none, no survey.
 */
export function parseAdminConfig(env: Record<string, string | undefined>, surveySecret: string | undefined): AdminConfig {
  return {
    clockPolicy: loadClockPolicy(env),
    timeZone: reportTimeZone(env),
    cursorSecrets: cursorSecrets(env),
    ...(surveySecret ? { survey: surveyConfig({ ...env, REDRESS_SURVEY_SECRET: surveySecret }) } : {}),
  };
}

/** What the admin function is wired to: the table (through its document client) and its other ports. */
export interface AdminAdapters {
  documentClient: DynamoDBDocumentClient;
  tableName: string;
  eventBus: EventBus;
  /** Stops and starts clock timers; absent (no state machine), their outbox entries stay owed. */
  clockTimer?: ClockTimer;
  logger: Logger;
  /** Replies to customers (the channel secret's reply router and the replies queue); absent, none are sent. */
  replies?: Omit<AdminReplyDeps, 'sentReplies'>;
}

/** The admin handler over `adapters`, configured by `config`. */
export function composeAdminHandler(config: AdminConfig, adapters: AdminAdapters): ReturnType<typeof createAdminHandler> {
  const { documentClient: doc, tableName: table } = adapters;
  // The FAQ: checked on every read (one small GetItem), so a read after a change in any container sees it.
  const faqStore = new DynamoFaqStore(doc, table);
  return createAdminHandler({
    // The first attempt at a reply is made here, retries by the reply function through the replies queue.
    ...(adapters.replies ? { replies: { ...adapters.replies, sentReplies: new DynamoSentReplyIndex(doc, table) } } : {}),
    repository: new DynamoFeedbackRepository(doc, table),
    queries: new DynamoAdminQueries(doc, table),
    customers: createCustomerService({ queries: new DynamoCustomerQueries(doc, table), links: new DynamoCustomerLinks(doc, table) }),
    eventBus: adapters.eventBus,
    ...(adapters.clockTimer ? { clockTimer: adapters.clockTimer } : {}),
    clockPolicy: config.clockPolicy,
    faq: { store: faqStore, cache: new FaqIndexCache(faqStore, { ttlMs: 0 }) },
    cursors: createCursorCodec(config.cursorSecrets),
    logger: adapters.logger,
    // The quarterly evaluation: the plan and customer bases (the reports are the report function's).
    plans: new DynamoPlanStore(doc, table),
    timeZone: config.timeZone,
    ...(config.survey ? { survey: config.survey } : {}),
    ratingPointers: new DynamoRatingPointerStore(doc, table),
  });
}
