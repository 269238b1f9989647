/** DynamoAdminQueries against a mocked DynamoDB document client: which index, which keys, how pages are cut. */
import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DAY_PROBE_LIMIT, DynamoAdminQueries, LIST_READ_BUDGET } from '../../functions/shared/adapters/aws/dynamo-admin-queries.ts';
import { TABLE_INDEXES, indexAttributes, itemPk } from '../../functions/shared/adapters/table-design.ts';
import { complaintFixture } from '../../functions/admin/test-fixtures.ts';
import type { FeedbackItem } from '../../schemas/feedback.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));
const ddb = mockClient(doc);
const queries = new DynamoAdminQueries(doc, 'redress-test');
/** Whole records by table key: what BatchGetItem answers (every record a test builds is stored). */
const table = new Map<string, Record<string, unknown>>();
const record = (item: FeedbackItem) => {
  const whole = { ...item, pk: itemPk(item.id), sk: 'ITEM', ...indexAttributes(item) };
  table.set(whole.pk, whole);
  return whole;
};
/** A record as an INCLUDE index answers it: its projection and the keys. */
const projected = (item: FeedbackItem, index: { partitionKey: string; sortKey: string; projection: readonly string[] }) => {
  const whole = record(item) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(whole).filter(([k]) => ['pk', 'sk', index.partitionKey, index.sortKey, ...index.projection].includes(k)));
};

beforeEach(() => {
  ddb.reset();
  table.clear();
  ddb.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: Array<{ pk: string }> }> }) => {
    const [name, { Keys }] = Object.entries(input.RequestItems)[0]!;
    return { Responses: { [name]: Keys.flatMap((k) => table.get(k.pk) ?? []) } };
  });
});

/** The day walk's reads (its probes, which ask one entry of a day, apart). */
const isProbe = (c: { args: [{ input: { Limit?: number } }] }) => c.args[0].input.Limit === 1;
const reads = () => ddb.commandCalls(QueryCommand).filter((c) => !isProbe(c));
const probes = () => ddb.commandCalls(QueryCommand).filter(isProbe);

describe('triageQueue', () => {
  const triaged = (hour: number) =>
    complaintFixture({ kind: 'inquiry', status: 'received', triage: { reason: 'negative_not_complaint', dueAt: `2026-03-02T1${hour}:00:00.000Z` } });

  it('reads TriageByDueV2 in key order, skips items already settled (the index is eventually consistent), and cuts the page after `limit`', async () => {
    // Prepare: three items in triage and one settled a moment ago that the index still lists
    const items = [triaged(0), triaged(1), triaged(2)];
    const settled = { ...record(complaintFixture({ kind: 'inquiry', status: 'received' })), triagePk: 'TRIAGE', triageSk: `2026-03-02T10:30:00.000Z#fb_settled` };
    ddb.on(QueryCommand).resolves({ Items: [record(items[0]!), settled, record(items[1]!), record(items[2]!)] });
    // Act
    const page = await queries.triageQueue({ limit: 2, matches: () => true });
    // Assess
    expect(page.items.map((i) => i.id)).toEqual([items[0]!.id, items[1]!.id]);
    expect(page.lastKey).toBe(indexAttributes(items[1]!).triageSk);
    const input = ddb.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ IndexName: 'TriageByDueV2', ExpressionAttributeValues: { ':pk': 'TRIAGE' } });
    expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);
  });

  it('resumes strictly after a key and stays within the read budget', async () => {
    ddb.on(QueryCommand).resolves({ Items: [], LastEvaluatedKey: { k: 1 } });
    const key = '2026-03-02T10:00:00.000Z#fb_abc123';
    const page = await queries.triageQueue({ limit: 10, after: key, matches: () => true });
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input.ExclusiveStartKey).toEqual({ triagePk: 'TRIAGE', triageSk: key, pk: 'FB#fb_abc123', sk: 'ITEM' });
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(LIST_READ_BUDGET.queries);
    expect(page.items).toEqual([]);
    expect(page.lastKey).toBe(key);
  });
});

describe('openQueue', () => {
  it('reads OpenByDue in key order and cuts the page after `limit` matches, with the last key when more follow', async () => {
    // Prepare: five complaints due one hour apart
    const items = [0, 1, 2, 3, 4].map((i) => complaintFixture({ receivedAt: `2026-03-02T0${i}:00:00.000Z` }));
    ddb.on(QueryCommand).resolves({ Items: items.map(record) });
    // Act
    const page = await queries.openQueue({ limit: 2, matches: () => true });
    // Assess
    expect(page.items.map((i) => i.id)).toEqual([items[0]!.id, items[1]!.id]);
    expect(page.lastKey).toBe(indexAttributes(items[1]!).queueSk);
    const input = ddb.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ IndexName: 'OpenByDueV2', ExpressionAttributeValues: { ':pk': 'OPEN' } });
    expect(input.ExclusiveStartKey).toBeUndefined();
    expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);
  });

  it('resumes strictly after a key: the ExclusiveStartKey is rebuilt from it', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    const key = '0#2026-03-03T09:00:00.000Z#fb_abc123';
    const page = await queries.openQueue({ limit: 10, after: key, matches: () => true });
    expect(page).toEqual({ items: [] });
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input.ExclusiveStartKey).toEqual({ queuePk: 'OPEN', queueSk: key, pk: 'FB#fb_abc123', sk: 'ITEM' });
  });

  it('uses OpenByAssignee for one assignee, follows LastEvaluatedKey, and skips resolved leftovers of the eventually consistent index', async () => {
    const mine = complaintFixture({ assignee: 'agent-a' });
    const resolved = complaintFixture({ assignee: 'agent-a', status: 'resolved' });
    const later = complaintFixture({ assignee: 'agent-a', receivedAt: '2026-03-05T00:00:00.000Z' });
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [record(mine), { ...record(resolved), assigneePk: 'ASSIGNEE#agent-a' }], LastEvaluatedKey: { k: 1 } })
      .resolvesOnce({ Items: [record(later)] });
    const page = await queries.openQueue({ assignee: 'agent-a', limit: 5, matches: () => true });
    expect(page.items.map((i) => i.id)).toEqual([mine.id, later.id]);
    expect(page.lastKey).toBeUndefined();
    const calls = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(calls[0]).toMatchObject({ IndexName: 'OpenByAssignee', ExpressionAttributeValues: { ':pk': 'ASSIGNEE#agent-a' } });
    expect(calls[1]!.ExclusiveStartKey).toEqual({ k: 1 });
  });

  it('gives no lastKey when exactly `limit` matches exist', async () => {
    const items = [complaintFixture(), complaintFixture()];
    ddb.on(QueryCommand).resolves({ Items: items.map(record) });
    expect((await queries.openQueue({ limit: 2, matches: () => true })).lastKey).toBeUndefined();
  });
});

describe('byDay', () => {
  it('walks one FeedbackByDay partition per UTC day within the window, carrying a page across days', async () => {
    const d1 = complaintFixture({ receivedAt: '2026-03-01T10:00:00.000Z' });
    const d3a = complaintFixture({ receivedAt: '2026-03-03T10:00:00.000Z' });
    const d3b = complaintFixture({ receivedAt: '2026-03-03T11:00:00.000Z' });
    ddb.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: Record<string, string> }) => {
      const day = input.ExpressionAttributeValues[':pk'];
      return { Items: day === 'DAY#2026-03-01' ? [record(d1)] : day === 'DAY#2026-03-03' ? [record(d3a), record(d3b)] : [] };
    });
    const page = await queries.byDay({ from: '2026-03-01T00:00:00.000Z', to: '2026-03-04T00:00:00.000Z', limit: 2, matches: () => true });
    expect(page.items.map((i) => i.id)).toEqual([d1.id, d3a.id]);
    expect(page.lastKey).toBe(`${d3a.receivedAt}#${d3a.id}`);
    // Every day is asked whether it holds anything; only the days that do are read (the empty 2nd is not).
    expect(probes().map((c) => c.args[0].input.ExpressionAttributeValues![':pk'])).toEqual(['DAY#2026-03-01', 'DAY#2026-03-02', 'DAY#2026-03-03']);
    expect(probes()[0]!.args[0].input).toMatchObject({ IndexName: 'FeedbackByDayV2', Limit: 1 });
    expect(reads().map((c) => c.args[0].input.ExpressionAttributeValues![':pk'])).toEqual(['DAY#2026-03-01', 'DAY#2026-03-03']);
    expect(reads()[0]!.args[0].input).toMatchObject({ IndexName: 'FeedbackByDayV2', KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lo AND :hi' });

    // Resuming starts at the cursor's day, after its key.
    ddb.resetHistory();
    const next = await queries.byDay({ from: '2026-03-01T00:00:00.000Z', to: '2026-03-04T00:00:00.000Z', limit: 2, after: page.lastKey!, matches: () => true });
    const first = reads()[0]!.args[0].input;
    expect(first.ExpressionAttributeValues![':pk']).toBe('DAY#2026-03-03');
    expect(first.ExclusiveStartKey).toEqual({ dayPk: 'DAY#2026-03-03', daySk: page.lastKey, pk: itemPk(d3a.id), sk: 'ITEM' });
    expect(probes()).toHaveLength(0);
    expect(next.items).toBeDefined();
  });

  it('answers the items of a window whose earlier days are empty on the first page (a new stack, a quiet month)', async () => {
    const today = complaintFixture({ receivedAt: '2026-03-30T10:00:00.000Z' });
    ddb.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: Record<string, string> }) => ({ Items: input.ExpressionAttributeValues[':pk'] === 'DAY#2026-03-30' ? [record(today)] : [] }));
    const page = await queries.byDay({ from: '2026-03-01T10:30:00.000Z', to: '2026-03-30T10:30:00.000Z', limit: 50, matches: () => true });
    expect(page).toEqual({ items: [today] });
    expect(reads()).toHaveLength(1);
    expect(probes()).toHaveLength(30);
  });

  it('looks through at most DAY_PROBE_LIMIT days per request, then answers a cursor at the next day', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    const YEAR = { from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' };
    const page = await queries.byDay({ ...YEAR, limit: 10, matches: () => true });
    const next = new Date(Date.UTC(2026, 0, 1 + DAY_PROBE_LIMIT)).toISOString().slice(0, 10);
    expect(page).toEqual({ items: [], lastKey: next });
    expect(probes()).toHaveLength(DAY_PROBE_LIMIT);
    expect(reads()).toHaveLength(0);
    ddb.resetHistory();
    await queries.byDay({ ...YEAR, limit: 10, matches: () => true, after: page.lastKey! });
    expect(probes()[0]!.args[0].input.ExpressionAttributeValues![':pk']).toBe(`DAY#${next}`);
  });
});

describe('read budget: a filter that matches nothing stops after a bounded read and answers a cursor', () => {
  const YEAR = { from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' };

  it('walks a year of days in requests of at most LIST_READ_BUDGET.queries queries each, every day read once', async () => {
    // Prepare: one non-matching item a day
    const byDayPk = (day: string) => complaintFixture({ receivedAt: `${day.slice(4)}T12:00:00.000Z` });
    ddb.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: Record<string, string>; ExclusiveStartKey?: unknown }) => ({
      Items: input.ExclusiveStartKey ? [] : [record(byDayPk(input.ExpressionAttributeValues[':pk']!))],
    }));
    const perRequest: number[] = [];
    const pages: number[] = [];
    let after: string | undefined;
    // Act
    for (let request = 0; request < 100; request++) {
      ddb.resetHistory();
      const page = await queries.byDay({ ...YEAR, limit: 50, matches: () => false, ...(after ? { after } : {}) });
      perRequest.push(reads().length);
      pages.push(page.items.length);
      after = page.lastKey;
      if (!after) break;
    }
    // Assess
    expect(Math.max(...perRequest)).toBeLessThanOrEqual(LIST_READ_BUDGET.queries);
    expect(pages.every((n) => n === 0)).toBe(true);
    expect(perRequest.reduce((a, b) => a + b, 0)).toBe(365);
    expect(perRequest.length).toBe(Math.ceil(365 / LIST_READ_BUDGET.queries));
  });

  it('a day not yet read at the budget boundary resumes from its start (no item key needed)', async () => {
    // Prepare: one item a day, none matching
    ddb.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: Record<string, string> }) => ({ Items: [record(complaintFixture({ receivedAt: `${input.ExpressionAttributeValues[':pk']!.slice(4)}T12:00:00.000Z` }))] }));
    const small = new DynamoAdminQueries(doc, 'redress-test', { queries: 2, items: 1_000, answerBytes: 1 << 22 });
    const page = await small.byDay({ ...YEAR, limit: 10, matches: () => false });
    // Two reads spent on the 1st and 2nd: the 3rd is next, from its start.
    expect(page).toEqual({ items: [], lastKey: '2026-01-03' });
    ddb.resetHistory();
    await small.byDay({ ...YEAR, limit: 10, matches: () => false, after: page.lastKey! });
    const first = reads()[0]!.args[0].input;
    expect(first.ExpressionAttributeValues![':pk']).toBe('DAY#2026-01-03');
    expect(first.ExclusiveStartKey).toBeUndefined();
  });

  it('the open queue reads at most LIST_READ_BUDGET.items items per request and resumes after the last one read', async () => {
    // Prepare: an endless partition of non-matching complaints
    let served = 0;
    ddb.on(QueryCommand).callsFake((input: { Limit: number }) => {
      const items = Array.from({ length: input.Limit }, (_, i) => complaintFixture({ receivedAt: new Date(Date.UTC(2026, 0, 1) + (served + i) * 60_000).toISOString() }));
      served += items.length;
      return { Items: items.map(record), LastEvaluatedKey: { k: served } };
    });
    // Act
    const page = await queries.openQueue({ limit: 50, matches: () => false });
    // Assess
    expect(served).toBe(LIST_READ_BUDGET.items);
    expect(ddb.commandCalls(QueryCommand).length).toBeLessThanOrEqual(LIST_READ_BUDGET.queries);
    expect(page.items).toEqual([]);
    expect(page.lastKey).toMatch(/#fb_/);
    ddb.resetHistory();
    await queries.openQueue({ limit: 50, matches: () => false, after: page.lastKey! });
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input.ExclusiveStartKey).toMatchObject({ queueSk: page.lastKey });
  });

  it('a selective filter returns the matches found within the budget, and the next page goes on after the last item read', async () => {
    const items = Array.from({ length: 3000 }, (_, i) => complaintFixture({ receivedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(), severity: i % 700 === 0 ? 'critical' : 'low' }));
    ddb.on(QueryCommand).callsFake((input: { Limit: number; ExclusiveStartKey?: { queueSk: string } }) => {
      const start = input.ExclusiveStartKey ? items.findIndex((i) => indexAttributes(i).queueSk === input.ExclusiveStartKey!.queueSk) + 1 : 0;
      const slice = items.slice(start, start + input.Limit);
      return { Items: slice.map(record), ...(start + input.Limit < items.length ? { LastEvaluatedKey: { queueSk: indexAttributes(slice.at(-1)!).queueSk } } : {}) };
    });
    const critical = (i: FeedbackItem) => i.severity === 'critical';
    const found: string[] = [];
    let after: string | undefined;
    for (let n = 0; n < 10; n++) {
      const page = await queries.openQueue({ limit: 50, matches: critical, ...(after ? { after } : {}) });
      found.push(...page.items.map((i) => i.id));
      after = page.lastKey;
      if (!after) break;
    }
    expect(found).toEqual(items.filter(critical).map((i) => i.id));
  });

  it('cuts a page of large items before it outgrows the answer budget', async () => {
    const big = (h: number) => complaintFixture({ receivedAt: `2026-03-02T0${h}:00:00.000Z`, text: 'x'.repeat(300_000) });
    const items = [0, 1, 2, 3, 4].map(big);
    ddb.on(QueryCommand).resolves({ Items: items.map(record) });
    const small = new DynamoAdminQueries(doc, 'redress-test', { queries: 10, items: 1_000, answerBytes: 1_000_000 });
    const page = await small.openQueue({ limit: 50, matches: () => true });
    expect(page.items.map((i) => i.id)).toEqual(items.slice(0, 3).map((i) => i.id));
    expect(page.lastKey).toBe(indexAttributes(items[2]!).queueSk);
  });
});

describe('lists over projecting indexes (OpenByDueV2, FeedbackByDayV2)', () => {
  it('filter on the projection, then read whole only the page: the answer is whole items, as before', async () => {
    const items = [0, 1, 2, 3, 4, 5].map((h) => complaintFixture({ receivedAt: `2026-03-02T0${h}:00:00.000Z`, severity: h % 2 ? 'high' : 'low', text: `complaint ${h}` }));
    ddb.on(QueryCommand).resolves({ Items: items.map((i) => projected(i, TABLE_INDEXES.openByDue)) });
    const page = await queries.openQueue({ limit: 2, matches: (i) => i.severity === 'high' });
    expect(page.items).toEqual([items[1], items[3]]);
    expect(page.lastKey).toBe(indexAttributes(items[3]!).queueSk);
    const keys = ddb.commandCalls(BatchGetCommand).flatMap((c) => Object.values(c.args[0].input.RequestItems!)[0]!.Keys!);
    expect(keys).toEqual([{ pk: itemPk(items[1]!.id), sk: 'ITEM' }, { pk: itemPk(items[3]!.id), sk: 'ITEM' }]);
    expect(ddb.commandCalls(BatchGetCommand)[0]!.args[0].input.RequestItems!['redress-test']!.ConsistentRead).toBe(true);
  });

  it('with a prefilter (matches reads more than the projection: breached), read candidates whole as the page has room, and matches decides', async () => {
    // Six high-severity complaints; only the odd ones "breached" (what the projection cannot tell).
    const items = [0, 1, 2, 3, 4, 5].map((h) => complaintFixture({ receivedAt: `2026-03-02T0${h}:00:00.000Z`, severity: 'high', text: `complaint ${h}` }));
    const breached = new Set([items[1]!.id, items[3]!.id, items[5]!.id]);
    ddb.on(QueryCommand).resolves({ Items: items.map((i) => projected(i, TABLE_INDEXES.openByDue)) });
    const matches = (i: FeedbackItem) => i.severity === 'high' && i.text !== undefined && breached.has(i.id);
    const page = await queries.openQueue({ limit: 2, matches, prefilter: (i) => i.severity === 'high' });
    expect(page.items).toEqual([items[1], items[3]]);
    // After the page is full, one more match is looked for (read whole to know) before lastKey is given.
    expect(page.lastKey).toBe(indexAttributes(items[3]!).queueSk);
    const read = ddb.commandCalls(BatchGetCommand).flatMap((c) => Object.values(c.args[0].input.RequestItems!)[0]!.Keys!.map((k) => k.pk));
    expect(new Set(read).size).toBe(read.length);
    expect(read).toContain(itemPk(items[5]!.id));
  });

  it('leave out an item deleted, or no longer matching, since the index listed it', async () => {
    const items = [0, 1, 2].map((h) => complaintFixture({ receivedAt: `2026-03-02T0${h}:00:00.000Z` }));
    const entries = items.map((i) => projected(i, TABLE_INDEXES.feedbackByDay));
    table.delete(itemPk(items[0]!.id));
    table.set(itemPk(items[1]!.id), { ...table.get(itemPk(items[1]!.id))!, kind: 'praise' });
    ddb.on(QueryCommand).resolves({ Items: entries });
    const page = await queries.byDay({ from: '2026-03-02T00:00:00.000Z', to: '2026-03-03T00:00:00.000Z', limit: 10, matches: (i) => i.kind === 'complaint' });
    expect(page.items).toEqual([items[2]]);
  });
});

describe('projectDays', () => {
  it('reads every day of the window with a projection of the requested attributes', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ id: 'fb_x', kind: 'praise' }] });
    const rows = await queries.projectDays({ from: '2026-01-01T00:00:00.000Z', to: '2026-03-31T00:00:00.000Z' }, ['id', 'kind', 'status']);
    const calls = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(89);
    expect(rows).toHaveLength(89);
    expect(calls[0]).toMatchObject({ IndexName: 'MetricsByDay', ProjectionExpression: '#a0, #a1, #a2', ExpressionAttributeNames: { '#a0': 'id', '#a1': 'kind', '#a2': 'status' } });
    expect(new Set(calls.map((c) => c.ExpressionAttributeValues![':pk'])).size).toBe(89);
  });
});
