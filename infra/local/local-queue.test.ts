import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rmSync as removeFile } from 'node:fs';
import { LocalDeadLetterQueue, LocalQueue, LocalQueueBackoff, MessageNotInflightError } from './local-queue.ts';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'redress-queue-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('LocalQueue', () => {
  it('hands out at most the batch size and hides received messages until the visibility timeout', async () => {
    const q = LocalQueue.open(tempDir(), 'q', { visibilityTimeoutMs: 50 });
    await q.send(Array.from({ length: 12 }, (_, i) => `m${i}`));
    const first = q.receive(10);
    expect(first.map((m) => m.body)).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
    expect(q.receive(10).map((m) => m.body)).toEqual(['m10', 'm11']);
    expect(q.receive(10)).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 60));
    const again = q.receive(10);
    expect(again).toHaveLength(10);
    expect(again[0]!.receiveCount).toBe(2);
    await q.close();
  });

  it('deleted messages are gone; others survive a reopen with their receive counts', async () => {
    const dir = tempDir();
    const q = LocalQueue.open(dir, 'q', { visibilityTimeoutMs: 10_000 });
    await q.send(['keep', 'drop']);
    const [keep, drop] = q.receive(2);
    await q.delete(drop!.receiptHandle);
    expect(keep!.body).toBe('keep');
    await q.close();

    const reopened = LocalQueue.open(dir, 'q', { visibilityTimeoutMs: 10_000 });
    const after = reopened.receive(10);
    expect(after.map((m) => [m.body, m.receiveCount])).toEqual([['keep', 2]]);
    await reopened.close();
  });

  it('moves a message to the dead-letter queue after maxReceiveCount receives', async () => {
    const dir = tempDir();
    const dlq = LocalQueue.open(dir, 'dlq', { visibilityTimeoutMs: 1000 });
    const q = LocalQueue.open(dir, 'q', { visibilityTimeoutMs: 1, maxReceiveCount: 2, deadLetterQueue: dlq });
    await q.send(['poison']);
    expect(q.receive()).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 5));
    expect(q.receive()).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 5));
    expect(q.receive()).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 20));
    expect(q.size).toBe(0);
    expect(dlq.peek().map((m) => m.body)).toEqual(['poison']);
    await q.close();
    await dlq.close();
  });

  it('ignores a stale receipt handle', async () => {
    const q = LocalQueue.open(tempDir(), 'q', { visibilityTimeoutMs: 10_000 });
    await q.send(['a']);
    await q.delete('not-a-handle');
    expect(q.size).toBe(1);
    await q.close();
  });

  it('ChangeMessageVisibility hides a received message for the new timeout, counted from now', async () => {
    const q = LocalQueue.open(tempDir(), 'q', { visibilityTimeoutMs: 10_000 });
    await q.send(['a']);
    const [m] = q.receive();
    q.changeVisibility(m!.receiptHandle, 0);
    const [again] = q.receive();
    expect(again?.receiveCount).toBe(2);
    q.changeVisibility(again!.receiptHandle, 60);
    expect(q.nextVisibleAt()! - Date.now()).toBeGreaterThan(59_000);
    await q.close();
  });

  it('ChangeMessageVisibility refuses a stale receipt handle and a message no longer in flight, as SQS does', async () => {
    const q = LocalQueue.open(tempDir(), 'q', { visibilityTimeoutMs: 10_000 });
    await q.send(['a']);
    const [first] = q.receive();
    q.changeVisibility(first!.receiptHandle, 0);
    const [second] = q.receive();
    expect(() => q.changeVisibility(first!.receiptHandle, 30)).toThrow(MessageNotInflightError);
    await q.delete(second!.receiptHandle);
    expect(() => q.changeVisibility(second!.receiptHandle, 30)).toThrow(MessageNotInflightError);
    expect(() => q.changeVisibility('unknown', 30)).toThrow(MessageNotInflightError);
    await q.close();
  });

  it('ChangeMessageVisibility refuses a timeout beyond 12 hours', async () => {
    const q = LocalQueue.open(tempDir(), 'q', { visibilityTimeoutMs: 10_000 });
    await q.send(['a']);
    const [m] = q.receive();
    expect(() => q.changeVisibility(m!.receiptHandle, 43_201)).toThrow(RangeError);
    await q.close();
  });

  it('the backoff adapter postpones in-flight messages and reports the handles it could not', async () => {
    const q = LocalQueue.open(tempDir(), 'q', { visibilityTimeoutMs: 10_000 });
    await q.send(['a']);
    const [m] = q.receive();
    const refused = await new LocalQueueBackoff(q).postpone([
      { receiptHandle: m!.receiptHandle, delaySeconds: 0 },
      { receiptHandle: 'stale', delaySeconds: 30 },
    ]);
    expect(refused).toEqual(['stale']);
    expect(q.hasVisible()).toBe(true);
    await q.close();
  });

  it('keeps a dead letter with its reason attributes across a reopen', async () => {
    const dir = tempDir();
    const dlq = LocalQueue.open(dir, 'dlq', { visibilityTimeoutMs: 1000 });
    await new LocalDeadLetterQueue(dlq).send([
      { messageId: 'm1', body: 'not json', why: 'permanent', failureClass: 'permanent', errorName: 'PoisonMessageError', reason: 'PoisonMessageError: queue message is not JSON', receiveCount: 1 },
    ]);
    await dlq.close();
    const reopened = LocalQueue.open(dir, 'dlq', { visibilityTimeoutMs: 1000 });
    const [letter] = reopened.peek();
    expect(letter?.body).toBe('not json');
    expect(letter?.attributes).toMatchObject({ 'redress-dead-letter-why': 'permanent', 'redress-failure-reason': 'PoisonMessageError: queue message is not JSON', 'redress-source-message-id': 'm1' });
    await reopened.close();
  });

  it('check() fails once its journal file is deleted under it, or the queue is closed', async () => {
    const dir = tempDir();
    const q = LocalQueue.open(dir, 'q', { visibilityTimeoutMs: 1000 });
    expect(() => q.check()).not.toThrow();
    removeFile(join(dir, 'queue-q.jsonl'));
    expect(() => q.check()).toThrow(/deleted or replaced/);
    await q.close();
    expect(() => q.check()).toThrow(/closed/);
  });
});
