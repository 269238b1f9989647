/**
 * CustomerLinks on DynamoDB (dynalite locally). Every link is one record in the `CUSTOMER_LINKS`
 * partition, keyed by its pair (smaller key first), so making or removing a link is one conditional
 * write and the whole link graph is one Query: links are made by supervisors and, during a key rotation's
 * overlap, once per returning customer, so the partition stays small next to the items. Audit entries
 * live under each key's own partition (`CUSTOMER#<key>`, `AUDIT#<at>#…`).
 */
import { DeleteCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CustomerLink, CustomerLinks, LinkAuditEntry } from '../../ports/customer-links.ts';
import type { KeyPair } from '../../customers/link-closure.ts';
import { CUSTOMER_LINKS_PK, customerLinkSk, customerPk } from '../table-design.ts';
import { isConditionFailure } from './dynamo-feedback-repository.ts';

export class DynamoCustomerLinks implements CustomerLinks {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async link(link: CustomerLink): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: CUSTOMER_LINKS_PK, sk: customerLinkSk(link.a, link.b), ...link },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async unlink(pair: KeyPair): Promise<CustomerLink | undefined> {
    try {
      const res = await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: CUSTOMER_LINKS_PK, sk: customerLinkSk(pair.a, pair.b) },
          ConditionExpression: 'attribute_exists(pk)',
          ReturnValues: 'ALL_OLD',
        }),
      );
      return res.Attributes ? linkOf(res.Attributes) : undefined;
    } catch (err) {
      if (isConditionFailure(err)) return undefined;
      throw err;
    }
  }

  async all(): Promise<CustomerLink[]> {
    const out: CustomerLink[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': CUSTOMER_LINKS_PK },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const record of res.Items ?? []) out.push(linkOf(record));
      start = res.LastEvaluatedKey;
    } while (start);
    return out;
  }

  async audit(entry: LinkAuditEntry): Promise<void> {
    // Under both keys, each entry seen from its key; the sort key is unique per (time, pair, action).
    const mirrored: LinkAuditEntry = { ...entry, customerKey: entry.otherKey, otherKey: entry.customerKey };
    await Promise.all(
      [entry, mirrored].map((e) =>
        this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { pk: customerPk(e.customerKey), sk: `AUDIT#${e.at}#${e.otherKey}#${e.action}`, ...e },
          }),
        ),
      ),
    );
  }

  async auditOf(key: string, limit: number): Promise<LinkAuditEntry[]> {
    const res = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
        ExpressionAttributeValues: { ':pk': customerPk(key), ':audit': 'AUDIT#' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (res.Items ?? []).map((r) => ({ at: String(r.at), action: r.action as LinkAuditEntry['action'], customerKey: String(r.customerKey), otherKey: String(r.otherKey), actor: String(r.actor) }));
  }
}

function linkOf(record: Record<string, unknown>): CustomerLink {
  return { a: String(record.a), b: String(record.b), linkedBy: String(record.linkedBy), linkedAt: String(record.linkedAt), reason: record.reason === 'key-rotation' ? 'key-rotation' : 'supervisor' };
}
