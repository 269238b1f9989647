/**
 * Whole feedback items by id, in BatchGetItem calls of at most 100 keys (consistent reads), retrying
 * what DynamoDB leaves unprocessed: the admin lists read their indexes' projections to filter and fetch
 * only a page's items whole. An item deleted meanwhile is simply absent from the answer.
 */
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FeedbackItem } from '../../../../schemas/feedback.ts';
import { ITEM_SK, itemPk } from '../table-design.ts';
import { fromRecord } from './dynamo-feedback-repository.ts';

const BATCH = 100;
const ATTEMPTS = 8;

export async function batchGetItems(doc: DynamoDBDocumentClient, tableName: string, ids: readonly string[]): Promise<Map<string, FeedbackItem>> {
  const found = new Map<string, FeedbackItem>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += BATCH) {
    let keys: Array<Record<string, unknown>> = unique.slice(i, i + BATCH).map((id) => ({ pk: itemPk(id), sk: ITEM_SK }));
    for (let attempt = 1; keys.length > 0; attempt++) {
      if (attempt > ATTEMPTS) throw new Error(`BatchGetItem left ${keys.length} keys unprocessed after ${ATTEMPTS} attempts`);
      if (attempt > 1) await new Promise((r) => setTimeout(r, Math.min(1_000, 25 * 2 ** attempt)));
      const res = await doc.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }));
      for (const record of res.Responses?.[tableName] ?? []) {
        const { item } = fromRecord(record);
        found.set(item.id, item);
      }
      keys = (res.UnprocessedKeys?.[tableName]?.Keys as Array<Record<string, unknown>> | undefined) ?? [];
    }
  }
  return found;
}
