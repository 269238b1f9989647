/**
 * The triage routes of the admin handler over in-memory ports: GET /admin/triage (who, order, pages,
 * filter) and PATCH /admin/feedback/{id} (settling the kind: clocks from receipt, events, leaving triage,
 * and bad input answered with a 4xx that names the field and changes nothing, generated input included).
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAdminHandler } from '../../functions/admin/handler.ts';
import { createCursorCodec } from '../../functions/admin/cursor.ts';
import type { AdminQueries, Page } from '../../functions/shared/ports/admin-queries.ts';
import { complaintFixture } from '../../functions/admin/test-fixtures.ts';
import { indexAttributes } from '../../functions/shared/adapters/table-design.ts';
import type { HttpResult } from '../../functions/shared/http.ts';
import { createLogger } from '../../functions/shared/logger.ts';
import type { FeedbackItem, Triage } from '../../schemas/feedback.ts';
import { MemoryRepository, RecordingBus, RecordingTimer } from '../helpers/fakes.ts';
import { httpEvent } from '../helpers/http-events.ts';

/** Triage reads over the memory repository, ordered like the TriageByDue index; the other lists are not used here. */
class TriageQueries implements AdminQueries {
  constructor(private readonly repo: MemoryRepository) {}
  async triageQueue(request: Parameters<AdminQueries['triageQueue']>[0]): Promise<Page> {
    const triaged = [...this.repo.items.values()]
      .flatMap(({ item }) => (item.triage ? [{ item, key: indexAttributes(item).triageSk! }] : []))
      .sort((a, b) => (a.key < b.key ? -1 : 1))
      .filter((e) => (!request.after || e.key > request.after) && request.matches(e.item));
    const page = triaged.slice(0, request.limit);
    return { items: page.map((e) => e.item), ...(triaged.length > request.limit ? { lastKey: page.at(-1)!.key } : {}) };
  }
  openQueue = async (): Promise<Page> => ({ items: [] });
  byDay = async (): Promise<Page> => ({ items: [] });
  projectDays = async (): Promise<Array<Partial<FeedbackItem>>> => [];
}

const RECEIVED = '2026-03-02T09:00:00.000Z';
const NOW = new Date('2026-03-03T15:00:00.000Z'); // 30 h after RECEIVED: past the 24 h first-response target
const AGENT: [string, string[]] = ['agent-a', ['agent']];

let repo: MemoryRepository;
let bus: RecordingBus;
let timer: RecordingTimer;
let handler: ReturnType<typeof createAdminHandler>;

beforeEach(() => {
  repo = new MemoryRepository();
  bus = new RecordingBus();
  timer = new RecordingTimer();
  handler = createAdminHandler({ repository: repo, queries: new TriageQueries(repo), eventBus: bus, clockTimer: timer, cursors: createCursorCodec(['k']), logger: createLogger('test', 'silent'), now: () => NOW });
});

const triage = (dueAt: string, reason: Triage['reason'] = 'negative_not_complaint'): Triage => ({ reason, dueAt });

async function seed(overrides: Partial<FeedbackItem>): Promise<FeedbackItem> {
  const item = complaintFixture({ kind: 'inquiry', status: 'received', receivedAt: RECEIVED, ...overrides });
  await repo.createIfAbsent(item, []);
  return item;
}

async function call(who: [string, string[]] | null, method: string, path: string, options: { body?: string; query?: string; headers?: Record<string, string> } = {}): Promise<HttpResult & { json: any }> {
  const event = httpEvent(method, path, options.body ?? '', { 'content-type': 'application/json', ...options.headers }, options.query ?? '');
  if (options.query) event.queryStringParameters = Object.fromEntries(new URLSearchParams(options.query));
  if (who) (event.requestContext as unknown as Record<string, unknown>).authorizer = { jwt: { claims: { sub: who[0], 'cognito:groups': who[1] }, scopes: [] } };
  const res = (await handler(event, {} as never)) as HttpResult;
  return { ...res, json: res.body ? JSON.parse(res.body) : undefined };
}

const settle = (id: string, body: unknown, headers: Record<string, string> = {}) => call(AGENT, 'PATCH', `/admin/feedback/${id}`, { body: typeof body === 'string' ? body : JSON.stringify(body), headers });

describe('GET /admin/triage', () => {
  it('lists only items in triage, soonest due first, to an agent', async () => {
    const later = await seed({ triage: triage('2026-03-02T13:00:00.000Z') });
    const sooner = await seed({ triage: triage('2026-03-02T11:00:00.000Z', 'uncertain_kind') });
    await seed({});
    const res = await call(AGENT, 'GET', '/admin/triage');
    expect(res.statusCode).toBe(200);
    expect(res.json.items.map((i: FeedbackItem) => i.id)).toEqual([sooner.id, later.id]);
    expect(res.json.items[0].triage).toEqual({ reason: 'uncertain_kind', dueAt: '2026-03-02T11:00:00.000Z' });
    expect(res.json.nextCursor).toBeUndefined();
  });

  it('pages with a signed cursor bound to the reason filter', async () => {
    const ids = [];
    for (const hour of [10, 11, 12]) ids.push((await seed({ triage: triage(`2026-03-02T${hour}:00:00.000Z`) })).id);
    const first = await call(AGENT, 'GET', '/admin/triage', { query: 'limit=2' });
    const second = await call(AGENT, 'GET', '/admin/triage', { query: `limit=2&cursor=${first.json.nextCursor}` });
    expect([...first.json.items, ...second.json.items].map((i: FeedbackItem) => i.id)).toEqual(ids);
    const replayed = await call(AGENT, 'GET', '/admin/triage', { query: `reason=uncertain_kind&cursor=${first.json.nextCursor}` });
    expect(replayed.statusCode).toBe(400);
    expect(replayed.json.errors[0].field).toBe('cursor');
  });

  it('filters by reason, and names a bad reason or an unknown parameter in a 400', async () => {
    await seed({ triage: triage('2026-03-02T10:00:00.000Z', 'unsupported_language') });
    const negative = await seed({ triage: triage('2026-03-02T11:00:00.000Z') });
    const filtered = await call(AGENT, 'GET', '/admin/triage', { query: 'reason=negative_not_complaint' });
    expect(filtered.json.items.map((i: FeedbackItem) => i.id)).toEqual([negative.id]);
    for (const [query, field] of [['reason=unsure', 'reason'], ['limit=0', 'limit'], ['kind=inquiry', 'kind']]) {
      const res = await call(AGENT, 'GET', '/admin/triage', { query });
      expect(res.statusCode, query).toBe(400);
      expect(res.headers?.['content-type']).toBe('application/problem+json');
      expect(res.json.errors[0].field, query).toBe(field);
    }
  });

  it('answers 401 without a token and 403 to a token without a handler role', async () => {
    expect((await call(null, 'GET', '/admin/triage')).statusCode).toBe(401);
    expect((await call(['x', ['auditor']], 'GET', '/admin/triage')).statusCode).toBe(403);
  });
});

describe('PATCH /admin/feedback/{id}', () => {
  it('confirms a complaint late: it opens with clocks counted from receipt, its overdue timer starts at once, and it leaves triage', async () => {
    // Prepare: received 30 h ago, in triage since.
    const item = await seed({ triage: triage('2026-03-02T13:00:00.000Z') });
    // Act
    const res = await settle(item.id, { kind: 'complaint', category: 'transfers_payments', reason: 'Money gone: a complaint.' }, { 'if-match': '"1"' });
    // Assess
    expect(res.statusCode).toBe(200);
    expect(res.headers?.etag).toBe('"2"');
    expect(res.json).toMatchObject({ kind: 'complaint', status: 'open', category: 'transfers_payments', version: 2 });
    expect(res.json.triage).toBeUndefined();
    const firstResponse = res.json.clocks.find((c: { name: string }) => c.name === 'first_response');
    expect(firstResponse).toMatchObject({ dueAt: '2026-03-03T09:00:00.000Z', state: 'breached' });
    expect(timer.started.find((t) => t.clock === 'first_response')).toMatchObject({ warnAt: '2026-03-03T04:12:00.000Z', dueAt: '2026-03-03T09:00:00.000Z' });
    expect(bus.published.map((e) => e.detailType)).toEqual(['Complaint.Opened']);
    expect(res.json.classification.model).toEqual({ kind: 'inquiry', category: 'fees_pricing', severity: 'medium' });
    expect((await call(AGENT, 'GET', '/admin/triage')).json.items).toEqual([]);
    expect(repo.items.get(item.id)!.outbox).toEqual({});
  });

  it('settled as an inquiry, the item leaves triage with no event', async () => {
    const item = await seed({ triage: triage('2026-03-02T13:00:00.000Z') });
    const res = await settle(item.id, { kind: 'inquiry' });
    expect(res.statusCode).toBe(200);
    expect(res.json).toMatchObject({ kind: 'inquiry', status: 'received', clocks: [] });
    expect(res.json.timeline.at(-1)).toMatchObject({ type: 'reclassified', actor: 'agent-a', data: { triage: { reason: 'negative_not_complaint' } } });
    expect(bus.published).toEqual([]);
    expect(repo.items.get(item.id)!.item.triage).toBeUndefined();
  });

  it('GET /admin/feedback/{id} reads the item with the ETag the PATCH takes', async () => {
    const item = await seed({ triage: triage('2026-03-02T13:00:00.000Z') });
    const res = await call(AGENT, 'GET', `/admin/feedback/${item.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers?.etag).toBe('"1"');
    expect(res.json.triage.reason).toBe('negative_not_complaint');
  });

  it.each([
    ['no kind', {}, 400, 'kind'],
    ['an unknown kind', { kind: 'grievance' }, 400, 'kind'],
    ['an unknown category', { kind: 'complaint', category: 'weather' }, 400, 'category'],
    ['a reason too long', { kind: 'complaint', reason: 'x'.repeat(2_001) }, 400, 'reason'],
    ['not an object', '[1]', 400, '(body)'],
  ] as const)('%s → %i naming %s, nothing changed', async (_label, body, status, field) => {
    const item = await seed({ triage: triage('2026-03-02T13:00:00.000Z') });
    const res = await settle(item.id, body);
    expect(res.statusCode).toBe(status);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
    expect(res.json.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(repo.items.get(item.id)!.item).toEqual(item);
  });

  it('answers 404 for an unknown item, 412 for a stale If-Match, 409 for an open complaint not in triage', async () => {
    expect((await settle('fb_nothere', { kind: 'complaint' })).statusCode).toBe(404);
    const item = await seed({ triage: triage('2026-03-02T13:00:00.000Z') });
    expect((await settle(item.id, { kind: 'complaint' }, { 'if-match': '"7"' })).statusCode).toBe(412);
    const complaint = complaintFixture();
    await repo.createIfAbsent(complaint, []);
    const refused = await settle(complaint.id, { kind: 'inquiry' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json.detail).toMatch(/supervisor/);
    expect(repo.items.get(item.id)!.item.version).toBe(1);
    expect(repo.items.get(complaint.id)!.item.version).toBe(1);
  });

  it('generated bodies get 200 or a 4xx problem, and a 4xx changes nothing', async () => {
    const field = fc.oneof(fc.constantFrom('complaint', 'inquiry', 'suggestion', 'praise', 'fraud_security', 'other', ''), fc.string({ maxLength: 12 }), fc.integer(), fc.constant(null));
    const body = fc.oneof(
      fc.record({ kind: field, category: field, reason: fc.oneof(fc.string({ maxLength: 30 }), fc.integer()) }, { requiredKeys: [] }),
      fc.json({ maxDepth: 2 }),
      fc.string({ maxLength: 40 }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (generated) => {
        const item = await seed({ triage: triage('2026-03-02T13:00:00.000Z') });
        const res = await settle(item.id, typeof generated === 'string' ? generated : JSON.stringify(generated));
        if (res.statusCode === 200) return;
        expect(res.statusCode).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
        expect(res.headers?.['content-type']).toBe('application/problem+json');
        expect(repo.items.get(item.id)!.item).toEqual(item);
      }),
      { numRuns: 200 },
    );
  });
});
