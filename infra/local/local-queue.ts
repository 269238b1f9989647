/**
 * A durable local queue with the SQS semantics the process Lambda relies on: batches of up to ten,
 * a visibility timeout, per-message receive counts, partial batch failures, ChangeMessageVisibility on
 * the latest receipt handle (the process function's backoff), message attributes (a dead letter's
 * reason), and a dead-letter queue after `maxReceiveCount` receives. State is journaled (sends,
 * receives, deletes), so an acknowledged message survives `kill -9` and is delivered again after a
 * restart; visibility is not journaled (after a restart every message is visible, as a redelivery).
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { Journal } from './journal.ts';
import { deadLetterAttributes, type DeadLetter, type DeadLetterQueue } from '../../functions/shared/ports/dead-letter-queue.ts';
import type { PostponedMessage, QueueBackoff } from '../../functions/shared/ports/queue-backoff.ts';

export interface QueueMessage {
  messageId: string;
  body: string;
  sentAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  /** String message attributes (SQS MessageAttributes of DataType String). */
  attributes?: Record<string, string>;
}

/** A message to send: a body, or a body with attributes. */
export type OutgoingMessage = string | { body: string; attributes?: Record<string, string>; delaySeconds?: number };

/** SQS's error for ChangeMessageVisibility on a message that is not in flight under that receipt handle. */
export class MessageNotInflightError extends Error {
  override name = 'MessageNotInflight';
}

/** SQS's upper bound on a visibility timeout (12 hours). */
const MAX_VISIBILITY_SECONDS = 43_200;

export interface ReceivedMessage extends QueueMessage {
  receiptHandle: string;
}

type QueueRecord =
  | { op: 'S'; id: string; body: string; at: number; n?: number; a?: Record<string, string> }
  | { op: 'R'; id: string }
  | { op: 'D'; id: string };

export interface LocalQueueOptions {
  /** How long a received message stays hidden before it is offered again (SQS VisibilityTimeout). */
  visibilityTimeoutMs: number;
  /** Receives after which a message moves to the dead-letter queue instead (SQS maxReceiveCount). */
  maxReceiveCount?: number;
  deadLetterQueue?: LocalQueue;
  fsync?: boolean;
}

export class LocalQueue extends EventEmitter {
  private readonly messages = new Map<string, QueueMessage>();
  /** messageId → time it becomes visible again (absent: visible now). */
  private readonly invisibleUntil = new Map<string, number>();
  private readonly receipts = new Map<string, string>();
  /** messageId → the receipt handle of its latest receive (ChangeMessageVisibility takes only that one). */
  private readonly latestReceipt = new Map<string, string>();
  private journal!: Journal;

  private constructor(
    readonly name: string,
    private readonly options: LocalQueueOptions,
  ) {
    super();
  }

  /** Opens the queue journaled under `dir/queue-<name>.jsonl`, restoring every undeleted message. */
  static open(dir: string, name: string, options: LocalQueueOptions): LocalQueue {
    const q = new LocalQueue(name, options);
    q.journal = Journal.open<QueueRecord>(
      join(dir, `queue-${name}.jsonl`),
      (r) => q.replay(r),
      () => [...q.messages.values()].map((m) => ({ op: 'S', id: m.messageId, body: m.body, at: m.sentAt, n: m.receiveCount, ...(m.attributes ? { a: m.attributes } : {}) })),
      { fsync: options.fsync ?? false },
    );
    return q;
  }

  private replay(r: QueueRecord): void {
    if (r.op === 'S') this.messages.set(r.id, { messageId: r.id, body: r.body, sentAt: r.at, receiveCount: r.n ?? 0, ...(r.a ? { attributes: r.a } : {}) });
    else if (r.op === 'R') {
      const m = this.messages.get(r.id);
      if (m) m.receiveCount++;
    } else this.messages.delete(r.id);
  }

  /** Messages stored (visible or in flight). */
  get size(): number {
    return this.messages.size;
  }

  /** Durably stores the messages; resolves once they are journaled (and only then become visible). */
  async send(messages: OutgoingMessage[]): Promise<string[]> {
    const at = Date.now();
    const delays = new Map<string, number>();
    const records = messages.map((m) => {
      const { body, attributes, delaySeconds } = typeof m === 'string' ? { body: m, attributes: undefined, delaySeconds: undefined } : m;
      const id = randomUUID();
      if (delaySeconds) delays.set(id, delaySeconds);
      return { op: 'S' as const, id, body, at, ...(attributes ? { a: attributes } : {}) };
    });
    await this.journal.appendMany(records);
    for (const r of records) {
      this.messages.set(r.id, { messageId: r.id, body: r.body, sentAt: r.at, receiveCount: 0, ...(r.a ? { attributes: r.a } : {}) });
      // SQS DelaySeconds. Like visibility, a delay is not journaled: after a restart the message is visible at once.
      const delay = delays.get(r.id);
      if (delay) this.invisibleUntil.set(r.id, at + delay * 1000);
    }
    this.emit('message');
    return records.map((r) => r.id);
  }

  /**
   * Receives up to `max` visible messages and hides them for the visibility timeout. A message that has
   * already been received `maxReceiveCount` times moves to the dead-letter queue instead.
   */
  receive(max = 10): ReceivedMessage[] {
    const now = Date.now();
    const out: ReceivedMessage[] = [];
    for (const m of this.messages.values()) {
      if (out.length >= max) break;
      const hidden = this.invisibleUntil.get(m.messageId);
      if (hidden !== undefined && hidden > now) continue;
      if (this.options.maxReceiveCount && m.receiveCount >= this.options.maxReceiveCount) {
        this.moveToDeadLetter(m);
        continue;
      }
      m.receiveCount++;
      m.firstReceivedAt ??= now;
      this.invisibleUntil.set(m.messageId, now + this.options.visibilityTimeoutMs);
      const receiptHandle = randomUUID();
      const previous = this.latestReceipt.get(m.messageId);
      if (previous) this.receipts.delete(previous);
      this.receipts.set(receiptHandle, m.messageId);
      this.latestReceipt.set(m.messageId, receiptHandle);
      void this.journal.append({ op: 'R', id: m.messageId }).catch(() => undefined);
      out.push({ ...m, receiptHandle });
    }
    return out;
  }

  /** Deletes a received message (the consumer processed it). Unknown or stale handles are ignored, as in SQS. */
  async delete(receiptHandle: string): Promise<void> {
    const id = this.receipts.get(receiptHandle);
    this.receipts.delete(receiptHandle);
    if (!id || !this.messages.has(id)) return;
    this.messages.delete(id);
    this.invisibleUntil.delete(id);
    this.latestReceipt.delete(id);
    await this.journal.append({ op: 'D', id });
  }

  /**
   * SQS ChangeMessageVisibility: the message received under `receiptHandle` becomes visible again
   * `seconds` from now (0 to 43,200). Refused, as by SQS, for a handle that is not the message's latest
   * receive or a message that is no longer in flight (its visibility timeout ran out, or it was deleted).
   */
  changeVisibility(receiptHandle: string, seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0 || seconds > MAX_VISIBILITY_SECONDS) throw new RangeError(`VisibilityTimeout must be 0 to ${MAX_VISIBILITY_SECONDS} seconds`);
    const id = this.receipts.get(receiptHandle);
    const hiddenUntil = id === undefined ? undefined : this.invisibleUntil.get(id);
    if (id === undefined || this.latestReceipt.get(id) !== receiptHandle || hiddenUntil === undefined || hiddenUntil <= Date.now()) {
      throw new MessageNotInflightError('The message is not in flight under this receipt handle.');
    }
    this.invisibleUntil.set(id, Date.now() + seconds * 1000);
    if (seconds === 0) this.emit('message');
  }

  /**
   * Throws when the queue cannot keep what it is given: its journal is closed, failed its last write,
   * or is no longer the file on disk (for /health).
   */
  check(): void {
    this.journal.check();
  }

  /** When the next hidden message becomes visible again (for pollers), or undefined. */
  nextVisibleAt(): number | undefined {
    let next: number | undefined;
    for (const t of this.invisibleUntil.values()) if (next === undefined || t < next) next = t;
    return next;
  }

  /** Whether any message is visible right now. */
  hasVisible(): boolean {
    const now = Date.now();
    for (const id of this.messages.keys()) {
      const hidden = this.invisibleUntil.get(id);
      if (hidden === undefined || hidden <= now) return true;
    }
    return false;
  }

  /** Every stored message (for /local inspection and tests). */
  peek(): QueueMessage[] {
    return [...this.messages.values()].map((m) => ({ ...m }));
  }

  private moveToDeadLetter(m: QueueMessage): void {
    this.messages.delete(m.messageId);
    this.invisibleUntil.delete(m.messageId);
    const handle = this.latestReceipt.get(m.messageId);
    if (handle) this.receipts.delete(handle);
    this.latestReceipt.delete(m.messageId);
    const dlq = this.options.deadLetterQueue;
    // Send to the DLQ before deleting here, so a crash in between duplicates rather than loses.
    void (dlq ? dlq.send([{ body: m.body, ...(m.attributes ? { attributes: m.attributes } : {}) }]) : Promise.resolve([]))
      .then(() => this.journal.append({ op: 'D', id: m.messageId }))
      .catch(() => undefined);
    this.emit('deadLetter', m);
  }

  async close(): Promise<void> {
    await this.journal.close();
  }
}

/** QueueBackoff on a LocalQueue: ChangeMessageVisibility per message, refusals reported as SQS's batch call does. */
export class LocalQueueBackoff implements QueueBackoff {
  constructor(private readonly queue: LocalQueue) {}

  async postpone(messages: PostponedMessage[]): Promise<string[]> {
    const refused: string[] = [];
    for (const m of messages) {
      try {
        this.queue.changeVisibility(m.receiptHandle, m.delaySeconds);
      } catch {
        refused.push(m.receiptHandle);
      }
    }
    return refused;
  }
}

/** DeadLetterQueue on a LocalQueue: the original body, the reason as attributes (journaled with it). */
export class LocalDeadLetterQueue implements DeadLetterQueue {
  constructor(private readonly queue: LocalQueue) {}

  async send(letters: DeadLetter[]): Promise<void> {
    await this.queue.send(letters.map((letter) => ({ body: letter.body, attributes: deadLetterAttributes(letter) })));
  }
}
