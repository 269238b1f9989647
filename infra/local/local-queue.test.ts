import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalQueue } from './local-queue.ts';

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
});
