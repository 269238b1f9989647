import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../adapters/aws/dynamo-feedback-repository.ts';
import { startLocalDynamo, type LocalDynamo } from '../../../../infra/local/dynamo-local.ts';
import { faqChange, FaqVersionConflictError } from '../faq-store.ts';
import { CHUNK_BYTES, DynamoFaqStore } from './dynamo-faq-store.ts';

const TABLE = 'faq-store-test';
let dynamo: LocalDynamo;
const change = (version: number, actor = 'alice') => faqChange(version, `2026-12-01T10:00:0${version}Z`, actor, 'replace', { added: [`e${version}`], updated: [], removed: [], unchanged: 0 }, version);

describe('DynamoFaqStore (against dynalite)', () => {
  beforeAll(async () => {
    dynamo = await startLocalDynamo(undefined, TABLE, { inProcess: true });
  });
  afterAll(async () => {
    await dynamo.close();
  });

  it('stores a snapshot larger than one item in chunks and reads it back exactly', async () => {
    const store = new DynamoFaqStore(createDocumentClient(dynamo.client), `${TABLE}`);
    const snapshot = randomBytes(CHUNK_BYTES * 2 + 1234);
    const head = await store.save(snapshot, change(1));
    expect(head).toEqual({ version: 1, updatedAt: '2026-12-01T10:00:01Z', updatedBy: 'alice', entries: 1 });
    const loaded = await store.load();
    expect(Buffer.compare(Buffer.from(loaded!.snapshot), snapshot)).toBe(0);
    expect(await store.head()).toEqual(head);
  });

  it('refuses a save based on a stale version, keeping the current snapshot', async () => {
    const store = new DynamoFaqStore(createDocumentClient(dynamo.client), TABLE);
    await expect(store.save(Buffer.from('stale'), change(1, 'mallory'))).rejects.toBeInstanceOf(FaqVersionConflictError);
    expect((await store.head())?.updatedBy).toBe('alice');
  });

  it('replaces the snapshot, deletes the old chunks and keeps the audit trail newest first', async () => {
    const doc = createDocumentClient(dynamo.client);
    const store = new DynamoFaqStore(doc, TABLE);
    const before = (await doc.send(new GetCommand({ TableName: TABLE, Key: { pk: 'FAQ', sk: 'HEAD' } }))).Item!;
    await store.save(Buffer.from('second'), change(2, 'bob'));
    expect(Buffer.from((await store.load())!.snapshot).toString()).toBe('second');
    const oldChunk = await doc.send(new GetCommand({ TableName: TABLE, Key: { pk: `FAQ#${before.snapshotId}`, sk: 'CHUNK#0000' } }));
    expect(oldChunk.Item).toBeUndefined();
    expect((await store.history(10)).map((c) => [c.version, c.actor])).toEqual([
      [2, 'bob'],
      [1, 'alice'],
    ]);
  });

  it('repairs an audit record lost to a crash on the next save', async () => {
    const doc = createDocumentClient(dynamo.client);
    const store = new DynamoFaqStore(doc, TABLE);
    await doc.send(new DeleteCommand({ TableName: TABLE, Key: { pk: 'FAQ', sk: 'AUDIT#0000000002' } }));
    await store.save(Buffer.from('third'), change(3, 'carol'));
    expect((await store.history(10)).map((c) => c.version)).toEqual([3, 2, 1]);
  });
});
