/**
 * The admin handler over in-memory ports: status codes and problem+json, ETag / If-Match, the outbox
 * (event once, timers stopped), concurrency between two handler instances, and the OpenAPI document
 * checked against the routes the handler answers.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createAdminHandler, parseIfMatch, type AdminDeps } from '../../functions/admin/handler.ts';
import { createCursorCodec } from '../../functions/admin/cursor.ts';
import { openApiDocument } from '../../functions/admin/openapi.ts';
import type { AdminQueries, Page } from '../../functions/shared/ports/admin-queries.ts';
import { ADMIN_ROUTES } from '../../functions/admin/routes.ts';
import { complaintFixture } from '../../functions/admin/test-fixtures.ts';
import { indexAttributes, queueSortKey } from '../../functions/shared/adapters/table-design.ts';
import type { HttpEvent, HttpResult } from '../../functions/shared/http.ts';
import { createLogger } from '../../functions/shared/logger.ts';
import { WEBHOOK_ROUTES } from '../../infra/constructs/webhook-api.ts';
import { MAX_CHANGE_BYTES, RECORD_CEILING_BYTES, storedItemBytes } from '../../functions/shared/lifecycle/item-budget.ts';
import type { FeedbackItem, TimelineEntry } from '../../schemas/feedback.ts';
import { MemoryRepository, RecordingBus, RecordingTimer } from '../helpers/fakes.ts';
import { httpEvent } from '../helpers/http-events.ts';

/** Queue reads over the memory repository, ordered like the OpenByDue index. */
class MemoryQueries implements AdminQueries {
  constructor(private readonly repo: MemoryRepository) {}
  async openQueue(request: Parameters<AdminQueries['openQueue']>[0]): Promise<Page> {
    const open = [...this.repo.items.values()]
      .map((s) => s.item)
      .filter((i) => i.kind === 'complaint' && i.status !== 'resolved' && (!request.assignee || i.assignee === request.assignee))
      .map((item) => ({ item, key: queueSortKey(item) }))
      .sort((a, b) => (a.key < b.key ? -1 : 1))
      .filter((e) => !request.after || e.key > request.after)
      .filter((e) => request.matches(e.item));
    const page = open.slice(0, request.limit);
    return { items: page.map((e) => e.item), ...(open.length > request.limit ? { lastKey: page.at(-1)!.key } : {}) };
  }
  async triageQueue(request: Parameters<AdminQueries['triageQueue']>[0]): Promise<Page> {
    const triaged = [...this.repo.items.values()]
      .map((s) => s.item)
      .flatMap((item) => (item.triage ? [{ item, key: indexAttributes(item).triageSk! }] : []))
      .sort((a, b) => (a.key < b.key ? -1 : 1))
      .filter((e) => (!request.after || e.key > request.after) && request.matches(e.item));
    const page = triaged.slice(0, request.limit);
    return { items: page.map((e) => e.item), ...(triaged.length > request.limit ? { lastKey: page.at(-1)!.key } : {}) };
  }
  async byDay(): Promise<Page> {
    return { items: [] };
  }
  async projectDays(): Promise<Array<Partial<FeedbackItem>>> {
    return [...this.repo.items.values()].map((s) => s.item);
  }
}


let repo: MemoryRepository;
let bus: RecordingBus;
let timer: RecordingTimer;
let deps: AdminDeps;
let handler: ReturnType<typeof createAdminHandler>;
const NOW = new Date('2026-03-02T10:00:00.000Z');

beforeEach(() => {
  repo = new MemoryRepository();
  bus = new RecordingBus();
  timer = new RecordingTimer();
  deps = { repository: repo, queries: new MemoryQueries(repo), eventBus: bus, clockTimer: timer, cursors: createCursorCodec(['k']), logger: createLogger('test', 'silent'), now: () => NOW };
  handler = createAdminHandler(deps);
});

async function seed(overrides: Partial<FeedbackItem> = {}): Promise<FeedbackItem> {
  const item = complaintFixture(overrides);
  await repo.createIfAbsent(item, []);
  return item;
}

function as(sub: string, groups: string[] | null, event: HttpEvent): HttpEvent {
  if (groups) (event.requestContext as unknown as Record<string, unknown>).authorizer = { jwt: { claims: { sub, 'cognito:groups': groups }, scopes: [] } };
  return event;
}

async function call(
  h: ReturnType<typeof createAdminHandler>,
  who: [string, string[] | null],
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  query = '',
): Promise<HttpResult & { json: any }> {
  const event = as(who[0], who[1], httpEvent(method, path, body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body), { 'content-type': 'application/json', ...headers }, query));
  if (query) event.queryStringParameters = Object.fromEntries(new URLSearchParams(query));
  const res = (await h(event, {} as never)) as HttpResult;
  return { ...res, json: res.body ? JSON.parse(res.body) : undefined };
}

const SUP: [string, string[]] = ['sup-1', ['supervisor']];
const AGENT_A: [string, string[]] = ['agent-a', ['agent']];

describe('errors', () => {
  it.each([
    ['no claims', [null, null], 'GET', '/admin/complaints', 401],
    ['no role', ['x', ['auditor']], 'GET', '/admin/complaints', 403],
    ['agent metrics', AGENT_A, 'GET', '/admin/metrics', 403],
    ['unknown route', SUP, 'GET', '/admin/nothing', 404],
    ['unknown id', SUP, 'GET', '/admin/complaints/fb_nope', 404],
    ['bad id', SUP, 'GET', '/admin/complaints/..%2Fetc', 404],
    ['wrong method', SUP, 'DELETE', '/admin/complaints', 405],
  ] as const)('%s → %i problem+json', async (_label, who, method, path, status) => {
    const res = await call(handler, who as [string, string[] | null], method, path);
    expect(res.statusCode).toBe(status);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
    expect(res.json).toMatchObject({ status });
  });

  it('405 says in an Allow header which methods the resource answers', async () => {
    const res = await call(handler, SUP, 'DELETE', '/admin/complaints');
    expect(res.statusCode).toBe(405);
    expect(res.headers?.allow).toBe('GET');
    const openapi = await call(handler, SUP, 'POST', '/openapi.json');
    expect(openapi.headers?.allow).toBe('GET, HEAD');
  });

  it('400 names the bad fields of bodies and queries', async () => {
    const item = await seed();
    const bad = await call(handler, SUP, 'POST', `/admin/complaints/${item.id}/resolve`, { outcome: 'maybe' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json.errors.map((e: { field: string }) => e.field).sort()).toEqual(['outcome', 'summary']);
    for (const q of ['limit=0', 'limit=201', 'limit=abc', 'status=closed', 'breached=maybe']) {
      const res = await call(handler, SUP, 'GET', '/admin/complaints', undefined, {}, q);
      expect(res.statusCode, q).toBe(400);
      expect(res.json.errors[0].field).toBe(q.split('=')[0]);
    }
    expect((await call(handler, SUP, 'POST', `/admin/complaints/${item.id}/notes`, '{"text":')).statusCode).toBe(400);
    expect((await call(handler, SUP, 'PATCH', `/admin/complaints/${item.id}`, {})).statusCode).toBe(400);
    expect((await call(handler, SUP, 'GET', '/admin/complaints', undefined, {}, 'cursor=forged.cursor')).statusCode).toBe(400);
    expect(repo.items.get(item.id)!.item.version).toBe(1);
  });
});

describe('reads and versions', () => {
  it('GET answers the masked view with ETag "<version>"', async () => {
    const item = await seed({ source: 'whatsapp', channel: 'social', customer: { id: '447700900123' } });
    const res = await call(handler, AGENT_A, 'GET', `/admin/complaints/${item.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers?.etag).toBe('"1"');
    expect(res.json.customer.id).toBe('***0123');
    expect(res.json.clockPlans).toBeUndefined();
  });

  it.each(['"1"', '1', '*', '"7", "1"'])('If-Match %s matches version 1', async (tag) => {
    const item = await seed();
    const res = await call(handler, SUP, 'POST', `/admin/complaints/${item.id}/notes`, { text: 'hello' }, { 'if-match': tag });
    expect(res.statusCode).toBe(200);
    expect(res.headers?.etag).toBe('"2"');
  });

  it.each(['"2"', '0', '"x"', '-1', 'W/"1"'])('a stale, foreign or weak If-Match %s answers 412 and changes nothing', async (tag) => {
    const item = await seed();
    const res = await call(handler, SUP, 'POST', `/admin/complaints/${item.id}/notes`, { text: 'hello' }, { 'if-match': tag });
    expect(res.statusCode).toBe(412);
    expect(res.json.currentVersion).toBe(1);
    expect(repo.items.get(item.id)!.item).toEqual(item);
  });

  it('parses If-Match lists', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch(' * ')).toBe('*');
    // A weak tag never matches under If-Match's strong comparison.
    expect(parseIfMatch('"3", W/"4", 5, "x"')).toEqual([3, 5]);
  });
});

describe('lifecycle through the handler', () => {
  it('respond by phone: 202 sent, stored with version+1, Reply.Sent and one Complaint.Responded published, the first-response timer stopped, outbox emptied', async () => {
    const item = await seed({ assignee: 'agent-a' });
    const res = await call(handler, AGENT_A, 'POST', `/admin/complaints/${item.id}/responses`, { message: 'We refunded the fee.', via: 'phone' });
    expect(res.statusCode).toBe(202);
    expect(res.json.reply).toMatchObject({ id: expect.stringMatching(/^rp_/), status: 'sent' });
    const stored = repo.items.get(item.id)!.item;
    expect(stored).toMatchObject({ status: 'responded', version: 2 });
    expect(stored.timeline.at(-1)).toMatchObject({ type: 'responded', actor: 'agent-a', at: NOW.toISOString() });
    expect(bus.published.map((e) => e.id)).toEqual([`${item.id}:Reply.Sent:v2`, `${item.id}:Complaint.Responded:v2`]);
    expect(timer.stopped.map((t) => t.clock)).toEqual(['first_response']);
    expect(repo.items.get(item.id)!.outbox).toEqual({});
  });

  it('a reply through the channel on a stack without reply credentials is 409 "reply channel not configured" and stores nothing', async () => {
    const item = await seed({ assignee: 'agent-a' });
    const res = await call(handler, AGENT_A, 'POST', `/admin/complaints/${item.id}/responses`, { message: 'We refunded the fee.' });
    expect(res.statusCode).toBe(409);
    expect(res.json).toMatchObject({ detail: 'reply channel not configured', rule: 'reply_channel_not_configured' });
    expect(repo.items.get(item.id)!.item.version).toBe(1);
  });

  it('409 names the allowed commands', async () => {
    const item = await seed({ status: 'resolved' });
    const res = await call(handler, SUP, 'POST', `/admin/complaints/${item.id}/resolve`, { outcome: 'upheld', summary: 'again' });
    expect(res.statusCode).toBe(409);
    expect(res.json.allowed).toEqual(['reply', 'reopen', 'note', 'reclassify', 'rate']);
  });

  it('an agent may respond only to complaints assigned to them (403 otherwise, nothing stored)', async () => {
    const item = await seed({ assignee: 'agent-b' });
    const res = await call(handler, AGENT_A, 'POST', `/admin/complaints/${item.id}/responses`, { message: 'x' });
    expect(res.statusCode).toBe(403);
    expect(repo.items.get(item.id)!.item.version).toBe(1);
    expect(bus.published).toEqual([]);
  });

  it('an event that could not be published stays in the outbox and goes out with the next change, once', async () => {
    const item = await seed();
    bus.failNext = true;
    expect((await call(handler, SUP, 'POST', `/admin/complaints/${item.id}/resolve`, { outcome: 'rejected', summary: 'No fault found.' })).statusCode).toBe(200);
    expect(Object.keys(repo.items.get(item.id)!.outbox)).toContain(`${item.id}:Complaint.Resolved:v2`);
    await call(handler, SUP, 'POST', `/admin/complaints/${item.id}/notes`, { text: 'follow-up' });
    expect(bus.published.map((e) => e.id)).toEqual([`${item.id}:Complaint.Resolved:v2`]);
    expect(repo.items.get(item.id)!.outbox).toEqual({});
  });
});

describe('concurrency: two handler instances change one complaint at once', () => {
  it('with If-Match: exactly one wins, the other answers 412, one event', async () => {
    const item = await seed();
    const other = createAdminHandler({ ...deps });
    const [a, b] = await Promise.all([
      call(handler, SUP, 'POST', `/admin/complaints/${item.id}/resolve`, { outcome: 'upheld', summary: 'A' }, { 'if-match': '"1"' }),
      call(other, ['sup-2', ['supervisor']], 'POST', `/admin/complaints/${item.id}/resolve`, { outcome: 'rejected', summary: 'B' }, { 'if-match': '"1"' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 412]);
    expect(repo.items.get(item.id)!.item.version).toBe(2);
    expect(bus.published.filter((e) => e.detailType === 'Complaint.Resolved')).toHaveLength(1);
  });

  it('without If-Match: the loser is decided again on the fresh item and answers 409', async () => {
    const item = await seed();
    const other = createAdminHandler({ ...deps });
    const [a, b] = await Promise.all([
      call(handler, SUP, 'POST', `/admin/complaints/${item.id}/resolve`, { outcome: 'upheld', summary: 'A' }),
      call(other, ['sup-2', ['supervisor']], 'POST', `/admin/complaints/${item.id}/resolve`, { outcome: 'rejected', summary: 'B' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    expect(repo.items.get(item.id)!.item.timeline.filter((e) => e.type === 'resolved')).toHaveLength(1);
  });

  it('without If-Match, two notes both land (the loser retries on the fresh version)', async () => {
    const item = await seed();
    const other = createAdminHandler({ ...deps });
    const [a, b] = await Promise.all([
      call(handler, SUP, 'POST', `/admin/complaints/${item.id}/notes`, { text: 'one' }),
      call(other, AGENT_A, 'POST', `/admin/complaints/${item.id}/notes`, { text: 'two' }),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(repo.items.get(item.id)!.item.version).toBe(3);
  });
});

describe('unknown query parameters', () => {
  it.each([
    ['/admin/complaints', 'customers=c-1', ['customers']],
    ['/admin/complaints', 'statuss=open&limit=5', ['statuss']],
    ['/admin/complaints', 'status=open&foo=1&bar=2', ['foo', 'bar']],
    ['/admin/feedback', 'kinds=complaint', ['kinds']],
    ['/admin/metrics', 'window=P7D', ['window']],
  ])('%s?%s answers 400 naming %j', async (path, query, names) => {
    const res = await call(handler, SUP, 'GET', path, undefined, {}, query);
    expect(res.statusCode).toBe(400);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
    expect(res.json.errors).toEqual(names.map((field) => ({ field, message: 'unknown query parameter' })));
    expect(res.json.detail).toContain(names[0]);
  });

  it('accepts every parameter the route documents', async () => {
    const res = await call(handler, SUP, 'GET', '/admin/complaints', undefined, {}, 'status=open&category=other&severity=low&channel=web&assignee=none&breached=false&limit=5');
    expect(res.statusCode).toBe(200);
  });
});

/** A note entry of `bytes` UTF-8 bytes of text (3-byte characters). */
const bulkyNote = (bytes: number): TimelineEntry => ({ at: '2026-03-02T09:30:00.000Z', type: 'note', actor: 'agent-a', data: { text: '记'.repeat(Math.floor(bytes / 3)) } });

/** A complaint whose timeline fills it to within `room` bytes of the notes' ceiling. */
async function seedFull(room: number, overrides: Partial<FeedbackItem> = {}): Promise<FeedbackItem> {
  const item = complaintFixture(overrides);
  while (storedItemBytes(item, {}) < RECORD_CEILING_BYTES - room - 16_000) item.timeline.push(bulkyNote(15_000));
  while (storedItemBytes(item, {}) < RECORD_CEILING_BYTES - room) item.timeline.push(bulkyNote(300));
  await repo.createIfAbsent(item, []);
  return item;
}

describe('every complaint stays writable (item budget)', () => {
  it('a note that would take the complaint past its notes ceiling answers 422 naming what still fits, and changes nothing', async () => {
    // Prepare
    const item = await seedFull(2_000);
    // Act
    const res = await call(handler, SUP, 'POST', `/admin/complaints/${item.id}/notes`, { text: '记'.repeat(1_000) });
    // Assess
    expect(res.statusCode).toBe(422);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
    expect(res.json.limitBytes).toBe(RECORD_CEILING_BYTES);
    expect(res.json.itemBytes).toBeGreaterThan(RECORD_CEILING_BYTES - 2_000);
    expect(res.json.allowed).toEqual(expect.arrayContaining(['respond', 'resolve', 'reclassify']));
    expect(res.json.allowed).not.toContain('note');
    expect(repo.items.get(item.id)!.item.version).toBe(1);
  });

  it('with If-Match too (the note is then a conditional replace)', async () => {
    const item = await seedFull(2_000);
    const res = await call(handler, SUP, 'POST', `/admin/complaints/${item.id}/notes`, { text: '记'.repeat(1_000) }, { 'if-match': '"1"' });
    expect(res.statusCode).toBe(422);
  });

  it('a full complaint is still answered, resolved and rated, with the longest texts', async () => {
    // Prepare: filled to the notes' ceiling
    const item = await seedFull(0);
    const longest = '答'.repeat(5_000);
    // Act
    const respond = await call(handler, SUP, 'POST', `/admin/complaints/${item.id}/responses`, { message: longest, via: 'letter' });
    const resolve = await call(handler, SUP, 'POST', `/admin/complaints/${item.id}/resolve`, { outcome: 'upheld', summary: longest });
    const rate = await call(handler, SUP, 'POST', `/admin/complaints/${item.id}/satisfaction`, { score: 4, comment: '答'.repeat(2_000) });
    // Assess
    expect([respond.statusCode, resolve.statusCode, rate.statusCode]).toEqual([202, 200, 200]);
    const stored = repo.items.get(item.id)!;
    expect(stored.item.status).toBe('resolved');
    expect(storedItemBytes(stored.item, stored.outbox)).toBeLessThan(400 * 1024);
  });

  it('a text over its length limit is a 400 naming the field', async () => {
    const item = await seed();
    const res = await call(handler, SUP, 'POST', `/admin/complaints/${item.id}/notes`, { text: 'x'.repeat(5_001) });
    expect(res.statusCode).toBe(400);
    expect(res.json.errors[0].field).toBe('text');
  });
});

describe('notes are appended, not replaced', () => {
  it('20 notes at once through separate handler instances all land, each counted by the version', async () => {
    // Prepare
    const item = await seed();
    // Act
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => call(createAdminHandler({ ...deps }), AGENT_A, 'POST', `/admin/complaints/${item.id}/notes`, { text: `note ${i}` })));
    // Assess
    expect(results.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    const stored = repo.items.get(item.id)!.item;
    expect(stored.version).toBe(21);
    expect(stored.timeline.filter((e) => e.type === 'note').map((e) => e.data!.text).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `note ${i}`).sort());
  });

  it('an append may land after only as many other writes as the room left holds changes of the largest size', async () => {
    // Prepare: room for the note plus two of the largest changes
    const item = await seedFull(2 * MAX_CHANGE_BYTES + 1_000);
    const seen: number[] = [];
    const append = repo.appendTimeline.bind(repo);
    repo.appendTimeline = async (id, entry, maxVersion) => {
      seen.push(maxVersion);
      return append(id, entry, maxVersion);
    };
    // Act
    const res = await call(handler, SUP, 'POST', `/admin/complaints/${item.id}/notes`, { text: 'short' });
    // Assess
    expect(res.statusCode).toBe(200);
    expect(seen).toEqual([item.version + 2]);
  });

  it('a note masks pasted PII', async () => {
    const item = await seed();
    const res = await call(handler, AGENT_A, 'POST', `/admin/complaints/${item.id}/notes`, { text: 'customer card 4111 1111 1111 1111' });
    expect(res.json.timeline.at(-1).data.text).toBe('customer card [CARD]');
  });
});

describe('queue', () => {
  it('pages soonest-due first with signed cursors bound to the filters', async () => {
    const items = await Promise.all([5, 1, 3, 2, 4].map((h) => seed({ receivedAt: `2026-03-02T0${h}:00:00.000Z` })));
    const byDue = [...items].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt)).map((i) => i.id);
    const first = await call(handler, AGENT_A, 'GET', '/admin/complaints', undefined, {}, 'limit=2');
    expect(first.json.items.map((i: FeedbackItem) => i.id)).toEqual(byDue.slice(0, 2));
    const cursor = first.json.nextCursor as string;
    const second = await call(handler, AGENT_A, 'GET', '/admin/complaints', undefined, {}, `limit=2&cursor=${encodeURIComponent(cursor)}`);
    expect(second.json.items.map((i: FeedbackItem) => i.id)).toEqual(byDue.slice(2, 4));
    const misuse = await call(handler, AGENT_A, 'GET', '/admin/complaints', undefined, {}, `limit=2&channel=web&cursor=${encodeURIComponent(cursor)}`);
    expect(misuse.statusCode).toBe(400);
  });
});

describe('OpenAPI', () => {
  it('documents exactly the routes the handler answers, plus every webhook route', async () => {
    const doc = openApiDocument() as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    const admin = documented.filter((r) => r.includes(' /admin/'));
    expect(admin.sort()).toEqual(ADMIN_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    // Every documented admin route is answered by the handler (an existing item: neither 404 nor 405).
    const item = await seed();
    for (const route of ADMIN_ROUTES) {
      const res = await call(handler, SUP, route.method, route.path.replace('{id}', item.id), route.body ? {} : undefined);
      expect([404, 405], `${route.method} ${route.path} → ${res.statusCode}`).not.toContain(res.statusCode);
    }
    const webhookPaths = Object.keys(doc.paths).filter((p) => p.startsWith('/webhooks/'));
    // Each documented webhook path has its gateway route: itself, or a `{proxy+}` route below which it sits.
    const servedBy = (p: string) => Object.keys(WEBHOOK_ROUTES).find((r) => r === p || (r.endsWith('/{proxy+}') && p.startsWith(r.slice(0, -'{proxy+}'.length))));
    for (const p of webhookPaths) expect(servedBy(p), p).toBeDefined();
    expect(webhookPaths).toHaveLength(9);
    const served = await call(handler, [null, null] as never, 'GET', '/openapi.json');
    expect(served.statusCode).toBe(200);
    expect(served.json.paths['/admin/metrics'].get.responses['200'].content['application/json'].schema.properties.totals).toBeDefined();
  });
});
