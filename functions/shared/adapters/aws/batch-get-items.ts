/**
 * Whole feedback items by id, in BatchGetItem calls of at most 100 keys (consistent reads), retrying
 * what DynamoDB leaves unprocessed: the admin lists read their indexes' projections to filter and read
 * only a page's items whole. An item deleted meanwhile is absent from the answer.
 */
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FeedbackItem } from '../../../../schemas/feedback.ts';
import { ITEM_SK, itemPk } from '../table-design.ts';
import { fromRecord } from './dynamo-feedback-repository.ts';

export async function batchGetItems(doc: DynamoDBDocumentClient, tableName: string, ids: readonly string[]): Promise<Map<string, FeedbackItem>> {
  const found = new Map<string, FeedbackItem>();
  for (let i = 0; i < ids.length; i += 100) {
    let keys: unknown[] = ids.slice(i, i + 100).map((id) => ({ pk: itemPk(id), sk: ITEM_SK }));
    for (let round = 0; keys.length; round++) {
      if (round > 7) throw new Error('BatchGetItem: keys unprocessed');
      if (round) await new Promise((r) => setTimeout(r, 25 << round));
      const res = await doc.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys as Array<Record<string, unknown>>, ConsistentRead: true } } }));
      for (const record of res.Responses?.[tableName] ?? []) found.set(record.id as string, fromRecord(record).item);
      keys = res.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return found;
}
