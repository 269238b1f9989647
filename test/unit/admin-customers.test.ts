/**
 * The admin handler's customer routes over in-memory ports: history newest first across linked keys with
 * its counts, cursor pages, links made and removed by supervisors only (audited, items unchanged), an
 * item's previousComplaints90d, the customer= filter, the repeat rate in metrics, and bad keys as 400s
 * naming the field (including generated paths).
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CustomerFactRecord, CustomerHistoryRequest, CustomerQueries, KeyedComplaintRecord } from '../../functions/shared/ports/customer-queries.ts';
import { createCursorCodec } from '../../functions/admin/cursor.ts';
import { createCustomerService } from '../../functions/admin/customers.ts';
import { createAdminHandler } from '../../functions/admin/handler.ts';
import type { AdminQueries, Page } from '../../functions/shared/ports/admin-queries.ts';
import { complaintFixture } from '../../functions/admin/test-fixtures.ts';
import { TABLE_INDEXES, receiptSortKey } from '../../functions/shared/adapters/table-design.ts';
import type { HttpEvent, HttpResult } from '../../functions/shared/http.ts';
import { createLogger } from '../../functions/shared/logger.ts';
import type { CustomerLink, CustomerLinks, LinkAuditEntry } from '../../functions/shared/ports/customer-links.ts';
import type { KeyPair } from '../../functions/shared/customers/link-closure.ts';
import type { FeedbackItem } from '../../schemas/feedback.ts';
import { MemoryRepository, RecordingBus } from '../helpers/fakes.ts';
import { httpEvent } from '../helpers/http-events.ts';

const key = (c: string) => `ck1_${c.repeat(32)}`;
const A = key('a');
const B = key('b');
const C = key('c');
const NOW = new Date('2027-04-01T00:00:00.000Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString();

/** CustomerHistory and ComplaintsByDay over the memory repository. */
class MemoryCustomerQueries implements CustomerQueries {
  constructor(private readonly repo: MemoryRepository) {}
  private of(keys: readonly string[]): FeedbackItem[] {
    return [...this.repo.items.values()].map((s) => s.item).filter((i) => i.customerKey && keys.includes(i.customerKey));
  }
  async history(request: CustomerHistoryRequest): Promise<Page> {
    const all = this.of(request.keys)
      .map((item) => ({ item, key: receiptSortKey(item) }))
      .filter((e) => !request.before || e.key < request.before)
      .sort((x, y) => (x.key < y.key ? 1 : -1));
    const page = all.slice(0, request.limit);
    // As the index projects them when asked (CustomerHistoryV2: LIST_ATTRIBUTES and the key), else whole.
    const projection = TABLE_INDEXES.customerHistory.projection as readonly string[];
    const shown = (item: FeedbackItem) => (request.projected ? (Object.fromEntries(Object.entries(item).filter(([k]) => projection.includes(k))) as FeedbackItem) : item);
    this.projectedReads += request.projected ? page.length : 0;
    return { items: page.map((e) => shown(e.item)), ...(all.length > request.limit ? { lastKey: page.at(-1)!.key } : {}) };
  }
  projectedReads = 0;
  wholeReads = 0;
  async wholeItems(items: readonly FeedbackItem[]): Promise<FeedbackItem[]> {
    this.wholeReads += items.length;
    return items.flatMap((i) => this.repo.items.get(i.id)?.item ?? []);
  }
  async facts(keys: readonly string[], options: { since?: string }): Promise<{ facts: CustomerFactRecord[]; truncated: boolean }> {
    return { facts: this.of(keys).filter((i) => !options.since || i.receivedAt >= options.since), truncated: false };
  }
  async keyedComplaints(window: { from: string; to: string }): Promise<KeyedComplaintRecord[]> {
    return [...this.repo.items.values()]
      .map((s) => s.item)
      .filter((i) => i.kind === 'complaint' && i.customerKey && i.receivedAt >= window.from && i.receivedAt < window.to)
      .map((i) => ({ id: i.id, receivedAt: i.receivedAt, customerKey: i.customerKey! }));
  }
}

class MemoryLinks implements CustomerLinks {
  readonly links = new Map<string, CustomerLink>();
  readonly entries: LinkAuditEntry[] = [];
  async link(link: CustomerLink): Promise<boolean> {
    const id = `${link.a}#${link.b}`;
    if (this.links.has(id)) return false;
    this.links.set(id, link);
    return true;
  }
  async unlink(pair: KeyPair): Promise<CustomerLink | undefined> {
    const id = `${pair.a}#${pair.b}`;
    const link = this.links.get(id);
    this.links.delete(id);
    return link;
  }
  async all(): Promise<CustomerLink[]> {
    return [...this.links.values()];
  }
  async audit(entry: LinkAuditEntry): Promise<void> {
    this.entries.push(entry, { ...entry, customerKey: entry.otherKey, otherKey: entry.customerKey });
  }
  async auditOf(k: string, limit: number): Promise<LinkAuditEntry[]> {
    return this.entries.filter((e) => e.customerKey === k).reverse().slice(0, limit);
  }
}

const noQueries: AdminQueries = {
  openQueue: async () => ({ items: [] }),
  byDay: async () => ({ items: [] }),
  triageQueue: async () => ({ items: [] }),
  projectDays: async () => [],
};

let repo: MemoryRepository;
let links: MemoryLinks;
let handler: ReturnType<typeof createAdminHandler>;
let customerQueries: MemoryCustomerQueries;

beforeEach(() => {
  repo = new MemoryRepository();
  links = new MemoryLinks();
  customerQueries = new MemoryCustomerQueries(repo);
  const customers = createCustomerService({ queries: customerQueries, links });
  handler = createAdminHandler({ repository: repo, queries: noQueries, customers, eventBus: new RecordingBus(), cursors: createCursorCodec(['k']), logger: createLogger('test', 'silent'), now: () => NOW });
});

async function seed(overrides: Partial<FeedbackItem>): Promise<FeedbackItem> {
  const item = complaintFixture({ receivedAt: daysAgo(1), ...overrides });
  await repo.createIfAbsent(item, []);
  return item;
}

const SUP: [string, string[]] = ['sup-1', ['supervisor']];
const AGENT: [string, string[]] = ['agent-a', ['agent']];

async function call(who: [string, string[]], method: string, path: string, body?: unknown, query = ''): Promise<HttpResult & { json: any }> {
  const event: HttpEvent = httpEvent(method, path, body === undefined ? '' : JSON.stringify(body), { 'content-type': 'application/json' }, query);
  (event.requestContext as unknown as Record<string, unknown>).authorizer = { jwt: { claims: { sub: who[0], 'cognito:groups': who[1] }, scopes: [] } };
  if (query) event.queryStringParameters = Object.fromEntries(new URLSearchParams(query));
  const res = (await handler(event, {} as never)) as HttpResult;
  return { ...res, json: res.body ? JSON.parse(res.body) : undefined };
}

describe('GET /admin/customers/{customerKey}', () => {
  it("lists the customer's items newest first, with open complaints and complaints in 90 days", async () => {
    const old = await seed({ customerKey: A, receivedAt: daysAgo(125) });
    const resolved = await seed({ customerKey: A, receivedAt: daysAgo(30), status: 'resolved' });
    const recent = await seed({ customerKey: A, receivedAt: daysAgo(2) });
    await seed({ customerKey: B, receivedAt: daysAgo(1) });

    const res = await call(AGENT, 'GET', `/admin/customers/${A}`);

    expect(res.statusCode).toBe(200);
    expect(res.json.items.map((i: FeedbackItem) => i.id)).toEqual([recent.id, resolved.id, old.id]);
    expect(res.json.counts).toEqual({ openComplaints: 2, complaints90d: 2, truncated: false });
    expect(res.json.items.map((i: { customer: { previousComplaints90d: number } }) => i.customer.previousComplaints90d)).toEqual([1, 0, 0]);
  });

  it('pages with a cursor, each item once', async () => {
    for (let n = 0; n < 5; n++) await seed({ customerKey: A, receivedAt: daysAgo(n + 1) });

    const first = await call(AGENT, 'GET', `/admin/customers/${A}`, undefined, 'limit=2');
    const second = await call(AGENT, 'GET', `/admin/customers/${A}`, undefined, `limit=2&cursor=${encodeURIComponent(first.json.nextCursor)}`);
    const third = await call(AGENT, 'GET', `/admin/customers/${A}`, undefined, `limit=2&cursor=${encodeURIComponent(second.json.nextCursor)}`);

    const ids = [...first.json.items, ...second.json.items, ...third.json.items].map((i: FeedbackItem) => i.id);
    expect(new Set(ids).size).toBe(5);
    expect(third.json.nextCursor).toBeUndefined();
  });

  it('refuses a cursor of another customer', async () => {
    for (let n = 0; n < 3; n++) await seed({ customerKey: A, receivedAt: daysAgo(n + 1) });
    const first = await call(AGENT, 'GET', `/admin/customers/${A}`, undefined, 'limit=1');

    const res = await call(AGENT, 'GET', `/admin/customers/${B}`, undefined, `cursor=${encodeURIComponent(first.json.nextCursor)}`);

    expect(res.statusCode).toBe(400);
  });

  it('answers 400 naming customerKey for anything that is not a key (generated paths)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 80 }).filter((s) => !/^ck[1-9][0-9]{0,2}_[0-9a-f]{32}$/.test(s) && !s.includes('/')), async (segment) => {
        const res = await call(AGENT, 'GET', `/admin/customers/${encodeURIComponent(segment)}`);
        expect(res.statusCode).toBe(400);
        expect(res.headers?.['content-type']).toBe('application/problem+json');
        expect(res.json.errors[0].field).toBe('customerKey');
      }),
      { numRuns: 60 },
    );
  });
});

describe('links', () => {
  it('a supervisor links two keys: history and counts follow them, transitively, and the items do not change', async () => {
    const a = await seed({ customerKey: A, receivedAt: daysAgo(3) });
    const b = await seed({ customerKey: B, receivedAt: daysAgo(2) });
    const c = await seed({ customerKey: C, receivedAt: daysAgo(1) });
    const before = structuredClone([...repo.items.values()]);

    expect((await call(SUP, 'POST', `/admin/customers/${A}/links`, { customerKey: B })).statusCode).toBe(200);
    expect((await call(SUP, 'POST', `/admin/customers/${C}/links`, { customerKey: B })).statusCode).toBe(200);
    const res = await call(AGENT, 'GET', `/admin/customers/${A}`);

    expect(res.json.items.map((i: FeedbackItem) => i.id)).toEqual([c.id, b.id, a.id]);
    expect(res.json.keys).toEqual([A, B, C]);
    expect(res.json.counts.complaints90d).toBe(3);
    expect([...repo.items.values()]).toEqual(before);
  });

  it('records who linked and unlinked, and when', async () => {
    await call(SUP, 'POST', `/admin/customers/${A}/links`, { customerKey: B });

    const res = await call(SUP, 'DELETE', `/admin/customers/${A}/links/${B}`);

    expect(res.statusCode).toBe(200);
    expect(res.json.keys).toEqual([A]);
    expect(res.json.audit.map((e: LinkAuditEntry) => [e.action, e.otherKey, e.actor, e.at])).toEqual([
      ['unlinked', B, 'sup-1', NOW.toISOString()],
      ['linked', B, 'sup-1', NOW.toISOString()],
    ]);
  });

  it('linking again changes nothing and is audited once', async () => {
    await call(SUP, 'POST', `/admin/customers/${A}/links`, { customerKey: B });
    await call(SUP, 'POST', `/admin/customers/${B}/links`, { customerKey: A });

    expect(links.links.size).toBe(1);
    expect(links.entries.filter((e) => e.customerKey === A)).toHaveLength(1);
  });

  it.each([
    ['an agent linking', AGENT, 'POST', `/admin/customers/${A}/links`, { customerKey: B }, 403],
    ['an agent unlinking', AGENT, 'DELETE', `/admin/customers/${A}/links/${B}`, undefined, 403],
    ['unlinking keys that are not linked', SUP, 'DELETE', `/admin/customers/${A}/links/${B}`, undefined, 404],
    ['a key linked to itself', SUP, 'POST', `/admin/customers/${A}/links`, { customerKey: A }, 400],
    ['a body without a key', SUP, 'POST', `/admin/customers/${A}/links`, { customerKey: 'c-1029' }, 400],
    ['a bad other key in the path', SUP, 'DELETE', `/admin/customers/${A}/links/nope`, undefined, 400],
  ] as const)('%s answers %i and changes nothing', async (_label, who, method, path, body, status) => {
    const res = await call(who as [string, string[]], method, path, body);

    expect(res.statusCode).toBe(status);
    expect(links.links.size).toBe(0);
  });

  it("keeps a key rotation's link (409)", async () => {
    await links.link({ a: A, b: B, linkedBy: 'system:key-rotation', linkedAt: NOW.toISOString(), reason: 'key-rotation' });

    const res = await call(SUP, 'DELETE', `/admin/customers/${A}/links/${B}`);

    expect(res.statusCode).toBe(409);
    expect(links.links.size).toBe(1);
  });
});

describe("an item's view", () => {
  it('shows the complaints of the customer (linked keys included) in the 90 days before it, and the history link', async () => {
    await seed({ customerKey: A, receivedAt: daysAgo(100) });
    await seed({ customerKey: B, receivedAt: daysAgo(20) });
    await seed({ customerKey: A, receivedAt: daysAgo(10) });
    const item = await seed({ customerKey: A, receivedAt: daysAgo(1) });
    await links.link({ a: A, b: B, linkedBy: 'sup-1', linkedAt: NOW.toISOString(), reason: 'supervisor' });

    const res = await call(AGENT, 'GET', `/admin/complaints/${item.id}`);

    expect(res.json.customer.previousComplaints90d).toBe(2);
    expect(res.json.customer.history).toBe(`/admin/customers/${A}`);
  });
});

describe('customer= on the lists', () => {
  it("lists only that customer's complaints, newest first", async () => {
    const a1 = await seed({ customerKey: A, receivedAt: daysAgo(3) });
    const a2 = await seed({ customerKey: A, receivedAt: daysAgo(1) });
    await seed({ customerKey: A, receivedAt: daysAgo(2), kind: 'praise', status: 'received' });
    await seed({ customerKey: B, receivedAt: daysAgo(1) });

    const res = await call(AGENT, 'GET', '/admin/complaints', undefined, `customer=${A}`);

    expect(res.json.items.map((i: FeedbackItem) => i.id)).toEqual([a2.id, a1.id]);
  });

  it('filters on the index projection and reads whole only the candidates it keeps; the items come whole (text, timeline) as before', async () => {
    const items = [];
    for (let d = 1; d <= 6; d++) items.push(await seed({ customerKey: A, receivedAt: daysAgo(d), severity: d % 2 ? 'high' : 'low' }));

    const res = await call(AGENT, 'GET', '/admin/complaints', undefined, `customer=${A}&severity=high&limit=2`);

    expect(res.statusCode).toBe(200);
    expect(res.json.items.map((i: FeedbackItem) => i.id)).toEqual([items[0]!.id, items[2]!.id]);
    for (const shown of res.json.items) {
      const stored = items.find((i) => i.id === shown.id)!;
      expect(shown.text).toBe(stored.text);
      expect(shown.timeline).toEqual(stored.timeline);
      expect(shown.classification).toEqual(stored.classification);
    }
    expect(customerQueries.projectedReads).toBeGreaterThanOrEqual(6);
    // The three high-severity ones (a batch's candidates), not the three low ones.
    expect(customerQueries.wholeReads).toBe(3);
  });

  it('breached= (the clocks, which the index does not project) is decided on the whole items of the candidates', async () => {
    const late = await seed({ customerKey: A, receivedAt: daysAgo(3) });
    await seed({ customerKey: A, receivedAt: daysAgo(0.1) });
    await seed({ customerKey: A, receivedAt: daysAgo(2), kind: 'praise', status: 'received' });

    const res = await call(AGENT, 'GET', '/admin/complaints', undefined, `customer=${A}&breached=true`);

    expect(res.statusCode).toBe(200);
    expect(res.json.items.map((i: FeedbackItem) => i.id)).toEqual([late.id]);
    expect(res.json.items[0].timeline).toEqual(late.timeline);
    // The two complaints were read whole to decide (not the praise); none beyond them.
    expect(customerQueries.wholeReads).toBe(2);
  });

  it('is a 400 naming customer when it is not a key', async () => {
    const res = await call(AGENT, 'GET', '/admin/feedback', undefined, 'customer=c-1029');

    expect(res.statusCode).toBe(400);
    expect(res.json.errors[0].field).toBe('customer');
  });
});

describe('metrics', () => {
  it('give the repeat-complaint rate over linked keys', async () => {
    await seed({ customerKey: A, receivedAt: daysAgo(60) });
    await seed({ customerKey: B, receivedAt: daysAgo(5) });
    await seed({ customerKey: C, receivedAt: daysAgo(4) });
    await links.link({ a: A, b: B, linkedBy: 'sup-1', linkedAt: NOW.toISOString(), reason: 'supervisor' });

    const res = await call(SUP, 'GET', '/admin/metrics', undefined, `from=${encodeURIComponent(daysAgo(30))}&to=${encodeURIComponent(NOW.toISOString())}`);

    expect(res.json.repeatComplaints).toEqual({ repeat: 1, withCustomer: 2 });
    expect(res.json.repeatComplaintRate).toBe(0.5);
  });
});
