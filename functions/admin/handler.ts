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
import { QuarterlyReportQuery } from '../../schemas/reports.ts';
import { principalOf, type Principal } from '../shared/auth/principal.ts';
import type { ClockPolicy } from '../shared/clocks/policy.ts';
import { MethodNotAllowedError, NotFoundError, ProblemError } from '../shared/errors.ts';
import { json, lowerHeaders, type HttpEvent, type HttpResult } from '../shared/http.ts';
import type { Logger } from '../shared/logger.ts';
import { httpProblem } from '../shared/middleware/http-problem.ts';
import type { ClockTimer } from '../shared/ports/clock-timer.ts';
import type { EventBus } from '../shared/ports/event-bus.ts';
import type { FeedbackRepository } from '../shared/ports/feedback-repository.ts';
import type { CursorCodec } from './cursor.ts';
import type { CustomerService } from './customers.ts';
import { answerEvaluation, isEvaluationAction } from './evaluation-routes.ts';
import { SURVEY_PATH, answerSurvey } from './survey-routes.ts';
import type { SurveyConfig } from '../shared/survey/config.ts';
import type { RatingPointerStore } from '../shared/ports/rating-pointer-store.ts';
import type { PlanStore } from '../shared/ports/plan-store.ts';
import { reportTimeZone } from '../shared/reports/quarters.ts';
import type { QuarterReports, ReportDeps } from './reports/report-service.ts';
import { createFaqRoutes, type AdminFaq } from './faq-routes.ts';
import { openApiDocument } from './openapi.ts';
import type { AdminQueries } from '../shared/ports/admin-queries.ts';
import { OPENAPI_PATH, matchRoute, type AdminRoute } from './routes.ts';
import type { ReplyRouter } from '../shared/ports/reply-sender.ts';
import type { ReplyQueue } from '../shared/ports/reply-queue.ts';
import type { SentReplyIndex } from '../shared/ports/sent-reply-index.ts';
import { createAdminContext } from './context.ts';
import { createCustomerRoutes } from './customer-routes.ts';
import { createLifecycleRoutes } from './lifecycle-routes.ts';
import { createListRoutes } from './list-routes.ts';
import { jsonBody, parseIfMatch, parseQuery, pathCustomerKey } from './request.ts';

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
  /** The plan and customer bases; without it those routes answer 503. */
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

const ID_PATTERN = /^fb_[a-z0-9]{1,64}$/;
/** A path segment longer than any clock name is not one (the lifecycle answers 404 for unknown names). */
const MAX_CLOCK_SEGMENT = 64;

/** Whether an item has a breached clock now (stopped late, or running past due). */
export { isBreached } from './list-routes.ts';
export { etag, parseIfMatch, parseQuery, pathCustomerKey } from './request.ts';

/**
 * Builds the admin handler over its ports (AWS adapters in Lambda, local ones on one machine): the
 * route groups (lifecycle-routes.ts, list-routes.ts, customer-routes.ts, faq-routes.ts,
 * evaluation-routes.ts, survey-routes.ts) over one context (context.ts), and the dispatch by route.
 * Long: the dispatch itself: the public paths, the route match, the path parameters decoded and checked,
 * then one case per action, each a single call into its route group.
 */
export function createAdminHandler(deps: AdminDeps) {
  const ctx = createAdminContext(deps);
  const { now, firstResponseTargetMs } = ctx;
  const lifecycle = createLifecycleRoutes(ctx);
  const lists = createListRoutes(ctx);
  const customers = createCustomerRoutes(ctx);
  const faqRoutes = createFaqRoutes({ faq: deps.faq, cursors: deps.cursors, logger: deps.logger, now, parseQuery });

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
      ctx.requireAllowed(principal, route.action);
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
          return customers.customerHistory(event, customerKey!);
        case 'linkCustomers':
          return customers.linkCustomers(event, principal, customerKey!);
        case 'unlinkCustomers':
          return customers.unlinkCustomers(principal, customerKey!, otherKey!);
        case 'listComplaints':
          return lists.listComplaints(event);
        case 'listFeedback':
          return lists.listFeedback(event);
        case 'listTriage':
          return lists.listTriage(event);
        case 'metrics':
          return lists.metrics(event);
        case 'getComplaint':
          return lists.readWithCustomer((await ctx.itemOrNotFound(id!)).item);
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
          return faqRoutes.suggestionsFor((await ctx.itemOrNotFound(id!)).item);
        default:
          return lifecycle.mutate(event, principal, route, id!, clock);
      }
    });
}
