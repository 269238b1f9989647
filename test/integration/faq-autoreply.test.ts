/**
 * Automatic FAQ answers end to end on the local stack (REDRESS_FAQ_AUTOREPLY set low): an inquiry that
 * matches a sample FAQ entry is answered with that entry's answer through the reply path (actor `faq`),
 * delivered once to the bank's web back end (a Standard Webhooks receiver that verifies each callback),
 * even when its queue message is delivered again; a complaint is never answered; a handler's `{faqId}`
 * reply sends the entry's answer; the timeline and the Reply.* events name the FAQ entry (never its
 * text); and the quarterly report counts only the inquiry the FAQ answered. Nothing reaches the internet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quarterOf, reportTimeZone } from '../../functions/shared/reports/quarters.ts';
import { signLocalToken } from '../../functions/shared/auth/local-jwt.ts';
import { BUILTIN_FAQ } from '../../functions/shared/faq/sample/sample-faq.ts';
import type { FeedbackItem, FeedbackMessage } from '../../schemas/feedback.ts';
import { StandardWebhooksReceiver } from '../fakes/standard-webhooks-receiver.ts';
import { feedbackBody, standardWebhookHeaders } from '../helpers/http-events.ts';
import { eventually, startTestStack, type TestStack } from '../helpers/local-stack.ts';

const WEB_SECRET = 'whsec_cmVkcmVzcy1mYXEtYXV0b3JlcGx5LXdlYi1zZWNyZXQ=';
const backEnd = new StandardWebhooksReceiver([WEB_SECRET]);
let stack: TestStack;
const tokens = { admin: '', agent: '', supervisor: '' };
let seq = 0;

const answerOf = (id: string) => BUILTIN_FAQ.find((e) => e.id === id)!.answer;

async function api(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(stack.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function post(text: string): Promise<string> {
  const body = feedbackBody(text);
  const res = await fetch(`${stack.url}/webhooks/web`, { method: 'POST', headers: standardWebhookHeaders(WEB_SECRET, `it-faq-auto-${++seq}`, body), body });
  expect(res.status).toBe(202);
  return ((await res.json()) as { accepted: Array<{ id: string }> }).accepted[0]!.id;
}

const stored = (id: string) => eventually(async () => (await stack.repository.get(id)) ?? undefined, 20_000);

/** The item's queue message as ingest sent it (rebuilt from the stored item), to deliver it again. */
function messageOf(item: FeedbackItem): FeedbackMessage {
  return { id: item.id, source: item.source, channel: item.channel, externalId: item.externalId, receivedAt: item.receivedAt, text: item.text, customer: item.customer, ...(item.platform ? { platform: item.platform } : {}), ...(item.customerKey ? { customerKey: item.customerKey } : {}) };
}

const repliesTo = (id: string) => [...backEnd.received.values()].filter((r) => (r.body.data as { feedbackId?: string }).feedbackId === id);

async function events(type: string, id: string): Promise<Array<Record<string, unknown>>> {
  const { items } = (await (await fetch(`${stack.url}/local/events?type=${type}`)).json()) as { items: Array<{ detail: Record<string, unknown> }> };
  return items.filter((e) => e.detail.feedbackId === id).map((e) => e.detail);
}

beforeAll(async () => {
  await backEnd.start();
  // Triage set high too: the shipped threshold holds back most inquiries for a person (and a triaged item is never answered automatically).
  stack = await startTestStack({ env: { REDRESS_FAQ_AUTOREPLY: '0.05', REDRESS_TRIAGE_THRESHOLD: '0.5', REDRESS_WEB_SECRET: WEB_SECRET, REDRESS_WEB_REPLY_URL: backEnd.url }, visibilityTimeoutMs: 2_000 });
  const secret = stack.env.REDRESS_JWT_SECRET!.split(',')[0]!;
  tokens.admin = await signLocalToken(secret, { sub: 'admin-1', groups: ['admin'] });
  tokens.agent = await signLocalToken(secret, { sub: 'agent-a', groups: ['agent'] });
  tokens.supervisor = await signLocalToken(secret, { sub: 'sup-1', groups: ['supervisor'] });
  expect((await api('PUT', '/admin/faq', tokens.admin, BUILTIN_FAQ)).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await stack?.destroy();
  await backEnd.close();
});

describe('automatic FAQ answers (REDRESS_FAQ_AUTOREPLY)', () => {
  let answered = '';

  it('answers an inquiry matching a FAQ entry with its answer, once, even when its message is delivered again', async () => {
    answered = await post('How do I report a lost card? I cannot find my debit card anywhere.');
    const first = await stored(answered);
    // Delivered again at once (the answer may still be on its way), and again once it was sent.
    await stack.queue.send([JSON.stringify(messageOf(first.item))]);
    const sent = await eventually(async () => {
      const s = await stack.repository.get(answered);
      return s?.item.replies?.[0]?.status === 'sent' ? s : undefined;
    }, 20_000);
    await stack.queue.send([JSON.stringify(messageOf(first.item))]);
    await stack.drained();
    await new Promise((r) => setTimeout(r, 1_500));
    await stack.drained();

    const item = (await stack.repository.get(answered))!.item;
    expect(item.kind).toBe('inquiry');
    expect(item.suggestions?.[0]?.faqId).toBe('sample-lost-card-en');
    expect(item.replies).toHaveLength(1);
    expect(item.replies![0]).toMatchObject({ actor: 'faq', faqId: 'sample-lost-card-en', via: 'channel', status: 'sent', message: answerOf('sample-lost-card-en') });
    expect(item.timeline.filter((e) => e.actor === 'faq').map((e) => [e.type, e.data?.faqId])).toEqual([
      ['reply_queued', 'sample-lost-card-en'],
      ['responded', 'sample-lost-card-en'],
    ]);
    expect(sent.item.replies![0]!.id).toBe(item.replies![0]!.id);
    // The back end took it once, with the entry's answer.
    const received = repliesTo(answered);
    expect(received).toHaveLength(1);
    expect((received[0]!.body.data as { message: string }).message).toBe(answerOf('sample-lost-card-en'));
    expect(backEnd.redeliveries).toBe(0);
    // Reply.Sent names the actor and the entry, never the text.
    const replyEvents = await events('Reply.Sent', answered);
    expect(replyEvents).toEqual([expect.objectContaining({ actor: 'faq', faqId: 'sample-lost-card-en', status: 'sent' })]);
    expect(JSON.stringify(replyEvents)).not.toContain(answerOf('sample-lost-card-en'));
  });

  it('never answers a complaint, even one about the same thing', async () => {
    const id = await post('I want to complain: I reported my lost card three times and nobody blocked it. This is unacceptable.');
    const item = await eventually(async () => {
      const s = await stack.repository.get(id);
      return s && Object.keys(s.outbox).length === 0 ? s.item : undefined;
    }, 20_000);
    await stack.drained();
    expect(item.kind).toBe('complaint');
    expect((await stack.repository.get(id))!.item.replies).toBeUndefined();
    expect(repliesTo(id)).toEqual([]);
  });

  it('a handler reply with {faqId} sends that entry answer, and a handler can follow up an automatic answer', async () => {
    const res = await api('POST', `/admin/feedback/${answered}/replies`, tokens.agent, { faqId: 'sample-annual-fee-en' });
    expect(res.status).toBe(202);
    await eventually(async () => (repliesTo(answered).length === 2 ? true : undefined), 20_000);
    const follow = repliesTo(answered).find((r) => (r.body.data as { message: string }).message === answerOf('sample-annual-fee-en'));
    expect(follow).toBeDefined();
    const item = (await stack.repository.get(answered))!.item;
    expect(item.replies?.map((r) => [r.actor, r.faqId])).toEqual([
      ['faq', 'sample-lost-card-en'],
      ['agent-a', 'sample-annual-fee-en'],
    ]);
    const unknown = await api('POST', `/admin/feedback/${answered}/replies`, tokens.agent, { faqId: 'no-such-entry' });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.json)).toContain('faqId');
  });

  it('the quarterly report counts the inquiry answered automatically once, whatever handlers sent after it', async () => {
    const quarter = quarterOf(new Date().toISOString(), reportTimeZone({}));
    const report = await api('GET', `/admin/reports/quarterly?quarter=${quarter}`, tokens.supervisor);
    expect(report.status).toBe(200);
    const figures = report.json.figures as Record<string, { quarter: number | null }>;
    // One inquiry here (answered by the FAQ, then followed up by a handler with another entry); the complaint is not an inquiry.
    expect(figures.inquiriesAnsweredAutomatically?.quarter).toBe(1);
    expect(figures.autoAnswerRate?.quarter).toBe(1);
  });
});
