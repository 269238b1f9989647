/** Lambda entry point of the process function: wires the handler to DynamoDB, EventBridge, Step Functions, SQS, the classifier, the FAQ and (automatic FAQ answers) the replies queue. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoCustomerLinks } from '../shared/adapters/aws/dynamo-customer-links.ts';
import { DynamoFeedbackRepository, createDocumentClient } from '../shared/adapters/aws/dynamo-feedback-repository.ts';
import { EventBridgeEventBus } from '../shared/adapters/aws/eventbridge-event-bus.ts';
import { SfnClockTimer } from '../shared/adapters/aws/sfn-clock-timer.ts';
import { SqsDeadLetterQueue } from '../shared/adapters/aws/sqs-dead-letter-queue.ts';
import { SqsQueueBackoff } from '../shared/adapters/aws/sqs-queue-backoff.ts';
import { loadClockPolicy } from '../shared/clocks/policy.ts';
import { createLocalClassifier } from '../shared/classification/local-classifier.ts';
import { requiredEnv } from '../shared/config.ts';
import { powertoolsObservability, queueCorrelationIds } from '../shared/adapters/powertools/observability.ts';
import { DynamoFaqStore } from '../shared/faq/adapters/dynamo-faq-store.ts';
import { FaqIndexCache, faqCacheTtlMs } from '../shared/faq/faq-index-cache.ts';
import { FaqSuggestionSource } from '../shared/faq/suggestion-source.ts';
import { loadRetryPolicy } from '../shared/pipeline/retry-policy.ts';
import { loadTriagePolicy } from '../shared/triage/triage-policy.ts';
import { createProcessHandler } from './handler.ts';
import { SecretEnvironment, secretCacheTtlMs, withSecretEnvironment } from '../shared/adapters/aws/secrets.ts';
import { errorFields } from '../shared/logger.ts';
import { SqsReplyQueue } from '../shared/adapters/aws/sqs-reply-queue.ts';
import { createReplySender } from '../shared/channels/reply-router.ts';
import { parseFaqAutoReplyThreshold } from '../shared/faq/auto-answer.ts';
import { DynamoRatingPointerStore } from '../shared/adapters/aws/dynamo-rating-pointer-store.ts';
import { surveyTtlMs } from '../shared/survey/config.ts';

/**
 * A call that hangs (a dependency in trouble) fails after this long and is retried by the SDK, instead
 * of holding the function to its timeout: the handler must keep time to report and postpone its
 * failures. Healthy DynamoDB, EventBridge and Step Functions answer in milliseconds.
 */
const requestHandler = { requestTimeout: 5_000, connectionTimeout: 2_000 };

const sqs = new SQSClient({ requestHandler });
const doc = createDocumentClient(new DynamoDBClient({ requestHandler }));
const table = requiredEnv(process.env, 'REDRESS_TABLE_NAME');
const observability = powertoolsObservability('process');
const logger = observability.logger;
// Validated at cold start: a bad REDRESS_FAQ_AUTOREPLY fails loudly rather than answering customers on a misread setting.
const faqAutoReplyThreshold = parseFaqAutoReplyThreshold(process.env.REDRESS_FAQ_AUTOREPLY);
// Automatic answers need to know which channels have reply credentials: the channel secret, read at cold
// start and again every REDRESS_SECRET_CACHE_SECONDS (whatever the setting, so the function's calls, and
// so its grants, do not depend on it).
const secrets = new SecretEnvironment(process.env, { ttlMs: secretCacheTtlMs(process.env), onStale: (err) => logger.warn('channel secret not refreshed; the values in hand stay in use', errorFields(err)) });
await secrets.current();
const faqCache = new FaqIndexCache(new DynamoFaqStore(doc, table), { ttlMs: faqCacheTtlMs(process.env) });


/** Everything but the reply router is built once per cold start (the classifier's model above all). */
const deps = {
  repository: new DynamoFeedbackRepository(doc, table),
  customerLinks: new DynamoCustomerLinks(doc, table),
  eventBus: new EventBridgeEventBus(new EventBridgeClient({ requestHandler }), requiredEnv(process.env, 'REDRESS_EVENT_BUS_NAME')),
  clockTimer: new SfnClockTimer(new SFNClient({ requestHandler }), requiredEnv(process.env, 'REDRESS_CLOCK_STATE_MACHINE_ARN')),
  // Validated at cold start: a bad REDRESS_SLA_FIRST_RESPONSE or REDRESS_JURISDICTION fails loudly here.
  clockPolicy: loadClockPolicy(process.env),
  // Validated at cold start too: a bad REDRESS_TRIAGE_THRESHOLD or REDRESS_SLA_TRIAGE fails loudly here.
  triagePolicy: loadTriagePolicy(process.env),
  classifier: createLocalClassifier(),
  retryPolicy: loadRetryPolicy(process.env),
  backoff: new SqsQueueBackoff(sqs, requiredEnv(process.env, 'REDRESS_QUEUE_URL')),
  deadLetters: new SqsDeadLetterQueue(sqs, requiredEnv(process.env, 'REDRESS_DEAD_LETTER_QUEUE_URL')),
  // A bare "reply 1–5" inside the survey window rates the resolved complaint (issue 16).
  ratings: { pointers: new DynamoRatingPointerStore(doc, table), ttlMs: surveyTtlMs(process.env) },
  // The FAQ snapshot lives on the same table; a warm function checks its version at most every REDRESS_FAQ_CACHE_SECONDS.
  suggestions: new FaqSuggestionSource(faqCache, logger),
  logger,
  metrics: observability.metrics,
};
const replyQueue = faqAutoReplyThreshold === null ? undefined : new SqsReplyQueue(sqs, requiredEnv(process.env, 'REDRESS_REPLY_QUEUE_URL'));

/** The handler with the reply router of the channel secret as of `env` (rebuilt when a refresh finds it changed). */
function build(env: NodeJS.ProcessEnv) {
  return createProcessHandler({
    ...deps,
    // REDRESS_FAQ_AUTOREPLY: the answer is stored with the item and its send queued for the reply function.
    ...(faqAutoReplyThreshold === null || !replyQueue
      ? {}
      : {
          faqAutoReply: {
            threshold: faqAutoReplyThreshold,
            entries: async () => (await faqCache.get())?.entries ?? null,
            router: createReplySender(env),
            queue: replyQueue,
            logger,
          },
        }),
  }).use(observability.middleware(queueCorrelationIds));
}

export const handler = withSecretEnvironment(secrets, build);
