import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../functions/shared/logger.ts';
import type { ClockCheckInput } from '../../functions/shared/pipeline/clock-check.ts';
import { LocalClockTimer, sleepUntil } from './local-clock-timer.ts';
import { loadClockDefinition, synthesizeClockDefinition } from './clock-definition.ts';
import { LocalEventBus } from './local-event-bus.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'redress-timer-'));
  const checks: ClockCheckInput[] = [];
  const bus = LocalEventBus.open(dir);
  const timer = await LocalClockTimer.open({
    dataDir: dir,
    check: async (input) => (checks.push(input), { continue: true }),
    eventBus: bus,
    logger: createLogger('t', 'silent'),
  });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => bus.close(), () => timer.close());
  return { timer, checks };
}
const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

describe('LocalClockTimer', () => {
  it('runs the synthesized state machine: a check at each stage, in order', async () => {
    const { timer, checks } = await setup();
    await timer.start({ feedbackId: 'fb_a', clock: 'first_response', warnAt: inMs(50), dueAt: inMs(100), escalateAt: inMs(150) });
    for (let i = 0; i < 100 && checks.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    expect(checks.map((c) => c.stage)).toEqual(['warning', 'breach', 'escalate']);
    expect(timer.transitions).toBeGreaterThanOrEqual(6);
  });

  it('keeps waiting for deadlines further away than a Node timer can hold (30 and 60 days)', async () => {
    const day = 86_400_000;
    const { timer, checks } = await setup();
    await timer.start({ feedbackId: 'fb_b', clock: 'resolution_cn', warnAt: inMs(25 * day), dueAt: inMs(30 * day), escalateAt: inMs(60 * day) });
    await new Promise((r) => setTimeout(r, 300));
    expect(checks).toEqual([]);
    expect(timer.active).toBe(1);
  });

  it('a stopped timer checks nothing', async () => {
    const { timer, checks } = await setup();
    const t = { feedbackId: 'fb_c', clock: 'first_response', warnAt: inMs(150), dueAt: inMs(200), escalateAt: inMs(250) };
    await timer.start(t);
    await timer.stop(t);
    await new Promise((r) => setTimeout(r, 400));
    expect(checks).toEqual([]);
    expect(timer.active).toBe(0);
  });
});

describe('the clock definition', () => {
  it('read from the cache is exactly what CDK synthesizes from the construct', async () => {
    expect(await loadClockDefinition()).toEqual(await synthesizeClockDefinition());
  }, 60_000);
});

describe('sleepUntil', () => {
  it('resolves at the instant and rejects when aborted', async () => {
    const t0 = Date.now();
    await sleepUntil(t0 + 30, new AbortController().signal);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(29);
    const ac = new AbortController();
    const p = sleepUntil(Date.now() + 10_000, ac.signal);
    ac.abort();
    await expect(p).rejects.toThrow('aborted');
  });
});
