/**
 * The ingest handler's receipts port, served by a worker thread (receipts-worker-thread.ts) that makes
 * the same conditional put through the same adapter as in AWS. The thread answering webhooks then
 * only verifies, parses, queues and answers; the receipt's SDK work runs beside it. Receipts asked for
 * in one turn of the event loop go to the worker in one message, and come back the same way.
 */
import { Worker } from 'node:worker_threads';
import type { FeedbackRepository } from '../../functions/shared/ports/feedback-repository.ts';
import { errorFields, type Logger } from '../../functions/shared/logger.ts';

export type ReceiptsToWorker =
  | { type: 'connect'; endpoint: string }
  | { type: 'receipts'; receipts: Array<{ id: number; feedbackId: string; receivedAt: string }> }
  | { type: 'close' };

export interface ReceiptReply {
  id: number;
  first?: boolean;
  error?: { error?: unknown; errorMessage?: unknown };
}

export type ReceiptsFromWorker = { type: 'ready' } | { type: 'replies'; replies: ReceiptReply[]; usage: Record<string, number> };

export class ReceiptsWorker implements Pick<FeedbackRepository, 'recordReceipt'> {
  private worker!: Worker;
  private ready!: Promise<void>;
  private running = false;
  private exited = false;
  private closing = false;
  private endpoint: string | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (first: boolean) => void; reject: (err: Error) => void }>();
  private outgoing: Array<{ id: number; feedbackId: string; receivedAt: string }> = [];

  private constructor(
    private readonly tableName: string,
    private readonly logger: Logger,
    private readonly onUsage?: (usage: Record<string, number>) => void,
  ) {}

  /** Starts the thread (it loads the SDK meanwhile); `connect` once dynalite is up. */
  static spawn(options: { tableName: string; logger: Logger; onUsage?: (usage: Record<string, number>) => void }): ReceiptsWorker {
    const w = new ReceiptsWorker(options.tableName, options.logger, options.onUsage);
    w.spawn();
    return w;
  }

  async connect(endpoint: string): Promise<void> {
    this.endpoint = endpoint;
    this.worker.postMessage({ type: 'connect', endpoint } satisfies ReceiptsToWorker);
    await this.ready;
  }

  /**
   * Records the receipt on the worker; resolves true for the first delivery of `id`. While the thread
   * is down (it is restarted after a crash) it rejects at once, as an unreachable table would: ingest
   * then answers 503 and the sender retries.
   */
  recordReceipt(feedbackId: string, receivedAt: string): Promise<boolean> {
    if (!this.running) return Promise.reject(new Error('receipts worker is not running'));
    const id = this.nextId++;
    if (this.outgoing.length === 0) setImmediate(() => this.flush());
    this.outgoing.push({ id, feedbackId, receivedAt });
    return new Promise<boolean>((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  async close(): Promise<void> {
    this.closing = true;
    if (!this.exited) {
      const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
      this.worker.postMessage({ type: 'close' } satisfies ReceiptsToWorker);
      const timer = setTimeout(() => void this.worker.terminate(), 2_000);
      await exited;
      clearTimeout(timer);
    }
    this.failPending(new Error('receipts worker closed'));
  }

  private flush(): void {
    const receipts = this.outgoing;
    this.outgoing = [];
    if (receipts.length) this.worker.postMessage({ type: 'receipts', receipts } satisfies ReceiptsToWorker);
  }

  private spawn(): void {
    const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: { script: './receipts-worker-thread.ts', tableName: this.tableName } });
    this.worker = worker;
    this.exited = false;
    this.ready = new Promise<void>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`receipts worker exited (${code}) while starting`)));
      worker.once('message', (m: ReceiptsFromWorker) => {
        if (m.type !== 'ready') return reject(new Error(`receipts worker sent ${m.type} before ready`));
        this.running = true;
        resolve();
      });
    });
    this.ready.catch(() => undefined);
    worker.on('message', (m: ReceiptsFromWorker) => {
      if (m.type !== 'replies') return;
      this.onUsage?.(m.usage);
      for (const r of m.replies) {
        const p = this.pending.get(r.id);
        this.pending.delete(r.id);
        if (!p) continue;
        if (r.error) p.reject(Object.assign(new Error(String(r.error.errorMessage ?? 'receipt failed')), { name: String(r.error.error ?? 'Error') }));
        else p.resolve(r.first === true);
      }
    });
    worker.on('error', (err) => this.logger.error('receipts worker failed', errorFields(err)));
    worker.on('exit', (code) => {
      this.exited = true;
      const wasRunning = this.running;
      this.running = false;
      this.failPending(new Error(`receipts worker exited (${code})`));
      if (this.closing || !wasRunning) return;
      this.logger.error('receipts worker exited; restarting', { code });
      setTimeout(() => {
        if (this.closing) return;
        this.spawn();
        if (this.endpoint) void this.connect(this.endpoint).catch((err: unknown) => this.logger.error('receipts worker did not restart', errorFields(err)));
      }, 1_000).unref();
    });
  }

  private failPending(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    this.outgoing = [];
  }
}
