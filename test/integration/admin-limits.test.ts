/**
 * The admin API's limits on the local stack (dynalite, the real HTTP server and local JWT verifier): a
 * complaint filled with notes stays writable, concurrent notes all land, unknown query parameters are
 * named, and tokens are checked for issuer, audience and lifetime when configured.
 */
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLocalToken } from '../../functions/shared/auth/local-jwt.ts';
import { DYNAMO_ITEM_LIMIT_BYTES } from '../../functions/shared/lifecycle/dynamo-item-size.ts';
import { RECORD_CEILING_BYTES, storedItemBytes } from '../../functions/shared/lifecycle/item-budget.ts';
import type { FeedbackItem } from '../../schemas/feedback.ts';
import { feedbackBody, standardWebhookHeaders } from '../helpers/http-events.ts';
import { eventually, startTestStack, type TestStack } from '../helpers/local-stack.ts';

const ISSUER = 'https://idp.redress.test';
const AUDIENCE = 'redress-admin';
let stack: TestStack;
let secret: string;
let supervisor: string;
let seq = 0;

interface Answer {
  status: number;
  type: string;
  json: any;
}
async function api(method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${options.token ?? supervisor}` };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(stack.url + path, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', json: text ? JSON.parse(text) : undefined };
}

/** Posts an unmistakable complaint and resolves the stored item once processed. */
async function complaint(): Promise<FeedbackItem> {
  const body = feedbackBody(`I want to complain: you charged me twice and nobody answers. (limits ${++seq})`);
  const res = await fetch(`${stack.url}/webhooks/web`, { method: 'POST', headers: standardWebhookHeaders(stack.env.REDRESS_WEB_SECRET!, `it-limits-${seq}`, body), body });
  expect(res.status).toBe(202);
  const id = ((await res.json()) as { accepted: Array<{ id: string }> }).accepted[0]!.id;
  const item = await eventually(async () => {
    const stored = await stack.repository.get(id);
    return stored && Object.keys(stored.outbox).length === 0 ? stored.item : undefined;
  }, 20_000);
  expect(item.kind).toBe('complaint');
  return item;
}

beforeAll(async () => {
  stack = await startTestStack({ env: { REDRESS_JWT_ISSUER: ISSUER, REDRESS_JWT_AUDIENCE: AUDIENCE } });
  secret = stack.env.REDRESS_JWT_SECRET!.split(',')[0]!;
  supervisor = await signLocalToken(secret, { sub: 'sup-1', groups: ['supervisor'], issuer: ISSUER, audience: AUDIENCE });
}, 60_000);
afterAll(async () => {
  await stack?.destroy();
});

describe('every complaint stays writable', () => {
  it('notes fill a complaint up to their ceiling and are then refused with 422; it is still answered and resolved', async () => {
    // Prepare
    const item = await complaint();
    // 5,000 Chinese characters: 15,000 bytes to DynamoDB (UTF-8), 5,000 units to dynalite (UTF-16).
    const note = { text: `${'客户再次来电询问退款进度'.repeat(416)}12345678`.slice(0, 5_000) };
    // Act: notes until one is refused
    let refused: Answer | undefined;
    let accepted = 0;
    for (let i = 0; i < 120 && !refused; i++) {
      const res = await api('POST', `/admin/complaints/${item.id}/notes`, { body: note });
      if (res.status === 200) accepted++;
      else refused = res;
    }
    const respond = await api('POST', `/admin/complaints/${item.id}/responses`, { body: { message: '我们已退还重复扣除的费用。'.repeat(380) } });
    const resolve = await api('POST', `/admin/complaints/${item.id}/resolve`, { body: { outcome: 'upheld', summary: '已退款并致歉。'.repeat(700) } });
    // Assess
    expect(refused).toMatchObject({ status: 422, type: 'application/problem+json' });
    expect(refused!.json.allowed).toEqual(expect.arrayContaining(['respond', 'resolve']));
    expect(accepted).toBeGreaterThan(10);
    expect([respond.status, resolve.status]).toEqual([202, 200]);
    const stored = (await stack.repository.get(item.id))!;
    expect(stored.item.status).toBe('resolved');
    expect(stored.item.timeline.filter((e) => e.type === 'note')).toHaveLength(accepted);
    // Measured as DynamoDB in AWS measures it (UTF-8), not as dynalite does.
    expect(storedItemBytes(stored.item, stored.outbox)).toBeLessThan(DYNAMO_ITEM_LIMIT_BYTES);
    expect(storedItemBytes(stored.item, stored.outbox)).toBeGreaterThan(RECORD_CEILING_BYTES);
  }, 120_000);

  it('20 notes sent at once all answer 200, all land in the timeline, and the version counts them', async () => {
    // Prepare
    const item = await complaint();
    // Act
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => api('POST', `/admin/complaints/${item.id}/notes`, { body: { text: `parallel note ${i}` } })));
    // Assess
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    const read = await api('GET', `/admin/complaints/${item.id}`);
    const notes = (read.json.timeline as Array<{ type: string; data: { text: string } }>).filter((e) => e.type === 'note').map((e) => e.data.text);
    expect(notes.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `parallel note ${i}`).sort());
    expect(read.json.version).toBe(item.version + 20);
  }, 60_000);
});

describe('query parameters', () => {
  it.each([
    ['/admin/complaints?customers=c-1029', 'customers'],
    ['/admin/complaints?statuss=open', 'statuss'],
    ['/admin/feedback?chanel=web', 'chanel'],
    ['/admin/metrics?window=P7D', 'window'],
  ])('%s answers 400 naming %s', async (path, name) => {
    const res = await api('GET', path);
    expect(res).toMatchObject({ status: 400, type: 'application/problem+json' });
    expect(res.json.errors).toEqual([{ field: name, message: 'unknown query parameter' }]);
  });
});

describe('tokens (REDRESS_JWT_ISSUER and REDRESS_JWT_AUDIENCE set)', () => {
  const key = () => new TextEncoder().encode(secret);
  const now = () => Math.floor(Date.now() / 1000);

  it('a token from the configured issuer for the configured audience is accepted', async () => {
    expect((await api('GET', '/admin/complaints?limit=1')).status).toBe(200);
  });

  it.each([
    ['no issuer or audience', async () => signLocalToken(secret, { sub: 'sup-1', groups: ['supervisor'] })],
    ['another audience', async () => signLocalToken(secret, { sub: 'sup-1', groups: ['supervisor'], issuer: ISSUER, audience: 'billing' })],
    [
      'a lifetime of 30 days',
      async () => new SignJWT({ 'cognito:groups': ['supervisor'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('sup-1').setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt(now()).setExpirationTime(now() + 30 * 86_400).sign(key()),
    ],
  ])('a token with %s is 401', async (_label, make) => {
    const res = await api('GET', '/admin/complaints?limit=1', { token: await make() });
    expect(res).toMatchObject({ status: 401, type: 'application/problem+json' });
  });
});
