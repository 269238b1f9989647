/**
 * The foundation end to end on the local stack (in-process, random port, fresh data dir): signed
 * webhooks through the real HTTP server, queue, dynalite and event bus.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { feedbackBody, standardWebhookHeaders } from '../helpers/http-events.ts';
import { eventually, startTestStack, type TestStack } from '../helpers/local-stack.ts';
import { FixedClassifier } from '../helpers/fakes.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.destroy();
});

/** One accepted message of a webhook's 202 answer. */
interface Accepted {
  id: string;
  duplicate: boolean;
}
/**
 * A webhook's JSON answer as these tests read it: the accepted messages of a 202 (never empty), or the
 * fields at fault of a 400 problem. Each test checks the status before it reads the part that status has.
 */
interface WebhookAnswer {
  accepted: [Accepted, ...Accepted[]];
  errors: Array<{ field: string }>;
}
async function post(path: string, body: string, headers: Record<string, string>) {
  const res = await fetch(stack.url + path, { method: 'POST', headers, body });
  return { status: res.status, type: res.headers.get('content-type') ?? '', json: (await res.json().catch(() => undefined)) as WebhookAnswer };
}
const secretOf = (channel: string) => stack.env[`REDRESS_${channel.toUpperCase()}_SECRET`]!;
async function events(type?: string) {
  const res = await fetch(`${stack.url}/local/events${type ? `?type=${type}` : ''}`);
  return ((await res.json()) as { items: Array<{ id: string; 'detail-type': string; detail: Record<string, unknown> }> }).items;
}

describe('intake of the three Standard Webhooks channels', () => {
  it.each(['web', 'mobile', 'hotline'])('%s: a signed delivery is accepted, stored once and announced once', async (channel) => {
    const body = feedbackBody('The app logs me out every time I switch screens. Please fix it.', { customer: { id: 'c-1', email: 'jane@example.com' } });
    const id = `msg_${channel}_1`;
    const first = await post(`/webhooks/${channel}`, body, standardWebhookHeaders(secretOf(channel), id, body));
    expect(first.status).toBe(202);
    const fb = first.json.accepted[0];
    expect(fb).toEqual({ id: expect.stringMatching(/^fb_/), duplicate: false });

    const again = await post(`/webhooks/${channel}`, body, standardWebhookHeaders(secretOf(channel), id, body));
    expect(again.json.accepted[0]).toEqual({ id: fb.id, duplicate: true });

    const received = await eventually(async () => (await events('Feedback.Received')).filter((e) => e.detail.feedbackId === fb.id).at(0));
    expect(received.detail).toMatchObject({ channel, source: channel, feedbackId: fb.id });
    await stack.drained();
    expect((await events('Feedback.Received')).filter((e) => e.detail.feedbackId === fb.id)).toHaveLength(1);

    const stored = await stack.repository.get(fb.id);
    expect(stored?.item).toMatchObject({ id: fb.id, channel, externalId: id });
    expect(stored?.item.customer.contact).not.toContain('jane@example.com');
    expect(JSON.stringify(received)).not.toContain('logs me out');
  });

  it('rejects bad deliveries with the right status and problem+json, and stores nothing for them', async () => {
    const before = (await events('Feedback.Received')).length;
    const body = feedbackBody('My card was declined twice today.');
    const secret = secretOf('web');
    const cases: Array<[string, Record<string, string>, string, number]> = [
      ['unsigned', { 'content-type': 'application/json' }, body, 401],
      ['stale', standardWebhookHeaders(secret, 'm1', body, Math.floor(Date.now() / 1000) - 600), body, 401],
      ['wrong key', standardWebhookHeaders('whsec_d3Jvbmctd3Jvbmctd3Jvbmctd3Jvbmc=', 'm2', body), body, 401],
      ['bad json', standardWebhookHeaders(secret, 'm3', '{"type":'), '{"type":', 400],
      ['no text', standardWebhookHeaders(secret, 'm4', '{"type":"feedback.submitted","data":{}}'), '{"type":"feedback.submitted","data":{}}', 400],
    ];
    for (const [name, headers, sent, status] of cases) {
      const res = await post('/webhooks/web', sent, headers);
      expect(res.status, name).toBe(status);
      expect(res.type, name).toBe('application/problem+json');
    }
    const big = feedbackBody('big', { context: { page: 'x'.repeat(300 * 1024) } });
    expect((await post('/webhooks/web', big, standardWebhookHeaders(secret, 'm5', big))).status).toBe(413);
    expect((await post('/webhooks/web', body, { ...standardWebhookHeaders(secret, 'm6', body), 'content-type': 'text/plain' })).status).toBe(415);
    const noText = await post('/webhooks/web', '{"type":"feedback.submitted","data":{}}', standardWebhookHeaders(secret, 'm7', '{"type":"feedback.submitted","data":{}}'));
    expect(JSON.stringify(noText.json)).toContain('text');

    await stack.drained();
    expect(stack.queue.size).toBe(0);
    expect((await events('Feedback.Received')).length).toBe(before);
  });

  it('refuses, before acknowledging, what could not be stored or is empty, naming the field', async () => {
    const secret = secretOf('web');
    const cases: Array<[string, string]> = [
      ['{"type":"feedback.submitted","data":{"text":"charged twice","context":{"constructor":{"name":"x"}}}}', 'data.context.constructor'],
      ['{"type":"feedback.submitted","data":{"text":"charged twice","context":{"__proto__":{"admin":true}}}}', 'data.context.__proto__'],
      ['{"type":"feedback.submitted","data":{"text":"charged twice","context":{"amount":1e-200}}}', 'data.context.amount'],
      ['{"type":"feedback.submitted","data":{"text":"\\u0000\\u200b\\u3000"}}', 'data.text'],
    ];
    for (const [i, [body, field]] of cases.entries()) {
      const res = await post('/webhooks/web', body, standardWebhookHeaders(secret, `msg_unstorable_${i}`, body));
      expect([res.status, res.type], field).toEqual([400, 'application/problem+json']);
      expect(res.json.errors.map((e) => e.field)).toEqual([field]);
    }
  });

  it('never answers 5xx to generated garbage, and stores nothing from it', async () => {
    const before = (await events()).length;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/webhooks/web', '/webhooks/mobile', '/webhooks/hotline', '/webhooks/unknown', '/nope'),
        fc.string({ maxLength: 300 }),
        fc.dictionary(fc.constantFrom('content-type', 'webhook-id', 'webhook-timestamp', 'webhook-signature'), fc.string({ maxLength: 40 })),
        async (path, body, headers) => {
          const res = await fetch(stack.url + path, { method: 'POST', headers: sanitize(headers), body });
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
    await stack.drained();
    expect((await events()).length).toBe(before);
  });

  it('serves /health and /local/events', async () => {
    expect((await fetch(`${stack.url}/health`)).status).toBe(200);
    const all = await events();
    expect(all.every((e) => e.id && e['detail-type'] && e.detail)).toBe(true);
  });
});

describe('where the process function runs', () => {
  it('on its worker thread by default: its DynamoDB use and handler time reach /local/metrics', async () => {
    const body = feedbackBody('Why is the exchange rate on my card statement different from the app?');
    const res = await post('/webhooks/web', body, standardWebhookHeaders(secretOf('web'), 'msg_metrics', body));
    await eventually(async () => (await events('Feedback.Received')).find((e) => e.detail.feedbackId === res.json.accepted[0].id));
    await stack.drained();
    const metrics = (await (await fetch(`${stack.url}/local/metrics`)).json()) as Record<string, number>;
    // The item's conditional put and outbox removal happen on the worker's own client.
    expect(metrics['dynamodb.UpdateItem']).toBeGreaterThanOrEqual(1);
    expect(metrics['lambda.process.ms']).toBeGreaterThan(0);
  });

  it("on the stack's thread when a classifier is injected (it cannot cross threads), with the same outcome", async () => {
    const classifier = new FixedClassifier();
    const local = await startTestStack({ classifier });
    try {
      const body = feedbackBody('I want to complain about the fee.');
      const res = await fetch(`${local.url}/webhooks/web`, { method: 'POST', body, headers: standardWebhookHeaders(local.env.REDRESS_WEB_SECRET!, 'msg_inline', body) });
      const id = ((await res.json()) as { accepted: Array<{ id: string }> }).accepted[0]!.id;
      await local.drained();
      expect(classifier.calls).toBe(1);
      expect((await local.repository.get(id))?.item).toMatchObject({ id, kind: 'complaint' });
    } finally {
      await local.destroy();
    }
  });
});

describe('durability across a restart on the same data dir', () => {
  it('keeps events and processes what was queued but not yet processed, once', async () => {
    const dataDir = stack.dataDir;
    const body = feedbackBody('Why was I charged a fee for withdrawing cash abroad?');
    const res = await post('/webhooks/web', body, standardWebhookHeaders(secretOf('web'), 'msg_restart', body));
    const id = res.json.accepted[0].id;
    await stack.drained();
    const countBefore = (await events()).length;
    await stack.close();

    stack = await startTestStack({ dataDir, env: stack.env });
    expect((await events()).length).toBe(countBefore);
    const dup = await post('/webhooks/web', body, standardWebhookHeaders(secretOf('web'), 'msg_restart', body));
    expect(dup.json.accepted[0]).toEqual({ id, duplicate: true });
    await stack.drained();
    expect((await events('Feedback.Received')).filter((e) => e.detail.feedbackId === id)).toHaveLength(1);
  });
});

/** fetch refuses header values with control characters; the server never sees those anyway. */
function sanitize(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace(/[^\x20-\x7e]/g, '')]));
}
