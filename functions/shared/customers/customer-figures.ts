/**
 * A customer's complaint figures, pure over their items: open complaints, complaints in the last 90 days,
 * the complaints before one item (an item's `customer.previousComplaints90d`), and the repeat-complaint
 * rate of a set of complaints. "Another complaint in the previous 90 days" means received in the 90 days
 * before it, or at the same instant with a smaller id (so two at once count once), as the quarterly
 * report counts it (reports/quarter-figures.ts).
 */
import type { FeedbackItem } from '../../../schemas/feedback.ts';

export const REPEAT_WINDOW_DAYS = 90;
export const REPEAT_WINDOW_MS = REPEAT_WINDOW_DAYS * 86_400_000;

/** What the figures read of an item. */
export type CustomerFact = Pick<FeedbackItem, 'id' | 'kind' | 'receivedAt'> & Partial<Pick<FeedbackItem, 'status'>>;

/** Whether `other` is a complaint received before `item` within the 90 days before it. */
export function isEarlierComplaint(other: CustomerFact, item: Pick<FeedbackItem, 'id' | 'receivedAt'>): boolean {
  if (other.kind !== 'complaint' || other.id === item.id) return false;
  const at = Date.parse(item.receivedAt);
  const ms = Date.parse(other.receivedAt);
  return ms >= at - REPEAT_WINDOW_MS && (ms < at || (ms === at && other.id < item.id));
}

/** How many of the customer's complaints came in the 90 days before `item`. */
export function previousComplaints90d(item: Pick<FeedbackItem, 'id' | 'receivedAt'>, history: Iterable<CustomerFact>): number {
  let n = 0;
  for (const other of history) if (isEarlierComplaint(other, item)) n++;
  return n;
}

/** The counts a customer's history page shows at `now`. */
export function customerCounts(history: Iterable<CustomerFact>, now: string): { openComplaints: number; complaints90d: number; items: number } {
  const since = Date.parse(now) - REPEAT_WINDOW_MS;
  let openComplaints = 0;
  let complaints90d = 0;
  let items = 0;
  for (const item of history) {
    items++;
    if (item.kind !== 'complaint') continue;
    if (item.status !== 'resolved') openComplaints++;
    const ms = Date.parse(item.receivedAt);
    if (ms >= since && ms <= Date.parse(now)) complaints90d++;
  }
  return { openComplaints, complaints90d, items };
}

/** A complaint as the repeat rate needs it: when, and whose (already mapped to its customer). */
export interface KeyedComplaint {
  id: string;
  receivedAt: string;
  customer: string;
}

/**
 * Repeat complaints among the complaints received in [from, to) that have a customer: those whose
 * customer had another complaint in the 90 days before. `prior` holds every keyed complaint from 90 days
 * before `from` up to `to` (the window's own complaints included). Rate is `null` with no candidate.
 */
export function repeatComplaints(prior: Iterable<KeyedComplaint>, window: { from: string; to: string }): { repeat: number; withCustomer: number; rate: number | null } {
  const fromMs = Date.parse(window.from);
  const toMs = Date.parse(window.to);
  const byCustomer = new Map<string, KeyedComplaint[]>();
  const ids = new Set<string>();
  for (const c of prior) {
    if (ids.has(c.id)) continue;
    ids.add(c.id);
    const list = byCustomer.get(c.customer);
    if (list) list.push(c);
    else byCustomer.set(c.customer, [c]);
  }
  let repeat = 0;
  let withCustomer = 0;
  for (const list of byCustomer.values()) {
    for (const c of list) {
      const ms = Date.parse(c.receivedAt);
      if (!(ms >= fromMs && ms < toMs)) continue;
      withCustomer++;
      if (list.some((o) => isEarlierComplaint({ ...o, kind: 'complaint' }, c))) repeat++;
    }
  }
  return { repeat, withCustomer, rate: withCustomer === 0 ? null : repeat / withCustomer };
}
