/**
 * The process function's local compute: a worker thread that runs the same process handler as the
 * Lambda (classify, conditional put, outbox), with its own DynamoDB client to dynalite. In AWS the
 * queue hands batches to separate compute; here a worker thread keeps classification and the SDK work
 * of processing off the thread that answers webhooks. The event bus and the clock timer stay with the
 * stack on the main thread (one journal each, shared with the admin API and the clock checks); the
 * worker reaches them through messages, as the Lambda reaches EventBridge and Step Functions through
 * their APIs. Started by process-worker.ts; never imported by the stack itself.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { SQSEvent } from 'aws-lambda';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createProcessHandler } from '../../functions/process/handler.ts';
import { DynamoCustomerLinks } from '../../functions/shared/adapters/aws/dynamo-customer-links.ts';
import { DynamoRatingPointerStore } from '../../functions/shared/adapters/aws/dynamo-rating-pointer-store.ts';
import { surveyTtlMs } from '../../functions/shared/survey/config.ts';
import { DynamoFeedbackRepository, createDocumentClient } from '../../functions/shared/adapters/aws/dynamo-feedback-repository.ts';
import { createLocalClassifier } from '../../functions/shared/classification/local-classifier.ts';
import { loadClockPolicy } from '../../functions/shared/clocks/policy.ts';
import { loadTriagePolicy } from '../../functions/shared/triage/triage-policy.ts';
import { createLogger, errorFields } from '../../functions/shared/logger.ts';
import type { TimerRef, TimerStart } from '../../functions/shared/ports/feedback-repository.ts';
import type { DomainEvent } from '../../functions/shared/ports/event-bus.ts';
import type { DeadLetter } from '../../functions/shared/ports/dead-letter-queue.ts';
import type { PostponedMessage } from '../../functions/shared/ports/queue-backoff.ts';
import { DynamoFaqStore } from '../../functions/shared/faq/adapters/dynamo-faq-store.ts';
import { FaqIndexCache, faqCacheTtlMs } from '../../functions/shared/faq/faq-index-cache.ts';
import { FaqSuggestionSource } from '../../functions/shared/faq/suggestion-source.ts';
import { loadRetryPolicy } from '../../functions/shared/pipeline/retry-policy.ts';
import { parseFaqAutoReplyThreshold } from '../../functions/shared/faq/auto-answer.ts';
import { createReplySender } from '../../functions/shared/channels/reply-router.ts';
import type { ReplyJob } from '../../functions/shared/ports/reply-queue.ts';
import { withLocalReplyUrls } from './local-reply-inbox.ts';
import { createLoopbackDynamoClient } from './dynamo-local.ts';
import { lambdaContext } from './queue-poller.ts';
import { UsageMeter } from './usage-meter.ts';
import type { FromWorker, ToWorker, WorkerCallMethod, WorkerInit } from './process-worker.ts';

const port = parentPort!;
const init = workerData as WorkerInit;
const post = (message: FromWorker) => port.postMessage(message);
const meter = new UsageMeter();

let nextCall = 0;
const calls = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
/** Asks the main thread to use one of its ports (bus, timer, queues); resolves when it is done there. */
function call(method: 'publish', args: DomainEvent[]): Promise<void>;
function call(method: 'startTimer', args: TimerStart): Promise<void>;
function call(method: 'stopTimer', args: TimerRef): Promise<void>;
function call(method: 'postpone', args: PostponedMessage[]): Promise<string[]>;
function call(method: 'deadLetter', args: DeadLetter[]): Promise<void>;
function call(method: 'enqueueReply', args: { job: ReplyJob; delaySeconds: number }): Promise<void>;
function call(method: WorkerCallMethod, args: unknown): Promise<unknown> {
  const id = nextCall++;
  return new Promise((resolve, reject) => {
    calls.set(id, { resolve, reject });
    post({ type: 'call', id, method, args });
  });
}

// Everything but the DynamoDB client is built now, while the stack starts dynalite; the client once
// the stack says where dynalite listens.
const classifier = createLocalClassifier();
const clockPolicy = loadClockPolicy(init.env);
const triagePolicy = loadTriagePolicy(init.env);
const retryPolicy = loadRetryPolicy(init.env);
const faqAutoReplyThreshold = parseFaqAutoReplyThreshold(init.env.REDRESS_FAQ_AUTOREPLY);
// Which channels can be answered: the same router (and local reply URLs) as the stack's reply function.
const replyRouter = createReplySender(init.env.REDRESS_PUBLIC_URL ? withLocalReplyUrls(init.env, init.env.REDRESS_PUBLIC_URL) : init.env);
let client: DynamoDBClient | undefined;
let handler: ReturnType<typeof createProcessHandler> | undefined;

/**
 * At most this many of processing's DynamoDB requests wait in dynalite at once: dynalite handles one
 * request at a time, so more only queues the ingest's receipt puts behind processing's writes (with 64,
 * receipts waited about twice as long at c = 16), and four keep it as busy when nothing else runs.
 */
const DYNAMO_SOCKETS = 4;

/**
 * On one machine a FAQ change should show on the next inquiry, not half a minute later (REDRESS_FAQ_CACHE_SECONDS
 * still overrides): one small read per second at most.
 */
const LOCAL_FAQ_CACHE_SECONDS = 1;

function connect(endpoint: string): void {
  client = createLoopbackDynamoClient(endpoint, DYNAMO_SOCKETS, { function: 'process', tableName: init.tableName });
  meter.instrumentDynamo(client);
  const doc = createDocumentClient(client);
  const logger = createLogger('process');
  const faqCache = new FaqIndexCache(new DynamoFaqStore(doc, init.tableName), { ttlMs: faqCacheTtlMs(init.env, LOCAL_FAQ_CACHE_SECONDS) });
  handler = createProcessHandler({
    repository: new DynamoFeedbackRepository(doc, init.tableName),
    customerLinks: new DynamoCustomerLinks(doc, init.tableName),
    eventBus: { publish: (events) => call('publish', events) },
    clockTimer: { start: (timer) => call('startTimer', timer), stop: (timer) => call('stopTimer', timer) },
    clockPolicy,
    triagePolicy,
    classifier,
    retryPolicy,
    backoff: { postpone: (messages) => call('postpone', messages) },
    deadLetters: { send: (letters) => call('deadLetter', letters) },
    // A bare "reply 1–5" inside the survey window rates the resolved complaint (issue 16).
    ratings: { pointers: new DynamoRatingPointerStore(doc, init.tableName), ttlMs: surveyTtlMs(init.env) },
    suggestions: new FaqSuggestionSource(faqCache, logger),
    ...(faqAutoReplyThreshold === null
      ? {}
      : {
          faqAutoReply: {
            threshold: faqAutoReplyThreshold,
            entries: async () => (await faqCache.get())?.entries ?? null,
            router: replyRouter,
            queue: { enqueue: (job: ReplyJob, delaySeconds: number) => call('enqueueReply', { job, delaySeconds }) },
            logger,
          },
        }),
    logger,
  });
  post({ type: 'ready' });
}

async function runBatch(id: number, event: SQSEvent): Promise<void> {
  const started = performance.now();
  try {
    if (!handler) throw new Error('process worker is not connected');
    const result = await handler(event, lambdaContext('redress-process'));
    post({ type: 'result', id, result: result ?? { batchItemFailures: [] }, ms: performance.now() - started, usage: meter.take() });
  } catch (err) {
    post({ type: 'result', id, error: errorFields(err), ms: performance.now() - started, usage: meter.take() });
  }
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'connect') connect(message.endpoint);
  else if (message.type === 'batch') void runBatch(message.id, message.event);
  else if (message.type === 'reply') {
    const pending = calls.get(message.id);
    calls.delete(message.id);
    if (!pending) return;
    if (message.error) pending.reject(Object.assign(new Error(message.error.message), { name: message.error.name }));
    else pending.resolve(message.value);
  } else if (message.type === 'close') {
    client?.destroy();
    process.exit(0); // ends this thread only
  }
});
