/**
 * The regulatory clock routes of the admin handler over in-memory ports: extend / pause / resume a
 * complaint's clock (supervisor+), the events and timers each owes, the 404 / 409 / 403 / 400 / 412
 * answers, the UK summary resolution event on resolve, and the routes in the route table and OpenAPI.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createCursorCodec } from '../../functions/admin/cursor.ts';
import { createAdminHandler, type AdminDeps } from '../../functions/admin/handler.ts';
import { openApiDocument } from '../../functions/admin/openapi.ts';
import type { AdminQueries } from '../../functions/shared/ports/admin-queries.ts';
import { ROUTE_DOCS } from '../../functions/admin/route-docs.ts';
import { ADMIN_ROUTES, matchRoute } from '../../functions/admin/routes.ts';
import { complaintFixture } from '../../functions/admin/test-fixtures.ts';
import { DEFAULT_CLOCK_POLICY, loadClockPolicy, type ClockPolicy } from '../../functions/shared/clocks/policy.ts';
import type { HttpEvent, HttpResult } from '../../functions/shared/http.ts';
import { createLogger } from '../../functions/shared/logger.ts';
import type { FeedbackItem } from '../../schemas/feedback.ts';
import { MemoryRepository, RecordingBus, RecordingTimer } from '../helpers/fakes.ts';
import { httpEvent } from '../helpers/http-events.ts';


/** The clock routes read single items only; list queries are never called. */
const NO_QUERIES: AdminQueries = {
  openQueue: async () => ({ items: [] }),
  byDay: async () => ({ items: [] }),
  triageQueue: async () => ({ items: [] }),
  projectDays: async () => [],
};

const UK = loadClockPolicy({ REDRESS_JURISDICTION: 'uk' });
const RECEIVED = '2026-03-02T09:00:00.000Z';
let now = new Date('2026-03-05T10:00:00.000Z');
let repo: MemoryRepository;
let bus: RecordingBus;
let timer: RecordingTimer;

function handlerFor(policy: ClockPolicy = DEFAULT_CLOCK_POLICY) {
  const deps: AdminDeps = { repository: repo, queries: NO_QUERIES, eventBus: bus, clockTimer: timer, cursors: createCursorCodec(['k']), logger: createLogger('test', 'silent'), clockPolicy: policy, now: () => now };
  return createAdminHandler(deps);
}

beforeEach(() => {
  repo = new MemoryRepository();
  bus = new RecordingBus();
  timer = new RecordingTimer();
  now = new Date('2026-03-05T10:00:00.000Z');
});

async function seed(overrides: Partial<FeedbackItem> = {}, policy: ClockPolicy = DEFAULT_CLOCK_POLICY): Promise<FeedbackItem> {
  const item = complaintFixture({ receivedAt: RECEIVED, ...overrides }, { policy });
  await repo.createIfAbsent(item, []);
  return item;
}

type Who = [string, string[] | null];
const SUP: Who = ['sup-1', ['supervisor']];
const ADMIN: Who = ['admin-1', ['admin']];
const AGENT_A: Who = ['agent-a', ['agent']];

async function call(h: ReturnType<typeof handlerFor>, who: Who, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult & { json: any }> {
  const event: HttpEvent = httpEvent(method, path, body === undefined ? '' : JSON.stringify(body), { 'content-type': 'application/json', ...headers });
  if (who[1]) (event.requestContext as unknown as Record<string, unknown>).authorizer = { jwt: { claims: { sub: who[0], 'cognito:groups': who[1] }, scopes: [] } };
  const res = (await h(event, {} as never)) as HttpResult;
  return { ...res, json: res.body ? JSON.parse(res.body) : undefined };
}

const clockPath = (id: string, clock: string, action: 'extend' | 'pause' | 'resume') => `/admin/complaints/${id}/clocks/${clock}/${action}`;
const viewClock = (res: { json: any }, name: string) => (res.json.clocks as Array<Record<string, unknown>>).find((c) => c.name === name);

describe('POST …/clocks/{clock}/extend', () => {
  it('complex: 200 with the new due time, the old timer stopped, the new one started, ClockExtended published once', async () => {
    // Prepare
    const h = handlerFor();
    const item = await seed();
    // Act
    const res = await call(h, SUP, 'POST', clockPath(item.id, 'resolution_cn', 'extend'), { reason: 'complex' });
    // Assess
    expect(res.statusCode).toBe(200);
    expect(res.headers?.etag).toBe('"2"');
    expect(viewClock(res, 'resolution_cn')).toMatchObject({ dueAt: '2026-04-01T16:00:00.000Z', state: 'running', extensions: ['complex'] });
    expect(res.json.timeline.at(-1)).toMatchObject({ type: 'clock_extended', actor: 'sup-1', data: { clock: 'resolution_cn', reason: 'complex' } });
    expect(timer.stopped).toEqual([{ feedbackId: item.id, clock: 'resolution_cn', dueAt: '2026-03-17T16:00:00.000Z' }]);
    expect(timer.started).toMatchObject([{ feedbackId: item.id, clock: 'resolution_cn', dueAt: '2026-04-01T16:00:00.000Z' }]);
    expect(bus.published.map((e) => e.id)).toEqual([`${item.id}:Complaint.ClockExtended:v2`]);
    expect(repo.items.get(item.id)!.outbox).toEqual({});
  });

  it('approved after complex also publishes Complaint.CustomerNoticeRequired (admins may too)', async () => {
    const h = handlerFor();
    const item = await seed();
    await call(h, SUP, 'POST', clockPath(item.id, 'resolution_cn', 'extend'), { reason: 'complex' });
    const res = await call(h, ADMIN, 'POST', clockPath(item.id, 'resolution_cn', 'extend'), { reason: 'approved' });
    expect(res.statusCode).toBe(200);
    expect(viewClock(res, 'resolution_cn')).toMatchObject({ dueAt: '2026-05-01T16:00:00.000Z', extensions: ['complex', 'approved'] });
    expect(bus.published.slice(1).map((e) => [e.detailType, e.detail.dueAt])).toEqual([
      ['Complaint.ClockExtended', '2026-05-01T16:00:00.000Z'],
      ['Complaint.CustomerNoticeRequired', '2026-05-01T16:00:00.000Z'],
    ]);
  });

  it('the same extension twice answers 409 naming why, and stores and publishes nothing more', async () => {
    // Prepare
    const h = handlerFor();
    const item = await seed();
    await call(h, SUP, 'POST', clockPath(item.id, 'resolution_cn', 'extend'), { reason: 'complex' });
    const before = structuredClone(repo.items.get(item.id)!);
    // Act
    const res = await call(h, SUP, 'POST', clockPath(item.id, 'resolution_cn', 'extend'), { reason: 'complex' });
    // Assess
    expect(res.statusCode).toBe(409);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
    expect(res.json.detail).toMatch(/extension "complex" was already applied/);
    expect(res.json.allowed).toContain('extendClock');
    expect(res.json.currentVersion).toBe(2);
    expect(repo.items.get(item.id)).toEqual(before);
    expect(bus.published).toHaveLength(1);
  });

  it('UK payment services: holding_reply gives 35 business days and a customer notice', async () => {
    const h = handlerFor(UK);
    const item = await seed({ category: 'transfers_payments' }, UK);
    const res = await call(h, SUP, 'POST', clockPath(item.id, 'resolution_uk_payment_services', 'extend'), { reason: 'holding_reply' });
    expect(res.statusCode).toBe(200);
    expect(viewClock(res, 'resolution_uk_payment_services')).toMatchObject({ dueAt: '2026-04-22T23:00:00.000Z' });
    expect(bus.published.map((e) => e.detailType)).toEqual(['Complaint.ClockExtended', 'Complaint.CustomerNoticeRequired']);
  });

  it('the clock comes from the path: a clock named in the body is ignored', async () => {
    const h = handlerFor();
    const item = await seed();
    const res = await call(h, SUP, 'POST', clockPath(item.id, 'resolution_cn', 'extend'), { reason: 'complex', clock: 'first_response' });
    expect(res.statusCode).toBe(200);
    expect(bus.published[0]!.detail.clock).toBe('resolution_cn');
  });
});

describe('POST …/clocks/{clock}/pause and …/resume', () => {
  it('pause shows the clock paused and stops its timer; resume restarts it with the times moved by the paused time', async () => {
    // Prepare
    const h = handlerFor();
    const item = await seed();
    // Act
    now = new Date('2026-03-05T00:00:00.000Z');
    const paused = await call(h, SUP, 'POST', clockPath(item.id, 'resolution_cn', 'pause'), { reason: 'external_appraisal' });
    now = new Date('2026-03-08T06:30:00.000Z');
    const resumed = await call(h, SUP, 'POST', clockPath(item.id, 'resolution_cn', 'resume'));
    // Assess
    expect(paused.statusCode).toBe(200);
    expect(viewClock(paused, 'resolution_cn')).toMatchObject({ paused: true, pausedAt: '2026-03-05T00:00:00.000Z', pauseReason: 'external_appraisal', state: 'running' });
    expect(timer.stopped).toEqual([{ feedbackId: item.id, clock: 'resolution_cn', dueAt: '2026-03-17T16:00:00.000Z' }]);
    expect(resumed.statusCode).toBe(200);
    expect(viewClock(resumed, 'resolution_cn')).toMatchObject({ dueAt: '2026-03-20T22:30:00.000Z', state: 'running' });
    expect(viewClock(resumed, 'resolution_cn')).not.toHaveProperty('paused');
    expect(timer.started).toMatchObject([{ clock: 'resolution_cn', dueAt: '2026-03-20T22:30:00.000Z', generation: 1 }]);
    expect(bus.published.map((e) => e.detailType)).toEqual(['Complaint.ClockPaused', 'Complaint.ClockResumed']);
    expect(bus.published[1]!.detail).toMatchObject({ pausedMs: (3 * 24 + 6.5) * 3_600_000, previousDueAt: '2026-03-17T16:00:00.000Z', dueAt: '2026-03-20T22:30:00.000Z' });
  });

  it('resume without a body is fine; resuming a running clock answers 409', async () => {
    const h = handlerFor();
    const item = await seed();
    const res = await call(h, SUP, 'POST', clockPath(item.id, 'resolution_cn', 'resume'));
    expect(res.statusCode).toBe(409);
    expect(res.json.detail).toMatch(/is not paused/);
    expect(res.json.allowed).not.toContain('resumeClock');
  });
});

describe('errors on the clock routes', () => {
  it.each([
    ['an agent, even the assignee', AGENT_A, 'extend', { reason: 'complex' }, 403],
    ['an agent pausing', AGENT_A, 'pause', { reason: 'external_appraisal' }, 403],
    ['an agent resuming', AGENT_A, 'resume', {}, 403],
    ['no token claims', ['x', null] as Who, 'extend', { reason: 'complex' }, 401],
  ] as const)('%s → %i, nothing stored', async (_label, who, action, body, status) => {
    const h = handlerFor();
    const item = await seed({ assignee: 'agent-a' });
    const res = await call(h, who as Who, 'POST', clockPath(item.id, 'resolution_cn', action), body);
    expect(res.statusCode).toBe(status);
    expect(repo.items.get(item.id)!.item.version).toBe(1);
    expect(bus.published).toEqual([]);
  });

  it.each([
    ['a clock the complaint does not have', 'resolution_uk_payment_services', 'extend', { reason: 'holding_reply' }, 404, /no clock "resolution_uk_payment_services"/],
    ['a malformed clock segment', '%E0%A4%A', 'extend', { reason: 'complex' }, 404, /No such clock/],
    ['an unknown reason', 'resolution_cn', 'extend', { reason: 'because' }, 400, /reason/],
    ['no reason', 'resolution_cn', 'pause', {}, 400, /reason/],
    ['a reason the clock does not offer', 'first_response', 'extend', { reason: 'complex' }, 409, /offered: none/],
  ] as const)('%s → %i', async (_label, clock, action, body, status, detail) => {
    const h = handlerFor();
    const item = await seed();
    const res = await call(h, SUP, 'POST', clockPath(item.id, clock, action), body);
    expect(res.statusCode).toBe(status);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
    expect(res.json.detail).toMatch(detail);
    expect(repo.items.get(item.id)!.item.version).toBe(1);
  });

  it('an unknown complaint is 404, a GET on a clock route 405, a stale If-Match 412', async () => {
    const h = handlerFor();
    const item = await seed();
    expect((await call(h, SUP, 'POST', clockPath('fb_nothere', 'resolution_cn', 'extend'), { reason: 'complex' })).statusCode).toBe(404);
    expect((await call(h, SUP, 'GET', clockPath(item.id, 'resolution_cn', 'extend'))).statusCode).toBe(405);
    const stale = await call(h, SUP, 'POST', clockPath(item.id, 'resolution_cn', 'extend'), { reason: 'complex' }, { 'if-match': '"7"' });
    expect(stale.statusCode).toBe(412);
    expect(repo.items.get(item.id)!.item.version).toBe(1);
  });
});

describe('resolve under the UK policy', () => {
  it('a complaint resolved by the end of the third business day publishes Complaint.SummaryResolutionRequired; later, not', async () => {
    const h = handlerFor(UK);
    const quick = await seed({}, UK);
    const slow = await seed({}, UK);
    now = new Date('2026-03-05T23:59:59.999Z');
    await call(h, SUP, 'POST', `/admin/complaints/${quick.id}/resolve`, { outcome: 'upheld', summary: 'Refunded.' });
    now = new Date('2026-03-06T00:00:00.000Z');
    await call(h, SUP, 'POST', `/admin/complaints/${slow.id}/resolve`, { outcome: 'upheld', summary: 'Refunded.' });
    expect(bus.published.map((e) => [e.detail.feedbackId, e.detailType])).toEqual([
      [quick.id, 'Complaint.Resolved'],
      [quick.id, 'Complaint.SummaryResolutionRequired'],
      [slow.id, 'Complaint.Resolved'],
    ]);
    expect(bus.published[1]!.detail).toMatchObject({ jurisdiction: 'uk', resolvedAt: '2026-03-05T23:59:59.999Z' });
  });
});

describe('route table and OpenAPI', () => {
  it('matchRoute reads the {id} and {clock} segments', () => {
    const { match } = matchRoute('POST', '/admin/complaints/fb_abc/clocks/resolution_cn/pause');
    expect(match?.route.action).toBe('pauseClock');
    expect(match?.params).toEqual({ id: 'fb_abc', clock: 'resolution_cn' });
    expect(match?.id).toBe('fb_abc');
    expect(matchRoute('DELETE', '/admin/complaints/fb_abc/clocks/resolution_cn/resume')).toEqual({ allowed: ['POST'] });
  });

  it('the three routes are supervisor+ entries of the route table, documented with both path parameters', () => {
    const doc = openApiDocument() as { paths: Record<string, Record<string, { parameters: Array<{ name: string; in: string }>; responses: Record<string, unknown> }>> };
    for (const action of ['extend', 'pause', 'resume'] as const) {
      const path = `/admin/complaints/{id}/clocks/{clock}/${action}`;
      const route = ADMIN_ROUTES.find((r) => r.path === path);
      expect(route, path).toMatchObject({ method: 'POST' });
      expect(ROUTE_DOCS[`POST ${path}`]?.who, path).toBe('supervisor+');
      const op = doc.paths[path]!.post!;
      expect(op.parameters.filter((p) => p.in === 'path').map((p) => p.name)).toEqual(['id', 'clock']);
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '404', '409', '412']));
    }
  });
});
