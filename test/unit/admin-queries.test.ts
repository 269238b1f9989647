/** DynamoAdminQueries against a mocked DynamoDB document client: which index, which keys, how pages are cut. */
import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoAdminQueries } from '../../functions/shared/adapters/aws/dynamo-admin-queries.ts';
import { indexAttributes, itemPk } from '../../functions/shared/adapters/table-design.ts';
import { complaintFixture } from '../../functions/admin/test-fixtures.ts';
import type { FeedbackItem } from '../../schemas/feedback.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));
const ddb = mockClient(doc);
const queries = new DynamoAdminQueries(doc, 'redress-test');
const record = (item: FeedbackItem) => ({ ...item, pk: itemPk(item.id), sk: 'ITEM', ...indexAttributes(item) });

beforeEach(() => ddb.reset());

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
    expect(input).toMatchObject({ IndexName: 'OpenByDue', ExpressionAttributeValues: { ':pk': 'OPEN' } });
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
    const days = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input.ExpressionAttributeValues![':pk']);
    expect(days).toEqual(['DAY#2026-03-01', 'DAY#2026-03-02', 'DAY#2026-03-03']);
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input).toMatchObject({ IndexName: 'FeedbackByDay', KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lo AND :hi' });

    // Resuming starts at the cursor's day, after its key.
    ddb.resetHistory();
    const next = await queries.byDay({ from: '2026-03-01T00:00:00.000Z', to: '2026-03-04T00:00:00.000Z', limit: 2, after: page.lastKey!, matches: () => true });
    const first = ddb.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(first.ExpressionAttributeValues![':pk']).toBe('DAY#2026-03-03');
    expect(first.ExclusiveStartKey).toEqual({ dayPk: 'DAY#2026-03-03', daySk: page.lastKey, pk: itemPk(d3a.id), sk: 'ITEM' });
    expect(next.items).toBeDefined();
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
