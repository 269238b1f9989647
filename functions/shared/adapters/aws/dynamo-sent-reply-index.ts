/**
 * SentReplyIndex on DynamoDB (dynalite locally): one record per sent reply under
 * `REPLYMSG#<source>#<platform message id>` / `REPLYMSG`, put unconditionally (the same pointer twice is
 * the same record) and read strongly consistent; and for Messenger and Instagram one per reply under its
 * conversation, `REPLYTO#<source>#<account id>#<sha256 of the customer's platform id>` /
 * `<sentAt>#<replyId>` (the customer's platform id is not written in a key), read with one Query up to a
 * watermark, latest first and bounded (a watermark moves every earlier reply at once, so the latest few
 * are what can still change). Both carry `expiresAt` (epoch seconds) for the table's TTL: no report comes that late.
 */
import { createHash } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Source } from '../../../../schemas/feedback.ts';
import type { Conversation, SentReplyIndex, SentReplyRef } from '../../ports/sent-reply-index.ts';
import { SENT_REPLY_SK, conversationRepliesPk, conversationReplySk, sentReplyPk } from '../table-design.ts';

/** How long a pointer is kept: platforms report within days; a receipt later than this changes nothing that matters. */
export const SENT_REPLY_POINTER_TTL_SECONDS = 30 * 24 * 60 * 60;

const conversationPk = (c: Conversation) => conversationRepliesPk(c.source, c.accountId, createHash('sha256').update(`${c.source}\u0000${c.customerId}`).digest('base64url'));

export class DynamoSentReplyIndex implements SentReplyIndex {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private expiresAt(): number {
    return Math.ceil(this.now().getTime() / 1000) + SENT_REPLY_POINTER_TTL_SECONDS;
  }

  async remember(source: Source, platformMessageId: string, ref: SentReplyRef): Promise<void> {
    await this.doc.send(
      new PutCommand({ TableName: this.tableName, Item: { pk: sentReplyPk(source, platformMessageId), sk: SENT_REPLY_SK, feedbackId: ref.feedbackId, replyId: ref.replyId, expiresAt: this.expiresAt() } }),
    );
  }

  async find(source: Source, platformMessageId: string): Promise<SentReplyRef | undefined> {
    const res = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: sentReplyPk(source, platformMessageId), sk: SENT_REPLY_SK }, ConsistentRead: true }));
    const item = res.Item;
    return typeof item?.feedbackId === 'string' && typeof item.replyId === 'string' ? { feedbackId: item.feedbackId, replyId: item.replyId } : undefined;
  }

  async rememberSent(conversation: Conversation, sentAt: string, ref: SentReplyRef): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: conversationPk(conversation), sk: conversationReplySk(sentAt, ref.replyId), sentAt, feedbackId: ref.feedbackId, replyId: ref.replyId, expiresAt: this.expiresAt() },
      }),
    );
  }

  async sentBefore(conversation: Conversation, watermark: string, limit: number): Promise<SentReplyRef[]> {
    const res = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        // `<sentAt>#<replyId>`: every reply sent at the watermark's millisecond or before sorts below `<watermark>#~`.
        KeyConditionExpression: '#pk = :pk AND #sk <= :upTo',
        ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
        ExpressionAttributeValues: { ':pk': conversationPk(conversation), ':upTo': `${watermark}#~` },
        ScanIndexForward: false,
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return (res.Items ?? []).flatMap((item) => (typeof item.feedbackId === 'string' && typeof item.replyId === 'string' ? [{ feedbackId: item.feedbackId, replyId: item.replyId }] : []));
  }
}
