/**
 * The process function's one composition root: its configuration parsed once from the environment
 * (cold start), and the handler wired to the adapters it is given. The Lambda entry (index.ts) gives it
 * AWS clients; the local stack (infra/local/local-stack.ts) and its worker thread
 * (infra/local/process-worker-thread.ts) give it dynalite and the stack's journals. What differs between
 * them is only what is passed in, so the wiring cannot drift apart.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoCustomerLinks } from '../shared/adapters/aws/dynamo-customer-links.ts';
import { DynamoFeedbackRepository } from '../shared/adapters/aws/dynamo-feedback-repository.ts';
import { DynamoRatingPointerStore } from '../shared/adapters/aws/dynamo-rating-pointer-store.ts';
import { loadClockPolicy, type ClockPolicy } from '../shared/clocks/policy.ts';
import { DynamoFaqStore } from '../shared/faq/adapters/dynamo-faq-store.ts';
import { FaqIndexCache, faqCacheTtlMs } from '../shared/faq/faq-index-cache.ts';
import { FaqSuggestionSource } from '../shared/faq/suggestion-source.ts';
import { parseFaqAutoReplyThreshold } from '../shared/faq/auto-answer.ts';
import type { FaqAutoReplyDeps } from '../shared/faq/auto-reply.ts';
import type { Logger } from '../shared/logger.ts';
import type { Metrics } from '../shared/metrics.ts';
import { loadRetryPolicy, type RetryPolicy } from '../shared/pipeline/retry-policy.ts';
import type { Classifier } from '../shared/ports/classifier.ts';
import type { ClockTimer } from '../shared/ports/clock-timer.ts';
import type { DeadLetterQueue } from '../shared/ports/dead-letter-queue.ts';
import type { EventBus } from '../shared/ports/event-bus.ts';
import type { QueueBackoff } from '../shared/ports/queue-backoff.ts';
import { surveyTtlMs } from '../shared/survey/config.ts';
import { loadTriagePolicy, type TriagePolicy } from '../shared/triage/triage-policy.ts';
import { parseEnv } from '../shared/runtime-config.ts';
import { ProcessSettingsEnv } from './config.ts';
import { createProcessHandler } from './handler.ts';

/** The process function's settings, each validated (a bad value fails the cold start, naming its variable). */
export interface ProcessConfig {
  /** REDRESS_SLA_*, REDRESS_JURISDICTION, REDRESS_HOLIDAYS…: the complaint clocks. */
  clockPolicy: ClockPolicy;
  /** REDRESS_TRIAGE_THRESHOLD, REDRESS_SLA_TRIAGE. */
  triagePolicy: TriagePolicy;
  /** REDRESS_RETRY_*: attempts and backoff of failed messages. */
  retryPolicy: RetryPolicy;
  /** REDRESS_SURVEY_TTL: how long a bare "reply 1–5" still rates a resolution. */
  surveyTtlMs: number;
  /** REDRESS_FAQ_CACHE_SECONDS: how long a warm function trusts its FAQ snapshot. */
  faqCacheTtlMs: number;
  /** REDRESS_FAQ_AUTOREPLY: the score from which an inquiry is answered from the FAQ automatically; null is off. */
  faqAutoReplyThreshold: number | null;
}

/**
 * Parses the process function's environment once. `faqCacheSeconds` is the FAQ cache's default when
 * REDRESS_FAQ_CACHE_SECONDS is unset (the local stack wants a change to show on the next inquiry).
 */
export function parseProcessConfig(raw: NodeJS.ProcessEnv, defaults: { faqCacheSeconds?: number } = {}): ProcessConfig {
  // The schema names a malformed variable; the loaders below give the defaults and check the durations.
  const env = parseEnv('process', ProcessSettingsEnv, raw);
  return {
    clockPolicy: loadClockPolicy(env),
    triagePolicy: loadTriagePolicy(env),
    retryPolicy: loadRetryPolicy(env),
    surveyTtlMs: surveyTtlMs(env),
    faqCacheTtlMs: faqCacheTtlMs(env, defaults.faqCacheSeconds),
    // A bad value fails loudly rather than answering customers on a misread setting.
    faqAutoReplyThreshold: parseFaqAutoReplyThreshold(env.REDRESS_FAQ_AUTOREPLY),
  };
}

/** What the process function is wired to: the table (through its document client) and its other ports. */
export interface ProcessAdapters {
  documentClient: DynamoDBDocumentClient;
  tableName: string;
  eventBus: EventBus;
  clockTimer: ClockTimer;
  backoff: QueueBackoff;
  deadLetters: DeadLetterQueue;
  classifier: Classifier;
  logger: Logger;
  /** Counts complaints opened and failed messages (Powertools EMF in Lambda; absent: nothing is counted). */
  metrics?: Metrics;
  /**
   * Automatic FAQ answers (REDRESS_FAQ_AUTOREPLY set): which channels can be answered, and the replies
   * queue the reply function consumes. Called only when they are on, so an unset queue is no error then.
   */
  autoReplies: () => Pick<FaqAutoReplyDeps, 'router' | 'queue'>;
}

/** The process handler over `adapters`, configured by `config`. */
export function composeProcessHandler(config: ProcessConfig, adapters: ProcessAdapters): ReturnType<typeof createProcessHandler> {
  const { documentClient: doc, tableName: table, logger } = adapters;
  // The FAQ snapshot lives on the same table; a warm function checks its version at most every faqCacheTtlMs.
  const faqCache = new FaqIndexCache(new DynamoFaqStore(doc, table), { ttlMs: config.faqCacheTtlMs });
  const threshold = config.faqAutoReplyThreshold;
  return createProcessHandler({
    repository: new DynamoFeedbackRepository(doc, table),
    customerLinks: new DynamoCustomerLinks(doc, table),
    eventBus: adapters.eventBus,
    clockTimer: adapters.clockTimer,
    clockPolicy: config.clockPolicy,
    triagePolicy: config.triagePolicy,
    classifier: adapters.classifier,
    retryPolicy: config.retryPolicy,
    backoff: adapters.backoff,
    deadLetters: adapters.deadLetters,
    // A bare "reply 1–5" inside the survey window rates the resolved complaint.
    ratings: { pointers: new DynamoRatingPointerStore(doc, table), ttlMs: config.surveyTtlMs },
    suggestions: new FaqSuggestionSource(faqCache, logger),
    // REDRESS_FAQ_AUTOREPLY: the answer is stored with the item and its send queued for the reply function.
    ...(threshold === null ? {} : { faqAutoReply: { threshold, entries: async () => (await faqCache.get())?.entries ?? null, ...adapters.autoReplies(), logger } }),
    logger,
    ...(adapters.metrics ? { metrics: adapters.metrics } : {}),
  });
}
