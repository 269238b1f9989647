/**
 * Customers across channels, for the admin API: a customer's keys (a key and every key linked to it,
 * transitively), their history and counts, linking and unlinking (audited, never touching items), an
 * item's `customer.previousComplaints90d`, and the repeat-complaint rate of a window. The decisions are
 * pure (customers/link-closure.ts, customers/customer-figures.ts); this module reads through the
 * CustomerQueries and CustomerLinks ports and shapes the answers.
 */
import type { FeedbackItem } from '../../schemas/feedback.ts';
import { customerCounts, previousComplaints90d, repeatComplaints, REPEAT_WINDOW_MS } from '../shared/customers/customer-figures.ts';
import { customerOf, linkedKeys, pairOf } from '../shared/customers/link-closure.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../shared/errors.ts';
import type { CustomerLink, CustomerLinks, LinkAuditEntry } from '../shared/ports/customer-links.ts';
import type { CustomerQueries } from '../shared/ports/customer-queries.ts';
import type { Page } from '../shared/ports/admin-queries.ts';
import { receiptSortKey } from '../shared/adapters/table-design.ts';

/** Items a key's counts read at most (a customer with more gets `truncated: true`, counts as lower bounds). */
export const MAX_COUNTED_ITEMS = 5_000;
const AUDIT_SHOWN = 50;
/** History pages read for one filtered list page before answering what they found (with a cursor). */
const FILTER_PAGES = 10;
const FILTER_BATCH = 200;

export interface CustomerServiceDeps {
  queries: CustomerQueries;
  links: CustomerLinks;
}

/** A link as seen from `key`: the other key, who made it, when, why. */
function linkView(key: string, link: CustomerLink) {
  return { customerKey: link.a === key ? link.b : link.a, linkedBy: link.linkedBy, linkedAt: link.linkedAt, reason: link.reason };
}

const auditView = (e: LinkAuditEntry) => ({ at: e.at, action: e.action, otherKey: e.otherKey, actor: e.actor });

/**
 * The customer service over its ports.
 * Long: a service object whose methods (history, links, unlink, counts) share the ports and two
 * helpers through its closure; each method is short.
 */
export function createCustomerService(deps: CustomerServiceDeps) {
  /** Every key of the customer `key` is (itself first), with every link. */
  async function keysOf(key: string): Promise<{ keys: string[]; links: CustomerLink[] }> {
    const links = await deps.links.all();
    return { keys: linkedKeys(key, links), links };
  }

  /** The key's links and audit, as the links routes and the history answer them. */
  async function linksAnswer(key: string, keys: string[], links: CustomerLink[]) {
    const audit = await deps.links.auditOf(key, AUDIT_SHOWN);
    return { customerKey: key, keys, links: links.filter((l) => l.a === key || l.b === key).map((l) => linkView(key, l)), audit: audit.map(auditView) };
  }

  return {
    keysOf,

    /** One page of a customer's history (newest first) with counts over every linked key, at `now`. */
    async history(key: string, page: { before?: string; limit: number }, now: string) {
      const { keys, links } = await keysOf(key);
      const [items, counted, answer] = await Promise.all([
        deps.queries.history({ keys, limit: page.limit, ...(page.before ? { before: page.before } : {}) }),
        deps.queries.facts(keys, { max: MAX_COUNTED_ITEMS }),
        linksAnswer(key, keys, links),
      ]);
      const counts = customerCounts(counted.facts, now);
      // Each listed item's complaints in the 90 days before it, from the facts already read for the counts.
      const previous = new Map(items.items.map((item) => [item.id, previousComplaints90d(item, counted.facts)]));
      return { ...answer, counts: { openComplaints: counts.openComplaints, complaints90d: counts.complaints90d, truncated: counted.truncated }, page: items, previous };
    },

    /**
     * The customer's items (newest first) that `matches` keeps: history pages are read until `limit`
     * matches and one more are found, or FILTER_PAGES pages were read (then the page answers what it has,
     * with a cursor at the last item read).
     */
    async filtered(key: string, page: { before?: string; limit: number }, matches: (item: FeedbackItem) => boolean, prefilter?: (item: FeedbackItem) => boolean): Promise<Page> {
      const { keys } = await keysOf(key);
      const found: FeedbackItem[] = [];
      let before = page.before;
      for (let read = 0; read < FILTER_PAGES; read++) {
        // Filtered on the index's projection (through `prefilter` when `matches` reads more than it
        // holds); the candidates are then read whole, and `matches` decides on them.
        const batch = await deps.queries.history({ keys, limit: FILTER_BATCH, projected: true, ...(before ? { before } : {}) });
        for (const item of (await deps.queries.wholeItems(batch.items.filter(prefilter ?? matches))).filter(matches)) {
          if (found.length === page.limit) return { items: found, lastKey: receiptSortKey(found[found.length - 1]!) };
          found.push(item);
        }
        if (!batch.lastKey) return { items: found };
        before = batch.lastKey;
      }
      return { items: found, ...(before ? { lastKey: before } : {}) };
    },

    /** Links `key` and `other` as one customer (idempotent: linking again changes nothing and audits nothing). */
    async link(key: string, other: string, actor: string, at: string) {
      if (key === other) throw new BadRequestError('A key cannot be linked to itself.', [{ field: 'customerKey', message: 'must differ from the key in the path' }]);
      const created = await deps.links.link({ ...pairOf(key, other), linkedBy: actor, linkedAt: at, reason: 'supervisor' });
      if (created) await deps.links.audit({ at, action: 'linked', customerKey: key, otherKey: other, actor });
      const { keys, links } = await keysOf(key);
      return { created, answer: await linksAnswer(key, keys, links) };
    },

    /** Removes the link between `key` and `other`; 404 when there is none. A rotation's link is kept (409). */
    async unlink(key: string, other: string, actor: string, at: string) {
      const pair = pairOf(key, other);
      const existing = (await deps.links.all()).find((l) => l.a === pair.a && l.b === pair.b);
      if (!existing) throw new NotFoundError(`${key} and ${other} are not linked.`);
      if (existing.reason === 'key-rotation') throw new ConflictError(`${key} and ${other} are the same identity under two key versions (a key rotation); that link is not a supervisor's to remove.`);
      const removed = await deps.links.unlink(pair);
      if (!removed) throw new NotFoundError(`${key} and ${other} are not linked.`);
      await deps.links.audit({ at, action: 'unlinked', customerKey: key, otherKey: other, actor });
      const { keys, links } = await keysOf(key);
      return linksAnswer(key, keys, links);
    },

    /** How many complaints the item's customer (linked keys included) made in the 90 days before it. */
    async previousComplaints(item: FeedbackItem): Promise<number | undefined> {
      if (!item.customerKey) return undefined;
      const { keys } = await keysOf(item.customerKey);
      const since = new Date(Date.parse(item.receivedAt) - REPEAT_WINDOW_MS).toISOString();
      const { facts } = await deps.queries.facts(keys, { since, max: MAX_COUNTED_ITEMS });
      return previousComplaints90d(item, facts);
    },

    /** The window's repeat complaints: keyed complaints from 90 days before it to its end, customers as linked. */
    async repeatRate(window: { from: string; to: string }) {
      const since = new Date(Date.parse(window.from) - REPEAT_WINDOW_MS).toISOString();
      const [complaints, links] = await Promise.all([deps.queries.keyedComplaints({ from: since, to: window.to }), deps.links.all()]);
      const customer = customerOf(links);
      return repeatComplaints(
        complaints.map((c) => ({ id: c.id, receivedAt: c.receivedAt, customer: customer(c.customerKey) })),
        window,
      );
    },
  };
}

export type CustomerService = ReturnType<typeof createCustomerService>;
