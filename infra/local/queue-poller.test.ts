import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSEvent } from 'aws-lambda';
import { createLogger } from '../../functions/shared/logger.ts';
import { LocalQueue } from './local-queue.ts';
import { QueuePoller } from './queue-poller.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A handler that holds every batch until released, recording how many were in flight at once. */
function heldHandler() {
  let inFlight = 0;
  let release: () => void = () => undefined;
  let gate = new Promise<void>((r) => (release = r));
  const seen: number[] = [];
  return {
    seen,
    open: () => {
      release();
      gate = new Promise<void>((r) => (release = r));
    },
    handler: async (_event: SQSEvent) => {
      inFlight++;
      seen.push(inFlight);
      await gate;
      inFlight--;
      return { batchItemFailures: [] };
    },
  };
}

describe('QueuePoller', () => {
  it('keeps one batch in flight while the stack is ingesting, and its full concurrency otherwise', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redress-poller-'));
    dirs.push(dir);
    const queue = LocalQueue.open(dir, 'q', { visibilityTimeoutMs: 60_000 });
    await queue.send(Array.from({ length: 100 }, (_, i) => `m${i}`));
    let busy = true;
    const held = heldHandler();
    const poller = new QueuePoller(queue, held.handler, { functionName: 'f', logger: createLogger('t', 'silent'), batchSize: 10, concurrency: 4, busy: () => busy, busyConcurrency: 1 });
    poller.start();
    await new Promise((r) => setTimeout(r, 20));
    expect(Math.max(...held.seen)).toBe(1); // busy: one batch, never none
    busy = false;
    held.open(); // the batch ends; the next pump sees the stack idle
    await new Promise((r) => setTimeout(r, 20));
    expect(Math.max(...held.seen)).toBe(4);
    held.open();
    const stopped = poller.stop();
    held.open();
    await new Promise((r) => setTimeout(r, 20));
    held.open();
    await stopped;
    await queue.close();
  });

  it('rests between batches while busy, in proportion to how long each took, and never stops', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redress-poller-'));
    dirs.push(dir);
    const queue = LocalQueue.open(dir, 'q', { visibilityTimeoutMs: 60_000 });
    await queue.send(Array.from({ length: 30 }, (_, i) => `m${i}`));
    const starts: number[] = [];
    const handler = async () => {
      starts.push(performance.now());
      await new Promise((r) => setTimeout(r, 20));
      return { batchItemFailures: [] };
    };
    const poller = new QueuePoller(queue, handler, { functionName: 'f', logger: createLogger('t', 'silent'), batchSize: 10, concurrency: 4, busy: () => true, busyConcurrency: 1, busyRestFactor: 3 });
    poller.start();
    await poller.drained();
    await poller.stop();
    await queue.close();
    expect(starts).toHaveLength(3); // all processed although the stack was busy throughout
    // Each batch took at least 20 ms, so the next starts at least 20 + 3 × 20 ms after it.
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(78);
  });

  it('takes smaller batches while busy and full ones once the stack is quiet', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redress-poller-'));
    dirs.push(dir);
    const queue = LocalQueue.open(dir, 'q', { visibilityTimeoutMs: 60_000 });
    await queue.send(Array.from({ length: 30 }, (_, i) => `m${i}`));
    let busy = true;
    const sizes: number[] = [];
    const handler = async (event: SQSEvent) => {
      sizes.push(event.Records.length);
      if (sizes.length === 3) busy = false;
      return { batchItemFailures: [] };
    };
    const poller = new QueuePoller(queue, handler, { functionName: 'f', logger: createLogger('t', 'silent'), batchSize: 10, concurrency: 1, busy: () => busy, busyConcurrency: 1, busyBatchSize: 2 });
    poller.start();
    await poller.drained();
    await poller.stop();
    await queue.close();
    expect(sizes.slice(0, 3)).toEqual([2, 2, 2]);
    expect(sizes.slice(3)).toEqual([10, 10, 4]);
  });
});
