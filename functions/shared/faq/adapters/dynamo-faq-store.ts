/**
 * FaqStore on the single DynamoDB table (dynalite locally: same code). A snapshot (index-codec.ts, Brotli,
 * about 370 KB for the 1,700-entry sample FAQ) does not fit one 400 KB item, so it is cut into chunks of at
 * most CHUNK_BYTES under a key unique to the save; the head item names the chunks, their SHA-256 and the
 * version. Readers get the head, then the chunks in one BatchGet: two round trips, a few milliseconds,
 * and the functions cache the decoded index by version (faq-index-cache.ts), so a warm Lambda reads one
 * small item at most every half minute. (S3 would hold the snapshot in one object but adds a bucket,
 * its IAM and a second service to the local stack for a blob this size.)
 *
 * | record | pk | sk |
 * |---|---|---|
 * | head | `FAQ` | `HEAD` |
 * | audit record | `FAQ` | `AUDIT#<version, 10 digits>` |
 * | snapshot chunk | `FAQ#<snapshot id>` | `CHUNK#<n, 4 digits>` |
 *
 * A save writes its chunks, then the head conditionally on the version it read (single-item writes only,
 * as everywhere in Redress), then the audit record, then deletes the previous snapshot's chunks. The head
 * carries its own audit record, so a crash before the audit put is repaired by the next save.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FaqError } from '../errors.ts';
import { FaqVersionConflictError, type FaqChange, type FaqHead, type FaqStore } from '../faq-store.ts';

/** Snapshot bytes per chunk item (below the 400 KB item limit with room for keys and attribute names). */
export const CHUNK_BYTES = 300_000;
const PK = 'FAQ';
const HEAD_SK = 'HEAD';
const auditSk = (version: number) => `AUDIT#${String(version).padStart(10, '0')}`;
const chunkPk = (snapshotId: string) => `FAQ#${snapshotId}`;
const chunkSk = (n: number) => `CHUNK#${String(n).padStart(4, '0')}`;

interface HeadRecord extends FaqHead {
  snapshotId: string;
  chunks: number;
  bytes: number;
  sha256: string;
  change: FaqChange;
}

/** Thrown when the chunks of a snapshot do not add up to what its head says (never served half an index). */
export class FaqSnapshotCorruptError extends FaqError {
  override name = 'FaqSnapshotCorruptError';
}

export class DynamoFaqStore implements FaqStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async head(): Promise<FaqHead | null> {
    const record = await this.headRecord();
    return record ? toHead(record) : null;
  }

  async load(): Promise<{ head: FaqHead; snapshot: Uint8Array } | null> {
    // A save that lands between reading the head and the chunks deletes those chunks: read the head again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const record = await this.headRecord();
      if (!record) return null;
      const snapshot = await this.readChunks(record);
      if (snapshot) return { head: toHead(record), snapshot };
    }
    throw new FaqSnapshotCorruptError('FAQ snapshot chunks are missing or do not match their head');
  }

  async save(snapshot: Uint8Array, change: FaqChange): Promise<FaqHead> {
    const previous = await this.headRecord();
    if (previous) await this.putAudit(previous.change); // repairs a save that crashed before its audit put
    const expected = change.version > 1 ? change.version - 1 : null;
    if ((previous?.version ?? null) !== expected) throw new FaqVersionConflictError(expected, previous?.version ?? null);
    const snapshotId = `v${change.version}-${randomBytes(6).toString('hex')}`;
    const chunks = Math.max(1, Math.ceil(snapshot.length / CHUNK_BYTES));
    await this.batchWrite(Array.from({ length: chunks }, (_, n) => ({ PutRequest: { Item: { pk: chunkPk(snapshotId), sk: chunkSk(n), data: snapshot.subarray(n * CHUNK_BYTES, (n + 1) * CHUNK_BYTES) } } })));
    const record: HeadRecord = {
      version: change.version,
      updatedAt: change.at,
      updatedBy: change.actor,
      entries: change.counts.entries,
      snapshotId,
      chunks,
      bytes: snapshot.length,
      sha256: sha256(snapshot),
      change,
    };
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: PK, sk: HEAD_SK, ...record },
          ConditionExpression: expected === null ? 'attribute_not_exists(pk)' : 'version = :expected',
          ...(expected === null ? {} : { ExpressionAttributeValues: { ':expected': expected } }),
        }),
      );
    } catch (err) {
      await this.deleteChunks(snapshotId, chunks).catch(() => undefined);
      if (err instanceof ConditionalCheckFailedException || (err as { name?: string }).name === 'ConditionalCheckFailedException') throw new FaqVersionConflictError(expected, (await this.headRecord())?.version ?? null);
      throw err;
    }
    await this.putAudit(change);
    // Left-over chunks of an old snapshot are harmless (never read again); deleting them is housekeeping.
    if (previous) await this.deleteChunks(previous.snapshotId, previous.chunks).catch(() => undefined);
    return toHead(record);
  }

  async history(limit: number): Promise<FaqChange[]> {
    const r = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
        ExpressionAttributeValues: { ':pk': PK, ':audit': 'AUDIT#' },
        ScanIndexForward: false,
        Limit: Math.max(1, Math.min(limit, 100)),
      }),
    );
    return (r.Items ?? []).map(({ pk: _pk, sk: _sk, ...change }) => change as FaqChange);
  }

  private async headRecord(): Promise<HeadRecord | null> {
    const r = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: PK, sk: HEAD_SK }, ConsistentRead: true }));
    return (r.Item as (HeadRecord & { pk: string; sk: string }) | undefined) ?? null;
  }

  /** The snapshot of a head, or null when a chunk is gone (a newer save removed it). */
  private async readChunks(head: HeadRecord): Promise<Uint8Array | null> {
    const parts = new Map<string, Uint8Array>();
    let keys = Array.from({ length: head.chunks }, (_, n) => ({ pk: chunkPk(head.snapshotId), sk: chunkSk(n) }));
    for (let round = 0; keys.length && round < 8; round++) {
      const r = await this.doc.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }));
      for (const item of r.Responses?.[this.tableName] ?? []) parts.set(item.sk as string, item.data as Uint8Array);
      keys = (r.UnprocessedKeys?.[this.tableName]?.Keys as typeof keys | undefined) ?? [];
    }
    if (parts.size !== head.chunks) return null;
    const snapshot = Buffer.concat(Array.from({ length: head.chunks }, (_, n) => parts.get(chunkSk(n))!));
    if (snapshot.length !== head.bytes || sha256(snapshot) !== head.sha256) throw new FaqSnapshotCorruptError(`FAQ snapshot ${head.snapshotId} does not match its checksum`);
    return snapshot;
  }

  private async putAudit(change: FaqChange): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { pk: PK, sk: auditSk(change.version), ...change } }));
  }

  private async deleteChunks(snapshotId: string, chunks: number): Promise<void> {
    await this.batchWrite(Array.from({ length: chunks }, (_, n) => ({ DeleteRequest: { Key: { pk: chunkPk(snapshotId), sk: chunkSk(n) } } })));
  }

  /** BatchWrite in groups of 25, retrying unprocessed requests with a short backoff. */
  private async batchWrite(requests: Array<Record<string, unknown>>): Promise<void> {
    for (let i = 0; i < requests.length; i += 25) {
      let pending = requests.slice(i, i + 25);
      for (let round = 0; pending.length; round++) {
        if (round >= 8) throw new Error('DynamoDB kept requests of a FAQ save unprocessed');
        if (round) await new Promise((r) => setTimeout(r, 50 * 2 ** round));
        const r = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }));
        pending = (r.UnprocessedItems?.[this.tableName] as typeof pending | undefined) ?? [];
      }
    }
  }
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

function toHead(r: HeadRecord): FaqHead {
  return { version: r.version, updatedAt: r.updatedAt, updatedBy: r.updatedBy, entries: r.entries };
}
