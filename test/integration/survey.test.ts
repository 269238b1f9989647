/**
 * The customer survey end to end on the local stack (issue 16): a handler resolves a complaint, the
 * resolution publishes Complaint.SatisfactionRequested with the link (sending it is rating-request.test.ts), the customer opens the link (no
 * login) and rates through the form or as JSON; a second answer is 409, a forged token 404, an expired one
 * 410; the rating is stored with `source: "customer"` (comment PII-masked), published as Complaint.Rated,
 * and counted apart from handler-recorded scores in the quarterly report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLocalToken } from '../../functions/shared/auth/local-jwt.ts';
import { quarterOf } from '../../functions/shared/reports/quarters.ts';
import { surveyConfig } from '../../functions/shared/survey/config.ts';
import { sampleComplaint } from '../helpers/sample-items.ts';
import { eventually, startTestStack, type TestStack } from '../helpers/local-stack.ts';

let stack: TestStack;
let supToken: string;

interface DomainEventView {
  detail: { feedbackId: string; surveyUrl?: string; notSent?: string; replyWithRating?: boolean; score?: number; ratedBy?: string; expiresAt?: string };
}
async function events(type: string, id: string): Promise<DomainEventView[]> {
  const { items } = (await (await fetch(`${stack.url}/local/events?type=${type}`)).json()) as { items: DomainEventView[] };
  return items.filter((e) => e.detail.feedbackId === id);
}

async function resolveAndGetLink(id: string): Promise<string> {
  const res = await fetch(`${stack.url}/admin/complaints/${id}/resolve`, {
    method: 'POST',
    headers: { authorization: `Bearer ${supToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ outcome: 'upheld', summary: 'Refunded the double charge.' }),
  });
  expect(res.status).toBe(200);
  const [requested] = await eventually(async () => ((await events('Complaint.SatisfactionRequested', id)).length ? events('Complaint.SatisfactionRequested', id) : undefined));
  return requested!.detail.surveyUrl!;
}

const form = (body: string) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
const asJson = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
  stack = await startTestStack();
  supToken = await signLocalToken(stack.env.REDRESS_JWT_SECRET!.split(',')[0]!, { sub: 'sup-1', groups: ['supervisor'] });
  await stack.repository.createIfAbsent(sampleComplaint({ id: 'fb_surveyzh', externalId: 'survey-zh', source: 'wechat', channel: 'social', language: 'zh' }), []);
  await stack.repository.createIfAbsent(sampleComplaint({ id: 'fb_surveyjson', externalId: 'survey-json' }), []);
}, 60_000);

afterAll(async () => {
  await stack?.destroy();
});

describe('the rating request', () => {
  it('is published on resolution with the link under REDRESS_PUBLIC_URL and, on WeChat, "reply 1–5" (not sent where the channel has no reply credentials)', async () => {
    const link = await resolveAndGetLink('fb_surveyzh');
    expect(link.startsWith(`${stack.env.REDRESS_PUBLIC_URL ?? stack.url}/survey/`)).toBe(true);
    const [requested] = await events('Complaint.SatisfactionRequested', 'fb_surveyzh');
    expect(requested!.detail.replyWithRating).toBe(true);
    // This stack has no WeChat reply credentials: the request is recorded as not sent, the link still works.
    expect(requested!.detail.notSent).toBe('reply_channel_not_configured');
  });
});

describe('GET and POST /survey/{token}', () => {
  it('serves the form in the complaint\'s language without a login, then records a form answer once (409 after)', async () => {
    const link = (await events('Complaint.SatisfactionRequested', 'fb_surveyzh'))[0]!.detail.surveyUrl!;
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('lang="zh');
    expect(html).not.toMatch(/<script/i);

    const answered = await fetch(link, form(`score=5&comment=${encodeURIComponent('很好，请打 13812345678 联系我')}`));
    expect(answered.status).toBe(200);
    const item = (await stack.repository.get('fb_surveyzh'))!.item;
    expect(item.satisfaction).toMatchObject({ score: 5, source: 'customer' });
    expect(item.satisfaction!.comment).not.toContain('13812345678');
    expect(item.timeline.at(-1)).toMatchObject({ type: 'satisfaction', actor: 'customer' });

    expect((await fetch(link, form('score=1'))).status).toBe(409);
    expect((await fetch(link)).status).toBe(409);
    const rated = await eventually(async () => ((await events('Complaint.Rated', 'fb_surveyzh')).length ? events('Complaint.Rated', 'fb_surveyzh') : undefined));
    expect(rated).toHaveLength(1);
    expect(rated[0]!.detail).toMatchObject({ score: 5, ratedBy: 'customer' });
    expect(JSON.stringify(rated[0])).not.toContain('很好');
  });

  it('takes a JSON answer (201), names a bad score (400, nothing stored), and answers a second one 409', async () => {
    const link = await resolveAndGetLink('fb_surveyjson');
    const bad = await fetch(link, asJson({ score: 6 }));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('score');
    expect((await stack.repository.get('fb_surveyjson'))!.item.satisfaction).toBeNull();
    const ok = await fetch(link, asJson({ score: 3 }));
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ feedbackId: 'fb_surveyjson', satisfaction: { score: 3, source: 'customer' } });
    expect((await fetch(link, asJson({ score: 4 }))).status).toBe(409);
  });

  it('answers a forged token 404 (page and JSON)', async () => {
    const link = (await events('Complaint.SatisfactionRequested', 'fb_surveyjson'))[0]!.detail.surveyUrl!;
    const token = link.slice(link.lastIndexOf('/') + 1);
    const forged = `${link.slice(0, link.lastIndexOf('/') + 1)}${token.slice(0, -2)}${token.endsWith('AA') ? 'BA' : 'AA'}`;
    expect((await fetch(forged)).status).toBe(404);
    expect((await fetch(forged, asJson({ score: 5 }))).status).toBe(404);
    expect((await fetch(`${stack.url}/survey/not-a-token`)).status).toBe(404);
  });

  it('answers an expired link 410 and records nothing', async () => {
    const resolvedAt = new Date(Date.now() - 20 * 86_400_000).toISOString();
    const base = sampleComplaint({ id: 'fb_surveyold', externalId: 'survey-old' });
    await stack.repository.createIfAbsent(
      { ...base, status: 'resolved', timeline: [{ at: resolvedAt, type: 'resolved', actor: 'sup-1', data: { outcome: 'upheld', summary: 'Refunded.' } }] },
      [],
    );
    const { token } = surveyConfig(stack.env).tokens.issue('fb_surveyold', resolvedAt);
    expect((await fetch(`${stack.url}/survey/${token}`)).status).toBe(410);
    expect((await fetch(`${stack.url}/survey/${token}`, asJson({ score: 5 }))).status).toBe(410);
    expect((await stack.repository.get('fb_surveyold'))!.item.satisfaction).toBeNull();
  });
});

describe('a bare "reply 1–5" on WeChat', () => {
  const message = (id: string, text: string, openId: string) =>
    JSON.stringify({ id, source: 'wechat', channel: 'social', externalId: `wx-${id}`, receivedAt: new Date().toISOString(), text, customer: { id: openId } });

  it('from the same customer inside the window is recorded as the rating (full-width ５), not as new feedback', async () => {
    await stack.repository.createIfAbsent(sampleComplaint({ id: 'fb_surveybare', externalId: 'survey-bare', source: 'wechat', channel: 'social', language: 'zh', customer: { id: 'o-openid-bare' } }), []);
    await resolveAndGetLink('fb_surveybare');
    await stack.queue.send([message('fb_barereply1', '５', 'o-openid-bare')]);
    await stack.drained();
    const rated = await eventually(async () => (await stack.repository.get('fb_surveybare'))!.item.satisfaction ?? undefined);
    expect(rated).toMatchObject({ score: 5, source: 'customer' });
    expect(await stack.repository.get('fb_barereply1')).toBeUndefined();
  });

  it('from another customer, or a second one, becomes feedback as usual', async () => {
    await stack.queue.send([message('fb_barereply2', '4', 'o-someone-else'), message('fb_barereply3', '3', 'o-openid-bare')]);
    await stack.drained();
    await eventually(async () => ((await stack.repository.get('fb_barereply2')) && (await stack.repository.get('fb_barereply3')) ? true : undefined), 20_000);
    expect((await stack.repository.get('fb_surveybare'))!.item.satisfaction).toMatchObject({ score: 5 });
  });
});

describe('the quarterly report', () => {
  it('counts the customers\' ratings as customer satisfaction, apart from handler-recorded scores', async () => {
    const quarter = quarterOf(new Date().toISOString(), 'Asia/Shanghai');
    const res = await fetch(`${stack.url}/admin/reports/quarterly?quarter=${quarter}`, { headers: { authorization: `Bearer ${supToken}` } });
    expect(res.status).toBe(200);
    const report = (await res.json()) as { current: { satisfaction: { customer: { count: number; mean: number; distribution: Record<string, number> }; handler: { count: number } } } };
    // The link's 5 and 3, and the bare reply's 5.
    expect(report.current.satisfaction.customer.count).toBe(3);
    expect(report.current.satisfaction.customer.mean).toBeCloseTo(13 / 3, 9);
    expect(report.current.satisfaction.customer.distribution).toMatchObject({ 3: 1, 5: 2 });
    expect(report.current.satisfaction.handler.count).toBe(0);
  });
});
