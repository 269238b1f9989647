/**
 * A durable local queue with the SQS semantics the process Lambda relies on: batches of up to ten,
 * a visibility timeout, per-message receive counts, partial batch failures, and a dead-letter queue
 * after `maxReceiveCount` receives. State is journaled (sends, receives, deletes), so an acknowledged
 * message survives `kill -9` and is delivered again after a restart.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { Journal } from './journal.ts';

export interface QueueMessage {
  messageId: string;
  body: string;
  sentAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
}

export interface ReceivedMessage extends QueueMessage {
  receiptHandle: string;
}

type Record =
  | { op: 'S'; id: string; body: string; at: number; n?: number }
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
    q.journal = Journal.open<Record>(
      join(dir, `queue-${name}.jsonl`),
      (r) => q.replay(r),
      () => [...q.messages.values()].map((m) => ({ op: 'S', id: m.messageId, body: m.body, at: m.sentAt, n: m.receiveCount })),
      { fsync: options.fsync ?? false },
    );
    return q;
  }

  private replay(r: Record): void {
    if (r.op === 'S') this.messages.set(r.id, { messageId: r.id, body: r.body, sentAt: r.at, receiveCount: r.n ?? 0 });
    else if (r.op === 'R') {
      const m = this.messages.get(r.id);
      if (m) m.receiveCount++;
    } else this.messages.delete(r.id);
  }

  /** Messages stored (visible or in flight). */
  get size(): number {
    return this.messages.size;
  }

  /** Durably stores the bodies; resolves once they are journaled (and only then become visible). */
  async send(bodies: string[]): Promise<string[]> {
    const at = Date.now();
    const records = bodies.map((body) => ({ op: 'S' as const, id: randomUUID(), body, at }));
    await this.journal.appendMany(records);
    for (const r of records) this.messages.set(r.id, { messageId: r.id, body: r.body, sentAt: r.at, receiveCount: 0 });
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
      this.receipts.set(receiptHandle, m.messageId);
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
    await this.journal.append({ op: 'D', id });
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
    const dlq = this.options.deadLetterQueue;
    // Send to the DLQ before deleting here, so a crash in between duplicates rather than loses.
    void (dlq ? dlq.send([m.body]) : Promise.resolve([]))
      .then(() => this.journal.append({ op: 'D', id: m.messageId }))
      .catch(() => undefined);
    this.emit('deadLetter', m);
  }

  async close(): Promise<void> {
    await this.journal.close();
  }
}
