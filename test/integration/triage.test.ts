/**
 * The triage safety net end to end on the local stack, with the shipped classifier: messages that read
 * negative or might be complaints but are not taken as ones come in through the signed web webhook, wait in
 * GET /admin/triage (due REDRESS_SLA_TRIAGE after receipt), and an agent settles them through
 * PATCH /admin/feedback/{id}. One becomes a complaint after its 6-second first-response target has passed:
 * its clocks count from receipt, so its warning and breach are announced at once by the clock machinery.
 * The other is settled as an inquiry and leaves triage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLocalToken } from '../../functions/shared/auth/local-jwt.ts';
import { feedbackBody, standardWebhookHeaders } from '../helpers/http-events.ts';
import { eventually, startTestStack, type TestStack } from '../helpers/local-stack.ts';

let stack: TestStack;
let agent: string;

interface Answer {
  status: number;
  json: any;
}
async function api(method: string, path: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${agent}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(stack.url + path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

async function deliver(webhookId: string, text: string): Promise<string> {
  const body = feedbackBody(text);
  const res = await fetch(`${stack.url}/webhooks/web`, { method: 'POST', headers: standardWebhookHeaders(stack.env.REDRESS_WEB_SECRET!, webhookId, body), body });
  expect(res.status).toBe(202);
  return ((await res.json()) as { accepted: Array<{ id: string }> }).accepted[0]!.id;
}

const triageIds = async (): Promise<string[]> => ((await api('GET', '/admin/triage')).json.items as Array<{ id: string }>).map((i) => i.id);

async function eventTypes(id: string): Promise<string[]> {
  const { items } = (await (await fetch(`${stack.url}/local/events`)).json()) as { items: Array<{ 'detail-type': string; detail: { feedbackId: string } }> };
  return items.filter((e) => e.detail.feedbackId === id).map((e) => e['detail-type']);
}

const SLA_MS = 6_000;
/** A curt verdict: reads negative, yet the classifier does not take it as a complaint. */
const CURT = 'Not impressed.';
/** A question about a payment, which could be a complaint put as one: a handler reads it as an inquiry. */
const UNCERTAIN_QUESTION = 'Why does my statement show a pending payment?';

beforeAll(async () => {
  stack = await startTestStack({ env: { REDRESS_SLA_FIRST_RESPONSE: 'PT6S', REDRESS_SLA_TRIAGE: 'PT1H' } });
  agent = await signLocalToken(stack.env.REDRESS_JWT_SECRET!.split(',')[0]!, { sub: 'agent-a', groups: ['agent'] });
}, 60_000);
afterAll(async () => {
  await stack?.destroy();
});

describe('triage on the local stack', () => {
  it('lists a negative non-complaint due an hour after receipt; settled late as a complaint, its clocks count from receipt', async () => {
    // Prepare: the message arrives and waits in triage past its would-be first-response target.
    const id = await deliver('it-triage-1', CURT);
    const listed = await eventually(async () => ((await triageIds()).includes(id) ? true : undefined), 20_000);
    expect(listed).toBe(true);
    const item = (await api('GET', `/admin/feedback/${id}`)).json;
    expect(item.kind).not.toBe('complaint');
    expect(item.classification.negative).toBe(true);
    expect(item.triage.dueAt).toBe(new Date(Date.parse(item.receivedAt) + 3_600_000).toISOString());
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(item.receivedAt) + SLA_MS + 500 - Date.now())));

    // Act
    const settled = await api('PATCH', `/admin/feedback/${id}`, { kind: 'complaint', reason: 'Sarcasm: the customer is unhappy.' });

    // Assess: open, clocks from receipt, out of triage, and the overdue stages announced promptly.
    expect(settled.status).toBe(200);
    expect(settled.json).toMatchObject({ kind: 'complaint', status: 'open' });
    expect(settled.json.triage).toBeUndefined();
    const firstResponse = settled.json.clocks.find((c: { name: string }) => c.name === 'first_response');
    expect(firstResponse.dueAt).toBe(new Date(Date.parse(item.receivedAt) + SLA_MS).toISOString());
    expect(await triageIds()).not.toContain(id);
    const types = await eventually(async () => {
      const seen = await eventTypes(id);
      return seen.includes('Complaint.SlaBreached') ? seen : undefined;
    }, 10_000);
    expect(types.filter((t) => t === 'Complaint.Opened')).toHaveLength(1);
    expect(types.indexOf('Complaint.SlaWarning')).toBeGreaterThan(types.indexOf('Complaint.Opened'));
    const opened = await api('GET', `/admin/complaints?limit=200`);
    expect(opened.json.items.map((i: { id: string }) => i.id)).toContain(id);
  }, 60_000);

  it('settled as an inquiry, an item leaves triage and opens nothing', async () => {
    const id = await deliver('it-triage-2', UNCERTAIN_QUESTION);
    await eventually(async () => ((await triageIds()).includes(id) ? true : undefined), 20_000);
    const settled = await api('PATCH', `/admin/feedback/${id}`, { kind: 'inquiry' });
    expect(settled.status).toBe(200);
    expect(settled.json).toMatchObject({ kind: 'inquiry', status: 'received', clocks: [] });
    expect(await triageIds()).not.toContain(id);
    expect(await eventTypes(id)).toEqual(['Feedback.Received']);
  }, 60_000);

  it('bad input is a 4xx naming the field, and the item stays in triage', async () => {
    const id = await deliver('it-triage-3', 'Where did the £2,000 from my savings go?');
    await eventually(async () => ((await triageIds()).includes(id) ? true : undefined), 20_000);
    const bad = await api('PATCH', `/admin/feedback/${id}`, { kind: 'grievance' });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].field).toBe('kind');
    expect((await api('PATCH', '/admin/feedback/fb_nothere', { kind: 'complaint' })).status).toBe(404);
    expect(await triageIds()).toContain(id);
  }, 60_000);
});
