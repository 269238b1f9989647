/**
 * Suggested answers end to end on the local stack: an admin uploads the FAQ (CSV and JSON, replace and
 * upsert) through the real HTTP server and JWT verifier; an inquiry posted through a signed webhook is
 * processed on the worker thread, which reads the FAQ snapshot from dynalite and stores the suggestions
 * on the item; handlers see them in the item view and can recompute them for any item.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLocalToken } from '../../functions/shared/auth/local-jwt.ts';
import { BUILTIN_FAQ } from '../../functions/shared/faq/sample/sample-faq.ts';
import type { Suggestion } from '../../schemas/faq.ts';
import type { FeedbackItem } from '../../schemas/feedback.ts';
import { feedbackBody, standardWebhookHeaders } from '../helpers/http-events.ts';
import { eventually, startTestStack, type TestStack } from '../helpers/local-stack.ts';

let stack: TestStack;
const tokens: Record<'admin' | 'agent', string> = { admin: '', agent: '' };
let seq = 0;

interface Answer {
  status: number;
  type: string;
  json: Record<string, unknown>;
}

async function api(method: string, path: string, options: { token?: string; body?: string; contentType?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${options.token ?? tokens.agent}` };
  if (options.contentType) headers['content-type'] = options.contentType;
  const res = await fetch(stack.url + path, { method, headers, ...(options.body !== undefined ? { body: options.body } : {}) });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function postInquiry(text: string): Promise<string> {
  const body = feedbackBody(text);
  const res = await fetch(`${stack.url}/webhooks/web`, { method: 'POST', headers: standardWebhookHeaders(stack.env.REDRESS_WEB_SECRET!, `it-faq-${++seq}`, body), body });
  expect(res.status).toBe(202);
  return ((await res.json()) as { accepted: Array<{ id: string }> }).accepted[0]!.id;
}

const viewOf = (id: string) => eventually(async () => {
  const res = await api('GET', `/admin/complaints/${id}`);
  return res.status === 200 ? (res.json as unknown as FeedbackItem) : undefined;
});

beforeAll(async () => {
  stack = await startTestStack();
  const secret = stack.env.REDRESS_JWT_SECRET!.split(',')[0]!;
  tokens.admin = await signLocalToken(secret, { sub: 'admin-1', groups: ['admin'] });
  tokens.agent = await signLocalToken(secret, { sub: 'agent-a', groups: ['agent'] });
}, 60_000);

afterAll(async () => {
  await stack?.destroy();
});

describe('the FAQ through the admin API', () => {
  it('refuses a CSV upload with a bad row (400 naming the row and field) and changes nothing', async () => {
    // Arrange
    const csv = 'id,question,answer,language\nfee-1,How much is the annual fee?,It is 100.,en\nfee-2,,No question here.,en\n';
    // Act
    const res = await api('PUT', '/admin/faq', { token: tokens.admin, body: csv, contentType: 'text/csv' });
    // Assess
    expect(res.status).toBe(400);
    expect(res.type).toContain('application/problem+json');
    expect(res.json.errors).toEqual([{ field: 'row.3.question', message: 'must not be empty' }]);
    expect((await api('GET', '/admin/faq')).json).toMatchObject({ version: 0, items: [] });
  });

  it('stores an upload, and an inquiry posted through a webhook then carries its suggestions in the item view', async () => {
    // Arrange
    const put = await api('PUT', '/admin/faq', { token: tokens.admin, body: JSON.stringify(BUILTIN_FAQ), contentType: 'application/json' });
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ version: 1, entries: BUILTIN_FAQ.length });
    // Act
    const id = await postInquiry('How do I report a lost card? I cannot find my debit card anywhere.');
    const item = await viewOf(id);
    // Assess
    expect(item.kind).toBe('inquiry');
    expect(item.suggestions?.length).toBeGreaterThan(0);
    expect(item.suggestions?.length).toBeLessThanOrEqual(3);
    expect(item.suggestions?.[0]).toMatchObject({ faqId: 'sample-lost-card-en', language: 'en' });
    expect(item.suggestions?.[0]?.cues.length).toBeGreaterThan(0);
    expect(item.suggestions?.[0]?.score).toBeGreaterThan(0);
  });

  it('recomputes suggestions for an item on GET /admin/feedback/{id}/suggestions', async () => {
    const id = await postInquiry('信用卡年费怎么收取？');
    await viewOf(id);
    const res = await api('GET', `/admin/feedback/${id}/suggestions`);
    expect(res.status).toBe(200);
    const suggestions = res.json.suggestions as Suggestion[];
    expect(res.json).toMatchObject({ id, faqVersion: 1 });
    expect(suggestions[0]?.faqId).toBe('sample-annual-fee-zh');
    expect(suggestions[0]?.cues.some((c) => c.includes('年费'))).toBe(true);
  });

  it('merges an upsert by id, keeps the rest, and records both changes in the audit trail', async () => {
    // Act
    const csv = 'id,question,answer,language,category\nsample-lost-card-en,How do I report a lost card?,"Call us on the 24-hour line, or freeze the card in the app.",en,card_issues\nbranch-hours,When are branches open?,"Monday to Saturday, 9:00 to 17:00.",en,\n';
    const res = await api('PUT', '/admin/faq?mode=upsert', { token: tokens.admin, body: csv, contentType: 'text/csv' });
    // Assess
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ version: 2, entries: BUILTIN_FAQ.length + 1, change: { mode: 'upsert', added: ['branch-hours'], updated: ['sample-lost-card-en'] } });
    const page = await api('GET', `/admin/faq?limit=${BUILTIN_FAQ.length + 1}`);
    const entries = page.json.items as Array<{ id: string; answer: string }>;
    expect(entries.find((e) => e.id === 'sample-lost-card-en')?.answer).toBe('Call us on the 24-hour line, or freeze the card in the app.');
    expect(entries.at(-1)?.id).toBe('branch-hours');
    const changes = await api('GET', '/admin/faq/changes');
    expect((changes.json.items as Array<{ version: number; actor: string }>).map((c) => [c.version, c.actor])).toEqual([
      [2, 'admin-1'],
      [1, 'admin-1'],
    ]);
  });

  it('refuses the upload to an agent', async () => {
    const res = await api('PUT', '/admin/faq', { token: tokens.agent, body: '[]', contentType: 'application/json' });
    expect(res.status).toBe(403);
  });
});
