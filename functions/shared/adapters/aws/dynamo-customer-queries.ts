/**
 * CustomerQueries on DynamoDB (dynalite locally), through CustomerHistoryV2 and ComplaintsByDay
 * (table-design.ts). A history page over several linked keys reads each key's newest `limit + 1` before
 * the position and merges them by receipt: exact, one Query per key per page. The index projects what
 * the lists filter on and the counts read, so a page's items are then read whole (BatchGetItem).
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CustomerFactRecord, CustomerHistoryRequest, CustomerQueries, KeyedComplaintRecord } from '../../ports/customer-queries.ts';
import type { Page } from '../../ports/admin-queries.ts';
import { TABLE_INDEXES, customerHistoryPk } from '../table-design.ts';
import type { FeedbackItem } from '../../../../schemas/feedback.ts';
import { batchGetItems } from './batch-get-items.ts';
import { readDayPartitions } from './day-partitions.ts';
import { fromRecord } from './dynamo-feedback-repository.ts';

const READ_BATCH = 200;

export class DynamoCustomerQueries implements CustomerQueries {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async history(request: CustomerHistoryRequest): Promise<Page> {
    const index = TABLE_INDEXES.customerHistory;
    const perKey = await Promise.all(
      request.keys.map(async (key) => {
        const res = await this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: index.name,
            KeyConditionExpression: request.before ? '#pk = :pk AND #sk < :before' : '#pk = :pk',
            ExpressionAttributeNames: { '#pk': index.partitionKey, ...(request.before ? { '#sk': index.sortKey } : {}) },
            ExpressionAttributeValues: { ':pk': customerHistoryPk(key), ...(request.before ? { ':before': request.before } : {}) },
            ScanIndexForward: false,
            Limit: request.limit + 1,
          }),
        );
        return (res.Items ?? []).map((record) => ({ key: String(record[index.sortKey]), item: fromRecord(record).item }));
      }),
    );
    const merged = perKey.flat().sort((x, y) => (x.key < y.key ? 1 : x.key > y.key ? -1 : 0));
    const page = merged.slice(0, request.limit);
    const more = merged.length > request.limit;
    const items = page.map((e) => e.item);
    return { items: request.projected ? items : await this.wholeItems(items), ...(more && page.length ? { lastKey: page[page.length - 1]!.key } : {}) };
  }

  async wholeItems(items: readonly FeedbackItem[]): Promise<FeedbackItem[]> {
    const whole = await batchGetItems(this.doc, this.tableName, items.map((i) => i.id));
    return items.flatMap((i) => whole.get(i.id) ?? []);
  }

  async facts(keys: readonly string[], options: { since?: string; max: number }): Promise<{ facts: CustomerFactRecord[]; truncated: boolean }> {
    const index = TABLE_INDEXES.customerHistory;
    let truncated = false;
    const perKey = await Promise.all(
      keys.map(async (key) => {
        const facts: CustomerFactRecord[] = [];
        let start: Record<string, unknown> | undefined;
        do {
          const res = await this.doc.send(
            new QueryCommand({
              TableName: this.tableName,
              IndexName: index.name,
              KeyConditionExpression: options.since ? '#pk = :pk AND #sk >= :since' : '#pk = :pk',
              ProjectionExpression: 'id, kind, #status, receivedAt, customerKey',
              ExpressionAttributeNames: { '#pk': index.partitionKey, '#status': 'status', ...(options.since ? { '#sk': index.sortKey } : {}) },
              ExpressionAttributeValues: { ':pk': customerHistoryPk(key), ...(options.since ? { ':since': options.since } : {}) },
              ScanIndexForward: false,
              Limit: Math.max(1, Math.min(READ_BATCH, options.max - facts.length)),
              ...(start ? { ExclusiveStartKey: start } : {}),
            }),
          );
          for (const record of res.Items ?? []) facts.push(record as CustomerFactRecord);
          start = res.LastEvaluatedKey;
          if (start && facts.length >= options.max) {
            truncated = true;
            break;
          }
        } while (start);
        return facts;
      }),
    );
    return { facts: perKey.flat(), truncated };
  }

  async keyedComplaints(window: { from: string; to: string }): Promise<KeyedComplaintRecord[]> {
    return readDayPartitions<KeyedComplaintRecord>(this.doc, this.tableName, TABLE_INDEXES.complaintsByDay, 'CDAY#', window, ['id', 'receivedAt', 'customerKey']);
  }
}
