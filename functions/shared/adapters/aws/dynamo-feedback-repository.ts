/** FeedbackRepository on DynamoDB (and on dynalite locally: same API, same code). */
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FeedbackItem, TimelineEntry } from '../../../../schemas/feedback.ts';
import { VersionConflictError, outboxKey, type FeedbackRepository, type OutboxEntry, type StoredFeedback } from '../../ports/feedback-repository.ts';
import { ITEM_SK, RECEIPT_SK, indexAttributes, itemPk, replyDueAttributes } from '../table-design.ts';
import { reportAttributes } from '../../reports/report-facts.ts';

/** A document client that drops undefined attributes (optional fields) instead of failing. */
export function createDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

const BOOKKEEPING = new Set(['pk', 'sk', 'outbox', 'dayPk', 'daySk', 'queuePk', 'queueSk', 'assigneePk', 'assigneeSk', 'actionPk', 'actionSk', 'triagePk', 'triageSk', 'customerPk', 'customerSk', 'cdayPk', 'cdaySk', 'reportFacts', 'actPk', 'actSk', 'replyDuePk', 'replyDueSk']);

/** Splits a stored record into the item and its bookkeeping. */
export function fromRecord(record: Record<string, unknown>): StoredFeedback {
  const item: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (!BOOKKEEPING.has(k)) item[k] = v;
  return { item: item as FeedbackItem, outbox: (record.outbox as Record<string, OutboxEntry> | undefined) ?? {} };
}

export class DynamoFeedbackRepository implements FeedbackRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async recordReceipt(id: string, receivedAt: string): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: itemPk(id), sk: RECEIPT_SK, receivedAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async createIfAbsent(item: FeedbackItem, outbox: OutboxEntry[]): Promise<{ created: boolean; stored: StoredFeedback }> {
    const entries = Object.fromEntries(outbox.map((e) => [outboxKey(e), e]));
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.record(item, entries),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { created: true, stored: { item, outbox: entries } };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
    const existing = await this.get(item.id);
    if (!existing) throw new Error(`item ${item.id} exists but cannot be read`);
    return { created: false, stored: existing };
  }

  async replace(item: FeedbackItem, expectedVersion: number, outbox: Record<string, OutboxEntry>): Promise<StoredFeedback> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.record(item, outbox),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      );
      return { item, outbox };
    } catch (err) {
      if (isConditionFailure(err)) throw new VersionConflictError(item.id, expectedVersion);
      throw err;
    }
  }

  async appendTimeline(id: string, entry: TimelineEntry, maxVersion: number): Promise<StoredFeedback> {
    try {
      const res = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: itemPk(id), sk: ITEM_SK },
          // No index attribute depends on the timeline or the version, so nothing else needs rewriting.
          UpdateExpression: 'SET #timeline = list_append(if_not_exists(#timeline, :none), :entries), #version = #version + :one',
          ConditionExpression: 'attribute_exists(pk) AND #version <= :maxVersion',
          ExpressionAttributeNames: { '#timeline': 'timeline', '#version': 'version' },
          ExpressionAttributeValues: { ':entries': [entry], ':none': [], ':one': 1, ':maxVersion': maxVersion },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromRecord(res.Attributes!);
    } catch (err) {
      if (isConditionFailure(err)) throw new VersionConflictError(id, maxVersion);
      throw err;
    }
  }

  async completeOutbox(id: string, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    const names = Object.fromEntries(keys.map((k, i) => [`#k${i}`, k]));
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: itemPk(id), sk: ITEM_SK },
        // Removing named keys is idempotent, and leaves entries another writer added meanwhile.
        UpdateExpression: `REMOVE ${keys.map((_, i) => `outbox.#k${i}`).join(', ')}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: names,
      }),
    );
  }

  private record(item: FeedbackItem, outbox: Record<string, OutboxEntry>): Record<string, unknown> {
    // reportAttributes: the timeline's summary and the activity index's keys the quarterly report reads.
    // replyDueAttributes: the sweeper's reply work list follows the outbox (completeOutbox never removes a reply's entry).
    return { ...item, pk: itemPk(item.id), sk: ITEM_SK, ...indexAttributes(item), ...reportAttributes(item), ...replyDueAttributes(item.id, outbox), outbox };
  }

  async get(id: string): Promise<StoredFeedback | undefined> {
    const res = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: itemPk(id), sk: ITEM_SK }, ConsistentRead: true }));
    return res.Item ? fromRecord(res.Item) : undefined;
  }
}

/** True for a failed condition (the SDK class, or its name when errors cross realms or come from dynalite). */
export function isConditionFailure(err: unknown): boolean {
  return err instanceof ConditionalCheckFailedException || (err as { name?: string })?.name === 'ConditionalCheckFailedException';
}
