/**
 * GET /health tells the truth: 200 with what it checked while the table, the queue journal and the
 * clock runner are usable; 503 problem+json naming the one that is not. Each case breaks a fresh stack.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startTestStack, type TestStack } from '../helpers/local-stack.ts';

let stack: TestStack;
beforeEach(async () => {
  stack = await startTestStack();
}, 60_000);
afterEach(async () => {
  await stack?.destroy();
});

async function health() {
  const res = await fetch(`${stack.url}/health`);
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as { status: unknown; detail?: string; failing?: string[]; checks: Record<string, string> } };
}

describe('GET /health', () => {
  it('answers 200 with each dependency it checked', async () => {
    const res = await health();
    expect(res.status).toBe(200);
    expect(res.body.checks).toEqual({ table: 'ok', queue: 'ok', clockRunner: 'ok' });
  });

  it('answers 503 naming the table when dynalite is gone', async () => {
    await stack.dynamo.close();

    const res = await health();

    expect(res.status).toBe(503);
    expect(res.type).toBe('application/problem+json');
    expect(res.body.failing).toEqual(['table']);
    expect(res.body.detail).toMatch(/^Not usable: table \(/);
    expect(res.body.checks).toMatchObject({ queue: 'ok', clockRunner: 'ok' });
  });

  it('answers 503 naming the queue when its journal is no longer on disk (accepted messages would not survive a restart)', async () => {
    rmSync(join(stack.dataDir, 'queue-feedback.jsonl'));

    const res = await health();

    expect(res.status).toBe(503);
    expect(res.body.failing).toEqual(['queue']);
    expect(res.body.checks.queue).toMatch(/deleted or replaced/);
  });

  it('answers 503 naming the queue when the dead-letter queue journal is unusable too', async () => {
    rmSync(join(stack.dataDir, 'queue-feedback-dlq.jsonl'));

    const res = await health();

    expect(res.status).toBe(503);
    expect(res.body.failing).toEqual(['queue']);
  });

  it('answers 503 naming the clock runner when its timer journal is no longer on disk', async () => {
    rmSync(join(stack.dataDir, 'clock-timers.jsonl'));

    const res = await health();

    expect(res.status).toBe(503);
    expect(res.body.failing).toEqual(['clockRunner']);
    expect(res.body.checks.clockRunner).toMatch(/deleted or replaced/);
  });

  it('answers 503 naming the clock runner once it has stopped', async () => {
    await stack.clockTimer.close();

    const res = await health();

    expect(res.status).toBe(503);
    expect(res.body.failing).toEqual(['clockRunner']);
    expect(res.body.checks.clockRunner).toMatch(/closed/);
  });
});
