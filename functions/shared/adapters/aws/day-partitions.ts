/**
 * Reading a window of a by-day index (MetricsByDay, ComplaintsByDay): one query chain per UTC day the
 * window touches, up to DAY_CONCURRENCY chains at a time, every page of each, projecting only `attributes`.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { utcDaysBetween } from '../../ports/admin-queries.ts';
import type { TableIndex } from '../table-design.ts';

/** Chains read at once: enough to overlap the network, few enough to stay well inside DynamoDB's limits. */
export const DAY_CONCURRENCY = 16;

/**
 * Every record of `index` whose partition is `<prefix><UTC day>` for a day of the window and whose sort
 * key lies between `window.from` and `window.to` (sort keys start with the receipt time).
 */
export async function readDayPartitions<T>(
  doc: DynamoDBDocumentClient,
  tableName: string,
  index: Pick<TableIndex, 'name' | 'partitionKey' | 'sortKey'>,
  prefix: string,
  window: { from: string; to: string },
  attributes: readonly string[],
): Promise<T[]> {
  const days = utcDaysBetween(window.from, window.to);
  const out: T[] = [];
  const names = Object.fromEntries(attributes.map((a, i) => [`#a${i}`, a]));
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < days.length; i = next++) {
      let start: Record<string, unknown> | undefined;
      do {
        const res = await doc.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: index.name,
            KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lo AND :hi',
            ProjectionExpression: Object.keys(names).join(', '),
            ExpressionAttributeNames: { ...names, '#pk': index.partitionKey, '#sk': index.sortKey },
            ExpressionAttributeValues: { ':pk': `${prefix}${days[i]}`, ':lo': window.from, ':hi': window.to },
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        for (const record of res.Items ?? []) out.push(record as T);
        start = res.LastEvaluatedKey;
      } while (start);
    }
  };
  await Promise.all(Array.from({ length: Math.min(DAY_CONCURRENCY, days.length) }, worker));
  return out;
}
