/**
 * The ids a sparse "due" index lists before a bound: one partition (`CLOCKS`, `REPLIES`), sort keys
 * `<due>#<id>`, only the id projected. The sweeper's two work lists (overdue clock announcements,
 * stranded replies) read their indexes this one way.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** A sparse index keyed on one constant partition and a `<due>#<id>` sort key. */
export interface DueIndex {
  name: string;
  partitionKey: string;
  sortKey: string;
}

/** Up to `limit` ids whose sort key is below `sortBelow`, soonest first, in pages of at most 100. */
export async function idsDueBefore(doc: DynamoDBDocumentClient, tableName: string, index: DueIndex, partition: string, sortBelow: string, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const res = await doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk AND #sk < :before',
        ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey, '#id': 'id' },
        ExpressionAttributeValues: { ':pk': partition, ':before': sortBelow },
        ProjectionExpression: '#id',
        Limit: Math.min(100, limit - ids.length),
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of res.Items ?? []) ids.push(String(item.id));
    startKey = res.LastEvaluatedKey;
  } while (startKey && ids.length < limit);
  return ids;
}
