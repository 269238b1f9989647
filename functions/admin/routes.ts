/**
 * The admin API's routes, as data: method, path template, the action the permissions table knows it by,
 * and the zod schemas of its query, body and answer. The handler routes by this table, the OpenAPI
 * document is generated from it, and the CDK construct creates one gateway route per entry, so the
 * three cannot disagree.
 */
import type * as z from 'zod/mini';
import {
  AssignBody,
  ComplaintListQuery,
  CustomerHistory,
  CustomerHistoryQuery,
  CustomerLinkBody,
  CustomerLinks,
  ExtendClockBody,
  FeedbackListQuery,
  FeedbackPage,
  FeedbackView,
  Metrics,
  MetricsQuery,
  NoteBody,
  PauseClockBody,
  ReclassifyBody,
  ReopenBody,
  ReplyAccepted,
  ReplyBody,
  ResolveBody,
  RespondBody,
  ResumeClockBody,
  SatisfactionBody,
  SettleKindBody,
  TriageListQuery,
} from '../../schemas/admin.ts';
import { FaqChanges, FaqChangesQuery, FaqListQuery, FaqPage, FaqUpdateQuery, FaqUpdateResult, FaqUpload, SuggestionsView } from '../../schemas/faq.ts';
import { CustomerBase, CustomerBaseBody, Plan, PlanBody } from '../../schemas/plan.ts';
import { HandlerReport, QuarterlyReport, QuarterlyReportQuery } from '../../schemas/reports.ts';
import type { AdminAction } from '../shared/lifecycle/permissions.ts';
import type { CommandType } from '../shared/lifecycle/state-machine.ts';

export type HttpVerb = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface AdminRoute {
  method: HttpVerb;
  /** OpenAPI path template; `{id}` is a feedback id, `{clock}` a clock name (`clocks[].name`), `{customerKey}` and `{otherKey}` customer keys. */
  path: string;
  action: AdminAction;
  /** The lifecycle command a mutation applies. */
  command?: CommandType;
  query?: z.ZodMiniType;
  body?: z.ZodMiniType;
  response: z.ZodMiniType;
  /**
   * The function that serves it in AWS when not the admin function: the quarterly reports read a whole
   * quarter (up to a million items), so they run in a report function with more memory (CPU) of its own
   * (functions/reports/index.ts) behind the same API and authorizer.
   */
  servedBy?: 'report';
  /** The success status (200 unless said; replies answer 202). */
  status?: 200 | 202;
}

export const ADMIN_ROUTES: AdminRoute[] = [
  { method: 'GET', path: '/admin/complaints', action: 'listComplaints', query: ComplaintListQuery, response: FeedbackPage },
  { method: 'GET', path: '/admin/complaints/{id}', action: 'getComplaint', response: FeedbackView },
  { method: 'PATCH', path: '/admin/complaints/{id}', action: 'reclassify', command: 'reclassify', body: ReclassifyBody, response: FeedbackView },
  { method: 'POST', path: '/admin/complaints/{id}/assign', action: 'assign', command: 'assign', body: AssignBody, response: FeedbackView },
  { method: 'POST', path: '/admin/complaints/{id}/responses', action: 'respond', command: 'respond', body: RespondBody, response: ReplyAccepted, status: 202 },
  { method: 'POST', path: '/admin/complaints/{id}/resolve', action: 'resolve', command: 'resolve', body: ResolveBody, response: FeedbackView },
  { method: 'POST', path: '/admin/complaints/{id}/reopen', action: 'reopen', command: 'reopen', body: ReopenBody, response: FeedbackView },
  { method: 'POST', path: '/admin/complaints/{id}/notes', action: 'note', command: 'note', body: NoteBody, response: FeedbackView },
  { method: 'POST', path: '/admin/complaints/{id}/satisfaction', action: 'rate', command: 'rate', body: SatisfactionBody, response: FeedbackView },
  { method: 'POST', path: '/admin/complaints/{id}/clocks/{clock}/extend', action: 'extendClock', command: 'extendClock', body: ExtendClockBody, response: FeedbackView },
  { method: 'POST', path: '/admin/complaints/{id}/clocks/{clock}/pause', action: 'pauseClock', command: 'pauseClock', body: PauseClockBody, response: FeedbackView },
  { method: 'POST', path: '/admin/complaints/{id}/clocks/{clock}/resume', action: 'resumeClock', command: 'resumeClock', body: ResumeClockBody, response: FeedbackView },
  { method: 'POST', path: '/admin/feedback/{id}/replies', action: 'reply', command: 'reply', body: ReplyBody, response: ReplyAccepted, status: 202 },
  { method: 'GET', path: '/admin/feedback', action: 'listFeedback', query: FeedbackListQuery, response: FeedbackPage },
  { method: 'GET', path: '/admin/triage', action: 'listTriage', query: TriageListQuery, response: FeedbackPage },
  { method: 'GET', path: '/admin/feedback/{id}', action: 'getComplaint', response: FeedbackView },
  { method: 'PATCH', path: '/admin/feedback/{id}', action: 'settleKind', command: 'settleKind', body: SettleKindBody, response: FeedbackView },
  { method: 'GET', path: '/admin/feedback/{id}/suggestions', action: 'suggestAnswers', response: SuggestionsView },
  { method: 'GET', path: '/admin/faq', action: 'listFaq', query: FaqListQuery, response: FaqPage },
  { method: 'PUT', path: '/admin/faq', action: 'updateFaq', query: FaqUpdateQuery, body: FaqUpload, response: FaqUpdateResult },
  { method: 'GET', path: '/admin/faq/changes', action: 'faqChanges', query: FaqChangesQuery, response: FaqChanges },
  { method: 'GET', path: '/admin/metrics', action: 'metrics', query: MetricsQuery, response: Metrics },
  { method: 'GET', path: '/admin/customers/{customerKey}', action: 'customerHistory', query: CustomerHistoryQuery, response: CustomerHistory },
  { method: 'POST', path: '/admin/customers/{customerKey}/links', action: 'linkCustomers', body: CustomerLinkBody, response: CustomerLinks },
  { method: 'DELETE', path: '/admin/customers/{customerKey}/links/{otherKey}', action: 'unlinkCustomers', response: CustomerLinks },
  { method: 'GET', path: '/admin/plan', action: 'getPlan', response: Plan },
  { method: 'PUT', path: '/admin/plan', action: 'setPlan', body: PlanBody, response: Plan },
  { method: 'PUT', path: '/admin/customer-base/{quarter}', action: 'setCustomerBase', body: CustomerBaseBody, response: CustomerBase },
  { method: 'GET', path: '/admin/reports/quarterly', action: 'quarterlyReport', query: QuarterlyReportQuery, response: QuarterlyReport, servedBy: 'report' },
  { method: 'GET', path: '/admin/reports/handlers', action: 'handlerReport', query: QuarterlyReportQuery, response: HandlerReport, servedBy: 'report' },
];

/** The customer survey's public route (no token: the signed survey token in the path is the authority). */
export const SURVEY_ROUTE = '/survey/{token}';

/** The public route of the OpenAPI document itself (no token needed). */
export const OPENAPI_PATH = '/openapi.json';

export interface RouteMatch {
  route: AdminRoute;
  /** The `{id}` segment as sent (still percent-encoded), when the template has one. */
  id?: string;
  /** Every `{name}` segment of the template as sent (still percent-encoded), by name (`id`, `clock`). */
  params: Record<string, string>;
}

function segments(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

/**
 * Finds the route for a request path. Resolves `{ match }`, or `{ allowed }` (the methods the path
 * does have, for a 405) or `{}` when no route has that path (404).
 */
export function matchRoute(method: string, path: string): { match?: RouteMatch; allowed?: HttpVerb[] } {
  const parts = segments(path);
  const allowed: HttpVerb[] = [];
  for (const route of ADMIN_ROUTES) {
    const tpl = segments(route.path);
    if (tpl.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const same = tpl.every((t, i) => {
      const param = /^\{([A-Za-z]+)\}$/.exec(t)?.[1];
      if (param) {
        params[param] = parts[i]!;
        return true;
      }
      return t === parts[i];
    });
    if (!same) continue;
    if (route.method === method.toUpperCase()) return { match: { route, params, ...(params.id !== undefined ? { id: params.id } : {}) } };
    allowed.push(route.method);
  }
  return allowed.length ? { allowed } : {};
}
