/**
 * The rating request through the reply path on the local stack (issue 16): resolving a complaint sends
 * the customer the survey link as a reply from the system (`purpose: ratingRequest`), through the same
 * path as a handler's reply. On WhatsApp the Graph fake receives the text with the link and "reply 1–5",
 * and the customer's bare "5" inside the window is their rating, not new feedback; on the web channel the
 * bank's back end receives a signed `reply.created` with the link; where WhatsApp's window has closed the
 * resolution still stands, the request is recorded as not sent and the link still works. The request is
 * never the first response. Nothing here reaches the internet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLocalToken } from '../../functions/shared/auth/local-jwt.ts';
import { feedbackId } from '../../functions/shared/ids.ts';
import { GraphApiFake } from '../fakes/graph-api-fake.ts';
import { StandardWebhooksReceiver } from '../fakes/standard-webhooks-receiver.ts';
import { sampleComplaint } from '../helpers/sample-items.ts';
import { eventually, startTestStack, type TestStack } from '../helpers/local-stack.ts';
import { postWhatsAppText } from '../helpers/whatsapp-webhook.ts';

const PHONE_NUMBER_ID = '106540352242922';
const WA_TOKEN = 'EAAG-integration-system-user-token';
const WEB_SECRET = 'whsec_cmVkcmVzcy1yYXRpbmctcmVxdWVzdC13ZWItc2VjcmV0';
const graph = new GraphApiFake({ whatsapp: { token: WA_TOKEN, phoneNumberIds: [PHONE_NUMBER_ID] } });
const backEnd = new StandardWebhooksReceiver([WEB_SECRET]);
let stack: TestStack;
let token: string;

interface ReplyView {
  id: string;
  status: string;
  purpose?: string;
  actor: string;
  message: string;
}
interface ItemView {
  status: string;
  firstRespondedAt?: string;
  replies?: ReplyView[];
  satisfaction: { score: number; source?: string } | null;
  timeline: Array<{ type: string; actor: string }>;
}
interface BusEvent {
  'detail-type': string;
  detail: Record<string, unknown>;
}

beforeAll(async () => {
  await Promise.all([graph.start(), backEnd.start()]);
  stack = await startTestStack({
    env: { REDRESS_META_GRAPH_URL: graph.graphUrl, REDRESS_WHATSAPP_TOKEN: WA_TOKEN, REDRESS_WEB_REPLY_URL: `${backEnd.url}/redress/replies`, REDRESS_WEB_SECRET: WEB_SECRET },
  });
  token = await signLocalToken(stack.env.REDRESS_JWT_SECRET!.split(',')[0]!, { sub: 'sup-1', groups: ['supervisor'] });
});
afterAll(async () => {
  await stack?.destroy();
  await Promise.all([graph.close(), backEnd.close()]);
});

let counter = 0;
/** A signed WhatsApp message from `waId`, written `ageMs` ago; resolves the id Redress gives it. */
async function whatsappMessage(waId: string, text: string, ageMs = 0): Promise<string> {
  counter++;
  const wamid = `wamid.it-rating-${counter}-${Date.now()}`;
  const at = Date.now() - ageMs;
  graph.lastCustomerMessage.set(waId, new Date(at));
  expect(await postWhatsAppText(stack.url, stack.env.REDRESS_META_APP_SECRET!.split(',')[0]!, { phoneNumberId: PHONE_NUMBER_ID, waId, wamid, at, text })).toBe(200);
  return feedbackId('whatsapp', wamid);
}

async function whatsappComplaint(waId: string, ageMs = 0): Promise<string> {
  const id = await whatsappMessage(waId, 'I want to complain: you charged my card twice and nobody answers.', ageMs);
  await eventually(async () => ((await get(id))?.status === 'open' ? true : undefined), 20_000);
  return id;
}

async function get(id: string): Promise<ItemView | undefined> {
  const res = await fetch(`${stack.url}/admin/complaints/${id}`, { headers: { authorization: `Bearer ${token}` } });
  return res.status === 200 ? ((await res.json()) as ItemView) : undefined;
}

async function resolve(id: string): Promise<ItemView> {
  const res = await fetch(`${stack.url}/admin/complaints/${id}/resolve`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ outcome: 'upheld', summary: 'Refunded the double charge.' }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as ItemView;
}

async function events(id: string, type?: string): Promise<BusEvent[]> {
  const { items } = (await (await fetch(`${stack.url}/local/events`)).json()) as { items: BusEvent[] };
  return items.filter((e) => e.detail.feedbackId === id && (type === undefined || e['detail-type'] === type));
}
const requestedOf = (id: string) => eventually(async () => (await events(id, 'Complaint.SatisfactionRequested'))[0]);

const ratingRequestOf = (item: ItemView | undefined) => item?.replies?.find((r) => r.purpose === 'ratingRequest');
const sentTo = (waId: string) => graph.accepted.filter((m) => m.body.to === waId);

describe('a resolved WhatsApp complaint', () => {
  const waId = '16505559001';
  let id: string;

  it('sends the customer the survey link and "reply 1–5" as a system reply, never as the first response', async () => {
    // Prepare
    id = await whatsappComplaint(waId);
    // Act
    const resolved = await resolve(id);
    // Assess: the request is a queued reply of the system in the resolution's own write…
    expect(resolved.status).toBe('resolved');
    expect(ratingRequestOf(resolved)).toMatchObject({ actor: 'system', purpose: 'ratingRequest' });
    const requested = await requestedOf(id);
    const surveyUrl = String(requested.detail.surveyUrl);
    expect(requested.detail).toMatchObject({ replyId: ratingRequestOf(resolved)!.id, replyWithRating: true });
    expect(requested.detail).not.toHaveProperty('message');
    // …which the reply path carried to WhatsApp.
    const item = await eventually(async () => (ratingRequestOf(await get(id))?.status === 'sent' ? get(id) : undefined), 20_000);
    expect(sentTo(waId)).toHaveLength(1);
    const text = (sentTo(waId)[0]!.body as { text: { body: string } }).text.body;
    expect(text).toContain(surveyUrl);
    expect(text).toMatch(/reply with a number from 1 to 5/);
    // Not a response: no `responded` entry, no Complaint.Responded; Reply.Sent names the purpose, not the text.
    expect(item!.timeline.filter((e) => e.type === 'responded')).toEqual([]);
    expect(item!.timeline.at(-1)).toMatchObject({ type: 'rating_request_sent', actor: 'system' });
    expect(await events(id, 'Complaint.Responded')).toEqual([]);
    const [sent] = await eventually(async () => ((await events(id, 'Reply.Sent')).length ? events(id, 'Reply.Sent') : undefined));
    expect(sent!.detail).toMatchObject({ replyId: ratingRequestOf(item)!.id, purpose: 'ratingRequest' });
    expect(JSON.stringify(await events(id))).not.toContain('rate our service');
    // The link itself works.
    expect((await fetch(surveyUrl)).status).toBe(200);
  });

  it('takes the customer\'s bare "5" inside the window as their rating (source customer), not as new feedback', async () => {
    // Act
    const replyId = await whatsappMessage(waId, '5');
    // Assess
    const item = await eventually(async () => ((await get(id))?.satisfaction ? get(id) : undefined), 20_000);
    expect(item!.satisfaction).toMatchObject({ score: 5, source: 'customer' });
    await stack.drained();
    expect(await stack.repository.get(replyId)).toBeUndefined();
    const [rated] = await eventually(async () => ((await events(id, 'Complaint.Rated')).length ? events(id, 'Complaint.Rated') : undefined));
    expect(rated!.detail).toMatchObject({ score: 5, ratedBy: 'customer' });
  });
});

describe('a resolved WhatsApp complaint whose 24-hour window has closed', () => {
  it('stays resolved; the request is recorded as not sent (with the rule) and the link still works', async () => {
    // Prepare
    const waId = '16505559002';
    const id = await whatsappComplaint(waId, 30 * 60 * 60_000);
    // Act
    const resolved = await resolve(id);
    // Assess
    expect(resolved.status).toBe('resolved');
    expect(ratingRequestOf(resolved)).toBeUndefined();
    const requested = await requestedOf(id);
    expect(requested.detail).toMatchObject({ notSent: 'whatsapp_24h_customer_service' });
    expect(requested.detail).not.toHaveProperty('replyId');
    expect((await fetch(String(requested.detail.surveyUrl))).status).toBe(200);
    expect(sentTo(waId)).toEqual([]);
  });
});

describe('a resolved web complaint', () => {
  it('reaches the bank\'s back end as a signed reply.created carrying the survey link', async () => {
    // Prepare
    await stack.repository.createIfAbsent(sampleComplaint({ id: 'fb_ratingweb', externalId: 'rating-web', source: 'web', channel: 'web', language: 'zh', customer: { id: 'c-2041' } }), []);
    // Act
    const resolved = await resolve('fb_ratingweb');
    // Assess: the receiver verified the signature; the webhook-id is the reply's id.
    const replyId = ratingRequestOf(resolved)!.id;
    const received = await eventually(async () => backEnd.received.get(replyId), 20_000);
    const surveyUrl = String((await requestedOf('fb_ratingweb')).detail.surveyUrl);
    expect(received.body).toMatchObject({ type: 'reply.created', data: { replyId, feedbackId: 'fb_ratingweb', customer: { id: 'c-2041' }, language: 'zh', purpose: 'ratingRequest' } });
    const message = (received.body.data as { message: string }).message;
    expect(message).toContain(surveyUrl);
    expect(message).not.toMatch(/回复|reply/i);
    const item = await eventually(async () => (ratingRequestOf(await get('fb_ratingweb'))?.status === 'sent' ? get('fb_ratingweb') : undefined), 20_000);
    expect(item!.timeline.filter((e) => e.type === 'responded')).toEqual([]);
  });
});
