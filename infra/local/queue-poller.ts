/**
 * Drives a LocalQueue into a Lambda-style SQS handler, as the Lambda event source mapping does:
 * batches of up to ten, several batches in flight, `batchItemFailures` honoured (failed messages stay
 * hidden until their visibility timeout ends, then come back with a higher receive count).
 */
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Logger } from '../../functions/shared/logger.ts';
import { errorFields } from '../../functions/shared/logger.ts';
import type { LocalQueue, ReceivedMessage } from './local-queue.ts';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface PollerOptions {
  batchSize?: number;
  concurrency?: number;
  /**
   * While this answers true (the stack is answering webhooks), keep at most `busyConcurrency` batches
   * in flight (default 1) and rest `busyRestFactor` times as long as each batch took before the next
   * (default 0): processing then takes at most 1 / (1 + factor) of its time and never stops, and
   * leaves the rest of the shared CPU and dynalite to ingest. In AWS the consumer is separate compute;
   * here it shares one machine, and the queue holds what arrives meanwhile.
   */
  busy?: () => boolean;
  busyConcurrency?: number;
  /**
   * While busy, batches of at most this many messages (default `batchSize`): a batch's writes reach
   * dynalite as one burst that the receipt puts of webhooks being answered queue behind, so smaller
   * bursts keep ingest's tail latency down at the same share of time. (SQS batches are "up to" ten.)
   */
  busyBatchSize?: number;
  busyRestFactor?: number;
  functionName: string;
  logger: Logger;
}

export class QueuePoller {
  private running = false;
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  /** While busy, no new batch starts before this time (performance.now()). */
  private restingUntil = 0;
  private restTimer: NodeJS.Timeout | undefined;
  private readonly idleWaiters: Array<() => void> = [];
  private readonly onMessage = () => this.pump();

  constructor(
    private readonly queue: LocalQueue,
    private readonly handler: SqsHandler,
    private readonly options: PollerOptions,
  ) {}

  start(): void {
    this.running = true;
    this.queue.on('message', this.onMessage);
    this.pump();
  }

  /** Stops taking new batches and waits for the ones in flight. */
  async stop(): Promise<void> {
    this.running = false;
    this.queue.off('message', this.onMessage);
    if (this.timer) clearTimeout(this.timer);
    if (this.restTimer) clearTimeout(this.restTimer);
    while (this.inFlight > 0) await new Promise((r) => setTimeout(r, 10));
  }

  /** Resolves when nothing is in flight and nothing is visible (for tests and benchmarks). */
  async drained(): Promise<void> {
    while (this.inFlight > 0 || this.queue.hasVisible()) await new Promise((r) => setTimeout(r, 10));
  }

  private pump(): void {
    if (!this.running) return;
    const busy = this.options.busy?.() ?? false;
    if (busy && performance.now() < this.restingUntil) {
      this.restTimer ??= setTimeout(() => {
        this.restTimer = undefined;
        this.pump();
      }, this.restingUntil - performance.now());
      return;
    }
    const concurrency = busy ? Math.max(1, this.options.busyConcurrency ?? 1) : (this.options.concurrency ?? 4);
    while (this.inFlight < concurrency) {
      const size = this.options.batchSize ?? 10;
      const batch = this.queue.receive(busy ? Math.min(size, this.options.busyBatchSize ?? size) : size);
      if (batch.length === 0) break;
      this.inFlight++;
      const started = performance.now();
      void this.invoke(batch).finally(() => {
        this.inFlight--;
        if (this.options.busy?.()) this.restingUntil = performance.now() + (this.options.busyRestFactor ?? 0) * (performance.now() - started);
        this.pump();
      });
    }
    this.schedule();
  }

  /** Wakes up when the next hidden message becomes visible again. */
  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    const next = this.queue.nextVisibleAt();
    if (next === undefined) return;
    this.timer = setTimeout(() => this.pump(), Math.max(5, next - Date.now()));
  }

  private async invoke(batch: ReceivedMessage[]): Promise<void> {
    const event: SQSEvent = { Records: batch.map((m) => toRecord(m, this.queue.name)) };
    let failed = new Set<string>();
    try {
      const res = await this.handler(event, lambdaContext(this.options.functionName));
      failed = new Set((res?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (err) {
      // A thrown handler fails the whole batch, as with Lambda.
      this.options.logger.error('batch handler threw', { queue: this.queue.name, ...errorFields(err) });
      failed = new Set(batch.map((m) => m.messageId));
    }
    await Promise.all(batch.filter((m) => !failed.has(m.messageId)).map((m) => this.queue.delete(m.receiptHandle)));
  }
}

function toRecord(m: ReceivedMessage, queueName: string): SQSRecord {
  return {
    messageId: m.messageId,
    receiptHandle: m.receiptHandle,
    body: m.body,
    attributes: {
      ApproximateReceiveCount: String(m.receiveCount),
      SentTimestamp: String(m.sentAt),
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt ?? Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:local:000000000000:${queueName}`,
    awsRegion: 'local',
  };
}

/** A Lambda context good enough for handlers that only read ids and remaining time. */
export function lambdaContext(functionName: string): Context {
  const deadline = Date.now() + 30_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: crypto.randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
