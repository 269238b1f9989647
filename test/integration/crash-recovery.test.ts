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
import { StackProcess, awaitReceivedOnce, freePort } from '../helpers/stack-process.ts';

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
    const { missing, duplicated } = await awaitReceivedOnce(proc.url, acked, 30_000);
    expect(missing).toEqual([]);
    expect(duplicated).toEqual([]);
  }, 90_000);
});
