/**
 * The admin's read routes: the complaint, feedback and triage lists (paged by signed cursors, over the
 * table's indexes, never a scan), one item with its customer's recent complaints, and the metrics.
 */
import { ComplaintListQuery, FeedbackListQuery, MetricsQuery, TriageListQuery } from '../../schemas/admin.ts';
import type { FeedbackItem } from '../../schemas/feedback.ts';
import { itemClockViews } from '../shared/clocks/complaint-clocks.ts';
import { json, type HttpEvent, type HttpResult } from '../shared/http.ts';
import { METRIC_ATTRIBUTES, computeMetrics, type MetricItem } from '../shared/reports/metrics.ts';
import type { AdminContext } from './context.ts';
import { cursorScope } from './cursor.ts';
import { etag, inWindow, parseQuery, windowOf } from './request.ts';

/** Whether an item has a breached clock now (stopped late, or running past due). */
export function isBreached(item: FeedbackItem, now: string): boolean {
  return itemClockViews(item, now).some((c) => c.state === 'breached');
}

/**
 * The read routes over the handler's context.
 * Long: one short closure per read route (three lists, one item, the metrics) over the same context.
 */
export function createListRoutes(ctx: AdminContext) {
  const { deps, now, cursorFor, resume } = ctx;

  /** A `customer=` list: that customer's items (linked keys included) that the list's filters keep, newest first. */
  const customerPage = (customer: string, page: { before?: string; limit: number }, matches: (item: FeedbackItem) => boolean, prefilter?: (item: FeedbackItem) => boolean) =>
    ctx.customersOrUnavailable().filtered(customer, page, matches, prefilter);

  async function listComplaints(event: HttpEvent): Promise<HttpResult> {
    const q = parseQuery(ComplaintListQuery, event.queryStringParameters);
    const at = now();
    const nowIso = at.toISOString();
    const filters = { status: q.status, category: q.category, severity: q.severity, channel: q.channel, assignee: q.assignee, breached: q.breached, from: q.from, to: q.to, customer: q.customer };
    const scope = cursorScope('complaints', filters);
    const resumed = q.cursor ? resume(scope, q.cursor) : undefined;
    const after = resumed?.key;
    // Resolved complaints have left the open queue: they are read by day of receipt over a window.
    const window = q.status === 'resolved' ? (resumed?.window ?? windowOf(q, at)) : undefined;
    // What the list indexes project (LIST_ATTRIBUTES) decides all but `breached`, which reads the clocks:
    // with it, the index is read through the rest (`prefilter`) and `matches` decides on whole items.
    const listed = (item: FeedbackItem) =>
      item.kind === 'complaint' &&
      (q.status === undefined || item.status === q.status) &&
      (q.category === undefined || item.category === q.category) &&
      (q.severity === undefined || item.severity === q.severity) &&
      (q.channel === undefined || item.channel === q.channel) &&
      (q.assignee === undefined || (q.assignee === 'none' ? item.assignee === null : item.assignee === q.assignee));
    const matches = (item: FeedbackItem) => listed(item) && (q.breached === undefined || isBreached(item, nowIso) === q.breached);
    const prefilter = q.breached === undefined ? {} : { prefilter: listed };
    const customerOnly = (item: FeedbackItem) => (q.status !== undefined || item.status !== 'resolved') && inWindow(item, window);
    const page = q.customer
      ? await customerPage(q.customer, { limit: q.limit, ...(after ? { before: after } : {}) }, (item) => matches(item) && customerOnly(item), (item) => listed(item) && customerOnly(item))
      : window
      ? await deps.queries.byDay({ ...window, limit: q.limit, matches, ...prefilter, ...(after ? { after } : {}) })
      : await deps.queries.openQueue({ limit: q.limit, matches, ...prefilter, ...(after ? { after } : {}), ...(q.assignee && q.assignee !== 'none' ? { assignee: q.assignee } : {}) });
    return json(200, { items: await ctx.views(page.items, nowIso), ...(page.lastKey ? { nextCursor: cursorFor(scope, page.lastKey, window) } : {}) });
  }

  async function listFeedback(event: HttpEvent): Promise<HttpResult> {
    const q = parseQuery(FeedbackListQuery, event.queryStringParameters);
    const at = now();
    const scope = cursorScope('feedback', { kind: q.kind, channel: q.channel, from: q.from, to: q.to, customer: q.customer });
    const resumed = q.cursor ? resume(scope, q.cursor) : undefined;
    // A default window ("the last 30 days up to now") is fixed by the first page and carried in the cursor.
    const window = resumed?.window ?? windowOf(q, at);
    const after = resumed?.key;
    const matches = (item: FeedbackItem) => (q.kind === undefined || item.kind === q.kind) && (q.channel === undefined || item.channel === q.channel);
    const page = q.customer
      ? await customerPage(q.customer, { limit: q.limit, ...(after ? { before: after } : {}) }, (item) => matches(item) && inWindow(item, window))
      : await deps.queries.byDay({ ...window, limit: q.limit, matches, ...(after ? { after } : {}) });
    const nowIso = at.toISOString();
    return json(200, { items: await ctx.views(page.items, nowIso), ...(page.lastKey ? { nextCursor: cursorFor(scope, page.lastKey, window) } : {}) });
  }

  /** The triage queue (items whose kind a person should settle), soonest due first. */
  async function listTriage(event: HttpEvent): Promise<HttpResult> {
    const q = parseQuery(TriageListQuery, event.queryStringParameters);
    const scope = cursorScope('triage', { reason: q.reason });
    const after = q.cursor ? resume(scope, q.cursor).key : undefined;
    const matches = (item: FeedbackItem) => q.reason === undefined || item.triage?.reason === q.reason;
    const page = await deps.queries.triageQueue({ limit: q.limit, matches, ...(after ? { after } : {}) });
    const nowIso = now().toISOString();
    return json(200, { items: await ctx.views(page.items, nowIso), ...(page.lastKey ? { nextCursor: cursorFor(scope, page.lastKey) } : {}) });
  }

  /** A single item's view, with its customer's complaints in the 90 days before it. */
  async function readWithCustomer(item: FeedbackItem): Promise<HttpResult> {
    const previous = item.customerKey && deps.customers ? await deps.customers.previousComplaints(item) : undefined;
    if (previous === undefined) return ctx.read(item);
    const view = await ctx.singleView(item);
    return json(200, { ...view, customer: { ...view.customer, previousComplaints90d: previous } }, { etag: etag(item.version) });
  }

  /** The metrics over a window of days (GET /admin/metrics). */
  async function metrics(event: HttpEvent): Promise<HttpResult> {
    const q = parseQuery(MetricsQuery, event.queryStringParameters);
    const at = now();
    const window = windowOf(q, at);
    const items = (await deps.queries.projectDays(window, METRIC_ATTRIBUTES)) as MetricItem[];
    for (const item of items) {
      item.timeline ??= [];
      item.clocks ??= [];
      item.satisfaction ??= null;
    }
    const figures = computeMetrics(items, window, at.toISOString(), ctx.firstResponseTargetMs);
    if (!deps.customers) return json(200, figures);
    const repeat = await deps.customers.repeatRate(window);
    return json(200, { ...figures, repeatComplaintRate: repeat.rate, repeatComplaints: { repeat: repeat.repeat, withCustomer: repeat.withCustomer } });
  }

  return { listComplaints, listFeedback, listTriage, readWithCustomer, metrics };
}
