/**
 * The admin API end to end on the local stack: signed webhooks in, then complaint handlers with tokens of
 * each role through the real HTTP server, local JWT verifier, dynalite GSIs, outbox and event bus.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLocalToken } from '../../functions/shared/auth/local-jwt.ts';
import type { FeedbackItem } from '../../schemas/feedback.ts';
import { feedbackBody, standardWebhookHeaders } from '../helpers/http-events.ts';
import { eventually, startTestStack, type TestStack } from '../helpers/local-stack.ts';

let stack: TestStack;
const tokens: Record<string, string> = {};
let seq = 0;

// Unmistakable texts: the classifier is being improved concurrently, so tests check `kind` before relying on it.
const COMPLAINTS = [
  'I want to complain: you charged me twice and nobody answers.',
  'This is a formal complaint. My transfer has been stuck for five days and your staff keep telling me to wait.',
  'I want to complain: the mobile app crashes every time I log in and I could not pay my bills.',
  'Complaint: the branch staff were rude and dismissive when I asked for help.',
];
const CHANNELS = ['web', 'mobile', 'hotline'] as const;

async function post(channel: (typeof CHANNELS)[number], text: string): Promise<string> {
  const body = feedbackBody(`${text} (ref ${++seq})`);
  const res = await fetch(`${stack.url}/webhooks/${channel}`, { method: 'POST', headers: standardWebhookHeaders(stack.env[`REDRESS_${channel.toUpperCase()}_SECRET`]!, `it-admin-${seq}`, body), body });
  expect(res.status).toBe(202);
  return ((await res.json()) as { accepted: Array<{ id: string }> }).accepted[0]!.id;
}

interface Answer {
  status: number;
  etag: string | null;
  type: string;
  json: any;
}
async function api(method: string, path: string, options: { token?: string | null; body?: unknown; ifMatch?: string } = {}): Promise<Answer> {
  const token = options.token === undefined ? tokens.sup : options.token;
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch !== undefined) headers['if-match'] = options.ifMatch;
  const res = await fetch(stack.url + path, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
  const text = await res.text();
  return { status: res.status, etag: res.headers.get('etag'), type: res.headers.get('content-type') ?? '', json: text ? JSON.parse(text) : undefined };
}
async function listAll(path: string, limit: number, between?: () => Promise<void>): Promise<FeedbackItem[]> {
  const items: FeedbackItem[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 500; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const res = await api('GET', `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.status).toBe(200);
    expect(res.json.items.length).toBeLessThanOrEqual(limit);
    items.push(...res.json.items);
    cursor = res.json.nextCursor;
    if (!cursor) return items;
    await between?.();
  }
  throw new Error('too many pages');
}
const waitProcessed = async (ids: string[]) =>
  eventually(async () => {
    const stored = await Promise.all(ids.map((id) => stack.repository.get(id)));
    return stored.every((s) => s && Object.keys(s.outbox).length === 0) ? stored.map((s) => s!.item) : undefined;
  }, 20_000);

let complaints: string[] = [];

beforeAll(async () => {
  stack = await startTestStack();
  const secret = stack.env.REDRESS_JWT_SECRET!.split(',')[0]!;
  tokens.agentA = await signLocalToken(secret, { sub: 'agent-a', groups: ['agent'] });
  tokens.agentB = await signLocalToken(secret, { sub: 'agent-b', groups: ['agent'] });
  tokens.sup = await signLocalToken(secret, { sub: 'sup-1', groups: ['supervisor'] });
  tokens.admin = await signLocalToken(secret, { sub: 'admin-1', groups: ['admin'] });
  const ids: string[] = [];
  for (let i = 0; i < 12; i++) ids.push(await post(CHANNELS[i % 3]!, COMPLAINTS[i % COMPLAINTS.length]!));
  ids.push(await post('web', 'Thank you to the branch staff, they sorted out my replacement card in ten minutes.'));
  const items = await waitProcessed(ids);
  complaints = items.filter((i) => i.kind === 'complaint').map((i) => i.id);
  expect(complaints.length).toBeGreaterThanOrEqual(10);
}, 60_000);
afterAll(async () => {
  await stack?.destroy();
});

describe('authentication and roles', () => {
  it('401 without a valid token, 403 for the wrong role, problem+json', async () => {
    const noToken = await api('GET', '/admin/complaints', { token: null });
    expect(noToken).toMatchObject({ status: 401, type: 'application/problem+json' });
    expect((await api('GET', '/admin/complaints', { token: `${tokens.sup}x` })).status).toBe(401);
    const agentMetrics = await api('GET', '/admin/metrics', { token: tokens.agentA });
    expect(agentMetrics).toMatchObject({ status: 403, type: 'application/problem+json' });
    expect((await api('PATCH', `/admin/complaints/${complaints[0]}`, { token: tokens.agentA, body: { severity: 'high' } })).status).toBe(403);
    expect((await api('GET', '/admin/complaints/fb_doesnotexist', { token: tokens.agentA })).status).toBe(404);
    expect((await api('GET', '/admin/metrics', { token: tokens.admin })).status).toBe(200);
  });

  it('agents take unassigned complaints but may not reassign; only the assignee (or a supervisor) responds', async () => {
    const id = complaints[1]!;
    const take = await api('POST', `/admin/complaints/${id}/assign`, { token: tokens.agentA, body: { assignee: 'agent-a' } });
    expect(take.status).toBe(200);
    expect((await api('POST', `/admin/complaints/${id}/assign`, { token: tokens.agentB, body: { assignee: 'agent-b' } })).status).toBe(403);
    expect((await api('POST', `/admin/complaints/${id}/responses`, { token: tokens.agentB, body: { message: 'Hello' } })).status).toBe(403);
    expect((await api('POST', `/admin/complaints/${id}/notes`, { token: tokens.agentB, body: { text: 'Seen it' } })).status).toBe(200);
    const mine = await api('GET', '/admin/complaints?assignee=agent-a', { token: tokens.agentA });
    expect(mine.json.items.map((i: FeedbackItem) => i.id)).toContain(id);
  });
});

describe('lifecycle', () => {
  it('assign → respond → resolve → (409) → satisfaction → reopen, each a new version with a timeline entry and its event once', async () => {
    const id = complaints[2]!;
    const steps: Array<[string, string, unknown, string]> = [
      ['POST', 'assign', { assignee: 'agent-a' }, tokens.sup!],
      ['POST', 'responses', { message: 'We have refunded the duplicate charge.' }, tokens.agentA!],
      ['POST', 'resolve', { outcome: 'upheld', summary: 'Refunded and apologised.' }, tokens.agentA!],
      ['POST', 'satisfaction', { score: 5, comment: 'Quick' }, tokens.agentA!],
      ['POST', 'reopen', { reason: 'The refund did not arrive.' }, tokens.sup!],
    ];
    let read = await api('GET', `/admin/complaints/${id}`);
    for (const [method, action, body, token] of steps) {
      const res = await api(method, `/admin/complaints/${id}/${action}`, { token, body, ifMatch: read.etag! });
      if (action === 'responses') {
        // A reply is accepted (202) and sent through the web back end's inbox before the answer: the next read shows it sent.
        expect(res.status, action).toBe(202);
        expect(res.json.reply).toMatchObject({ id: expect.stringMatching(/^rp_/), status: 'queued' });
        read = await api('GET', `/admin/complaints/${id}`);
        expect(read.json.status).toBe('responded');
        expect(read.json.replies).toMatchObject([{ id: res.json.reply.id, status: 'sent', via: 'channel', actor: 'agent-a' }]);
        expect(read.json.timeline.slice(-2).map((e: { type: string }) => e.type)).toEqual(['reply_queued', 'responded']);
        continue;
      }
      expect(res.status, action).toBe(200);
      // A resolution answers with the item after its rating request's first attempt (which writes it again).
      if (action === 'resolve') expect(res.json.version).toBeGreaterThan(read.json.version);
      else expect(res.json.version).toBe(read.json.version + 1);
      expect(res.etag).toBe(`"${res.json.version}"`);
      const added = res.json.timeline.slice(read.json.timeline.length) as Array<{ type: string; data?: { purpose?: string } }>;
      if (action === 'resolve') {
        // The resolution, then the rating request it queued (a reply from the system, sent at once to the web back end).
        expect(added[0]!.type).toBe('resolved');
        expect(added.slice(1).map((e) => e.type)).toEqual(['reply_queued', 'rating_request_sent'].slice(0, added.length - 1));
        expect(added[1]?.data?.purpose).toBe('ratingRequest');
      } else {
        expect(added).toHaveLength(1);
      }
      read = res;
    }
    expect(read.json.status).toBe('open');
    expect(read.json.satisfaction).toMatchObject({ score: 5 });
    const firstResponse = read.json.clocks.find((c: { name: string }) => c.name === 'first_response');
    if (firstResponse) expect(firstResponse).toMatchObject({ state: 'met', stoppedAt: expect.any(String) });

    const events = ((await (await fetch(`${stack.url}/local/events`)).json()) as { items: Array<{ 'detail-type': string; detail: { feedbackId: string } }> }).items.filter((e) => e.detail.feedbackId === id);
    const count = (t: string) => events.filter((e) => e['detail-type'] === t).length;
    expect([count('Complaint.Responded'), count('Complaint.Resolved'), count('Complaint.Reopened')]).toEqual([1, 1, 1]);

    const again = await api('POST', `/admin/complaints/${id}/reopen`, { body: { reason: 'again' } });
    expect(again.status).toBe(409);
    expect(again.json.allowed).toContain('resolve');
  });

  it('reclassification keeps the model answer and records before and after; a stale If-Match is 412 and changes nothing', async () => {
    const id = complaints[3]!;
    const before = await api('GET', `/admin/complaints/${id}`);
    const category = before.json.category === 'waiting_time' ? 'service_attitude' : 'waiting_time';
    const res = await api('PATCH', `/admin/complaints/${id}`, { body: { category, reason: 'customer waited on hold' }, ifMatch: before.json.version.toString() });
    expect(res.status).toBe(200);
    expect(res.json.classification.model.category).toBe(before.json.category);
    expect(res.json.classification.override).toMatchObject({ category, by: 'sup-1' });
    expect(res.json.timeline.at(-1)).toMatchObject({ type: 'reclassified', data: { before: { category: before.json.category }, after: { category } } });
    const stale = await api('PATCH', `/admin/complaints/${id}`, { body: { severity: 'critical' }, ifMatch: before.etag! });
    expect(stale.status).toBe(412);
    expect((await api('GET', `/admin/complaints/${id}`)).json.version).toBe(res.json.version);
  });

  it('two handlers resolving the same complaint at once: exactly one wins', async () => {
    const id = complaints[4]!;
    const read = await api('GET', `/admin/complaints/${id}`);
    const [a, b] = await Promise.all([
      api('POST', `/admin/complaints/${id}/resolve`, { token: tokens.sup, body: { outcome: 'upheld', summary: 'A' }, ifMatch: read.etag! }),
      api('POST', `/admin/complaints/${id}/resolve`, { token: tokens.admin, body: { outcome: 'rejected', summary: 'B' }, ifMatch: read.etag! }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 412]);
    const [c, d] = await Promise.all([
      api('POST', `/admin/complaints/${complaints[5]}/resolve`, { token: tokens.sup, body: { outcome: 'upheld', summary: 'A' } }),
      api('POST', `/admin/complaints/${complaints[5]}/resolve`, { token: tokens.admin, body: { outcome: 'rejected', summary: 'B' } }),
    ]);
    expect([c.status, d.status].sort()).toEqual([200, 409]);
  });
});

describe('lists', () => {
  it('the queue is soonest-due first, and pages never skip or repeat while complaints are added between pages', async () => {
    const before = await listAll('/admin/complaints', 200);
    const open = before.map((i) => i.id);
    const added: string[] = [];
    const paged = await listAll('/admin/complaints', 3, async () => {
      added.push(await post('web', COMPLAINTS[0]!));
    });
    const ids = paged.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of open) expect(ids).toContain(id);
    const due = (i: FeedbackItem) => i.clocks.filter((c) => c.state === 'running' || c.state === 'breached').map((c) => c.dueAt).sort()[0] ?? '~';
    const withClocks = before.filter((i) => i.clocks.length > 0);
    expect(withClocks.map(due)).toEqual([...withClocks.map(due)].sort());
    await waitProcessed(added);
  }, 60_000);

  it('GET /admin/feedback lists every kind by day, without skips or repeats while feedback arrives', async () => {
    const all = await listAll('/admin/feedback', 200);
    const paged = await listAll('/admin/feedback', 4, async () => {
      await post('mobile', COMPLAINTS[1]!);
    });
    const ids = paged.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const item of all) expect(ids).toContain(item.id);
    expect(new Set(all.map((i) => i.kind)).size).toBeGreaterThanOrEqual(1);
    expect(all.map((i) => i.receivedAt)).toEqual([...all.map((i) => i.receivedAt)].sort());
  }, 60_000);

  it('GET /admin/feedback answers today\'s items on its first page, the window\'s earlier days being empty', async () => {
    // The default window is the last 30 days and this stack's items are all from today: a walk that spent
    // its read budget on empty days would answer an empty first page and a cursor.
    const page = await api('GET', '/admin/feedback?limit=50');
    expect(page.status).toBe(200);
    expect(page.json.items.length).toBeGreaterThan(0);
    expect(page.json.items[0].receivedAt.slice(0, 10)).toBe(new Date().toISOString().slice(0, 10));
  });

  it('filters by channel, status and breached; a cursor cannot be used on another query', async () => {
    for (const channel of CHANNELS) {
      const items = await listAll(`/admin/complaints?channel=${channel}`, 50);
      expect(items.every((i) => i.channel === channel)).toBe(true);
    }
    expect((await listAll('/admin/complaints?status=responded', 50)).every((i) => i.status === 'responded')).toBe(true);
    const resolved = await listAll('/admin/complaints?status=resolved', 50);
    expect(resolved.length).toBeGreaterThanOrEqual(2);
    expect(resolved.every((i) => i.status === 'resolved')).toBe(true);
    expect(await listAll('/admin/complaints?breached=true', 50)).toEqual([]);
    const page = await api('GET', '/admin/complaints?limit=1&channel=web');
    expect(page.json.nextCursor).toBeTruthy();
    const reused = await api('GET', `/admin/complaints?limit=1&channel=mobile&cursor=${encodeURIComponent(page.json.nextCursor)}`);
    expect(reused).toMatchObject({ status: 400, type: 'application/problem+json' });
  });
});

describe('metrics', () => {
  it('match figures recomputed independently from the listed items', async () => {
    // Prepare: rate the complaint resolved in the concurrency test, so satisfaction has two ratings.
    await api('POST', `/admin/complaints/${complaints[5]}/satisfaction`, { body: { score: 2 } });
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    await stack.drained();
    const items = await listAll(`/admin/feedback?from=${from}&to=${to}`, 200);
    // Act
    const res = await api('GET', `/admin/metrics?from=${from}&to=${to}`);
    // Assess: recomputed here from the items, without the production code
    expect(res.status).toBe(200);
    const m = res.json;
    const cs = items.filter((i) => i.kind === 'complaint');
    const firstAnswer = (i: FeedbackItem) => i.timeline.find((e) => e.type === 'responded' || e.type === 'resolved')?.at;
    const answered = cs.filter((i) => firstAnswer(i));
    const secs = answered.map((i) => (Date.parse(firstAnswer(i)!) - Date.parse(i.receivedAt)) / 1000).sort((a, b) => a - b);
    const rated = cs.filter((i) => i.satisfaction);
    expect(m.totals.feedback).toBe(items.length);
    expect(m.totals.complaints).toBe(cs.length);
    expect(m.totals.praise + m.totals.inquiries + m.totals.suggestions).toBe(items.length - cs.length);
    expect(m.totals.digitalShare).toBeCloseTo(items.filter((i) => i.channel === 'web' || i.channel === 'mobile').length / items.length, 10);
    expect(m.totals.responded).toBe(answered.length);
    expect(m.totals.resolved).toBe(cs.filter((i) => i.status === 'resolved').length);
    expect(m.totals.resolutionRate).toBeCloseTo(cs.filter((i) => i.status === 'resolved').length / cs.length, 10);
    expect(m.totals.firstResponse.met).toBe(answered.length);
    expect(m.totals.firstResponse.pending).toBe(cs.length - answered.length);
    expect(m.totals.firstResponse.breached).toBe(0);
    expect(m.totals.firstResponse.medianSeconds).toBeCloseTo(secs[Math.ceil(secs.length / 2) - 1]!, 6);
    expect(m.totals.firstResponse.p90Seconds).toBeCloseTo(secs[Math.ceil(secs.length * 0.9) - 1]!, 6);
    expect(m.totals.satisfaction.count).toBe(rated.length);
    expect(m.totals.satisfaction.mean).toBeCloseTo(rated.reduce((s, i) => s + i.satisfaction!.score, 0) / rated.length, 10);
    for (const channel of CHANNELS) expect(m.byChannel[channel].feedback).toBe(items.filter((i) => i.channel === channel).length);
    const sumByCategory = Object.values(m.byCategory as Record<string, { complaints: number }>).reduce((s, f) => s + f.complaints, 0);
    expect(sumByCategory).toBe(cs.length);
  });

  it('answer 400 for a bad window', async () => {
    const res = await api('GET', '/admin/metrics?from=2026-13-45');
    expect(res.status).toBe(400);
    expect(res.json.errors[0].field).toBe('from');
  });
});

describe('OpenAPI', () => {
  it('is served without a token and lists every contract route', async () => {
    const res = await api('GET', '/openapi.json', { token: null });
    expect(res.status).toBe(200);
    expect(res.json.openapi).toBe('3.1.0');
    // 20 + triage (2), customers (3), the plan, customer base, two reports and the survey (issue 16), the FAQ (3), replies (1), Amazon Connect (1), Twilio SMS status (1)
    expect(Object.keys(res.json.paths)).toHaveLength(36);
    expect(Object.keys(res.json.paths)).toEqual(expect.arrayContaining(['/admin/triage', '/admin/feedback/{id}', '/admin/customers/{customerKey}', '/admin/plan', '/survey/{token}']));
  });
});
