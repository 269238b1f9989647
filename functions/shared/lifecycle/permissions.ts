/**
 * Who may do what in the admin API, as one table ("Roles in detail" in the design):
 * - agents read everything, note any complaint, take an unassigned complaint for themselves (not
 *   reassign one), and respond to, resolve and rate only complaints assigned to them;
 * - supervisors and admins may do everything (reopen, reclassify, reassign, metrics, and the regulatory
 *   clock actions: extend, pause and resume a resolution clock, which change what the bank owes a regulator);
 * - agents also work the triage queue: they list it and settle the kind of any item in triage, or of any
 *   item that is not a complaint (a complaint already open is reclassified by a supervisor).
 * - the FAQ is the bank's data: everyone reads it and the suggestions it gives; only admins change it.
 * Pure: the handler asks before touching the store (role-level) and again with the item (assignee rules).
 */
import type { Role } from '../auth/roles.ts';
import type { FeedbackItem } from '../../../schemas/feedback.ts';
import { hasRole, type Principal } from '../auth/principal.ts';

export const ADMIN_ACTIONS = ['listComplaints', 'getComplaint', 'listFeedback', 'metrics', 'assign', 'respond', 'reply', 'resolve', 'reopen', 'note', 'reclassify', 'rate', 'extendClock', 'pauseClock', 'resumeClock', 'listTriage', 'settleKind', 'customerHistory', 'linkCustomers', 'unlinkCustomers', 'getPlan', 'setPlan', 'setCustomerBase', 'quarterlyReport', 'handlerReport', 'listFaq', 'faqChanges', 'updateFaq', 'suggestAnswers'] as const;
export type AdminAction = (typeof ADMIN_ACTIONS)[number];

/** How an agent (the lowest role) is treated for each action; supervisors and admins may always. */
type AgentRule = 'allow' | 'deny' | 'own' | 'take' | 'adminOnly';

export const AGENT_RULES: Record<AdminAction, AgentRule> = {
  listComplaints: 'allow',
  getComplaint: 'allow',
  listFeedback: 'allow',
  note: 'allow',
  metrics: 'deny',
  reopen: 'deny',
  reclassify: 'deny',
  assign: 'take',
  respond: 'own',
  // Any item; on a complaint the handler also asks for `respond` (assignee, supervisor+).
  reply: 'allow',
  resolve: 'own',
  rate: 'own',
  extendClock: 'deny',
  pauseClock: 'deny',
  resumeClock: 'deny',
  listTriage: 'allow',
  settleKind: 'allow',
  // Customers across channels: any handler reads a customer's history; saying two keys are one person is a supervisor's call.
  customerHistory: 'allow',
  linkCustomers: 'deny',
  unlinkCustomers: 'deny',
  // The bank's plan and customer counts are the evaluation's yardstick: administrators set them (design.md).
  getPlan: 'adminOnly',
  setPlan: 'adminOnly',
  setCustomerBase: 'adminOnly',
  quarterlyReport: 'deny',
  handlerReport: 'deny',
  listFaq: 'allow',
  faqChanges: 'allow',
  suggestAnswers: 'allow',
  updateFaq: 'adminOnly',
};

/** Actions only admins may take (the plan, customer bases, and the FAQ, which changes what customers are told). */
export const ADMIN_ONLY_ACTIONS: ReadonlySet<AdminAction> = new Set(ADMIN_ACTIONS.filter((a) => AGENT_RULES[a] === 'adminOnly'));

/** The least role an action needs at all (agents may need more: an assignment, an unassigned item). */
export function minimumRole(action: AdminAction): Role {
  const rule = AGENT_RULES[action];
  return rule === 'adminOnly' ? 'admin' : rule === 'deny' ? 'supervisor' : 'agent';
}

export interface Decision {
  allowed: boolean;
  /** Why not, for the 403 detail. */
  reason?: string;
}

const allow: Decision = { allowed: true };
const deny = (reason: string): Decision => ({ allowed: false, reason });

/** Role-level decision, before the item is read: enough to refuse agents on supervisor-only actions. */
export function authorizeAction(principal: Principal, action: AdminAction): Decision {
  const need = minimumRole(action);
  if (hasRole(principal, need)) return allow;
  if (principal.roles.length === 0) return deny('The token carries none of the groups agent, supervisor or admin.');
  return deny(`This action needs the ${need} role or higher.`);
}

/**
 * The full decision with the item (and, for assign, the requested assignee).
 * @param assignee the body's assignee for `assign`.
 */
export function authorize(principal: Principal, action: AdminAction, item?: Pick<FeedbackItem, 'assignee'>, assignee?: string): Decision {
  const roleLevel = authorizeAction(principal, action);
  if (!roleLevel.allowed) return roleLevel;
  if (hasRole(principal, 'supervisor')) return allow;
  switch (AGENT_RULES[action]) {
    case 'allow':
      return allow;
    case 'deny':
      return deny(`This action needs the supervisor role or higher.`);
    case 'adminOnly':
      return deny('This action needs the admin role.');
    case 'own':
      return item?.assignee === principal.sub ? allow : deny('Agents may do this only on complaints assigned to them.');
    case 'take':
      // Taking again what one already holds is allowed: a client retrying after a timeout must not see a 403.
      if (item?.assignee && !(item.assignee === principal.sub && assignee === principal.sub)) return deny('Agents may not reassign a complaint; ask a supervisor.');
      return assignee === principal.sub ? allow : deny('Agents may only take an unassigned complaint for themselves.');
  }
}
