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
} from '../../schemas/admin.ts';
import type { AdminAction } from '../shared/lifecycle/permissions.ts';
import type { CommandType } from '../shared/lifecycle/state-machine.ts';

export type HttpVerb = 'GET' | 'POST' | 'PATCH';

export interface AdminRoute {
  method: HttpVerb;
  /** OpenAPI path template; `{id}` is a feedback id, `{clock}` a clock name (`clocks[].name`). */
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
  { method: 'GET', path: '/admin/metrics', action: 'metrics', summary: 'Service-quality KPIs for a receipt window', who: 'supervisor+', query: MetricsQuery, response: Metrics },
];

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
      const param = /^\{([a-z]+)\}$/.exec(t)?.[1];
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
