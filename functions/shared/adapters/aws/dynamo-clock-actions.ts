/** The sweeper's work list: complaints whose next clock announcement is overdue (ClockActionsDue GSI). */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ClockActionsIndex } from '../../ports/clock-actions.ts';
import { TABLE_INDEXES } from '../table-design.ts';

export class DynamoClockActions implements ClockActionsIndex {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async overdue(before: string, limit: number): Promise<string[]> {
    const index = TABLE_INDEXES.clockActions;
    const ids: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const res = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index.name,
          KeyConditionExpression: '#pk = :pk AND #sk < :before',
          ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey, '#id': 'id' },
          ExpressionAttributeValues: { ':pk': 'CLOCKS', ':before': `${before}~` },
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
