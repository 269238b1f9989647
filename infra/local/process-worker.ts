/**
 * Runs the process function on a worker thread (process-worker-thread.ts) and exposes it to the
 * QueuePoller as an ordinary SQS batch handler. The thread that answers webhooks then only ingests,
 * as in AWS where the queue's consumer is separate compute; processing still shares the machine's
 * cores and dynalite. Publishing events, starting/stopping clock timers, postponing failed messages
 * dead-lettering and queueing automatic FAQ answers' sends are carried out here, on the stack's own bus, timer and queues, when the worker asks.
 */
import { Worker } from 'node:worker_threads';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { ClockTimer } from '../../functions/shared/ports/clock-timer.ts';
import type { EventBus } from '../../functions/shared/ports/event-bus.ts';
import type { DeadLetterQueue } from '../../functions/shared/ports/dead-letter-queue.ts';
import type { QueueBackoff } from '../../functions/shared/ports/queue-backoff.ts';
import type { ReplyJob, ReplyQueue } from '../../functions/shared/ports/reply-queue.ts';
import { errorFields, type Logger } from '../../functions/shared/logger.ts';

/** What the worker is started with (structured-cloned into it). */
export interface WorkerInit {
  tableName: string;
  env: Record<string, string | undefined>;
}

type ErrorFields = { error?: unknown; errorMessage?: unknown };

export type ToWorker =
  | { type: 'connect'; endpoint: string }
  | { type: 'batch'; id: number; event: SQSEvent }
  | { type: 'reply'; id: number; value?: unknown; error?: { name: string; message: string } }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'result'; id: number; result?: SQSBatchResponse; error?: ErrorFields; ms: number; usage: Record<string, number> }
  | { type: 'call'; id: number; method: WorkerCallMethod; args: unknown };

/** What the worker asks the main thread to do (the ports whose state lives there). */
export type WorkerCallMethod = 'publish' | 'startTimer' | 'stopTimer' | 'postpone' | 'deadLetter' | 'enqueueReply';

export interface ProcessWorkerOptions extends WorkerInit {
  logger: Logger;
}

/** What the worker needs from the running stack. */
export interface ProcessWorkerConnection {
  /** dynalite's endpoint (the worker has its own client). */
  endpoint: string;
  eventBus: EventBus;
  clockTimer: ClockTimer;
  /** The feedback queue's ChangeMessageVisibility, and its dead-letter queue. */
  backoff: QueueBackoff;
  deadLetters: DeadLetterQueue;
  /** The replies queue (automatic FAQ answers' sends, REDRESS_FAQ_AUTOREPLY). */
  replyQueue?: ReplyQueue;
  /** Usage the worker metered (its DynamoDB calls) and each batch's handler time. */
  onUsage?: (usage: Record<string, number>, handlerMs: number) => void;
}

interface PendingBatch {
  resolve: (result: SQSBatchResponse) => void;
  reject: (err: Error) => void;
}

export class ProcessWorker {
  private worker!: Worker;
  private ready!: Promise<void>;
  private nextId = 0;
  private readonly pending = new Map<number, PendingBatch>();
  private closing = false;
  private exited = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private abandonRestart: (() => void) | undefined;
  private connection: ProcessWorkerConnection | undefined;

  private constructor(private readonly options: ProcessWorkerOptions) {}

  /**
   * Starts the worker thread, which loads the handler and classifier meanwhile (about a second): call
   * it early and `connect` once dynalite, the bus and the timer are up.
   */
  static spawn(options: ProcessWorkerOptions): ProcessWorker {
    const pw = new ProcessWorker(options);
    pw.spawn();
    return pw;
  }

  /** Hands the worker what it works with; resolves once it is ready for batches. */
  async connect(connection: ProcessWorkerConnection): Promise<void> {
    this.connection = connection;
    this.send({ type: 'connect', endpoint: connection.endpoint });
    await this.ready;
  }

  /** The SQS batch handler the poller calls: the batch runs on the worker. */
  readonly handler = async (event: SQSEvent, _context: Context): Promise<SQSBatchResponse> => {
    await this.ready;
    if (this.exited) throw new Error('process worker is not running');
    const id = this.nextId++;
    return new Promise<SQSBatchResponse>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send({ type: 'batch', id, event });
    });
  };

  /** Stops the worker (call after the poller has stopped: batches still running fail). */
  async close(): Promise<void> {
    this.closing = true;
    if (this.restartTimer) {
      clearTimeout(this.restartTimer);
      this.abandonRestart?.();
    }
    if (!this.exited) {
      const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
      this.send({ type: 'close' });
      const timer = setTimeout(() => void this.worker.terminate(), 2_000);
      await exited;
      clearTimeout(timer);
    }
    this.failPending(new Error('process worker closed'));
  }

  private spawn(): void {
    const { tableName, env } = this.options;
    const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: { script: './process-worker-thread.ts', tableName, env } satisfies WorkerInit & { script: string } });
    this.worker = worker;
    this.exited = false;
    worker.once('exit', () => (this.exited = true));
    this.ready = new Promise<void>((resolve, reject) => {
      const onExit = (code: number) => reject(new Error(`process worker exited (${code}) while starting`));
      worker.once('exit', onExit);
      worker.once('error', reject);
      worker.once('message', (m: FromWorker) => {
        if (m.type !== 'ready') return reject(new Error(`process worker sent ${m.type} before ready`));
        worker.off('exit', onExit);
        worker.off('error', reject);
        worker.on('message', (message: FromWorker) => this.onMessage(message));
        worker.on('error', (err) => this.options.logger.error('process worker failed', errorFields(err)));
        worker.on('exit', (code) => this.onExit(code));
        resolve();
      });
    });
    // A failed start is reported to whoever awaits `ready`; keep it from being an unhandled rejection meanwhile.
    this.ready.catch(() => undefined);
    // A restarted worker is connected at once (messages wait in its port until it listens).
    if (this.connection) this.send({ type: 'connect', endpoint: this.connection.endpoint });
  }

  private onMessage(message: FromWorker): void {
    if (message.type === 'result') {
      const batch = this.pending.get(message.id);
      this.pending.delete(message.id);
      this.connection?.onUsage?.(message.usage, message.ms);
      if (!batch) return;
      if (message.result) batch.resolve(message.result);
      else batch.reject(Object.assign(new Error(String(message.error?.errorMessage ?? 'process handler failed')), { name: String(message.error?.error ?? 'Error') }));
    } else if (message.type === 'call') void this.serve(message);
  }

  /** Carries out a worker's request on the main thread's ports and answers it. */
  private async serve(message: Extract<FromWorker, { type: 'call' }>): Promise<void> {
    try {
      const { eventBus, clockTimer, backoff, deadLetters, replyQueue } = this.connection!;
      let value: unknown;
      if (message.method === 'publish') await eventBus.publish(message.args as Parameters<EventBus['publish']>[0]);
      else if (message.method === 'startTimer') await clockTimer.start(message.args as Parameters<ClockTimer['start']>[0]);
      else if (message.method === 'stopTimer') await clockTimer.stop(message.args as Parameters<ClockTimer['stop']>[0]);
      else if (message.method === 'postpone') value = await backoff.postpone(message.args as Parameters<QueueBackoff['postpone']>[0]);
      else if (message.method === 'enqueueReply') {
        const { job, delaySeconds } = message.args as { job: ReplyJob; delaySeconds: number };
        if (!replyQueue) throw new Error('no replies queue connected');
        await replyQueue.enqueue(job, delaySeconds);
      } else await deadLetters.send(message.args as Parameters<DeadLetterQueue['send']>[0]);
      this.send({ type: 'reply', id: message.id, value });
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      this.send({ type: 'reply', id: message.id, error: { name: e.name, message: e.message } });
    }
  }

  /**
   * An unexpected exit fails the batches in flight (they come back after their visibility timeout) and
   * starts a new worker a second later (batches meanwhile wait for it).
   */
  private onExit(code: number): void {
    this.failPending(new Error(`process worker exited (${code})`));
    if (this.closing) return;
    this.options.logger.error('process worker exited; restarting', { code });
    const restarted = new Promise<void>((resolve, reject) => {
      this.abandonRestart = () => reject(new Error('process worker closed'));
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        this.spawn(); // sets this.ready to the new worker's; batches that waited follow it
        this.ready.then(resolve, reject);
      }, 1_000);
    });
    restarted.catch(() => undefined);
    this.ready = restarted;
  }

  private failPending(err: Error): void {
    for (const batch of this.pending.values()) batch.reject(err);
    this.pending.clear();
  }

  private send(message: ToWorker): void {
    this.worker.postMessage(message);
  }
}
