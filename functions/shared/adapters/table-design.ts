/**
 * The single-table design, shared by the CDK construct (AWS) and the local stack (dynalite), so both
 * always have the same keys and indexes.
 *
 * | record            | pk            | sk        | index attributes |
 * |-------------------|---------------|-----------|------------------|
 * | feedback item     | `FB#<id>`     | `ITEM`    | dayPk/daySk (all); queuePk/queueSk (open complaints); assigneePk/assigneeSk (assigned, open); actionPk/actionSk (clock announcement owed) |
 * | delivery receipt  | `FB#<id>`     | `RECEIPT` | none |
 * | signed nonce      | `NONCE#<key>` | `NONCE`   | none (`expiresAt`: epoch seconds, for a TTL) |
 * | sent reply pointer | `REPLYMSG#<source>#<platform message id>` | `REPLYMSG` | none (`feedbackId`, `replyId`) |
 */
import type { FeedbackItem } from '../../../schemas/feedback.ts';

export const TABLE_KEY = { partitionKey: 'pk', sortKey: 'sk' } as const;

/** Global secondary indexes: name → key attributes. All project every attribute (the admin API reads whole items). */
export const TABLE_INDEXES = {
  /** Open complaints, soonest due first (then those without a running clock, newest first). */
  openByDue: { name: 'OpenByDue', partitionKey: 'queuePk', sortKey: 'queueSk' },
  /** Open complaints of one assignee, soonest due first. */
  openByAssignee: { name: 'OpenByAssignee', partitionKey: 'assigneePk', sortKey: 'assigneeSk' },
  /** Every feedback item (any kind) by UTC day of receipt, oldest first within the day. */
  feedbackByDay: { name: 'FeedbackByDay', partitionKey: 'dayPk', sortKey: 'daySk' },
  /** Complaints by the next clock announcement owed (warning, breach or escalation): the sweeper's work list. */
  clockActions: { name: 'ClockActionsDue', partitionKey: 'actionPk', sortKey: 'actionSk', projection: ['id'] },
  /**
   * Every item by day again, projecting only what the KPIs read (METRIC_ATTRIBUTES): a 90-day metrics
   * window reads a few hundred bytes per item instead of whole items with their timelines.
   */
  metricsByDay: { name: 'MetricsByDay', partitionKey: 'dayPk', sortKey: 'daySk', projection: ['id', 'kind', 'channel', 'category', 'status', 'receivedAt', 'clocks', 'satisfaction', 'firstRespondedAt'] },
} as const satisfies Record<string, TableIndex>;

/** A GSI: its keys and, when it does not project whole items, the attributes it includes. */
export interface TableIndex {
  name: string;
  partitionKey: string;
  sortKey: string;
  projection?: readonly string[];
}

/** The attributes the KPI computation reads, all projected by MetricsByDay. */
export const METRIC_ATTRIBUTES = TABLE_INDEXES.metricsByDay.projection;

export const itemPk = (id: string) => `FB#${id}`;
export const ITEM_SK = 'ITEM';
export const RECEIPT_SK = 'RECEIPT';
/** A claimed (timestamp, nonce) pair of a platform whose signature does not cover the body (ports/nonce-store.ts). */
export const noncePk = (key: string) => `NONCE#${key}`;
/** A sent reply's pointer, by the platform's message id (replies: delivery reports find their reply by it). */
export const sentReplyPk = (source: string, platformMessageId: string) => `REPLYMSG#${source}#${platformMessageId}`;
export const SENT_REPLY_SK = 'REPLYMSG';
export const NONCE_SK = 'NONCE';

const FAR_FUTURE = Date.UTC(9999, 0, 1);

/**
 * The queue position of an open complaint: the earliest due time among its unmet clocks (running, or
 * breached and still not stopped: the most overdue complaint is the most urgent, so it stays on top);
 * complaints with no unmet clock sort after every clocked one, newest first (an inverted timestamp).
 */
export function queueSortKey(item: Pick<FeedbackItem, 'id' | 'clocks' | 'receivedAt'>): string {
  const due = item.clocks.filter((c) => c.state === 'running' || (c.state === 'breached' && !c.stoppedAt)).map((c) => c.dueAt).sort()[0];
  if (due) return `0#${due}#${item.id}`;
  const inverted = String(FAR_FUTURE - Date.parse(item.receivedAt)).padStart(15, '0');
  return `1#${inverted}#${item.id}`;
}

/** The earliest warning, breach or escalation time among running (not stopped, not paused) clocks that has not been announced yet. */
export function nextClockActionAt(item: FeedbackItem): string | undefined {
  // Stopped clocks owe nothing; a paused clock owes nothing until it resumes (external appraisal time is excluded).
  const records = ((item as { clockPlans?: Array<Record<string, string | undefined>> }).clockPlans ?? []).filter((r) => !r.stoppedAt && !r.pausedAt);
  const owed: string[] = [];
  for (const r of records) {
    if (!r.warnedAt && r.warnAt) owed.push(r.warnAt);
    else if (!r.breachedAt && r.dueAt) owed.push(r.dueAt);
    else if (!r.escalatedAt && r.escalateAt) owed.push(r.escalateAt);
  }
  return owed.sort()[0];
}

/** The index attributes an item should carry right now (absent attributes keep it out of sparse indexes). */
export function indexAttributes(item: FeedbackItem): Record<string, string> {
  const attrs: Record<string, string> = {
    dayPk: `DAY#${item.receivedAt.slice(0, 10)}`,
    daySk: `${item.receivedAt}#${item.id}`,
  };
  const open = item.kind === 'complaint' && item.status !== 'resolved';
  const nextAction = open ? nextClockActionAt(item) : undefined;
  if (nextAction) {
    attrs.actionPk = 'CLOCKS';
    attrs.actionSk = `${nextAction}#${item.id}`;
  }
  if (open) {
    const sk = queueSortKey(item);
    attrs.queuePk = 'OPEN';
    attrs.queueSk = sk;
    if (item.assignee) {
      attrs.assigneePk = `ASSIGNEE#${item.assignee}`;
      attrs.assigneeSk = sk;
    }
  }
  return attrs;
}
