/**
 * What the quarterly report reads of each item: the metrics' attributes plus a few more, and
 * `reportFacts`, a compact summary of the timeline (who acted when, each resolution and whether it was
 * reopened, who answered first, whether the FAQ answered). Timelines carry the handlers' messages and
 * grow with every change; `reportFacts` is small and bounded, so the index that feeds the report can
 * project it instead (see README.md here: "What the storage side reads").
 *
 * `reportFactsOf(item)` derives it from a whole item. At integration the repository stores its result on
 * the item with every put, as it stores `indexAttributes` (one put: single-item writes stay single), and
 * the report indexes project it. For an item read whole (tests, the admin API) the report derives it on
 * the fly, so both paths give the same figures.
 */
import type { FeedbackItem, Source } from '../../../schemas/feedback.ts';
import type { TableIndex } from '../adapters/table-design.ts';
import { METRIC_ATTRIBUTES, type MetricItem } from './metrics.ts';

/** One resolution of a complaint: who made it, when, and when it was reopened (if it was). */
export interface ResolutionFact {
  by: string;
  at: string;
  reopenedAt?: string;
}

/**
 * The timeline, summarised for the report. Empty parts are left out, so an item nobody worked on (most
 * feedback that is not a complaint) stores nothing at all.
 */
export interface ReportFacts {
  /**
   * Handler actions as `[actor, at]`, oldest first, at most one per handler per quarter-hour of UTC (every
   * zone's offset is a whole number of quarter-hours, so no local day is lost): handler-days and
   * "complaints handled" need no more.
   */
  acts?: Array<[string, string]>;
  /** Every resolution, oldest first. The last one is the current resolution when the complaint is resolved. */
  resolutions?: ResolutionFact[];
  /** Who made the first response (the first `responded` entry, or the resolution when there was none). */
  firstResponder?: string;
  /** When the FAQ first answered the item automatically (a reply by actor `faq` that was sent). */
  autoAnsweredAt?: string;
  /** Complaints: the latest change of any kind (a handler's, the customer's rating, a reply), the activity index's key. */
  lastActivityAt?: string;
}

/** A reply as the replies rework shows it on items; only these fields are read. */
interface ReplyLike {
  actor?: string;
  status?: string;
  at?: string;
  sentAt?: string;
}

/**
 * An item as the report reads it: the metrics' attributes, the item's source, the intake rating, the
 * customer key (once customers exist), and `reportFacts` (or the timeline to derive it). `version` is
 * not projected (every write changes it, so an index holding it is rewritten on every write); synthetic
 * items may carry it.
 */
export type ReportItem = MetricItem & {
  source?: Source;
  rating?: number;
  customerKey?: string;
  version?: number;
  reportFacts?: ReportFacts;
  replies?: ReplyLike[];
};

/** Attributes the report indexes project (the metrics' plus these); `satisfaction` gains `source`. Never `version`. */
export const REPORT_ATTRIBUTES = [...METRIC_ATTRIBUTES, 'source', 'rating', 'customerKey', 'reportFacts'] as const;

/** Actors that are not handlers: the channel that delivered the item, the system, the FAQ, the customer. */
const NON_HANDLER_ACTORS = new Set(['system', 'faq', 'customer', 'clock', 'sweeper']);

/** True when a timeline actor is a complaint handler (a user id), not a channel, the system, the FAQ or the customer. */
export function isHandlerActor(actor: string): boolean {
  return !!actor && !actor.startsWith('channel:') && !NON_HANDLER_ACTORS.has(actor);
}

const QUARTER_HOUR = 900_000;
/** The actor of automatic FAQ answers (faq/auto-answer.ts FAQ_ACTOR; not imported, to keep the report's reads free of the FAQ). */
const FAQ = 'faq';
const SENT = new Set(['sent', 'delivered', 'read']);

/** The report's summary of an item's timeline (and replies, where the item has them). */
export function reportFactsOf(item: Pick<FeedbackItem, 'kind' | 'receivedAt' | 'timeline' | 'satisfaction'> & { replies?: ReplyLike[] }): ReportFacts {
  const acts: Array<[string, string]> = [];
  const slots = new Set<string>();
  const resolutions: ResolutionFact[] = [];
  let firstResponder: string | undefined;
  let autoAnsweredAt: string | undefined;
  let last = item.receivedAt;
  const later = (at: string) => Date.parse(at) > Date.parse(last);
  for (const entry of item.timeline) {
    if (later(entry.at)) last = entry.at;
    if (entry.type === 'resolved') resolutions.push({ by: entry.actor, at: entry.at });
    if (entry.type === 'reopened' && resolutions.length && !resolutions.at(-1)!.reopenedAt) resolutions.at(-1)!.reopenedAt = entry.at;
    // An automatic answer is the FAQ's, not a handler's first response; and only one that was sent
    // (`responded`) counts as answered, not one queued or failed.
    if (firstResponder === undefined && entry.actor !== FAQ && (entry.type === 'responded' || entry.type === 'resolved')) firstResponder = entry.actor;
    if (entry.actor === FAQ && entry.type === 'responded' && autoAnsweredAt === undefined) autoAnsweredAt = entry.at;
    if (!isHandlerActor(entry.actor)) continue;
    const slot = `${entry.actor}\u0000${Math.floor(Date.parse(entry.at) / QUARTER_HOUR)}`;
    if (slots.has(slot)) continue;
    slots.add(slot);
    acts.push([entry.actor, entry.at]);
  }
  for (const reply of item.replies ?? []) {
    const at = reply.sentAt ?? reply.at;
    if (at && later(at)) last = at;
    if (reply.actor === FAQ && SENT.has(reply.status ?? '') && at && (!autoAnsweredAt || Date.parse(at) < Date.parse(autoAnsweredAt))) autoAnsweredAt = at;
  }
  if (item.satisfaction && later(item.satisfaction.at)) last = item.satisfaction.at;
  return {
    ...(acts.length ? { acts } : {}),
    ...(resolutions.length ? { resolutions } : {}),
    ...(firstResponder ? { firstResponder } : {}),
    ...(autoAnsweredAt ? { autoAnsweredAt } : {}),
    ...(item.kind === 'complaint' ? { lastActivityAt: last } : {}),
  };
}

/** The item's report facts: as stored (projected), or derived from its timeline. */
export function factsOf(item: ReportItem): ReportFacts {
  if (item.reportFacts) return item.reportFacts;
  return reportFactsOf({ kind: item.kind, receivedAt: item.receivedAt, timeline: item.timeline ?? [], satisfaction: item.satisfaction, ...(item.replies ? { replies: item.replies } : {}) });
}

/** Who gave a satisfaction score: the customer (survey, bare reply) or a handler who recorded it. Older records are handlers'. */
export function satisfactionSource(satisfaction: FeedbackItem['satisfaction']): 'customer' | 'handler' {
  return (satisfaction as { source?: string } | null)?.source === 'customer' ? 'customer' : 'handler';
}

/**
 * The report's indexes, proposed for table-design.ts at integration (the shape of TABLE_INDEXES). With
 * MetricsByDay projecting REPORT_ATTRIBUTES, they are everything a quarter needs (README.md here).
 */
export const REPORT_INDEXES = {
  /**
   * Complaints by the UTC day of their latest activity, sorted by receipt: a quarter reads the days from
   * its first to today with `actSk < <quarter start>`, i.e. exactly the complaints received before it
   * that something happened to since it began.
   */
  complaintActivity: { name: 'ComplaintActivityByDayV2', partitionKey: 'actPk', sortKey: 'actSk', projection: REPORT_ATTRIBUTES },
  /** Complaints with a customer key by UTC day of receipt, projecting only the key: prior complaints for repeats. */
  complaintsByDay: { name: 'ComplaintsByDay', partitionKey: 'cdayPk', sortKey: 'cdaySk', projection: ['id', 'receivedAt', 'customerKey'] },
} as const satisfies Record<string, TableIndex>;

/**
 * What the repository stores beside an item on every put (as it does indexAttributes), so the report's
 * indexes can project it: `reportFacts` (left out when empty) and the sparse report indexes' keys
 * (complaints only). Pure; derived from the item, so a retried put writes the same.
 */
export function reportAttributes(item: Pick<FeedbackItem, 'id' | 'kind' | 'receivedAt' | 'timeline' | 'satisfaction'> & { customerKey?: string; replies?: ReplyLike[] }): Record<string, unknown> {
  const facts = reportFactsOf(item);
  const attrs: Record<string, unknown> = Object.keys(facts).length ? { reportFacts: facts } : {};
  if (item.kind !== 'complaint') return attrs;
  const receiptKey = `${item.receivedAt}#${item.id}`;
  attrs.actPk = `ACT#${(facts.lastActivityAt ?? item.receivedAt).slice(0, 10)}`;
  attrs.actSk = receiptKey;
  if (item.customerKey) {
    attrs.cdayPk = `CDAY#${item.receivedAt.slice(0, 10)}`;
    attrs.cdaySk = receiptKey;
  }
  return attrs;
}
