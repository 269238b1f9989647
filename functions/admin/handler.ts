/**
 * The admin Lambda: every admin route (routes.ts) and GET /openapi.json. A thin layer over pure parts:
 * the caller comes from verified JWT claims (API Gateway's authorizer in AWS, the local verifier on one
 * machine), the permissions table decides who may, the lifecycle state machine decides what may happen,
 * and every change is one conditional write on `version` carrying its outbox (event, timers), which is
 * carried out before the answer (a note without If-Match is appended instead, so racing notes never
 * conflict). Before anything is written, the changed item is measured by DynamoDB's size rules against
 * its tier's ceiling (lifecycle/item-budget.ts). Errors are problem+json: 400 names bad fields and
 * unknown query parameters, 401 no valid token, 403 wrong role, 404 unknown id (or clock), 409 forbidden
 * transition (naming the allowed ones), 412 stale If-Match, 413 body over 64 KB, 422 no room left for
 * the change (naming the actions that still fit).
 *
 * Clock routes (`/admin/complaints/{id}/clocks/{clock}/extend|pause|resume`) carry the clock name in the
 * path; the lifecycle decides: 409 when the complaint's state or the clock's rule forbids it (or no clock
 * of the complaint could take such a command), 404 when the named clock is not one of the complaint's.
 *
 * Triage: `GET /admin/triage` lists items waiting for a person to settle their kind (TriageByDue, soonest
 * due first); `PATCH /admin/feedback/{id}` settles one through the same path as every other command
 * (`settleKind` in the lifecycle: a reclassification that takes the item out of triage).
 */
import middy from '@middy/core';
import type * as z from 'zod/mini';
import { ComplaintListQuery, CustomerHistoryQuery, CustomerLinkBody, FeedbackListQuery, MetricsQuery, TriageListQuery } from '../../schemas/admin.ts';
import { QuarterlyReportQuery } from '../../schemas/reports.ts';
import type { FeedbackItem } from '../../schemas/feedback.ts';
import { principalOf, type Principal } from '../shared/auth/principal.ts';
import { clockViews } from '../shared/clocks/complaint-clocks.ts';
import { parseIsoDuration } from '../shared/clocks/duration.ts';
import { DEFAULT_CLOCK_POLICY, type ClockPolicy } from '../shared/clocks/policy.ts';
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  PreconditionFailedError,
  ProblemError,
  ServiceUnavailableError,
  UnsupportedMediaTypeError,
} from '../shared/errors.ts';
import { parseCustomerKey } from '../shared/customers/customer-key.ts';
import { json, lowerHeaders, mediaType, rawBody, type HttpEvent, type HttpResult } from '../shared/http.ts';
import { errorFields, type Logger } from '../shared/logger.ts';
import { authorize, authorizeAction, type AdminAction } from '../shared/lifecycle/permissions.ts';
import { DYNAMO_ITEM_LIMIT_BYTES } from '../shared/lifecycle/dynamo-item-size.ts';
import { MAX_CHANGE_BYTES, appendWindow, sizeTier, storedItemBytes, tierCeiling } from '../shared/lifecycle/item-budget.ts';
import { allowedCommands, applyCommand, type Change, type Command } from '../shared/lifecycle/state-machine.ts';
import { httpProblem } from '../shared/middleware/http-problem.ts';
import { parseWith } from '../shared/validation.ts';
import { flushOutbox, outboxOf } from '../shared/pipeline/outbox.ts';
import type { ClockTimer } from '../shared/ports/clock-timer.ts';
import type { EventBus } from '../shared/ports/event-bus.ts';
import { VersionConflictError, type FeedbackRepository, type OutboxEntry, type StoredFeedback } from '../shared/ports/feedback-repository.ts';
import { cursorScope, type CursorCodec } from './cursor.ts';
import type { CustomerService } from './customers.ts';
import { answerEvaluation, isEvaluationAction } from './evaluation-routes.ts';
import { SURVEY_PATH, answerSurvey } from './survey-routes.ts';
import type { SurveyConfig } from '../shared/survey/config.ts';
import { acceptsBareRating, ratingRequestFor } from '../shared/survey/rating-request.ts';
import { planRatingRequestReply } from '../shared/survey/rating-request-reply.ts';
import type { RatingPointerStore } from '../shared/ports/rating-pointer-store.ts';
import type { PlanStore } from '../shared/ports/plan-store.ts';
import { reportTimeZone } from '../shared/reports/quarters.ts';
import type { QuarterReports, ReportDeps } from './reports/report-service.ts';
import { createFaqRoutes, type AdminFaq } from './faq-routes.ts';
import { METRIC_ATTRIBUTES, computeMetrics, type MetricItem } from '../shared/reports/metrics.ts';
import { openApiDocument } from './openapi.ts';
import type { AdminQueries } from '../shared/ports/admin-queries.ts';
import { OPENAPI_PATH, matchRoute, type AdminRoute } from './routes.ts';
import { replyWindowView, toView } from './view.ts';
import { replyWindowFor } from '../shared/channels/reply-router.ts';
import type { ReplyRouter } from '../shared/ports/reply-sender.ts';
import type { ReplyQueue } from '../shared/ports/reply-queue.ts';
import type { SentReplyIndex } from '../shared/ports/sent-reply-index.ts';
import { faqReplyText, planReply, newReplyId, replyAccepted, startReply } from './replies.ts';

/** What replies to customers need: the sender for every platform, and the queue that carries sends out. */
export interface AdminReplyDeps {
  router: ReplyRouter;
  queue: ReplyQueue;
  /** Where a sent reply's platform message id is remembered (delivery reports find their reply by it). */
  sentReplies?: SentReplyIndex;
}

export interface AdminDeps {
  /** Absent where this stack sends no replies: a reply through the channel answers 409 "reply channel not configured". */
  replies?: AdminReplyDeps;
  repository: FeedbackRepository;
  queries: AdminQueries;
  eventBus: EventBus;
  /** Stops and starts clock timers (absent where no timers run: their outbox entries stay owed). */
  clockTimer?: ClockTimer;
  cursors: CursorCodec;
  logger: Logger;
  /** Customers across channels: history, links, `customer=` filters, previous complaints, the repeat rate. */
  customers?: CustomerService;
  /** Clock policy: first-response target for metrics, clocks for items reclassified as complaints. */
  clockPolicy?: ClockPolicy;
  /** The plan and customer bases (issue 16); without it those routes answer 503. */
  plans?: PlanStore;
  /**
   * The reports over a quarter's items (report-service.ts `quarterReportsOver(source)`); in AWS only the
   * report function has it (routes' `servedBy`), so the admin bundle carries no report computation.
   */
  reports?: (deps: Omit<ReportDeps, 'source'>) => QuarterReports;
  /** REDRESS_TIMEZONE (default Asia/Shanghai): the bank's quarters and days. */
  timeZone?: string;
  /**
   * The customer survey (REDRESS_SURVEY_SECRET, REDRESS_SURVEY_TTL, REDRESS_PUBLIC_URL): resolutions then
   * owe a rating request, and `/survey/{token}` answers. Without it, neither.
   */
  survey?: SurveyConfig;
  /** Where a resolution leaves the pointer a bare "reply 1–5" from the same customer finds (messaging platforms). */
  ratingPointers?: RatingPointerStore;
  /** The bank's FAQ (the FAQ routes and suggestions; without it they answer 503). */
  faq?: AdminFaq;
  now?: () => Date;
}

const MAX_BODY_BYTES = 64 * 1024;
const DAY_MS = 86_400_000;
const DEFAULT_WINDOW_DAYS = 30;
const MAX_WINDOW_DAYS = 366;
/** Without If-Match, a write that lost a race is decided again on the fresh item, a few times. */
const MAX_ATTEMPTS = 6;
/** The random pause before deciding again grows from up to 20 ms (RETRY_BASE_MS × 2) to at most 250 ms. */
const RETRY_BASE_MS = 10;
const RETRY_CAP_MS = 250;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const ID_PATTERN = /^fb_[a-z0-9]{1,64}$/;
/** A path segment longer than any clock name is not one (the lifecycle answers 404 for unknown names). */
const MAX_CLOCK_SEGMENT = 64;

/** `"7"` for version 7. */
export const etag = (version: number) => `"${version}"`;

/**
 * The versions an If-Match header accepts: `*` (any), or a list of entity tags, quoted or bare (`"7"`,
 * `7`). If-Match compares strongly (RFC 9110 §13.1.1), so a weak tag (`W/"7"`) matches nothing; so do
 * tags that are not versions (both answer 412).
 */
export function parseIfMatch(header: string | undefined): '*' | number[] | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  if (header.trim() === '*') return '*';
  return header
    .split(',')
    .map((t) => t.trim())
    .filter((t) => !/^W\//i.test(t))
    .map((t) => t.replace(/^"(.*)"$/, '$1'))
    .filter((t) => /^\d{1,15}$/.test(t))
    .map(Number);
}

function jsonBody(event: HttpEvent): unknown {
  const body = rawBody(event);
  if (body.length > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
  const type = mediaType(lowerHeaders(event.headers)['content-type']);
  if (body.length > 0 && type !== undefined && type !== 'application/json') throw new UnsupportedMediaTypeError(type, 'application/json');
  if (body.length === 0) return {};
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value;
  } catch {
    throw new BadRequestError('The body must be a JSON object.', [{ field: '(body)', message: 'not a JSON object' }]);
  }
}

/** Unknown names echoed back in a 400 are cut to this length, and at most MAX_NAMED of them are listed. */
const MAX_PARAMETER_NAME = 64;
const MAX_NAMED = 10;

/**
 * Validates a query string against its route's schema. A parameter the schema does not name is a 400
 * naming it (`?customer=`, `?statuss=`): silently ignoring a misspelt filter would answer a different
 * question than the one asked.
 */
export function parseQuery<T extends z.ZodMiniObject>(schema: T, params: Record<string, string | undefined> | undefined): z.output<T> {
  const known = Object.keys(schema.shape);
  const unknown = Object.keys(params ?? {}).filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    const named = unknown.slice(0, MAX_NAMED).map((name) => name.slice(0, MAX_PARAMETER_NAME));
    throw new BadRequestError(
      `Unknown query parameter${unknown.length > 1 ? 's' : ''}: ${named.join(', ')}. This route takes ${known.join(', ')}.`,
      named.map((field) => ({ field, message: 'unknown query parameter' })),
    );
  }
  return parseWith(schema, params ?? {}, 'query');
}

/** Canonical UTC instants (so key ranges compare as text), validated to a sane window. */
function windowOf(query: { from?: string | undefined; to?: string | undefined }, now: Date): { from: string; to: string } {
  const toMs = query.to ? Date.parse(query.to) : now.getTime();
  const fromMs = query.from ? Date.parse(query.from) : toMs - DEFAULT_WINDOW_DAYS * DAY_MS;
  if (!(fromMs < toMs)) throw new BadRequestError('from must be before to.', [{ field: 'from', message: 'must be before to' }]);
  if (toMs - fromMs > MAX_WINDOW_DAYS * DAY_MS) throw new BadRequestError(`The window is longer than ${MAX_WINDOW_DAYS} days.`, [{ field: 'from', message: `at most ${MAX_WINDOW_DAYS} days before to` }]);
  if (fromMs < Date.UTC(2000, 0, 1) || toMs > Date.UTC(9999, 0, 1)) throw new BadRequestError('from/to out of range.', [{ field: 'from', message: 'out of range' }]);
  return { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() };
}

/** Whether an item was received in the window (always, without one). */
const inWindow = (item: FeedbackItem, window: { from: string; to: string } | undefined) => !window || (item.receivedAt >= window.from && item.receivedAt < window.to);

/**
 * A customer key from a path segment (still percent-encoded), or a 400 naming the segment: a key is
 * `ck<version>_` and 32 lower-case hex characters. Undefined when the route has no such segment.
 */
export function pathCustomerKey(segment: string | undefined, field: string): string | undefined {
  if (segment === undefined) return undefined;
  let text: string | undefined;
  try {
    text = decodeURIComponent(segment);
  } catch {
    text = undefined;
  }
  const key = parseCustomerKey(text);
  if (!key) throw new BadRequestError(`${field} is not a customer key.`, [{ field, message: 'must be ck<version>_ and 32 lower-case hex characters' }]);
  return key;
}

/** Whether an item has a breached clock now (stopped late, or running past due). */
export function isBreached(item: FeedbackItem, now: string): boolean {
  return clockViews(item, now).some((c) => c.state === 'breached');
}

/**
 * Builds the admin handler over its ports (AWS adapters in Lambda, local ones on one machine).
 * Long: the route table itself: each route is a short closure over the same ports, clock policy and
 * clock; the decisions they call (lifecycle, metrics, views, reports) are small functions elsewhere.
 */
export function createAdminHandler(deps: AdminDeps) {
  const now = deps.now ?? (() => new Date());
  const policy = deps.clockPolicy ?? DEFAULT_CLOCK_POLICY;
  const firstResponseTargetMs = parseIsoDuration(policy.firstResponse.target.duration);

  const ratingRequest = deps.survey ? ratingRequestFor(deps.survey) : undefined;

  const itemOrNotFound = async (id: string) => {
    const stored = await deps.repository.get(id);
    if (!stored) throw new NotFoundError(`No feedback item ${id}.`);
    return stored;
  };

  const faqRoutes = createFaqRoutes({ faq: deps.faq, cursors: deps.cursors, logger: deps.logger, now, parseQuery });

  /** One item as its own route shows it: the view, and when its channel stops taking replies. */
  const singleView = (item: FeedbackItem) => {
    const at = now();
    return { ...toView(item, at.toISOString()), ...(deps.replies ? { replyWindow: replyWindowView(replyWindowFor(item, at, deps.replies.router)) } : {}) };
  };
  const read = (item: FeedbackItem): HttpResult => json(200, singleView(item), { etag: etag(item.version) });

  function requireAllowed(principal: Principal, action: AdminAction, item?: FeedbackItem, assignee?: string): void {
    const decision = item ? authorize(principal, action, item, assignee) : authorizeAction(principal, action);
    if (!decision.allowed) throw new ForbiddenError(decision.reason);
  }

  /**
   * The DynamoDB size the item will have after the change, or a 422 when that is past the ceiling of the
   * command's tier (item-budget.ts): the answer names the commands that still fit.
   */
  function requireRoom(id: string, stored: StoredFeedback, command: Command, next: FeedbackItem, outbox: Record<string, OutboxEntry>): number {
    const bytes = storedItemBytes(next, outbox);
    const tier = sizeTier(command.type, stored.item);
    if (bytes <= tierCeiling(tier)) return bytes;
    const size = storedItemBytes(stored.item, stored.outbox);
    const allowed = allowedCommands(stored.item).filter((t) => size + MAX_CHANGE_BYTES <= tierCeiling(sizeTier(t, stored.item)));
    throw new ProblemError(
      422,
      'Unprocessable Content',
      `${id} has no room for this ${command.type}: the complaint would be ${bytes} bytes, over the ${tierCeiling(tier)} its ${tier} entries may fill (DynamoDB items are at most ${DYNAMO_ITEM_LIMIT_BYTES}). ` +
        (tier === 'record' ? 'Answering, resolving and the other actions keep their own room.' : 'Shorten the text, or record it elsewhere and refer to it.'),
      undefined,
      { allowed, itemBytes: size, limitBytes: tierCeiling(tier), currentVersion: stored.item.version },
    );
  }

  /** Applies the command to the item read; a refusal (LifecycleError) is answered by the problem middleware (409, 404). */
  function decide(current: FeedbackItem, command: Command, principal: Principal): Change {
    return applyCommand(current, command, { actor: principal.sub, at: now().toISOString(), policy, ...(ratingRequest ? { ratingRequest } : {}) });
  }

  /**
   * Writes the change, or throws VersionConflictError when another write got there first. A note without
   * If-Match is appended (nothing it depends on can change under it, so racing notes all land); anything
   * else replaces the item on its version.
   */
  async function write(command: Command, current: FeedbackItem, change: Change, outbox: Record<string, OutboxEntry>, bytes: number, ifMatch: unknown) {
    if (command.type === 'note' && ifMatch === undefined) {
      const window = appendWindow(bytes, tierCeiling(sizeTier('note', current)));
      return deps.repository.appendTimeline(current.id, change.entry, current.version + window);
    }
    return deps.repository.replace(change.item, current.version, outbox);
  }

  async function mutate(event: HttpEvent, principal: Principal, route: AdminRoute, id: string, clock?: string): Promise<HttpResult> {
    const body = parseWith(route.body!, jsonBody(event), 'body') as Record<string, unknown>;
    // The clock comes from the path, after the body, so a body cannot name another clock.
    let command = { ...body, type: route.command!, ...(clock !== undefined ? { clock } : {}) } as Command;
    const isReply = command.type === 'respond' || command.type === 'reply';
    // One id per request: a write retried after losing a race records the same reply (or rating request), once.
    const replyId = isReply || (command.type === 'resolve' && ratingRequest) ? newReplyId() : undefined;
    // A `{faqId}` reply sends the entry's answer as the FAQ is now (no FAQ store: every faqId is unknown, a 400).
    const faqEntries = isReply && body.faqId !== undefined ? ((await deps.faq?.cache.current())?.index.entries ?? []) : [];
    const ifMatch = parseIfMatch(lowerHeaders(event.headers)['if-match']);
    for (let attempt = 1; ; attempt++) {
      const stored = await itemOrNotFound(id);
      const current = stored.item;
      requireAllowed(principal, route.action, current, command.type === 'assign' ? command.assignee : undefined);
      // A reply on a complaint follows the complaint's rules (its assignee, or a supervisor), whichever route it came by.
      if (command.type === 'reply' && current.kind === 'complaint') requireAllowed(principal, 'respond', current);
      if (ifMatch !== undefined && ifMatch !== '*' && !ifMatch.includes(current.version)) {
        throw new PreconditionFailedError(`If-Match does not name the current version (${etag(current.version)}); read it again.`, { currentVersion: current.version });
      }
      if (command.type === 'respond' || command.type === 'reply') command = { ...command, ...faqReplyText(body, current, faqEntries), ...planReply(current, command, replyId!, now(), deps.replies?.router) };
      // Set here, never from the body: whether the channel can take the rating request now.
      if (command.type === 'resolve') command = { ...command, ratingRequest: replyId ? planRatingRequestReply(current, replyId, now(), deps.replies?.router) : undefined };
      const change = decide(current, command, principal);
      // Carry over whatever the item still owes (a crash after an earlier change), plus this change's work.
      const outbox = { ...stored.outbox, ...outboxOf(change.outbox) };
      const bytes = requireRoom(id, stored, command, change.item, outbox);
      let written;
      try {
        written = await write(command, current, change, outbox, bytes, ifMatch);
      } catch (err) {
        if (!(err instanceof VersionConflictError)) throw err;
        if (ifMatch !== undefined) throw new PreconditionFailedError(`${id} changed while this request was applied; read it again.`);
        if (attempt >= MAX_ATTEMPTS) throw new ConflictError(`${id} keeps changing; retry.`);
        // Decided again on the fresh item, after a random pause so racing writers spread out.
        await sleep(Math.random() * Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** attempt));
        continue;
      }
      try {
        await flushOutbox(written, deps);
      } catch (err) {
        // The change is stored with its outbox: the next change or the sweeper carries it out.
        deps.logger.warn('outbox not flushed', { id, ...errorFields(err) });
      }
      if (command.type === 'resolve') {
        await leaveRatingPointer(written.item, change.entry.at);
        if (replyId) await startReply(written, replyId, deps);
      }
      deps.logger.info('complaint changed', { id, command: command.type, actor: principal.sub, version: written.item.version });
      if (isReply) return replyAccepted(written, replyId!, deps);
      // The rating request's first attempt wrote the item again: answer with it as it is now, so the
      // ETag the handler gets is current (their next If-Match would otherwise be refused with a 412).
      if (command.type === 'resolve' && replyId) return read((await deps.repository.get(id))?.item ?? written.item);
      return read(written.item);
    }
  }

  /**
   * After a resolution on a messaging platform: the pointer a bare "reply 1–5" from this customer finds
   * until the survey window closes. A second write: when it fails, the link still rates the resolution
   * and a bare reply becomes feedback, so it is logged, not answered as a failure.
   */
  async function leaveRatingPointer(item: FeedbackItem, resolvedAt: string): Promise<void> {
    const customerId = item.customer?.id;
    if (!deps.ratingPointers || !deps.survey || !customerId || !acceptsBareRating(item.source)) return;
    const expiresAt = new Date(Date.parse(resolvedAt) + deps.survey.ttlMs).toISOString();
    try {
      await deps.ratingPointers.put(item.source, customerId, { feedbackId: item.id, resolvedAt, expiresAt });
    } catch (err) {
      deps.logger.warn('rating pointer not written', { id: item.id, ...errorFields(err) });
    }
  }

  /** A cursor: the last key and (for day walks) the window the first page fixed, signed for `scope`. */
  const cursorFor = (scope: string, key: string, window?: { from: string; to: string }) =>
    deps.cursors.encode(scope, JSON.stringify(window ? { k: key, w: [window.from, window.to] } : { k: key }));

  function resume(scope: string, cursor: string): { key: string; window?: { from: string; to: string } } {
    const payload = JSON.parse(deps.cursors.decode(scope, cursor)) as { k: string; w?: [string, string] };
    return { key: payload.k, ...(payload.w ? { window: { from: payload.w[0], to: payload.w[1] } } : {}) };
  }

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
    const matches = (item: FeedbackItem) =>
      item.kind === 'complaint' &&
      (q.status === undefined || item.status === q.status) &&
      (q.category === undefined || item.category === q.category) &&
      (q.severity === undefined || item.severity === q.severity) &&
      (q.channel === undefined || item.channel === q.channel) &&
      (q.assignee === undefined || (q.assignee === 'none' ? item.assignee === null : item.assignee === q.assignee)) &&
      (q.breached === undefined || isBreached(item, nowIso) === q.breached);
    const page = q.customer
      ? await customerPage(q.customer, { limit: q.limit, ...(after ? { before: after } : {}) }, (item) => matches(item) && (q.status !== undefined || item.status !== 'resolved') && inWindow(item, window))
      : window
      ? await deps.queries.byDay({ ...window, limit: q.limit, matches, ...(after ? { after } : {}) })
      : await deps.queries.openQueue({ limit: q.limit, matches, ...(after ? { after } : {}), ...(q.assignee && q.assignee !== 'none' ? { assignee: q.assignee } : {}) });
    return json(200, { items: page.items.map((i) => toView(i, nowIso)), ...(page.lastKey ? { nextCursor: cursorFor(scope, page.lastKey, window) } : {}) });
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
    return json(200, { items: page.items.map((i) => toView(i, nowIso)), ...(page.lastKey ? { nextCursor: cursorFor(scope, page.lastKey, window) } : {}) });
  }

  /** The triage queue (items whose kind a person should settle), soonest due first. */
  async function listTriage(event: HttpEvent): Promise<HttpResult> {
    const q = parseQuery(TriageListQuery, event.queryStringParameters);
    const scope = cursorScope('triage', { reason: q.reason });
    const after = q.cursor ? resume(scope, q.cursor).key : undefined;
    const matches = (item: FeedbackItem) => q.reason === undefined || item.triage?.reason === q.reason;
    const page = await deps.queries.triageQueue({ limit: q.limit, matches, ...(after ? { after } : {}) });
    const nowIso = now().toISOString();
    return json(200, { items: page.items.map((i) => toView(i, nowIso)), ...(page.lastKey ? { nextCursor: cursorFor(scope, page.lastKey) } : {}) });
  }

  const customersOrUnavailable = (): CustomerService => {
    if (!deps.customers) throw new ServiceUnavailableError('Customer history is not configured on this stack.');
    return deps.customers;
  };

  /** A `customer=` list: that customer's items (linked keys included) that the list's filters keep, newest first. */
  const customerPage = (customer: string, page: { before?: string; limit: number }, matches: (item: FeedbackItem) => boolean) => customersOrUnavailable().filtered(customer, page, matches);

  async function customerHistory(event: HttpEvent, key: string): Promise<HttpResult> {
    const q = parseQuery(CustomerHistoryQuery, event.queryStringParameters);
    const scope = cursorScope('customer', { key });
    const before = q.cursor ? resume(scope, q.cursor).key : undefined;
    const nowIso = now().toISOString();
    const { page, previous, ...history } = await customersOrUnavailable().history(key, { limit: q.limit, ...(before ? { before } : {}) }, nowIso);
    const items = page.items.map((i) => {
      const view = toView(i, nowIso);
      return { ...view, customer: { ...view.customer, previousComplaints90d: previous.get(i.id) ?? 0 } };
    });
    return json(200, { ...history, items, ...(page.lastKey ? { nextCursor: cursorFor(scope, page.lastKey) } : {}) });
  }

  async function linkCustomers(event: HttpEvent, principal: Principal, key: string): Promise<HttpResult> {
    const body = parseWith(CustomerLinkBody, jsonBody(event), 'body');
    const { created, answer } = await customersOrUnavailable().link(key, body.customerKey, principal.sub, now().toISOString());
    if (created) deps.logger.info('customers linked', { customerKey: key, otherKey: body.customerKey, actor: principal.sub });
    return json(200, answer);
  }

  async function unlinkCustomers(principal: Principal, key: string, other: string): Promise<HttpResult> {
    const answer = await customersOrUnavailable().unlink(key, other, principal.sub, now().toISOString());
    deps.logger.info('customers unlinked', { customerKey: key, otherKey: other, actor: principal.sub });
    return json(200, answer);
  }

  /** A single item's view, with its customer's complaints in the 90 days before it. */
  async function readWithCustomer(item: FeedbackItem): Promise<HttpResult> {
    const previous = item.customerKey && deps.customers ? await deps.customers.previousComplaints(item) : undefined;
    if (previous === undefined) return read(item);
    const view = singleView(item);
    return json(200, { ...view, customer: { ...view.customer, previousComplaints90d: previous } }, { etag: etag(item.version) });
  }

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
    const figures = computeMetrics(items, window, at.toISOString(), firstResponseTargetMs);
    if (!deps.customers) return json(200, figures);
    const repeat = await deps.customers.repeatRate(window);
    return json(200, { ...figures, repeatComplaintRate: repeat.rate, repeatComplaints: { repeat: repeat.repeat, withCustomer: repeat.withCustomer } });
  }

  const timeZone = deps.timeZone ?? reportTimeZone({});
  const reports = deps.plans && deps.reports?.({ plans: deps.plans, timeZone, firstResponseTargetMs, now });
  function evaluation(event: HttpEvent, principal: Principal, route: AdminRoute, params: Record<string, string>): Promise<HttpResult> {
    if (!deps.plans || !isEvaluationAction(route.action)) throw new ProblemError(503, 'Service Unavailable', 'The plan store is not configured.');
    return answerEvaluation(
      { plans: deps.plans, ...(reports ? { reports } : {}), timeZone, firstResponseTargetMs, now },
      {
        action: route.action,
        event,
        principal,
        params,
        // reports/plan.ts validates strictly itself, naming an unknown key by its own path (`targets.complaintRat`).
        body: () => jsonBody(event),
        ifMatch: parseIfMatch(lowerHeaders(event.headers)['if-match']),
        reportQuery: () => parseQuery(QuarterlyReportQuery, event.queryStringParameters),
      },
    );
  }

  return middy<HttpEvent, HttpResult>()
    .use(httpProblem(deps.logger))
    .handler(async (event): Promise<HttpResult> => {
      const path = event.rawPath ?? '';
      const method = (event.requestContext?.http?.method ?? 'GET').toUpperCase();
      const surveyToken = SURVEY_PATH.exec(path)?.[1];
      if (surveyToken !== undefined) {
        // Public: the signed token is the authority (no JWT); without a survey configured there is no such page.
        if (!deps.survey) throw new NotFoundError('No such survey.');
        return answerSurvey({ repository: deps.repository, eventBus: deps.eventBus, ...(deps.clockTimer ? { clockTimer: deps.clockTimer } : {}), survey: deps.survey, logger: deps.logger, now }, event, surveyToken);
      }
      if (path === OPENAPI_PATH) {
        if (method !== 'GET' && method !== 'HEAD') throw new MethodNotAllowedError(`${path} answers GET only.`, ['GET', 'HEAD']);
        return json(200, openApiDocument());
      }
      const { match, allowed } = matchRoute(method, path);
      if (!match) {
        if (allowed) throw new MethodNotAllowedError(`${path} answers ${allowed.join(', ')}.`, allowed);
        throw new NotFoundError(`No admin route ${method} ${path.slice(0, 200)}.`);
      }
      const principal = principalOf(event);
      const { route } = match;
      requireAllowed(principal, route.action);
      let id: string | undefined;
      if (match.id !== undefined) {
        try {
          id = decodeURIComponent(match.id);
        } catch {
          id = undefined;
        }
        if (!id || !ID_PATTERN.test(id)) throw new NotFoundError('No such feedback item.');
      }
      let clock: string | undefined;
      if (match.params.clock !== undefined) {
        try {
          clock = decodeURIComponent(match.params.clock);
        } catch {
          clock = undefined;
        }
        if (!clock || clock.length > MAX_CLOCK_SEGMENT) throw new NotFoundError('No such clock.');
      }
      const customerKey = pathCustomerKey(match.params.customerKey, 'customerKey');
      const otherKey = pathCustomerKey(match.params.otherKey, 'otherKey');
      switch (route.action) {
        case 'customerHistory':
          return customerHistory(event, customerKey!);
        case 'linkCustomers':
          return linkCustomers(event, principal, customerKey!);
        case 'unlinkCustomers':
          return unlinkCustomers(principal, customerKey!, otherKey!);
        case 'listComplaints':
          return listComplaints(event);
        case 'listFeedback':
          return listFeedback(event);
        case 'listTriage':
          return listTriage(event);
        case 'metrics':
          return metrics(event);
        case 'getComplaint':
          return readWithCustomer((await itemOrNotFound(id!)).item);
        case 'getPlan':
        case 'setPlan':
        case 'setCustomerBase':
        case 'quarterlyReport':
        case 'handlerReport':
          return evaluation(event, principal, route, match.params);
        case 'listFaq':
          return faqRoutes.list(event);
        case 'updateFaq':
          return faqRoutes.put(event, principal);
        case 'faqChanges':
          return faqRoutes.changes(event);
        case 'suggestAnswers':
          return faqRoutes.suggestionsFor((await itemOrNotFound(id!)).item);
        default:
          return mutate(event, principal, route, id!, clock);
      }
    });
}
