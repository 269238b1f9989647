/**
 * The whole Redress stack on one machine: the same handlers as in AWS, each built by its function's own
 * composition root (functions/<fn>/compose.ts, as the Lambda entries build them) over embedded stand-ins
 * (dynalite for DynamoDB, a journaled queue for SQS, a journaled bus for EventBridge), behind a
 * node:http server that speaks API Gateway HTTP API events. The thread that serves HTTP runs the
 * ingest handler; the process function and the ingest function's receipt puts run on worker threads,
 * and processing yields to ingest while webhooks arrive. Used by `npm start` and by the integration
 * tests (in-process, on a random port).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { composeIngestHandler } from '../../functions/ingest/compose.ts';
import { DEV_DEFAULTS, LOCAL_FAQ_CACHE_SECONDS } from './dev-defaults.ts';
import { composeProcessHandler, parseProcessConfig } from '../../functions/process/compose.ts';
import { DynamoFeedbackRepository, createDocumentClient } from '../../functions/shared/adapters/aws/dynamo-feedback-repository.ts';
import type { Classifier } from '../../functions/shared/ports/classifier.ts';
import { NotFoundError, PayloadTooLargeError, ProblemError, ServiceUnavailableError } from '../../functions/shared/errors.ts';
import { json, problem, type HttpEvent, type HttpResult } from '../../functions/shared/http.ts';
import { createLogger, errorFields, type Logger } from '../../functions/shared/logger.ts';
import type { FeedbackQueue } from '../../functions/shared/ports/feedback-queue.ts';
import { composeClockCheckHandler } from '../../functions/clock/compose.ts';
import { SWEEP_GRACE_MS } from '../../functions/shared/pipeline/sweep.ts';
import { composeSweeperHandler } from '../../functions/sweeper/compose.ts';
import { toHttpApiEvent, writeHttpResult } from './api-gateway-event.ts';
import { LocalClockTimer } from './local-clock-timer.ts';
import { UsageMeter } from './usage-meter.ts';
import { EventWebhookForwarder } from './event-webhook-forwarder.ts';
import { createLoopbackDynamoClient, startLocalDynamo, type LocalDynamo } from './dynamo-local.ts';
import { LocalEventBus } from './local-event-bus.ts';
import { LocalDeadLetterQueue, LocalQueue, LocalQueueBackoff } from './local-queue.ts';
import { createHealthCheck, healthResponse } from './health.ts';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { redriveMaxReceiveCount } from '../../functions/shared/pipeline/retry-policy.ts';
import type { DeadLetterQueue } from '../../functions/shared/ports/dead-letter-queue.ts';
import type { QueueBackoff } from '../../functions/shared/ports/queue-backoff.ts';
import { QueuePoller, lambdaContext, type SqsHandler } from './queue-poller.ts';
import { ProcessWorker } from './process-worker.ts';
import { ReceiptsWorker } from './receipts-worker.ts';
import { recordedClockTimer, recordedDeadLetterQueue, recordedEventBus, recordedFeedbackQueue, recordedDeliveryReportQueue, recordedQueueBackoff, recordedReplyQueue, type RedressFunctionName } from './aws-calls.ts';
// --- admin API ---
import { composeAdminHandler, parseAdminConfig } from '../../functions/admin/compose.ts';
import { DynamoFaqStore } from '../../functions/shared/faq/adapters/dynamo-faq-store.ts';
import { composeReplyHandler } from '../../functions/reply/compose.ts';
import { createReplySender } from '../../functions/shared/channels/reply-router.ts';
import type { DeliveryReportQueue, ReplyQueue } from '../../functions/shared/ports/reply-queue.ts';
import { LocalReplyInbox, withLocalReplyUrls } from './local-reply-inbox.ts';
import { createLocalJwtVerifier, localJwtOptions, withLocalJwtAuthorizer } from '../../functions/shared/auth/local-jwt.ts';
import { secretList } from '../../functions/shared/config.ts';
// --- end admin API ---
// --- quarterly evaluation ---
import { composeReportHandler, parseReportConfig } from '../../functions/reports/compose.ts';
// --- end quarterly evaluation ---

export const LOCAL_TABLE_NAME = 'redress-local';
/** API Gateway HTTP API's own request limit; larger bodies are refused before a handler sees them. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/** How long after the last webhook the stack still counts as ingesting (gaps between a sender's requests). */
const INGEST_QUIET_MS = 50;

export interface LocalStackOptions {
  /** Environment (secrets and settings), already including development defaults. */
  env: NodeJS.ProcessEnv;
  /** Where state lives (dynalite, queue and event journals). */
  dataDir: string;
  port?: number;
  host?: string;
  logger?: Logger;
  /**
   * A classifier to process with. Given one, processing runs on this thread (a classifier cannot be
   * sent to another); otherwise on a worker thread with the Lambda's own classifier.
   */
  classifier?: Classifier;
  /** Run the process function on a worker thread (default: yes, unless a classifier is given). */
  processOnWorker?: boolean;
  /** Make the ingest function's receipt puts from a worker thread (default: yes). */
  receiptsOnWorker?: boolean;
  /** Queue visibility timeout for the process function (SQS: 6× the function timeout). */
  visibilityTimeoutMs?: number;
  /** The queue's redrive backstop (default: the retry policy's attempts plus a margin, as in CDK). */
  maxReceiveCount?: number;
  /**
   * Tests: the DynamoDB endpoint the process worker uses, given dynalite's (a proxy that can refuse
   * connections, to take the table away from processing for a while).
   */
  processDynamoEndpoint?: (dynaliteEndpoint: string) => string;
  /** How overdue an announcement must be before the sweeper repairs it (default `SWEEP_GRACE_MS`, as in AWS; tests shorten it). */
  sweepGraceMs?: number;
}

export interface LocalStack {
  url: string;
  port: number;
  server: Server;
  bus: LocalEventBus;
  queue: LocalQueue;
  deadLetterQueue: LocalQueue;
  dynamo: LocalDynamo;
  repository: DynamoFeedbackRepository;
  /** The FAQ's store on the harness's client (seeding the sample, tests). */
  faq: DynamoFaqStore;
  clockTimer: LocalClockTimer;
  /** Runs one sweep now (tests). */
  sweep(): Promise<unknown>;
  /** Resolves once the queue is empty and no batch is in flight. */
  drained(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the local stack; resolves once it is ready to answer (GET /health 200). */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const logger = options.logger ?? createLogger('local');
  const { dataDir } = options;
  mkdirSync(dataDir, { recursive: true });

  // Listen first: the public URL (what Twilio signs) defaults to the address we actually got.
  let routes: (event: HttpEvent) => Promise<HttpResult> = async () => {
    throw new ServiceUnavailableError('Starting up.');
  };
  const server = createServer((req, res) => void serve(req, res));
  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const body = await readBody(req);
      const result = await routes(toHttpApiEvent(req, body));
      writeHttpResult(res, result);
    } catch (err) {
      const path = (req.url ?? '').split('?')[0];
      if (!(err instanceof ProblemError)) logger.error('local server error', { path, ...errorFields(err) });
      const p = err instanceof ProblemError ? err : new ProblemError(500, 'Internal Server Error', 'Something went wrong on our side.');
      if (!res.headersSent) writeHttpResult(res, problem(p, path));
      else res.destroy();
    }
  }
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  const env: NodeJS.ProcessEnv = { ...options.env, REDRESS_PUBLIC_URL: options.env.REDRESS_PUBLIC_URL || url };
  // The process function's settings (REDRESS_FAQ_AUTOREPLY among them), parsed before anything starts, as
  // at its cold start; its retry policy also sets the queue's redrive (as CDK reads the same variables).
  const processConfig = parseProcessConfig(env, { faqCacheSeconds: LOCAL_FAQ_CACHE_SECONDS });

  // The process function: on a worker thread by default, so that classifying and storing what the
  // queue delivers does not hold up the thread that answers webhooks (in AWS they are separate
  // compute). The same handler either way. The worker loads while dynalite starts.
  const onWorker = options.processOnWorker ?? !options.classifier;
  // What AWS would bill, counted as we go (GET /local/metrics; the benchmark's cost figures).
  const meter = new UsageMeter();
  const worker = onWorker ? ProcessWorker.spawn({ tableName: LOCAL_TABLE_NAME, env, logger }) : undefined;
  // The ingest function's receipt puts: from their own thread, so that the SDK's per-call work does
  // not hold up the thread answering webhooks. Same adapter, same conditional put.
  const receiptsWorker = (options.receiptsOnWorker ?? true) ? ReceiptsWorker.spawn({ tableName: LOCAL_TABLE_NAME, logger, onUsage: (usage) => meter.merge(usage) }) : undefined;
  const dynamo = await startLocalDynamo(join(dataDir, 'dynamodb'), LOCAL_TABLE_NAME, { onClient: (client) => meter.instrumentDynamo(client) }).catch(async (err: unknown) => {
    await Promise.all([worker?.close(), receiptsWorker?.close()]);
    throw err;
  });
  // The harness's repository (tests and tools read through it); each function gets its own client, as
  // each Lambda has, so the AWS calls it makes are recorded as its own (aws-calls.ts).
  const repository = new DynamoFeedbackRepository(createDocumentClient(dynamo.client), LOCAL_TABLE_NAME);
  const documentClientOf = (fn: RedressFunctionName) => createDocumentClient(dynamo.clientFor(fn));
  const bus = LocalEventBus.open(dataDir);
  // The process function dead-letters what can never succeed itself, with the reason; the queue's
  // redrive after maxReceiveCount receives is the backstop for failures it could not report (as in CDK).
  const { retryPolicy } = processConfig;
  const deadLetterQueue = LocalQueue.open(dataDir, 'feedback-dlq', { visibilityTimeoutMs: 30_000 });
  const queue = LocalQueue.open(dataDir, 'feedback', {
    visibilityTimeoutMs: options.visibilityTimeoutMs ?? 10_000,
    maxReceiveCount: options.maxReceiveCount ?? redriveMaxReceiveCount(retryPolicy),
    deadLetterQueue,
  });
  const localBackoff = new LocalQueueBackoff(queue);
  const backoff: QueueBackoff = recordedQueueBackoff('process', {
    postpone: (messages) => (meter.add('sqs.ChangeMessageVisibilityBatch', Math.ceil(messages.length / 10)), localBackoff.postpone(messages)),
  });
  const localDeadLetters = new LocalDeadLetterQueue(deadLetterQueue);
  const deadLetters: DeadLetterQueue = recordedDeadLetterQueue('process', {
    send: (letters) => (meter.add('sqs.SendMessageBatch', Math.ceil(letters.length / 10)), localDeadLetters.send(letters)),
  });
  const forwarder = env.REDRESS_EVENT_WEBHOOK_URL
    ? EventWebhookForwarder.start(bus, { url: env.REDRESS_EVENT_WEBHOOK_URL, secret: secretList(env.REDRESS_EVENT_WEBHOOK_SECRET)[0] ?? '', dataDir, logger })
    : undefined;
  // The clock-check function: the same composition root as functions/clock/index.ts, bound to the local
  // state machine's check tasks.
  const clockCheck = composeClockCheckHandler({ documentClient: documentClientOf('clock-check'), tableName: LOCAL_TABLE_NAME, eventBus: recordedEventBus('clock-check', bus), logger: createLogger('clock') });
  const clockTimer = await LocalClockTimer.open({
    dataDir,
    check: (input) => clockCheck(input, lambdaContext('redress-clock-check')),
    eventBus: bus,
    logger,
  });
  const feedbackQueue: FeedbackQueue = recordedFeedbackQueue('ingest', {
    send: async (messages) => {
      meter.add('sqs.SendMessageBatch', Math.ceil(messages.length / 10));
      await queue.send(messages.map((m) => JSON.stringify(m)));
    },
  });

  // The process function's automatic FAQ answers (REDRESS_FAQ_AUTOREPLY) are queued for the reply function,
  // on the replies queue opened with it below; the worker is connected first, so it reaches the queue through this.
  let processReplyJobs: ReplyQueue | undefined;
  const processReplyQueue: ReplyQueue = { enqueue: (job, delaySeconds) => (processReplyJobs ? processReplyJobs.enqueue(job, delaySeconds) : Promise.reject(new Error('replies queue not open yet'))) };
  const connected = Promise.all([
    receiptsWorker?.connect(dynamo.endpoint),
    worker?.connect({
      endpoint: options.processDynamoEndpoint?.(dynamo.endpoint) ?? dynamo.endpoint,
      eventBus: recordedEventBus('process', bus),
      clockTimer: recordedClockTimer('process', clockTimer),
      backoff,
      deadLetters,
      replyQueue: processReplyQueue,
      onUsage: (usage, ms) => {
        meter.merge(usage);
        meter.add('lambda.process.ms', ms);
      },
    }),
  ]);
  // A thread that cannot start (say, a module that fails to load) fails the start, leaving nothing running.
  await connected.catch(async (err: unknown) => {
    await Promise.allSettled([worker?.close(), receiptsWorker?.close(), clockTimer.close(), dynamo.close(), new Promise((r) => server.close(r))]);
    throw err;
  });
  // --- replies to customers: the same router, carrier and reply handler as in AWS. The
  // bank's own back ends default to this stack's inbox (/local/replies/{channel}); platform base URLs come from env.
  const replyEnv = withLocalReplyUrls(env, url);
  const replyInbox = new LocalReplyInbox((channel) => secretList(replyEnv[`REDRESS_${channel.toUpperCase()}_SECRET`]));
  const replyRouter = createReplySender(replyEnv);
  const replyQueue = LocalQueue.open(dataDir, 'replies', { visibilityTimeoutMs: 120_000 });
  const localReplyJobs: ReplyQueue = { enqueue: (job, delaySeconds) => replyQueue.send([{ body: JSON.stringify(job), delaySeconds }]).then(() => undefined) };
  processReplyJobs = recordedReplyQueue('process', localReplyJobs);
  // Delivery reports found by ingest go to the same queue, as in AWS.
  const localDeliveryReports: DeliveryReportQueue = {
    report: (updates) => replyQueue.send(updates.map((update) => JSON.stringify({ kind: 'delivery', update }))).then(() => undefined),
  };
  const replyHandler = composeReplyHandler({
    documentClient: documentClientOf('reply'),
    tableName: LOCAL_TABLE_NAME,
    eventBus: recordedEventBus('reply', bus),
    clockTimer: recordedClockTimer('reply', clockTimer),
    queue: recordedReplyQueue('reply', localReplyJobs),
    sender: replyRouter,
    logger: createLogger('reply'),
  });
  const replyPoller = new QueuePoller(replyQueue, replyHandler, { functionName: 'redress-reply', logger, batchSize: 10, concurrency: 2 });
  // --- end replies ---

  const ingest = composeIngestHandler(
    // Locally, items always carry a customer key: the development key unless one is set.
    { ...env, REDRESS_CUSTOMER_KEY_SECRET: env.REDRESS_CUSTOMER_KEY_SECRET || DEV_DEFAULTS.REDRESS_CUSTOMER_KEY_SECRET },
    {
      // WeChat's signed nonces: few, so on this thread's ingest client (same adapter and conditional put as in AWS).
      documentClient: documentClientOf('ingest'),
      tableName: LOCAL_TABLE_NAME,
      queue: feedbackQueue,
      ...(receiptsWorker ? { receipts: receiptsWorker } : {}),
      deliveryReports: recordedDeliveryReportQueue('ingest', localDeliveryReports),
      logger: createLogger('ingest'),
    },
  );
  const processFeedback: SqsHandler = worker
    ? worker.handler
    : composeProcessHandler(processConfig, {
        documentClient: documentClientOf('process'),
        tableName: LOCAL_TABLE_NAME,
        eventBus: recordedEventBus('process', bus),
        clockTimer: recordedClockTimer('process', clockTimer),
        backoff,
        deadLetters,
        // Loaded only here: with processing on the worker, this thread never needs the model.
        classifier: options.classifier ?? (await import('../../functions/shared/classification/local-classifier.ts')).createLocalClassifier(),
        autoReplies: () => ({ router: replyRouter, queue: processReplyQueue }),
        logger: createLogger('process'),
      });
  // The sweeper: the same composition root as functions/sweeper/index.ts, run on an interval (below) and
  // by tests (`sweep()`). A failed sweep is logged by the handler and tried again on the next interval.
  const sweeperHandler = composeSweeperHandler(
    { graceMs: options.sweepGraceMs ?? SWEEP_GRACE_MS },
    {
      documentClient: documentClientOf('sweeper'),
      tableName: LOCAL_TABLE_NAME,
      eventBus: recordedEventBus('sweeper', bus),
      clockTimer: recordedClockTimer('sweeper', clockTimer),
      replyQueue: recordedReplyQueue('sweeper', localReplyJobs),
      logger,
    },
  );
  const sweep = () => sweeperHandler(undefined, lambdaContext('redress-sweeper')).catch(() => undefined);
  const meteredProcess: SqsHandler = async (event, context) => {
    const started = performance.now();
    try {
      return await processFeedback(event, context);
    } finally {
      meter.add('lambda.process.invocations');
      // On the worker, the handler's own time comes with its usage (time waiting for the thread is not billed).
      if (!worker) meter.add('lambda.process.ms', performance.now() - started);
      // The event source mapping receives the batch and deletes what succeeded: one request each.
      meter.add('sqs.ReceiveMessage');
      meter.add('sqs.DeleteMessageBatch');
    }
  };
  // Ingest first: while webhooks are being answered (or were a moment ago), one batch of two at a time
  // with rests in between (processing takes at most a fifth of its time); full speed once it is quiet.
  let webhooksInFlight = 0;
  let lastWebhookAt = 0;
  const ingesting = () => webhooksInFlight > 0 || performance.now() - lastWebhookAt < INGEST_QUIET_MS;
  const poller = new QueuePoller(queue, meteredProcess, {
    functionName: 'redress-process',
    logger,
    batchSize: 10,
    concurrency: 4,
    busy: ingesting,
    busyConcurrency: 1,
    busyBatchSize: 2,
    busyRestFactor: 4,
  });


  // --- admin API: the same handler as in AWS; the local JWT verifier stands in for API Gateway's authorizer.
  const adminHandler = composeAdminHandler(parseAdminConfig(env, env.REDRESS_SURVEY_SECRET), {
    documentClient: documentClientOf('admin'),
    tableName: LOCAL_TABLE_NAME,
    eventBus: recordedEventBus('admin', bus),
    clockTimer: recordedClockTimer('admin', clockTimer),
    logger: createLogger('admin'),
    replies: { router: replyRouter, queue: recordedReplyQueue('admin', localReplyJobs) },
  });
  // The report function: the same composition root as functions/reports/index.ts; locally its
  // cursors are signed with the local token key.
  const reportHandler = composeReportHandler(parseReportConfig(env), {
    documentClient: documentClientOf('report'),
    tableName: LOCAL_TABLE_NAME,
    logger: createLogger('report'),
    cursorSecrets: secretList(env.REDRESS_JWT_SECRET),
  });
  const report = withLocalJwtAuthorizer((event) => reportHandler(event, lambdaContext('redress-report')), createLocalJwtVerifier(secretList(env.REDRESS_JWT_SECRET), localJwtOptions(env)));
  const admin = withLocalJwtAuthorizer((event) => adminHandler(event, lambdaContext('redress-admin')), createLocalJwtVerifier(secretList(env.REDRESS_JWT_SECRET), localJwtOptions(env)));
  // --- end admin API ---

  // GET /health probes what an accepted webhook depends on. The table is asked through a client of its
  // own (one socket), not one a function uses; a probe that has no answer within 2 s has failed.
  const healthClient = createLoopbackDynamoClient(dynamo.endpoint, 1);
  const health = createHealthCheck({
    table: async () => {
      const { Table } = await healthClient.send(new DescribeTableCommand({ TableName: LOCAL_TABLE_NAME }), { abortSignal: AbortSignal.timeout(2_000) });
      if (Table?.TableStatus !== 'ACTIVE') throw new Error(`table is ${Table?.TableStatus ?? 'missing'}`);
    },
    queue: () => (queue.check(), deadLetterQueue.check()),
    clockRunner: () => clockTimer.check(),
  });

  routes = async (event: HttpEvent): Promise<HttpResult> => {
    const path = event.rawPath;
    const method = event.requestContext.http.method;
    if (path === '/health') return healthResponse(await health(), { queued: queue.size, deadLettered: deadLetterQueue.size, events: bus.count });
    if (path === '/local/events' && method === 'GET') {
      const q = event.queryStringParameters ?? {};
      const limit = Math.min(Math.max(Number(q.limit) || 10_000, 1), 10_000);
      const offset = Math.max(Number(q.cursor) || 0, 0);
      const page = bus.list({ ...(q.type ? { type: q.type } : {}), offset, limit });
      return json(200, { items: page.items, ...(page.next !== undefined ? { nextCursor: String(page.next) } : {}) });
    }
    if (path === '/local/replies' && method === 'GET') return json(200, { items: replyInbox.list() });
    if (path.startsWith('/local/replies/') && method === 'POST') {
      const status = replyInbox.receive(path.slice('/local/replies/'.length), event.headers ?? {}, Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8'));
      return { statusCode: status, headers: {}, body: '' };
    }
    if (path === '/local/metrics' && method === 'GET') return json(200, { ...meter.snapshot(), 'eventbridge.events': bus.count, 'sfn.transitions': clockTimer.transitions });
    if (path.startsWith('/webhooks/')) {
      const started = performance.now();
      webhooksInFlight++;
      try {
        return await ingest(event, lambdaContext('redress-ingest'));
      } finally {
        webhooksInFlight--;
        lastWebhookAt = performance.now();
        meter.add('apigateway.requests');
        meter.add('lambda.ingest.invocations');
        meter.add('lambda.ingest.ms', performance.now() - started);
      }
    }
    if (path === '/openapi.json') return adminHandler(event, lambdaContext('redress-admin')); // admin API: public, like its gateway route
    if (path.startsWith('/survey/')) return adminHandler(event, lambdaContext('redress-admin')); // customer survey: public, the token is the authority
    if (path.startsWith('/admin/reports/')) {
      const started = performance.now();
      try {
        return await report(event); // quarterly evaluation: the report function's routes
      } finally {
        meter.add('apigateway.requests');
        meter.add('lambda.report.invocations');
        meter.add('lambda.report.ms', performance.now() - started);
      }
    }
    if (path === '/admin' || path.startsWith('/admin/')) {
      const started = performance.now();
      try {
        return await admin(event); // admin API
      } finally {
        meter.add('apigateway.requests');
        meter.add('lambda.admin.invocations');
        meter.add('lambda.admin.ms', performance.now() - started);
      }
    }
    throw new NotFoundError(`No route ${method} ${path}.`);
  };

  poller.start();
  replyPoller.start();
  // Clocks that were running when the stack stopped resume now; the sweeper backs them up.
  clockTimer.resume();
  const sweepTimer = setInterval(() => void sweep(), Number(env.REDRESS_SWEEP_INTERVAL_SECONDS ?? 15) * 1000);
  sweepTimer.unref();

  return {
    url,
    port,
    server,
    bus,
    queue,
    deadLetterQueue,
    dynamo,
    repository,
    faq: new DynamoFaqStore(createDocumentClient(dynamo.client), LOCAL_TABLE_NAME),
    clockTimer,
    sweep,
    drained: () => poller.drained(),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      clearInterval(sweepTimer);
      await poller.stop();
      await replyPoller.stop();
      await replyQueue.close();
      await worker?.close();
      await receiptsWorker?.close();
      await clockTimer.close();
      await forwarder?.close();
      await queue.close();
      await deadLetterQueue.close();
      await bus.close();
      healthClient.destroy();
      await dynamo.close();
    },
  };
}

/** Reads the request body, refusing (413) past API Gateway's limit without buffering it all. */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => (tooLarge ? reject(new PayloadTooLargeError(MAX_REQUEST_BYTES)) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}
