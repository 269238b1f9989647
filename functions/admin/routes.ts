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
  summary: string;
  /** Who may call it, in words (the permissions table decides). */
  who: string;
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
  { method: 'GET', path: '/admin/complaints', action: 'listComplaints', summary: 'The complaint queue: open complaints soonest due first (or resolved ones by day with status=resolved)', who: 'agent+', query: ComplaintListQuery, response: FeedbackPage },
  { method: 'GET', path: '/admin/complaints/{id}', action: 'getComplaint', summary: 'One complaint (or any feedback item) with its clocks and timeline', who: 'agent+', response: FeedbackView },
  { method: 'PATCH', path: '/admin/complaints/{id}', action: 'reclassify', command: 'reclassify', summary: 'Reclassify (kind, category, severity); the model\'s answer is kept', who: 'supervisor+', body: ReclassifyBody, response: FeedbackView },
  { method: 'POST', path: '/admin/complaints/{id}/assign', action: 'assign', command: 'assign', summary: 'Assign a complaint (agents: take an unassigned one for themselves)', who: 'supervisor+, or an agent taking an unassigned one', body: AssignBody, response: FeedbackView },
  { method: 'POST', path: '/admin/complaints/{id}/responses', action: 'respond', command: 'respond', summary: 'Answer the customer on the channel they wrote from (202, queued), or record a response made by phone, e-mail, letter or in person (via); the first reply sent meets the first-response clock', who: 'assignee, supervisor+', body: RespondBody, response: ReplyAccepted, status: 202 },
  { method: 'POST', path: '/admin/complaints/{id}/resolve', action: 'resolve', command: 'resolve', summary: 'Resolve a complaint (stops every clock)', who: 'assignee, supervisor+', body: ResolveBody, response: FeedbackView },
  { method: 'POST', path: '/admin/complaints/{id}/reopen', action: 'reopen', command: 'reopen', summary: 'Reopen a resolved complaint', who: 'supervisor+', body: ReopenBody, response: FeedbackView },
  { method: 'POST', path: '/admin/complaints/{id}/notes', action: 'note', command: 'note', summary: 'Add an internal note to the timeline', who: 'agent+', body: NoteBody, response: FeedbackView },
  { method: 'POST', path: '/admin/complaints/{id}/satisfaction', action: 'rate', command: 'rate', summary: 'Record customer satisfaction (1-5), once per resolution, after it', who: 'assignee, supervisor+', body: SatisfactionBody, response: FeedbackView },
  { method: 'POST', path: '/admin/complaints/{id}/clocks/{clock}/extend', action: 'extendClock', command: 'extendClock', summary: 'Extend a resolution clock as its rule allows (China complex 30 days, approved 60 days; UK payment services holding_reply 35 business days); once per reason', who: 'supervisor+', body: ExtendClockBody, response: FeedbackView },
  { method: 'POST', path: '/admin/complaints/{id}/clocks/{clock}/pause', action: 'pauseClock', command: 'pauseClock', summary: 'Pause a resolution clock (China: external appraisal time is not counted); its timer stops', who: 'supervisor+', body: PauseClockBody, response: FeedbackView },
  { method: 'POST', path: '/admin/complaints/{id}/clocks/{clock}/resume', action: 'resumeClock', command: 'resumeClock', summary: 'Resume a paused clock: its times move by exactly the paused time', who: 'supervisor+', body: ResumeClockBody, response: FeedbackView },
  { method: 'POST', path: '/admin/feedback/{id}/replies', action: 'reply', command: 'reply', summary: 'Reply to the customer on any feedback item (202, queued), or record a response made outside Redress (via); on a complaint, as …/responses', who: 'agent+ (on a complaint: assignee, supervisor+)', body: ReplyBody, response: ReplyAccepted, status: 202 },
  { method: 'GET', path: '/admin/feedback', action: 'listFeedback', summary: 'All feedback (any kind) by day of receipt, oldest first, for analysis and export', who: 'agent+', query: FeedbackListQuery, response: FeedbackPage },
  { method: 'GET', path: '/admin/triage', action: 'listTriage', summary: 'The triage queue: items whose kind a person should settle (uncertain, negative but not taken as a complaint, or in a language the classifier does not read), soonest due first', who: 'agent+', query: TriageListQuery, response: FeedbackPage },
  { method: 'GET', path: '/admin/feedback/{id}', action: 'getComplaint', summary: 'One feedback item (any kind), as GET /admin/complaints/{id}', who: 'agent+', response: FeedbackView },
  { method: 'PATCH', path: '/admin/feedback/{id}', action: 'settleKind', command: 'settleKind', summary: 'Settle the kind of an item in triage, or of any item that is not a complaint (recorded as a reclassification; the item leaves triage); a complaint confirmed late has its clocks counted from receipt', who: 'agent+', body: SettleKindBody, response: FeedbackView },
  { method: 'GET', path: '/admin/feedback/{id}/suggestions', action: 'suggestAnswers', summary: 'Suggested answers from the FAQ for any item, recomputed now (top 3, calibrated scores, shared cues)', who: 'agent+', response: SuggestionsView },
  { method: 'GET', path: '/admin/faq', action: 'listFaq', summary: "The bank's FAQ, in its order, a page at a time", who: 'agent+', query: FaqListQuery, response: FaqPage },
  { method: 'PUT', path: '/admin/faq', action: 'updateFaq', summary: 'Replace the FAQ (or merge by id with mode=upsert) from JSON or CSV (text/csv); every problem named by row and field; audited', who: 'admin', query: FaqUpdateQuery, body: FaqUpload, response: FaqUpdateResult },
  { method: 'GET', path: '/admin/faq/changes', action: 'faqChanges', summary: 'The audit trail of FAQ changes, newest first', who: 'agent+', query: FaqChangesQuery, response: FaqChanges },
  { method: 'GET', path: '/admin/metrics', action: 'metrics', summary: 'Service-quality KPIs for a receipt window', who: 'supervisor+', query: MetricsQuery, response: Metrics },
  { method: 'GET', path: '/admin/customers/{customerKey}', action: 'customerHistory', summary: "A customer's items across channels, newest first, with open complaints and complaints in the last 90 days (linked keys included)", who: 'agent+', query: CustomerHistoryQuery, response: CustomerHistory },
  { method: 'POST', path: '/admin/customers/{customerKey}/links', action: 'linkCustomers', summary: 'Link another customer key to this one as the same customer (audited; items are not changed)', who: 'supervisor+', body: CustomerLinkBody, response: CustomerLinks },
  { method: 'DELETE', path: '/admin/customers/{customerKey}/links/{otherKey}', action: 'unlinkCustomers', summary: 'Remove the link between two customer keys (audited; items are not changed)', who: 'supervisor+', response: CustomerLinks },
  { method: 'GET', path: '/admin/plan', action: 'getPlan', summary: "The bank's plan: baseline period and figures, targets (ETag for If-Match)", who: 'admin', response: Plan },
  { method: 'PUT', path: '/admin/plan', action: 'setPlan', summary: "Set the bank's plan (validated; audited with who, when, before and after)", who: 'admin', body: PlanBody, response: Plan },
  { method: 'PUT', path: '/admin/customer-base/{quarter}', action: 'setCustomerBase', summary: "Set a quarter's active and digital-active customers (the bank's own counts; audited)", who: 'admin', body: CustomerBaseBody, response: CustomerBase },
  { method: 'GET', path: '/admin/reports/quarterly', action: 'quarterlyReport', summary: 'The quarterly evaluation: a quarter beside the previous one and the baseline, each target met or not (JSON, or CSV on Accept: text/csv or format=csv)', who: 'supervisor+', query: QuarterlyReportQuery, response: QuarterlyReport, servedBy: 'report' },
  { method: 'GET', path: '/admin/reports/handlers', action: 'handlerReport', summary: "Per-handler figures of a quarter (JSON, or CSV on Accept: text/csv or format=csv)", who: 'supervisor+', query: QuarterlyReportQuery, response: HandlerReport, servedBy: 'report' },
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
