/**
 * The quarterly evaluation's admin routes: the plan, the quarters' customer bases and the two
 * reports, over the pure modules in reports/ and their ports. The admin handler has already matched the
 * route and checked the role; this answers it.
 *
 * - `GET/PUT /admin/plan`, `PUT /admin/customer-base/{quarter}`: validated (a 400 names each bad or unknown
 *   field), If-Match on `version` (412 when stale), the change and its audit record in one conditional
 *   write. A race lost without If-Match is a 409 (read again); with it, a 412.
 * - `GET /admin/reports/quarterly|handlers?quarter=`: JSON, or CSV on `Accept: text/csv` / `?format=csv`.
 */
import type { QuarterlyReportQuery } from '../../schemas/reports.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { ConflictError, NotFoundError, PreconditionFailedError, ProblemError } from '../shared/errors.ts';
import { json, lowerHeaders, type HttpEvent, type HttpResult } from '../shared/http.ts';
import type { AdminAction } from '../shared/lifecycle/permissions.ts';
import { VersionConflictError } from '../shared/ports/feedback-repository.ts';
import { putCustomerBase, putPlan } from './reports/plan.ts';
import type { PlanStore } from '../shared/ports/plan-store.ts';
import { wantsCsv, type QuarterReports } from './reports/report-service.ts';

export interface EvaluationDeps {
  plans: PlanStore;
  /** The reports over a quarter's items (absent in the admin function in AWS: the report function serves those routes). */
  reports?: QuarterReports;
  /** REDRESS_TIMEZONE: the bank's quarters and days. */
  timeZone: string;
  firstResponseTargetMs: number;
  now: () => Date;
}

/** What the admin handler hands over: the parsed body and query readers it already has. */
export interface EvaluationRequest {
  action: AdminAction;
  event: HttpEvent;
  principal: Principal;
  params: Record<string, string>;
  body: () => unknown;
  ifMatch: '*' | number[] | undefined;
  /** `?quarter=&format=` validated (unknown parameters named). */
  reportQuery: () => QuarterlyReportQuery;
}

const EVALUATION_ACTIONS = new Set<AdminAction>(['getPlan', 'setPlan', 'setCustomerBase', 'quarterlyReport', 'handlerReport']);

/** True for the routes this module answers. */
export const isEvaluationAction = (action: AdminAction) => EVALUATION_ACTIONS.has(action);

const etagOf = (version: number) => ({ etag: `"${version}"` });

/** A write that lost a race: 412 when the caller named a version, else 409 (read again and retry). */
async function guarded<T>(ifMatch: unknown, what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (!(err instanceof VersionConflictError)) throw err;
    if (ifMatch !== undefined) throw new PreconditionFailedError(`The ${what} changed while this request was applied; read it again.`);
    throw new ConflictError(`The ${what} changed while this request was applied; read it again and retry.`);
  }
}

/** Answers one evaluation route. */
export async function answerEvaluation(deps: EvaluationDeps, request: EvaluationRequest): Promise<HttpResult> {
  const by = () => ({ actor: request.principal.sub, at: deps.now().toISOString() });
  switch (request.action) {
    case 'getPlan': {
      const plan = await deps.plans.getPlan();
      if (!plan) throw new NotFoundError('No plan is set yet: PUT /admin/plan sets it.');
      return json(200, plan, etagOf(plan.version));
    }
    case 'setPlan': {
      const body = request.body();
      const plan = await guarded(request.ifMatch, 'plan', () => putPlan(deps.plans, body, by(), request.ifMatch));
      return json(200, plan, etagOf(plan.version));
    }
    case 'setCustomerBase': {
      let quarter: string;
      try {
        quarter = decodeURIComponent(request.params.quarter ?? '');
      } catch {
        quarter = request.params.quarter ?? '';
      }
      const body = request.body();
      const base = await guarded(request.ifMatch, `customer base of ${quarter}`, () => putCustomerBase(deps.plans, quarter, body, by(), request.ifMatch));
      return json(200, base, etagOf(base.version));
    }
    case 'quarterlyReport':
    case 'handlerReport': {
      const q = request.reportQuery();
      if (!deps.reports) throw new ProblemError(503, 'Service Unavailable', 'Reports are served by the report function.');
      return deps.reports.answer(request.action, q.quarter, wantsCsv(lowerHeaders(request.event.headers), q.format));
    }
    default:
      throw new NotFoundError(`No evaluation route for ${request.action}.`);
  }
}
