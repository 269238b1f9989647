/**
 * Bounded load on loopback: LOAD_SECONDS (30) of signed webhooks at concurrency LOAD_CONCURRENCY (64)
 * against the stack running as its own process (as `npm start` runs it). Zero errors, and every
 * accepted webhook ends up as exactly one Feedback.Received: nothing lost, nothing doubled.
 */
import { afterAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withDevDefaults } from '../../infra/local/dev-defaults.ts';
import { postSigned } from '../../bench/lib/load.ts';
import { StackProcess, awaitReceivedOnce, freePort } from '../helpers/stack-process.ts';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 30);
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 64);
const dataDir = mkdtempSync(join(tmpdir(), 'redress-load-'));
let proc: StackProcess | undefined;
afterAll(async () => {
  await proc?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('load', () => {
  it(`${SECONDS} s at concurrency ${CONCURRENCY}: zero errors, zero lost items`, async () => {
    const { env } = withDevDefaults({ REDRESS_DATA_DIR: dataDir });
    proc = new StackProcess(await freePort(), env);
    await proc.start();
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const accepted = new Set<string>();
    const errors = new Map<string, number>();
    const end = Date.now() + SECONDS * 1000;
    let n = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (Date.now() < end && n < 1_000_000) {
          const r = await postSigned(agent, proc!.url, '/webhooks/web', env.REDRESS_WEB_SECRET!, `Load ${n++}: the app was slow when I opened my statement.`);
          if (r.status === 202) accepted.add((JSON.parse(r.body) as { accepted: Array<{ id: string }> }).accepted[0]!.id);
          else errors.set(String(r.status), (errors.get(String(r.status)) ?? 0) + 1);
        }
      }),
    );
    agent.destroy();
    console.log(`load: ${accepted.size} accepted in ${SECONDS} s (${(accepted.size / SECONDS).toFixed(0)} req/s), errors ${JSON.stringify(Object.fromEntries(errors))}`);
    expect(Object.fromEntries(errors)).toEqual({});

    const { missing, duplicated } = await awaitReceivedOnce(proc.url, accepted, 10 * 60_000);
    expect(missing).toEqual([]);
    expect(duplicated).toEqual([]);
    expect((await fetch(`${proc.url}/health`)).status).toBe(200);
  }, 15 * 60_000);
});
