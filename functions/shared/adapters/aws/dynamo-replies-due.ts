/** The sweeper's reply work list: items whose outbox owes a reply's send that is overdue (RepliesDue GSI, sparse). */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RepliesDueIndex } from '../../ports/replies-due.ts';
import { TABLE_INDEXES } from '../table-design.ts';
import { idsDueBefore } from './sparse-index-ids.ts';

export class DynamoRepliesDue implements RepliesDueIndex {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async due(before: string, limit: number): Promise<string[]> {
    // Sort keys are `<due>#<id>`: everything strictly before `before` sorts below `<before>`.
    return idsDueBefore(this.doc, this.tableName, TABLE_INDEXES.repliesDue, 'REPLIES', before, limit);
  }
}
