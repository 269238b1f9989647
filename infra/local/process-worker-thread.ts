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
import { composeProcessHandler, parseProcessConfig } from '../../functions/process/compose.ts';
import { createDocumentClient } from '../../functions/shared/adapters/aws/dynamo-feedback-repository.ts';
import { createLocalClassifier } from '../../functions/shared/classification/local-classifier.ts';
import { createLogger, errorFields } from '../../functions/shared/logger.ts';
import type { TimerRef, TimerStart } from '../../functions/shared/ports/clock-timer.ts';
import type { DomainEvent } from '../../functions/shared/ports/event-bus.ts';
import type { DeadLetter } from '../../functions/shared/ports/dead-letter-queue.ts';
import type { PostponedMessage } from '../../functions/shared/ports/queue-backoff.ts';
import { LOCAL_FAQ_CACHE_SECONDS } from './dev-defaults.ts';
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
// Which channels can be answered: the same router (and local reply URLs) as the stack's reply function.
const replyRouter = createReplySender(init.env.REDRESS_PUBLIC_URL ? withLocalReplyUrls(init.env, init.env.REDRESS_PUBLIC_URL) : init.env);
let client: DynamoDBClient | undefined;
let handler: ReturnType<typeof composeProcessHandler> | undefined;

/**
 * At most this many of processing's DynamoDB requests wait in dynalite at once: dynalite handles one
 * request at a time, so more only queues the ingest's receipt puts behind processing's writes (with 64,
 * receipts waited about twice as long at c = 16), and four keep it as busy when nothing else runs.
 */
const DYNAMO_SOCKETS = 4;

/** Parsed once, while the stack starts dynalite, as at a Lambda's cold start. */
const config = parseProcessConfig(init.env, { faqCacheSeconds: LOCAL_FAQ_CACHE_SECONDS });

function connect(endpoint: string): void {
  client = createLoopbackDynamoClient(endpoint, DYNAMO_SOCKETS, { function: 'process', tableName: init.tableName });
  meter.instrumentDynamo(client);
  handler = composeProcessHandler(config, {
    documentClient: createDocumentClient(client),
    tableName: init.tableName,
    eventBus: { publish: (events) => call('publish', events) },
    clockTimer: { start: (timer) => call('startTimer', timer), stop: (timer) => call('stopTimer', timer) },
    backoff: { postpone: (messages) => call('postpone', messages) },
    deadLetters: { send: (letters) => call('deadLetter', letters) },
    classifier,
    // Automatic FAQ answers are queued on the stack's replies queue, through the main thread.
    autoReplies: () => ({ router: replyRouter, queue: { enqueue: (job: ReplyJob, delaySeconds: number) => call('enqueueReply', { job, delaySeconds }) } }),
    logger: createLogger('process'),
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
