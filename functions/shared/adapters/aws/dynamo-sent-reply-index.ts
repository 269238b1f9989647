/**
 * SentReplyIndex on DynamoDB (dynalite locally): one record per sent reply under
 * `REPLYMSG#<source>#<platform message id>` / `REPLYMSG`, put unconditionally (the same pointer twice is
 * the same record) and read strongly consistent.
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Source } from '../../../../schemas/feedback.ts';
import type { SentReplyIndex, SentReplyRef } from '../../ports/sent-reply-index.ts';
import { SENT_REPLY_SK, sentReplyPk } from '../table-design.ts';

export class DynamoSentReplyIndex implements SentReplyIndex {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async remember(source: Source, platformMessageId: string, ref: SentReplyRef): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { pk: sentReplyPk(source, platformMessageId), sk: SENT_REPLY_SK, feedbackId: ref.feedbackId, replyId: ref.replyId } }));
  }

  async find(source: Source, platformMessageId: string): Promise<SentReplyRef | undefined> {
    const res = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: sentReplyPk(source, platformMessageId), sk: SENT_REPLY_SK }, ConsistentRead: true }));
    const item = res.Item;
    return typeof item?.feedbackId === 'string' && typeof item.replyId === 'string' ? { feedbackId: item.feedbackId, replyId: item.replyId } : undefined;
  }
}
