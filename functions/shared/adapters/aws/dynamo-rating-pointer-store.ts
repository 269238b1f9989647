/**
 * RatingPointerStore on the single table: `RATE#<source>#<sha256 of the platform customer id>` / `POINTER`
 * (the customer's platform id is not written in a key), `expiresAt` in epoch seconds for the table's TTL;
 * a pointer past its window is ignored before the TTL removes it.
 */
import { createHash } from 'node:crypto';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Source } from '../../../../schemas/feedback.ts';
import type { RatingPointer, RatingPointerStore } from '../../ports/rating-pointer-store.ts';
import { RATING_POINTER_SK, ratingPointerPk } from '../table-design.ts';

const keyOf = (source: Source, customerId: string) => ({
  pk: ratingPointerPk(`${source}#${createHash('sha256').update(`${source}\u0000${customerId}`).digest('base64url')}`),
  sk: RATING_POINTER_SK,
});

export class DynamoRatingPointerStore implements RatingPointerStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(source: Source, customerId: string, pointer: RatingPointer): Promise<void> {
    const ttl = Math.ceil(Date.parse(pointer.expiresAt) / 1000);
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...keyOf(source, customerId), ...pointer, expiresAt: ttl, closesAt: pointer.expiresAt } }));
  }

  async get(source: Source, customerId: string, now: Date): Promise<RatingPointer | undefined> {
    const res = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keyOf(source, customerId) }));
    const item = res.Item as { feedbackId?: string; resolvedAt?: string; closesAt?: string } | undefined;
    if (!item?.feedbackId || !item.resolvedAt || !item.closesAt || Date.parse(item.closesAt) <= now.getTime()) return undefined;
    return { feedbackId: item.feedbackId, resolvedAt: item.resolvedAt, expiresAt: item.closesAt };
  }
}
