/** The sweeper's reply work list: items whose outbox owes a reply's send that is overdue (RepliesDue GSI, sparse). */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RepliesDueIndex } from '../../ports/replies-due.ts';
import { TABLE_INDEXES } from '../table-design.ts';

export class DynamoRepliesDue implements RepliesDueIndex {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async due(before: string, limit: number): Promise<string[]> {
    const index = TABLE_INDEXES.repliesDue;
    const ids: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const res = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index.name,
          // Sort keys are `<due>#<id>`: everything strictly before `before` sorts below `<before>`.
          KeyConditionExpression: '#pk = :pk AND #sk < :before',
          ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey, '#id': 'id' },
          ExpressionAttributeValues: { ':pk': 'REPLIES', ':before': before },
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
}
