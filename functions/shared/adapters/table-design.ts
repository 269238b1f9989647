/**
 * The single-table design, shared by the CDK construct (AWS) and the local stack (dynalite), so both
 * always have the same keys and indexes.
 *
 * | record            | pk            | sk        | index attributes |
 * |-------------------|---------------|-----------|------------------|
 * | feedback item     | `FB#<id>`     | `ITEM`    | dayPk/daySk (all); queuePk/queueSk (open complaints); assigneePk/assigneeSk (assigned, open); actionPk/actionSk (clock announcement owed); triagePk/triageSk (in triage) |
 * | delivery receipt  | `FB#<id>`     | `RECEIPT` | none |
 * | signed nonce      | `NONCE#<key>` | `NONCE`   | none (`expiresAt`: epoch seconds, for a TTL) |
 * | the bank's plan   | `PLAN`        | `PLAN`    | none (its audit records in the same item, `audit`) |
 * | customer base     | `CUSTOMERS#<YYYY-Qn>` | `BASE` | none (its audit records in the same item) |
 * | rating pointer    | `RATE#<source>#<platform customer id hash>` | `POINTER` | none (`expiresAt`: TTL; the survey window) |
 * | customer link     | `CUSTOMER_LINKS` | `<keyA>#<keyB>` (smaller key first) | none |
 * | link audit entry  | `CUSTOMER#<key>` | `AUDIT#<at>#<n>` | none |
 * | sent reply pointer | `REPLYMSG#<source>#<platform message id>` | `REPLYMSG` | none (`feedbackId`, `replyId`, `expiresAt`: TTL) |
 * | conversation reply pointer | `REPLYTO#<source>#<account id>#<sha256 of the customer's platform id>` | `<sentAt>#<replyId>` | none (`feedbackId`, `replyId`, `expiresAt`: TTL) |
 *
 * Feedback items whose outbox owes a reply's send (a `sendReply` entry) also carry replyDuePk/replyDueSk
 * (RepliesDue, the sweeper's reply work list), removed with the last such entry.
 *
 * Feedback items with a `customerKey` also carry customerPk/customerSk (CustomerHistory), and complaints
 * with one cdayPk/cdaySk (ComplaintsByDay, the repeat-complaint reads).
 */
import type { FeedbackItem } from '../../../schemas/feedback.ts';
import { replyDueAt, type OutboxEntry } from '../ports/feedback-repository.ts';

export const TABLE_KEY = { partitionKey: 'pk', sortKey: 'sk' } as const;
/** The table's TTL attribute (epoch seconds) on transient records: nonces, rating and sent-reply pointers. Feedback items never carry it. */
export const TTL_ATTRIBUTE = 'expiresAt';

/**
 * What the admin lists filter on before they read a page's items whole (BatchGetItem): kind, channel,
 * category, severity, status, assignee and the receipt window. Not the clocks (`breached=`: the list
 * reads its candidates whole to decide), whose records alone are over 1 KB and change with every
 * announcement. An index projecting these instead of whole items is written only when one of them (or
 * its key) changes, one unit each time, where a whole-item index rewrote the whole item (timeline,
 * replies, outbox) on every write.
 */
export const LIST_ATTRIBUTES = ['id', 'kind', 'channel', 'category', 'severity', 'status', 'assignee', 'receivedAt'] as const;

/**
 * What the quarterly report reads (REPORT_ATTRIBUTES of functions/shared/reports/report-facts.ts): the
 * metrics' attributes, source, rating, customerKey and the compact `reportFacts` instead of the
 * timeline. Not `version`, which every write changes and the report never reads.
 */
const REPORT_PROJECTION = ['id', 'kind', 'channel', 'category', 'status', 'receivedAt', 'clocks', 'satisfaction', 'firstRespondedAt', 'source', 'rating', 'customerKey', 'reportFacts'] as const;

/**
 * Global secondary indexes: name → key attributes and, unless the index holds whole items, the attributes
 * it projects. The code reads these. A GSI's projection cannot change in place, so an index whose
 * projection changed has a new name (`…V2`) beside the one it replaces (RETIRED_INDEXES), which a stage
 * with data keeps until it is dropped (README "Deploy", index migration).
 */
export const TABLE_INDEXES = {
  /**
   * Open complaints, soonest due first (then those without a running clock, newest first), projecting
   * what the queue filters on (LIST_ATTRIBUTES): a page's whole items are fetched by BatchGetItem.
   */
  openByDue: { name: 'OpenByDueV2', partitionKey: 'queuePk', sortKey: 'queueSk', projection: LIST_ATTRIBUTES },
  /** Open complaints of one assignee, soonest due first. */
  openByAssignee: { name: 'OpenByAssignee', partitionKey: 'assigneePk', sortKey: 'assigneeSk' },
  /** Every feedback item (any kind) by UTC day of receipt, oldest first within the day; LIST_ATTRIBUTES, whole items fetched. */
  feedbackByDay: { name: 'FeedbackByDayV2', partitionKey: 'dayPk', sortKey: 'daySk', projection: LIST_ATTRIBUTES },
  /** Complaints by the next clock announcement owed (warning, breach or escalation): the sweeper's work list. */
  clockActions: { name: 'ClockActionsDue', partitionKey: 'actionPk', sortKey: 'actionSk', projection: ['id'] },
  /**
   * Every item by day again, projecting only what the KPIs read (METRIC_ATTRIBUTES): a 90-day metrics
   * window reads a few hundred bytes per item instead of whole items with their timelines.
   */
  metricsByDay: { name: 'MetricsByDay', partitionKey: 'dayPk', sortKey: 'daySk', projection: ['id', 'kind', 'channel', 'category', 'status', 'receivedAt', 'clocks', 'satisfaction', 'firstRespondedAt'] },
  /**
   * Items waiting in triage, soonest due first (sparse: settling an item removes its keys). Projects what
   * the triage list filters on (LIST_ATTRIBUTES and `triage`): an item in triage is rewritten by every
   * update of its pipeline (outbox, suggestions), which a whole-item index would pay for in full.
   */
  triageByDue: { name: 'TriageByDueV2', partitionKey: 'triagePk', sortKey: 'triageSk', projection: [...LIST_ATTRIBUTES, 'triage'] },
  /**
   * A customer's items (by `customerKey`), newest first when read backwards: the history page and its
   * counts. Projects what the customer's lists filter on and the counts read (LIST_ATTRIBUTES and the
   * key); a page's whole items are fetched by BatchGetItem.
   */
  customerHistory: { name: 'CustomerHistoryV2', partitionKey: 'customerPk', sortKey: 'customerSk', projection: [...LIST_ATTRIBUTES, 'customerKey'] },
  /**
   * Complaints with a customer key by UTC day of receipt, projecting only the key: the repeat-complaint
   * rate's reads (the 90 days before a window and the window). The quarterly report proposes the same
   * index (shared/reports/report-facts.ts REPORT_INDEXES.complaintsByDay).
   */
  complaintsByDay: { name: 'ComplaintsByDay', partitionKey: 'cdayPk', sortKey: 'cdaySk', projection: ['id', 'receivedAt', 'customerKey'] },
  /**
   * Every item by day once more, projecting what the quarterly report reads (REPORT_PROJECTION). Beside
   * MetricsByDay (which the metrics route may move to later, dropping MetricsByDay).
   */
  reportByDay: { name: 'ReportByDayV2', partitionKey: 'dayPk', sortKey: 'daySk', projection: REPORT_PROJECTION },
  /**
   * Sparse: complaints by the UTC day of their latest activity (`reportFacts.lastActivityAt`), sorted by
   * receipt. A quarter reads the days from its first to today with `actSk < <quarter start>`: exactly the
   * complaints received earlier that something happened to since it began (resolved, rated, worked on).
   */
  complaintActivity: { name: 'ComplaintActivityByDayV2', partitionKey: 'actPk', sortKey: 'actSk', projection: REPORT_PROJECTION },
  /**
   * Sparse: items whose outbox owes a reply's send, by when its next attempt is due (the later of
   * `nextAttemptAt` and a claim's lease). The sweeper queries the overdue ones and re-queues them (a
   * reply stranded because its queue message was never sent); sent or failed replies leave the index.
   */
  repliesDue: { name: 'RepliesDue', partitionKey: 'replyDuePk', sortKey: 'replyDueSk', projection: ['id'] },
} as const satisfies Record<string, TableIndex>;

/**
 * The indexes the `…V2` ones replace, as they were (whole items; the report's with `version`). Nothing
 * reads them. A stage with data keeps them while the new ones are created and backfilled (DynamoDB fills
 * a new GSI from the table's items itself) and the code moves over, then drops them one per deploy
 * (StageConfig `tableIndexes`, README "Deploy"); a new stage never has them.
 */
export const RETIRED_INDEXES = {
  openByDue: { name: 'OpenByDue', partitionKey: 'queuePk', sortKey: 'queueSk' },
  feedbackByDay: { name: 'FeedbackByDay', partitionKey: 'dayPk', sortKey: 'daySk' },
  customerHistory: { name: 'CustomerHistory', partitionKey: 'customerPk', sortKey: 'customerSk' },
  triageByDue: { name: 'TriageByDue', partitionKey: 'triagePk', sortKey: 'triageSk' },
  // Literal lists (no spreads), so the functions' bundles drop this table, which only the infra reads.
  reportByDay: { name: 'ReportByDay', partitionKey: 'dayPk', sortKey: 'daySk', projection: ['id', 'kind', 'channel', 'category', 'status', 'receivedAt', 'clocks', 'satisfaction', 'firstRespondedAt', 'source', 'rating', 'customerKey', 'version', 'reportFacts'] },
  complaintActivity: { name: 'ComplaintActivityByDay', partitionKey: 'actPk', sortKey: 'actSk', projection: ['id', 'kind', 'channel', 'category', 'status', 'receivedAt', 'clocks', 'satisfaction', 'firstRespondedAt', 'source', 'rating', 'customerKey', 'version', 'reportFacts'] },
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
/** A conversation's sent replies, by send time (Messenger and Instagram watermark receipts find them by it). */
export const conversationRepliesPk = (source: string, accountId: string, customerHash: string) => `REPLYTO#${source}#${accountId}#${customerHash}`;
export const conversationReplySk = (sentAt: string, replyId: string) => `${sentAt}#${replyId}`;
export const NONCE_SK = 'NONCE';
/** The bank's plan (one record) and each quarter's customer base (reports/plan.ts, DynamoPlanStore). */
export const PLAN_PK = 'PLAN';
export const PLAN_SK = 'PLAN';
export const customerBasePk = (quarter: string) => `CUSTOMERS#${quarter}`;
export const CUSTOMER_BASE_SK = 'BASE';
/** Where a bare "reply 1–5" from a customer on a messaging platform goes (survey/rating-pointer.ts). */
export const ratingPointerPk = (key: string) => `RATE#${key}`;
export const RATING_POINTER_SK = 'POINTER';

/** The one partition holding every link between customer keys (ports/customer-links.ts). */
export const CUSTOMER_LINKS_PK = 'CUSTOMER_LINKS';
export const customerLinkSk = (a: string, b: string) => `${a}#${b}`;
/** A customer key's own records (its link audit). */
export const customerPk = (key: string) => `CUSTOMER#${key}`;
/** A customer's partition in the CustomerHistory index. */
export const customerHistoryPk = (key: string) => `CUST#${key}`;
/** `<receivedAt>#<id>`: receipt order in the customer and complaint-day indexes. */
export const receiptSortKey = (item: Pick<FeedbackItem, 'id' | 'receivedAt'>) => `${item.receivedAt}#${item.id}`;

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
  const records = (item.clockPlans ?? []).filter((r) => !r.stoppedAt && !r.pausedAt);
  const owed: string[] = [];
  for (const r of records) {
    if (!r.warnedAt && r.warnAt) owed.push(r.warnAt);
    else if (!r.breachedAt && r.dueAt) owed.push(r.dueAt);
    else if (!r.escalatedAt && r.escalateAt) owed.push(r.escalateAt);
  }
  return owed.sort()[0];
}

/** The RepliesDue keys of an item whose outbox owes a reply's send (the soonest due), or none. */
export function replyDueAttributes(id: string, outbox: Record<string, OutboxEntry>): Record<string, string> {
  const due = Object.values(outbox).flatMap((e) => (e.kind === 'sendReply' ? [replyDueAt(e.reply)] : [])).sort()[0];
  return due ? { replyDuePk: 'REPLIES', replyDueSk: `${due}#${id}` } : {};
}

/** The index attributes an item should carry right now (absent attributes keep it out of sparse indexes). */
export function indexAttributes(item: FeedbackItem): Record<string, string> {
  const attrs: Record<string, string> = {
    dayPk: `DAY#${item.receivedAt.slice(0, 10)}`,
    daySk: `${item.receivedAt}#${item.id}`,
  };
  if (item.customerKey) {
    attrs.customerPk = customerHistoryPk(item.customerKey);
    attrs.customerSk = receiptSortKey(item);
    if (item.kind === 'complaint') {
      attrs.cdayPk = `CDAY#${item.receivedAt.slice(0, 10)}`;
      attrs.cdaySk = receiptSortKey(item);
    }
  }
  const open = item.kind === 'complaint' && item.status !== 'resolved';
  const nextAction = open ? nextClockActionAt(item) : undefined;
  if (nextAction) {
    attrs.actionPk = 'CLOCKS';
    attrs.actionSk = `${nextAction}#${item.id}`;
  }
  if (item.triage) {
    attrs.triagePk = 'TRIAGE';
    attrs.triageSk = `${item.triage.dueAt}#${item.id}`;
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
