/** FeedbackRepository on DynamoDB (and on dynalite locally: same API, same code). */
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FeedbackItem } from '../../../../schemas/feedback.ts';
import type { Effect, FeedbackRepository, StoredFeedback } from '../../ports/feedback-repository.ts';
import { ITEM_SK, RECEIPT_SK, indexAttributes, itemPk } from '../table-design.ts';

/** A document client that drops undefined attributes (optional fields) instead of failing. */
export function createDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

const BOOKKEEPING = new Set(['pk', 'sk', 'effectsDone', 'dayPk', 'daySk', 'queuePk', 'queueSk', 'assigneePk', 'assigneeSk']);

/** Splits a stored record into the item and its bookkeeping. */
export function fromRecord(record: Record<string, unknown>): StoredFeedback {
  const item: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (!BOOKKEEPING.has(k)) item[k] = v;
  const done = record.effectsDone;
  return { item: item as FeedbackItem, effectsDone: done instanceof Set ? ([...done] as Effect[]) : [] };
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

  async createIfAbsent(item: FeedbackItem, _effectsPending: Effect[]): Promise<{ created: boolean; stored: StoredFeedback }> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...item, pk: itemPk(item.id), sk: ITEM_SK, ...indexAttributes(item) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { created: true, stored: { item, effectsDone: [] } };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
    const existing = await this.get(item.id);
    if (!existing) throw new Error(`item ${item.id} exists but cannot be read`);
    return { created: false, stored: existing };
  }

  async markEffectsDone(id: string, effects: Effect[]): Promise<void> {
    if (effects.length === 0) return;
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: itemPk(id), sk: ITEM_SK },
        // ADD on a string set is idempotent: marking twice after a retry changes nothing.
        UpdateExpression: 'ADD effectsDone :e',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':e': new Set(effects) },
      }),
    );
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
