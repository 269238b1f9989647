import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeWebhookSecret, verifyStandardWebhook } from '../../functions/shared/channels/standard-webhooks.ts';
import { createLogger } from '../../functions/shared/logger.ts';
import { EventWebhookForwarder } from './event-webhook-forwarder.ts';
import { LocalEventBus } from './local-event-bus.ts';

const SECRET = 'whsec_ZXZlbnQtd2ViaG9vay10ZXN0LXNlY3JldC0xMjM0';
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function receiver(answer: (n: number) => number) {
  const received: Array<{ id: string; body: string }> = [];
  let n = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      verifyStandardWebhook(req.headers as Record<string, string>, body, [decodeWebhookSecret(SECRET)], new Date());
      received.push({ id: String(req.headers['webhook-id']), body: body.toString() });
      res.writeHead(answer(n++)).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/events`, received };
}

function setup(url: string, backoffMs = [10, 20, 40]) {
  const dir = mkdtempSync(join(tmpdir(), 'redress-fwd-'));
  const bus = LocalEventBus.open(dir);
  const fwd = EventWebhookForwarder.start(bus, { url, secret: SECRET, dataDir: dir, logger: createLogger('t', 'silent'), backoffMs });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => bus.close(), () => fwd.close());
  return { dir, bus };
}
const event = (id: string) => ({ id, detailType: 'Feedback.Received', time: '2026-11-28T09:30:00.000Z', detail: { feedbackId: id } });
const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('EventWebhookForwarder', () => {
  it('delivers each event once, signed, with the event id as webhook-id', async () => {
    const r = await receiver(() => 204);
    const { bus } = setup(r.url);
    await bus.publish([event('e1'), event('e2')]);
    await bus.publish([event('e1')]); // a repeat is dropped by the bus, so not forwarded either
    await until(() => r.received.length >= 2);
    await new Promise((res) => setTimeout(res, 50));
    expect(r.received.map((x) => x.id)).toEqual(['e1', 'e2']);
    expect(JSON.parse(r.received[0]!.body)).toMatchObject({ 'detail-type': 'Feedback.Received', source: 'redress', detail: { feedbackId: 'e1' } });
  });

  it('retries a failing receiver and succeeds when it recovers', async () => {
    const r = await receiver((n) => (n < 2 ? 503 : 200));
    const { bus } = setup(r.url);
    await bus.publish([event('e3')]);
    await until(() => r.received.length >= 3);
    expect(r.received.map((x) => x.id)).toEqual(['e3', 'e3', 'e3']);
  });

  it('writes a dead-letter record for a receiver that keeps failing', async () => {
    const r = await receiver(() => 500);
    const { bus, dir } = setup(r.url, [5, 5]);
    await bus.publish([event('e4')]);
    await until(() => {
      try {
        return readFileSync(join(dir, 'event-webhook-dead-letters.jsonl'), 'utf8').includes('e4');
      } catch {
        return false;
      }
    });
    const dead = JSON.parse(readFileSync(join(dir, 'event-webhook-dead-letters.jsonl'), 'utf8').trim());
    expect(dead).toMatchObject({ attempts: 3, lastError: 'HTTP 500', event: { id: 'e4' } });
    expect(r.received).toHaveLength(3);
  });
});
