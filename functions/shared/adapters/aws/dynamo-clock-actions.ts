/** The sweeper's work list: complaints whose next clock announcement is overdue (ClockActionsDue GSI). */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ClockActionsIndex } from '../../ports/clock-actions.ts';
import { TABLE_INDEXES } from '../table-design.ts';
import { idsDueBefore } from './sparse-index-ids.ts';

export class DynamoClockActions implements ClockActionsIndex {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async overdue(before: string, limit: number): Promise<string[]> {
    // `~` sorts after `#`: announcements due at exactly `before` are included.
    return idsDueBefore(this.doc, this.tableName, TABLE_INDEXES.clockActions, 'CLOCKS', `${before}~`, limit);
  }
}
