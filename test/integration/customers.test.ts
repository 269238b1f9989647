/**
 * Customers across channels on the local stack, from outside: the same bank customer id over web, mobile
 * and the hotline is one key with a history of three; the same WhatsApp number twice is one key; a
 * Messenger and a WhatsApp identity linked by a supervisor are one customer until unlinked. Counts,
 * previousComplaints90d and the repeat-complaint rate are recomputed here from the items themselves.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLocalToken } from '../../functions/shared/auth/local-jwt.ts';
import { feedbackBody, standardWebhookHeaders } from '../helpers/http-events.ts';
import { eventually, startTestStack, type TestStack } from '../helpers/local-stack.ts';

let stack: TestStack;
let token: string;
const started = new Date(Date.now() - 60_000).toISOString();
const COMPLAINT = 'I want to file a complaint: you charged me a fee twice and nobody answers.';

beforeAll(async () => {
  stack = await startTestStack();
  token = await signLocalToken(stack.env.REDRESS_JWT_SECRET!.split(',')[0]!, { sub: 'sup-7', groups: ['supervisor'] });
}, 120_000);
afterAll(async () => {
  await stack?.destroy();
});

interface View {
  id: string;
  kind: string;
  status: string;
  receivedAt: string;
  customerKey?: string;
  customer: { previousComplaints90d?: number; history?: string };
}

async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(stack.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: await res.json() };
}

async function postOwn(route: 'web' | 'mobile' | 'hotline', webhookId: string, customerId: string): Promise<string> {
  const body = feedbackBody(COMPLAINT, { customer: { id: customerId } });
  const secret = stack.env[`REDRESS_${route.toUpperCase()}_SECRET`]!;
  const res = await fetch(`${stack.url}/webhooks/${route}`, { method: 'POST', headers: standardWebhookHeaders(secret, webhookId, body), body });
  expect(res.status).toBe(202);
  return ((await res.json()) as { accepted: Array<{ id: string }> }).accepted[0]!.id;
}

const metaSig = (body: string) => `sha256=${createHmac('sha256', stack.env.REDRESS_META_APP_SECRET!.split(',')[0]!).update(body).digest('hex')}`;
async function postMeta(payload: unknown): Promise<void> {
  const body = JSON.stringify(payload);
  const res = await fetch(`${stack.url}/webhooks/meta`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSig(body) }, body });
  expect(res.status).toBe(200);
}
const whatsapp = (waId: string, wamid: string) => ({
  object: 'whatsapp_business_account',
  entry: [{ id: 'waba-1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: 'pn-1', display_phone_number: '0000' }, contacts: [{ wa_id: waId, profile: { name: 'Test Person' } }], messages: [{ from: waId, id: wamid, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: COMPLAINT } }] } }] }],
});
const messenger = (psid: string, mid: string) => ({
  object: 'page',
  entry: [{ id: 'page-1', time: Date.now(), messaging: [{ sender: { id: psid }, recipient: { id: 'page-1' }, timestamp: Date.now(), message: { mid, text: COMPLAINT } }] }],
});

/** The item once processed (its id from the answer, or found in the feedback list by source). */
const processed = (id: string) => eventually(async () => {
  const res = await admin('GET', `/admin/complaints/${id}`);
  return res.status === 200 ? (res.json as View) : undefined;
}, 30_000);

async function itemsOfSource(source: string, count: number): Promise<View[]> {
  return eventually(async () => {
    const res = await admin('GET', `/admin/feedback?from=${encodeURIComponent(started)}&limit=200`);
    const items = (res.json.items as Array<View & { source: string }>).filter((i) => i.source === source);
    return items.length >= count ? items : undefined;
  }, 30_000);
}

/** Figures recomputed from the items: open complaints, complaints received in the last 90 days. */
function expectedCounts(items: View[]) {
  const since = Date.now() - 90 * 86_400_000;
  const complaints = items.filter((i) => i.kind === 'complaint');
  return { openComplaints: complaints.filter((i) => i.status !== 'resolved').length, complaints90d: complaints.filter((i) => Date.parse(i.receivedAt) >= since).length, truncated: false };
}

describe('customers across channels', () => {
  it('the same customer id over web, mobile and the hotline is one key with a history of three', async () => {
    const ids = [await postOwn('web', 'it-cust-web', 'c-it-7781'), await postOwn('mobile', 'it-cust-mobile', 'c-it-7781'), await postOwn('hotline', 'it-cust-hotline', 'c-it-7781')];
    const items = await Promise.all(ids.map(processed));
    const keys = new Set(items.map((i) => i.customerKey));
    expect(keys.size).toBe(1);
    const key = items[0]!.customerKey!;
    expect(key).toMatch(/^ck1_[0-9a-f]{32}$/);

    const history = await admin('GET', `/admin/customers/${key}`);

    expect(history.status).toBe(200);
    const newestFirst = [...items].sort((a, b) => (a.receivedAt + a.id < b.receivedAt + b.id ? 1 : -1)).map((i) => i.id);
    expect(history.json.items.map((i: View) => i.id)).toEqual(newestFirst);
    expect(history.json.counts).toEqual(expectedCounts(items));
    const newest = items.find((i) => i.id === newestFirst[0])!;
    const before = items.filter((i) => i.kind === 'complaint' && i.id !== newest.id).length;
    expect(newest.customer.previousComplaints90d).toBe(before);
    expect(newest.customer.history).toBe(`/admin/customers/${key}`);
    const filtered = await admin('GET', `/admin/feedback?customer=${key}&from=${encodeURIComponent(started)}`);
    expect(filtered.json.items.map((i: View) => i.id).sort()).toEqual([...ids].sort());
  }, 90_000);

  it('the same wa_id twice is one key; a redelivery is the same item', async () => {
    await postMeta(whatsapp('8613800001111', 'wamid.it-cust-1'));
    await postMeta(whatsapp('8613800001111', 'wamid.it-cust-2'));
    await postMeta(whatsapp('8613800001111', 'wamid.it-cust-2'));

    const items = await itemsOfSource('whatsapp', 2);

    expect(items).toHaveLength(2);
    expect(new Set(items.map((i) => i.customerKey)).size).toBe(1);
    const history = await admin('GET', `/admin/customers/${items[0]!.customerKey}`);
    expect(history.json.items).toHaveLength(2);
    expect(history.json.counts).toEqual(expectedCounts(items));
  }, 90_000);

  it('two platform identities linked are one customer, and two again once unlinked; the repeat rate follows', async () => {
    await postMeta(messenger('psid-it-cust-1', 'm_it-cust-1'));
    const [fromMessenger] = await itemsOfSource('messenger', 1);
    const [fromWhatsapp] = await itemsOfSource('whatsapp', 2);
    const m = fromMessenger!.customerKey!;
    const w = fromWhatsapp!.customerKey!;
    expect(m).not.toBe(w);

    const linked = await admin('POST', `/admin/customers/${m}/links`, { customerKey: w });
    expect(linked.status).toBe(200);
    expect(linked.json.keys).toEqual([m, w]);
    expect(linked.json.links[0]).toMatchObject({ customerKey: w, linkedBy: 'sup-7' });
    const joined = await admin('GET', `/admin/customers/${m}`);
    const joinedItems = [fromMessenger!, ...(await itemsOfSource('whatsapp', 2))];
    expect(joined.json.items).toHaveLength(3);
    expect(joined.json.counts).toEqual(expectedCounts(joinedItems));
    expect((await metricsRepeat()).rate).toBe(await expectedRepeatRate([[m, w]]));

    const unlinked = await admin('DELETE', `/admin/customers/${m}/links/${w}`);
    expect(unlinked.status).toBe(200);
    expect(unlinked.json.keys).toEqual([m]);
    expect(unlinked.json.audit.map((e: { action: string }) => e.action)).toEqual(['unlinked', 'linked']);
    expect((await admin('GET', `/admin/customers/${m}`)).json.items).toHaveLength(1);
    expect((await metricsRepeat()).rate).toBe(await expectedRepeatRate([]));
  }, 90_000);
});

describe('rotating the customer key secret', () => {
  const OLD = 'v1:it-rotation-old-secret-000000001';
  const NEW = 'v2:it-rotation-new-secret-000000002';

  it('keeps one customer across the change: old key, overlap, new key only', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'redress-it-rotation-'));
    const keys: string[] = [];
    const steps = [OLD, `${NEW},${OLD}`, NEW];
    let last: TestStack | undefined;
    for (const [n, secret] of steps.entries()) {
      // Each step is the same data on a restarted stack with the next secret list.
      const s = await startTestStack({ dataDir, env: { REDRESS_CUSTOMER_KEY_SECRET: secret } });
      const previous = stack;
      stack = s;
      const id = await postOwn('web', `it-rotation-${n}`, 'c-it-rotating');
      keys.push((await processed(id)).customerKey!);
      stack = previous;
      if (n < steps.length - 1) await s.close();
      else last = s;
    }
    try {
      expect(keys[0]).toMatch(/^ck1_/);
      expect(keys[1]).toMatch(/^ck2_/);
      expect(keys[2]).toBe(keys[1]);
      const previous = stack;
      stack = last!;
      const fromNew = await admin('GET', `/admin/customers/${keys[2]}`);
      const fromOld = await admin('GET', `/admin/customers/${keys[0]}`);
      stack = previous;
      expect(fromNew.json.items).toHaveLength(3);
      expect(fromOld.json.items).toHaveLength(3);
      expect(fromNew.json.links).toEqual([expect.objectContaining({ customerKey: keys[0], reason: 'key-rotation', linkedBy: 'system:key-rotation' })]);
    } finally {
      await last?.destroy();
    }
  }, 180_000);
});

async function metricsRepeat(): Promise<{ rate: number | null }> {
  const res = await admin('GET', `/admin/metrics?from=${encodeURIComponent(started)}`);
  expect(res.status).toBe(200);
  return { rate: res.json.repeatComplaintRate };
}

/**
 * The repeat rate recomputed from every item of this test's stack: a complaint repeats when another
 * complaint of the same customer (its key, or a key linked to it) came before it.
 */
async function expectedRepeatRate(links: Array<[string, string]>): Promise<number | null> {
  const res = await admin('GET', `/admin/feedback?from=${encodeURIComponent(started)}&limit=200`);
  const complaints = (res.json.items as View[]).filter((i) => i.kind === 'complaint' && i.customerKey);
  const same = (x: string, y: string) => x === y || links.some(([a, b]) => (a === x && b === y) || (a === y && b === x));
  const repeats = complaints.filter((c) => complaints.some((o) => o.id !== c.id && same(o.customerKey!, c.customerKey!) && (o.receivedAt < c.receivedAt || (o.receivedAt === c.receivedAt && o.id < c.id))));
  return complaints.length ? repeats.length / complaints.length : null;
}
