/**
 * kill -9 in the middle of a load: every acknowledged webhook must end up stored exactly once, with
 * exactly one Feedback.Received, after a restart on the same data dir. (A short version for CI;
 * `npm run test:long` runs a bigger one.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withDevDefaults } from '../../infra/local/dev-defaults.ts';
import { feedbackBody, standardWebhookHeaders } from '../helpers/http-events.ts';
import { StackProcess, freePort } from '../helpers/stack-process.ts';

const TOTAL = Number(process.env.CRASH_TOTAL ?? 120);
const KILL_AFTER = Math.floor(TOTAL / 2);
const dataDir = mkdtempSync(join(tmpdir(), 'redress-crash-'));
let proc: StackProcess | undefined;

afterAll(async () => {
  await proc?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('crash recovery', () => {
  it('loses and duplicates nothing acknowledged across kill -9', async () => {
    const { env } = withDevDefaults({ REDRESS_DATA_DIR: dataDir });
    proc = new StackProcess(await freePort(), env);
    await proc.start();
    const secret = env.REDRESS_WEB_SECRET!;
    const acked = new Set<string>();
    let killing: Promise<void> | undefined;
    let next = 0;

    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < TOTAL && !killing) {
          const i = next++;
          const body = feedbackBody(`Crash test ${i}: the transfer page froze and I was charged twice.`);
          try {
            const res = await fetch(`${proc!.url}/webhooks/web`, { method: 'POST', headers: standardWebhookHeaders(secret, `msg_crash_${i}`, body), body });
            if (res.status === 202) {
              acked.add(((await res.json()) as { accepted: Array<{ id: string }> }).accepted[0]!.id);
              if (acked.size >= KILL_AFTER && !killing) killing = proc!.kill9();
            }
          } catch {
            // connection reset by the kill: not acknowledged, so nothing is owed
          }
        }
      }),
    );
    await (killing ?? proc.kill9());
    expect(acked.size).toBeGreaterThanOrEqual(KILL_AFTER);

    await proc.start();
    const deadline = Date.now() + 30_000;
    let counts = new Map<string, number>();
    while (Date.now() < deadline) {
      const { items } = (await (await fetch(`${proc.url}/local/events?type=Feedback.Received`)).json()) as { items: Array<{ detail: { feedbackId: string } }> };
      counts = new Map();
      for (const e of items) counts.set(e.detail.feedbackId, (counts.get(e.detail.feedbackId) ?? 0) + 1);
      if ([...acked].every((id) => counts.has(id))) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const missing = [...acked].filter((id) => !counts.has(id));
    const duplicated = [...counts].filter(([, n]) => n > 1);
    expect(missing).toEqual([]);
    expect(duplicated).toEqual([]);
  }, 90_000);
});
