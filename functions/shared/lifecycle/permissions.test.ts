import { describe, expect, it } from 'vitest';
import type { Principal } from '../auth/principal.ts';
import { ADMIN_ACTIONS, ADMIN_ONLY_ACTIONS, authorize, authorizeAction, type AdminAction } from './permissions.ts';

const agentA: Principal = { sub: 'agent-a', roles: ['agent'] };
/** The plan and customer bases are the administrators'. */
const supervisor: Principal = { sub: 'sup-1', roles: ['supervisor'] };
const admin: Principal = { sub: 'admin-1', roles: ['admin'] };
const nobody: Principal = { sub: 'x', roles: [] };

type Case = [string, Principal, AdminAction, string | null, string | undefined, boolean];
// [label, who, action, current assignee, requested assignee (assign), allowed]
const table: Case[] = [
  ['agent lists', agentA, 'listComplaints', null, undefined, true],
  ['agent reads', agentA, 'getComplaint', 'agent-b', undefined, true],
  ['agent lists feedback', agentA, 'listFeedback', null, undefined, true],
  ['agent notes any', agentA, 'note', 'agent-b', undefined, true],
  ['agent metrics', agentA, 'metrics', null, undefined, false],
  ['agent reopens', agentA, 'reopen', 'agent-a', undefined, false],
  ['agent reclassifies', agentA, 'reclassify', 'agent-a', undefined, false],
  ['agent takes unassigned for self', agentA, 'assign', null, 'agent-a', true],
  ['agent assigns unassigned to another', agentA, 'assign', null, 'agent-b', false],
  ['agent reassigns', agentA, 'assign', 'agent-b', 'agent-a', false],
  ['agent re-takes own (a retry)', agentA, 'assign', 'agent-a', 'agent-a', true],
  ['agent gives own to another', agentA, 'assign', 'agent-a', 'agent-b', false],
  ['agent responds own', agentA, 'respond', 'agent-a', undefined, true],
  ['agent responds other', agentA, 'respond', 'agent-b', undefined, false],
  ['agent responds unassigned', agentA, 'respond', null, undefined, false],
  ['agent resolves own', agentA, 'resolve', 'agent-a', undefined, true],
  ['agent resolves other', agentA, 'resolve', 'agent-b', undefined, false],
  ['agent rates own', agentA, 'rate', 'agent-a', undefined, true],
  ['agent rates other', agentA, 'rate', null, undefined, false],
  ['agent reads the quarterly report', agentA, 'quarterlyReport', null, undefined, false],
  ['agent sets the plan', agentA, 'setPlan', null, undefined, false],
  ['agent reads the FAQ', agentA, 'listFaq', null, undefined, true],
  ['agent reads FAQ changes', agentA, 'faqChanges', null, undefined, true],
  ['agent asks for suggestions', agentA, 'suggestAnswers', null, undefined, true],
  ['agent changes the FAQ', agentA, 'updateFaq', null, undefined, false],
  ...ADMIN_ACTIONS.flatMap((action): Case[] => [
    // The plan, customer bases and the FAQ are the administrators'.
    [`supervisor ${action}`, supervisor, action, 'agent-b', 'agent-a', !ADMIN_ONLY_ACTIONS.has(action)],
    [`admin ${action}`, admin, action, 'agent-b', 'agent-a', true],
    [`no role ${action}`, nobody, action, 'x', 'x', false],
  ]),
];

describe('permissions table', () => {
  it.each(table)('%s → %s', (_label, who, action, current, requested, allowed) => {
    // Act
    const decision = authorize(who, action, { assignee: current }, requested);
    // Assess
    expect(decision.allowed).toBe(allowed);
    if (!allowed) expect(decision.reason).toBeTruthy();
  });

  it('refuses supervisor-only actions to agents before the item is read', () => {
    expect(authorizeAction(agentA, 'metrics').allowed).toBe(false);
    expect(authorizeAction(agentA, 'reclassify').allowed).toBe(false);
    expect(authorizeAction(agentA, 'respond').allowed).toBe(true);
  });

  it('leaves changing the FAQ to admins, naming the role needed', () => {
    expect(authorizeAction(supervisor, 'updateFaq')).toEqual({ allowed: false, reason: 'This action needs the admin role or higher.' });
    expect(authorizeAction(admin, 'updateFaq').allowed).toBe(true);
  });
});
