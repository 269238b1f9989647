/**
 * Processing failures on the local stack: the table taken away from the process function (a proxy in
 * front of dynalite stops listening and resets its connections) while webhooks keep arriving, and
 * poison messages. The retry schedule is shortened (1 s doubling to 3 s, so 16 attempts span about
 * 43 s) and the queue's visibility timeout is 2 s: with the old behaviour (five receives, no backoff)
 * a 12-second outage dead-lettered every message that arrived early in it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEAD_LETTER_ATTRIBUTES } from '../../functions/shared/ports/dead-letter-queue.ts';
import { feedbackBody, standardWebhookHeaders } from '../helpers/http-events.ts';
import { eventually, startTestStack, type TestStack } from '../helpers/local-stack.ts';
import { SwitchableProxy } from '../helpers/switchable-proxy.ts';

let stack: TestStack;
let proxy: SwitchableProxy;
beforeAll(async () => {
  proxy = await SwitchableProxy.start();
  stack = await startTestStack({
    env: { REDRESS_RETRY_FIRST_DELAY: 'PT1S', REDRESS_RETRY_MAX_DELAY: 'PT3S' },
    visibilityTimeoutMs: 2_000,
    processDynamoEndpoint: (endpoint) => proxy.forwardTo(endpoint),
  });
}, 60_000);
afterAll(async () => {
  await stack?.destroy();
  await proxy?.close();
});

let sent = 0;
/** Posts one signed web delivery; answers the accepted feedback id. */
async function postFeedback(text: string): Promise<string> {
  const body = feedbackBody(text);
  const res = await fetch(`${stack.url}/webhooks/web`, { method: 'POST', body, headers: standardWebhookHeaders(stack.env.REDRESS_WEB_SECRET!, `msg_outage_${sent++}`, body) });
  expect(res.status).toBe(202);
  return ((await res.json()) as { accepted: Array<{ id: string }> }).accepted[0]!.id;
}
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const receivedIds = () => stack.bus.list({ type: 'Feedback.Received', offset: 0, limit: 10_000 }).items.map((e) => String((e.detail as { feedbackId: string }).feedbackId));

describe('the table unreachable from processing for a while', () => {
  it('loses nothing, dead-letters nothing, and stores and announces every accepted message exactly once', async () => {
    const accepted = [await postFeedback('Before the outage: the app keeps logging me out.')];
    await eventually(async () => (receivedIds().includes(accepted[0]!) ? true : undefined));

    await proxy.down();
    const outageStarted = Date.now();
    // Webhooks keep arriving during the outage (ingest's own receipts still reach the table).
    for (let wave = 0; wave < 4; wave++) {
      for (let i = 0; i < 5; i++) accepted.push(await postFeedback(`During the outage (${wave}.${i}): my transfer failed and the money is gone.`));
      await pause(2_000);
    }
    await pause(Math.max(0, 12_000 - (Date.now() - outageStarted)));
    const storedDuringOutage = accepted.filter((id) => receivedIds().includes(id)).length;
    const deadLetteredDuringOutage = stack.deadLetterQueue.size;
    await proxy.up();

    await eventually(async () => (accepted.every((id) => receivedIds().includes(id)) ? true : undefined), 60_000, 200);
    await stack.drained();

    expect(storedDuringOutage).toBe(1); // only the message from before the outage
    expect(deadLetteredDuringOutage).toBe(0);
    expect(stack.deadLetterQueue.size).toBe(0);
    for (const id of accepted) expect((await stack.repository.get(id))?.item.id).toBe(id);
    const received = receivedIds();
    for (const id of accepted) expect(received.filter((r) => r === id)).toHaveLength(1);
  }, 120_000);
});

describe('poison messages', () => {
  it('a message that is not feedback lands in the dead-letter queue on its first receive, with its reason', async () => {
    const before = stack.deadLetterQueue.size;
    await stack.queue.send(['{"not":"feedback"}']);

    const letter = await eventually(async () => stack.deadLetterQueue.peek().slice(before).find((m) => m.body === '{"not":"feedback"}'));

    expect(letter.attributes).toMatchObject({
      [DEAD_LETTER_ATTRIBUTES.why]: 'permanent',
      [DEAD_LETTER_ATTRIBUTES.failureClass]: 'permanent',
      [DEAD_LETTER_ATTRIBUTES.errorName]: 'PoisonMessageError',
      [DEAD_LETTER_ATTRIBUTES.receiveCount]: '1',
    });
    expect(letter.attributes?.[DEAD_LETTER_ATTRIBUTES.reason]).toMatch(/not a FeedbackMessage/);
    await stack.drained();
    expect(stack.queue.size).toBe(0);
  }, 30_000);

  it('a message whose values cannot be stored is dead-lettered at once, not retried', async () => {
    const body = JSON.stringify({ id: 'fb_unstorable', source: 'web', channel: 'web', externalId: 'unstorable-1', receivedAt: new Date().toISOString(), text: 'hello', customer: {}, context: { constructor: 'x' } });
    await stack.queue.send([body]);

    const letter = await eventually(async () => stack.deadLetterQueue.peek().find((m) => m.body === body));

    expect(letter.attributes).toMatchObject({ [DEAD_LETTER_ATTRIBUTES.why]: 'permanent', [DEAD_LETTER_ATTRIBUTES.receiveCount]: '1' });
    expect(await stack.repository.get('fb_unstorable')).toBeUndefined();
  }, 30_000);
});
