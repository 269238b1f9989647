/**
 * The admin's customer routes: one customer's history across channels (linked keys included), and the
 * links a supervisor makes or removes between two customer keys.
 */
import { CustomerHistoryQuery, CustomerLinkBody } from '../../schemas/admin.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { json, type HttpEvent, type HttpResult } from '../shared/http.ts';
import { parseWith } from '../shared/validation.ts';
import type { AdminContext } from './context.ts';
import { cursorScope } from './cursor.ts';
import { jsonBody, parseQuery } from './request.ts';

/** The customer routes over the handler's context. */
export function createCustomerRoutes(ctx: AdminContext) {
  const { deps, now, cursorFor, resume } = ctx;

  async function customerHistory(event: HttpEvent, key: string): Promise<HttpResult> {
    const q = parseQuery(CustomerHistoryQuery, event.queryStringParameters);
    const scope = cursorScope('customer', { key });
    const before = q.cursor ? resume(scope, q.cursor).key : undefined;
    const nowIso = now().toISOString();
    const { page, previous, ...history } = await ctx.customersOrUnavailable().history(key, { limit: q.limit, ...(before ? { before } : {}) }, nowIso);
    const items = (await ctx.views(page.items, nowIso)).map((view) => ({ ...view, customer: { ...view.customer, previousComplaints90d: previous.get(view.id) ?? 0 } }));
    return json(200, { ...history, items, ...(page.lastKey ? { nextCursor: cursorFor(scope, page.lastKey) } : {}) });
  }

  async function linkCustomers(event: HttpEvent, principal: Principal, key: string): Promise<HttpResult> {
    const body = parseWith(CustomerLinkBody, jsonBody(event), 'body');
    const { created, answer } = await ctx.customersOrUnavailable().link(key, body.customerKey, principal.sub, now().toISOString());
    if (created) deps.logger.info('customers linked', { customerKey: key, otherKey: body.customerKey, actor: principal.sub });
    return json(200, answer);
  }

  async function unlinkCustomers(principal: Principal, key: string, other: string): Promise<HttpResult> {
    const answer = await ctx.customersOrUnavailable().unlink(key, other, principal.sub, now().toISOString());
    deps.logger.info('customers unlinked', { customerKey: key, otherKey: other, actor: principal.sub });
    return json(200, answer);
  }

  return { customerHistory, linkCustomers, unlinkCustomers };
}
