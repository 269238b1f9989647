/**
 * NonceStore on DynamoDB (dynalite locally): one conditional put per claim, in the feedback table under
 * `NONCE#<key>` / `NONCE`. The condition lets the same fingerprint in again (a platform retry) and an
 * expired record be taken over; anything else fails the condition, which is the forgery answer.
 * `expiresAt` is epoch seconds, ready for a DynamoDB TTL on that attribute.
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { NonceClaim, NonceClaimResult, NonceStore } from '../../ports/nonce-store.ts';
import { NONCE_SK, noncePk } from '../table-design.ts';
import { isConditionFailure } from './dynamo-feedback-repository.ts';

export class DynamoNonceStore implements NonceStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async claim(claim: NonceClaim): Promise<NonceClaimResult> {
    const expiresAt = Math.ceil(claim.expiresAt.getTime() / 1000);
    try {
      const res = await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: noncePk(claim.key), sk: NONCE_SK, fingerprint: claim.fingerprint, expiresAt },
          ConditionExpression: 'attribute_not_exists(pk) OR fingerprint = :fingerprint OR expiresAt < :now',
          ExpressionAttributeValues: { ':fingerprint': claim.fingerprint, ':now': Math.floor(this.now().getTime() / 1000) },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return res.Attributes?.fingerprint === claim.fingerprint ? 'repeat' : 'new';
    } catch (err) {
      if (isConditionFailure(err)) return 'conflict';
      throw err;
    }
  }
}
