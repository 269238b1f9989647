/**
 * Replies to customers on the local stack, against the Graph fake (which checks each WhatsApp Cloud API
 * request as Meta does): a complaint answered through the admin API is sent from the number that
 * received it; the first-response clock is met at the time it was sent; a transient failure is retried
 * and then sent; a permanent one fails the reply with the platform's code and leaves the clock running;
 * a delivery report moves the reply to delivered; a response made by phone counts at once; a closed
 * window is a 409 naming the rule. A Messenger reply is moved by the watermark receipts that name no
 * message (delivered, then read; never back). A reply stranded by a failed queue send after its write is
 * queued again by the sweeper and sent once. Nothing here reaches the internet.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLocalToken } from '../../functions/shared/auth/local-jwt.ts';
import { feedbackId } from '../../functions/shared/ids.ts';
import { outboxOf } from '../../functions/shared/pipeline/outbox.ts';
import { acceptReply, commitEffects } from '../../functions/shared/replies/reply-lifecycle.ts';
import { GraphApiFake } from '../fakes/graph-api-fake.ts';
import { eventually, startTestStack, type TestStack } from '../helpers/local-stack.ts';
import { postWhatsAppText } from '../helpers/whatsapp-webhook.ts';

const PHONE_NUMBER_ID = '106540352242922';
const WA_TOKEN = 'EAAG-integration-system-user-token';
const PAGE = '104350012345678';
const PAGE_TOKEN = 'EAAGpage-integration-token';
const graph = new GraphApiFake({ whatsapp: { token: WA_TOKEN, phoneNumberIds: [PHONE_NUMBER_ID] }, pageTokens: { [PAGE]: PAGE_TOKEN } });
let stack: TestStack;
let token: string;

interface ReplyView {
  id: string;
  status: string;
  via: string;
  sentAt?: string;
  deliveredAt?: string;
  platformMessageId?: string;
  error?: { code: string; message: string };
}
interface ItemView {
  status: string;
  replies?: ReplyView[];
  clocks: Array<{ name: string; state: string; stoppedAt?: string }>;
  replyWindow?: Record<string, unknown>;
}
interface BusEvent {
  'detail-type': string;
  detail: Record<string, unknown>;
}

beforeAll(async () => {
  await graph.start();
  stack = await startTestStack({ env: { REDRESS_META_GRAPH_URL: graph.graphUrl, REDRESS_WHATSAPP_TOKEN: WA_TOKEN, REDRESS_META_PAGE_TOKENS: `${PAGE}=${PAGE_TOKEN}` } });
  token = await signLocalToken(stack.env.REDRESS_JWT_SECRET!.split(',')[0]!, { sub: 'sup-1', groups: ['supervisor'] });
});
afterAll(async () => {
  await stack?.destroy();
  await graph.close();
});

let counter = 0;
/** A signed WhatsApp message from a new customer, written `ageMs` ago; resolves the stored item's id. */
async function whatsappComplaint(ageMs = 0): Promise<{ id: string; waId: string }> {
  counter++;
  const waId = `1650555${String(1000 + counter)}`;
  const wamid = `wamid.it-replies-${counter}-${Date.now()}`;
  const at = Date.now() - ageMs;
  graph.lastCustomerMessage.set(waId, new Date(at));
  expect(await postWhatsAppText(stack.url, stack.env.REDRESS_META_APP_SECRET!.split(',')[0]!, { phoneNumberId: PHONE_NUMBER_ID, waId, wamid, at, text: 'I want to complain: you charged my card twice and nobody answers.' })).toBe(200);
  const id = feedbackId('whatsapp', wamid);
  await eventually(async () => ((await get(id)).status === 'open' ? true : undefined), 20_000);
  return { id, waId };
}

/** A signed Messenger message to the Page from a new customer; resolves the stored item's id. */
async function messengerComplaint(): Promise<{ id: string; psid: string }> {
  counter++;
  const psid = `70123456789${String(10000 + counter)}`;
  const mid = `m_it-replies-${counter}-${Date.now()}`;
  graph.lastCustomerMessage.set(psid, new Date());
  const body = JSON.stringify({
    object: 'page',
    entry: [{ id: PAGE, time: Date.now(), messaging: [{ sender: { id: psid }, recipient: { id: PAGE }, timestamp: Date.now(), message: { mid, text: 'I want to complain: my card was declined twice and I was charged a fee.' } }] }],
  });
  const signature = `sha256=${createHmac('sha256', stack.env.REDRESS_META_APP_SECRET!.split(',')[0]!).update(body).digest('hex')}`;
  const res = await fetch(`${stack.url}/webhooks/meta`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body });
  expect(res.status).toBe(200);
  const id = feedbackId('messenger', mid);
  await eventually(async () => ((await get(id)).status === 'open' ? true : undefined), 20_000);
  return { id, psid };
}

async function get(id: string): Promise<ItemView> {
  const res = await fetch(`${stack.url}/admin/complaints/${id}`, { headers: { authorization: `Bearer ${token}` } });
  return (res.status === 200 ? await res.json() : { status: 'missing', clocks: [] }) as ItemView;
}

async function respond(id: string, body: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${stack.url}/admin/complaints/${id}/responses`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const replyOf = (item: ItemView, replyId: string) => item.replies?.find((r) => r.id === replyId);
const settled = (id: string, replyId: string, statuses: string[]) =>
  eventually(async () => {
    const item = await get(id);
    return statuses.includes(replyOf(item, replyId)?.status ?? '') ? item : undefined;
  }, 20_000);

async function events(id: string): Promise<BusEvent[]> {
  const { items } = (await (await fetch(`${stack.url}/local/events`)).json()) as { items: BusEvent[] };
  return items.filter((e) => e.detail.feedbackId === id);
}

const sentTo = (waId: string) => graph.accepted.filter((m) => m.body.to === waId);

describe('replies through WhatsApp', () => {
  it('a complaint answered through the admin API is sent from the receiving number; the clock is met at sentAt; a delivery report marks it delivered', async () => {
    // Prepare
    const { id, waId } = await whatsappComplaint();
    // The item says until when WhatsApp takes a free-form reply (24 h after the customer's message).
    const before = await get(id);
    expect(before.replyWindow).toMatchObject({ allowed: true, mode: 'free_form', closesAt: expect.any(String) });
    // Act
    const answer = await respond(id, { message: 'We are sorry: the second charge is refunded today.' });
    const item = await settled(id, String((answer.json.reply as { id: string }).id), ['sent']);
    // Assess
    expect(answer.status).toBe(202);
    expect(answer.json.reply).toMatchObject({ id: expect.stringMatching(/^rp_/), status: 'queued' });
    const reply = item.replies![0]!;
    expect(sentTo(waId)).toHaveLength(1);
    expect(sentTo(waId)[0]).toMatchObject({ accountId: PHONE_NUMBER_ID, body: { type: 'text', text: { body: 'We are sorry: the second charge is refunded today.' } } });
    expect(reply.platformMessageId).toBe(sentTo(waId)[0]!.id);
    expect(item.status).toBe('responded');
    expect(item.clocks.find((c) => c.name === 'first_response')).toMatchObject({ state: 'met', stoppedAt: reply.sentAt });
    const types = (await events(id)).map((e) => e['detail-type']);
    expect(types.filter((t) => t === 'Reply.Sent' || t === 'Complaint.Responded')).toEqual(expect.arrayContaining(['Reply.Sent', 'Complaint.Responded']));
    expect(JSON.stringify(await events(id))).not.toContain('refunded today');

    // Act: Meta reports it sent, then delivered
    graph.reportWhatsAppStatus(reply.platformMessageId!, 'delivered');
    const webhook = graph.statusWebhook(stack.env.REDRESS_META_APP_SECRET!.split(',')[0]!)!;
    expect((await fetch(`${stack.url}/webhooks/meta`, { method: 'POST', headers: webhook.headers, body: webhook.body })).status).toBe(200);
    // Assess
    const delivered = await settled(id, reply.id, ['delivered']);
    expect(replyOf(delivered, reply.id)!.deliveredAt).toEqual(expect.any(String));
    await eventually(async () => ((await events(id)).some((e) => e['detail-type'] === 'Reply.Delivered') ? true : undefined));
  }, 60_000);

  it('a transient 5xx is retried within seconds and then sent, once', async () => {
    // Prepare
    const { id, waId } = await whatsappComplaint();
    graph.failNext({ kind: 'server_error' });
    // Act
    const answer = await respond(id, { message: 'We are looking into it.' });
    const item = await settled(id, String((answer.json.reply as { id: string }).id), ['sent']);
    // Assess
    expect(graph.requests.filter((r) => r.body.includes(waId))).toHaveLength(2);
    expect(sentTo(waId)).toHaveLength(1);
    expect(item.status).toBe('responded');
  }, 60_000);

  it('a permanent 4xx fails the reply with the platform code; the clock keeps running and Reply.Failed carries the code', async () => {
    // Prepare
    const { id } = await whatsappComplaint();
    graph.failNext({ kind: 'permanent' });
    // Act
    const answer = await respond(id, { message: 'We are looking into it.' });
    const item = await settled(id, String((answer.json.reply as { id: string }).id), ['failed']);
    // Assess
    expect(item.replies![0]!.error).toMatchObject({ code: '100', message: expect.stringContaining('recipient') });
    expect(item.status).toBe('open');
    expect(item.clocks.find((c) => c.name === 'first_response')).toMatchObject({ state: 'running' });
    const failed = (await events(id)).find((e) => e['detail-type'] === 'Reply.Failed');
    expect(failed?.detail).toMatchObject({ status: 'failed', errorCode: '100', replyId: item.replies![0]!.id });
    // The queue shows it as needing a person: the customer has heard nothing.
    const queue = (await (await fetch(`${stack.url}/admin/complaints?limit=100`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: Array<{ id: string; needsAction?: unknown }> };
    expect(queue.items.find((i) => i.id === id)?.needsAction).toEqual({ reason: 'reply_failed', replyId: item.replies![0]!.id, at: expect.any(String), code: '100' });
  }, 60_000);

  it('via phone sends nothing and counts at once', async () => {
    // Prepare
    const { id, waId } = await whatsappComplaint();
    // Act
    const answer = await respond(id, { message: 'Called the customer.', via: 'phone' });
    const item = await get(id);
    // Assess
    expect(answer).toMatchObject({ status: 202, json: { reply: { status: 'sent' } } });
    expect(sentTo(waId)).toHaveLength(0);
    expect(item.status).toBe('responded');
    expect(item.clocks.find((c) => c.name === 'first_response')).toMatchObject({ state: 'met' });
  }, 60_000);

  it('after 24 hours without a template the reply is refused with a 409 naming the rule, and nothing is stored', async () => {
    // Prepare
    const { id, waId } = await whatsappComplaint(25 * 60 * 60 * 1000);
    // Act
    const answer = await respond(id, { message: 'Sorry for the delay.' });
    // Assess
    expect(answer.status).toBe(409);
    expect(answer.json).toMatchObject({ rule: 'whatsapp_24h_customer_service', stillAllowed: expect.arrayContaining(['phone']) });
    const item = await get(id);
    expect(item.replies ?? []).toEqual([]);
    expect(item.replyWindow).toMatchObject({ allowed: false, rule: 'whatsapp_24h_customer_service', stillAllowed: expect.arrayContaining(['phone']) });
    expect(sentTo(waId)).toHaveLength(0);
  }, 60_000);
});

describe('replies through Messenger: watermark receipts', () => {
  it('a delivery watermark marks the replies sent before it delivered, a read watermark marks them read, and a late delivery changes nothing', async () => {
    // Prepare: two replies to one customer, then one to another customer of the same Page
    const { id, psid } = await messengerComplaint();
    const other = await messengerComplaint();
    const first = String(((await respond(id, { message: 'We are sorry: the fee is refunded.' })).json.reply as { id: string }).id);
    await settled(id, first, ['sent']);
    const betweenTheReplies = new Date();
    await new Promise((r) => setTimeout(r, 20));
    const second = String(((await respond(id, { message: 'And the card limit is restored.' })).json.reply as { id: string }).id);
    await settled(id, second, ['sent']);
    const otherReply = String(((await respond(other.id, { message: 'We are looking into it.' })).json.reply as { id: string }).id);
    await settled(other.id, otherReply, ['sent']);
    const appSecret = stack.env.REDRESS_META_APP_SECRET!.split(',')[0]!;
    const post = async (hook: { body: string; headers: Record<string, string> }) => expect((await fetch(`${stack.url}/webhooks/meta`, { method: 'POST', headers: hook.headers, body: hook.body })).status).toBe(200);

    // Act: delivered up to between the replies
    await post(graph.receiptWebhook(appSecret, { pageId: PAGE, psid, kind: 'delivery', watermark: betweenTheReplies }));
    // Assess: the first only
    const delivered = await settled(id, first, ['delivered']);
    expect(replyOf(delivered, first)!.deliveredAt).toBe(betweenTheReplies.toISOString());
    expect(replyOf(delivered, second)!.status).toBe('sent');

    // Act: read up to now
    const readAt = new Date();
    await post(graph.receiptWebhook(appSecret, { pageId: PAGE, psid, kind: 'read', watermark: readAt }));
    // Assess: both read, the other customer's reply untouched
    await settled(id, first, ['read']);
    const read = await settled(id, second, ['read']);
    expect(replyOf(read, second)).toMatchObject({ status: 'read', deliveredAt: readAt.toISOString() });
    expect(replyOf(await get(other.id), otherReply)!.status).toBe('sent');

    // Act: a delivery watermark arriving late
    await post(graph.receiptWebhook(appSecret, { pageId: PAGE, psid, kind: 'delivery', watermark: readAt }));
    await stackRepliesIdle();
    // Assess: never backwards; one Reply.Delivered per move, without the text
    expect(replyOf(await get(id), first)!.status).toBe('read');
    const moved = (await events(id)).filter((e) => e['detail-type'] === 'Reply.Delivered');
    expect(moved.map((e) => `${String(e.detail.replyId)} ${String(e.detail.status)}`).sort()).toEqual([`${first} delivered`, `${first} read`, `${second} read`].sort());
    expect(JSON.stringify(moved)).not.toContain('refunded');
  }, 90_000);
});

describe('the sweeper and replies', () => {
  it('re-queues a reply whose queue send failed after it was written; it is sent once, and a later sweep sends nothing', async () => {
    // Prepare: the reply written as the admin request writes it, then neither queued nor tried (a crash)
    const { id, waId } = await whatsappComplaint();
    // The process function done with the item (its clocks' timers started), so the strand owes only the reply.
    const stored = await eventually(async () => {
      const current = (await stack.repository.get(id))!;
      return Object.keys(current.outbox).length === 0 ? current : undefined;
    }, 20_000);
    const at = new Date(Date.now() - 10_000).toISOString(); // overdue past the local sweeper's 5 s grace
    const accepted = acceptReply(stored.item, { replyId: 'rp_strandedbyqueue', message: 'We have refunded the charge.', via: 'channel', actor: 'sup-1', at, mode: 'free_form' });
    await stack.repository.replace(commitEffects(accepted, at).item, stored.item.version, { ...stored.outbox, ...outboxOf(accepted.outbox) });
    // Act
    await stack.sweep();
    const sent = await settled(id, 'rp_strandedbyqueue', ['sent']);
    await stack.sweep();
    await stack.sweep();
    await stackRepliesIdle();
    // Assess
    expect(sentTo(waId)).toHaveLength(1);
    expect(sentTo(waId)[0]!.body).toMatchObject({ text: { body: 'We have refunded the charge.' } });
    expect(sent.status).toBe('responded');
    expect((await stack.repository.get(id))!.outbox).toEqual({});
  }, 60_000);
});

/** Gives the reply function time to take what the last webhook or sweep queued (it polls continuously). */
const stackRepliesIdle = () => new Promise((r) => setTimeout(r, 1_500));
