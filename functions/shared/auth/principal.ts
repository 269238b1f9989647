/**
 * Who is calling the admin API: the user id (`sub`) and roles (`cognito:groups`), read from verified JWT
 * claims. The same claims arrive from API Gateway's JWT authorizer in AWS and from the local verifier
 * on one machine, so the handler has one code path.
 */
import { ROLES, type Role } from './roles.ts';
import type { HttpEvent } from '../http.ts';
import { UnauthorizedError } from '../errors.ts';

export interface Principal {
  /** The user id (`sub`), recorded as the actor of every change. */
  sub: string;
  roles: Role[];
}

/** Verified claims as API Gateway hands them over (values may be strings, numbers, arrays). */
export type JwtClaims = Record<string, unknown>;

/**
 * `cognito:groups` as a list. Cognito puts an array in the token; API Gateway's HTTP API JWT authorizer
 * flattens it into the text `[agent supervisor]` in the request context, so both forms are read.
 */
export function groupsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value !== 'string') return [];
  return value
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .map((s) => s.trim().replace(/^"|"$/g, ''))
    .filter((s) => s.length > 0);
}

/** The principal of verified claims, or UnauthorizedError when `sub` is missing. Unknown groups are ignored. */
export function principalFromClaims(claims: JwtClaims): Principal {
  const sub = claims.sub;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 256) throw new UnauthorizedError('The token has no subject (sub).');
  const roles = groupsOf(claims['cognito:groups']).filter((g): g is Role => (ROLES as readonly string[]).includes(g));
  return { sub, roles: [...new Set(roles)] };
}

/** The verified claims API Gateway's JWT authorizer (or the local one) put on the event, if any. */
export function claimsFromEvent(event: HttpEvent): JwtClaims | undefined {
  const ctx = event.requestContext as unknown as { authorizer?: { jwt?: { claims?: JwtClaims } } };
  const claims = ctx?.authorizer?.jwt?.claims;
  return claims && typeof claims === 'object' ? claims : undefined;
}

/** The caller of an admin request, or UnauthorizedError (401) when no verified claims came with it. */
export function principalOf(event: HttpEvent): Principal {
  const claims = claimsFromEvent(event);
  if (!claims) throw new UnauthorizedError('A valid bearer token is required.');
  return principalFromClaims(claims);
}

/** Ranks: an admin may do what a supervisor may, a supervisor what an agent may. */
const RANK: Record<Role, number> = { agent: 1, supervisor: 2, admin: 3 };

/** Whether the principal holds `role` or a higher one. */
export function hasRole(principal: Principal, role: Role): boolean {
  return principal.roles.some((r) => RANK[r] >= RANK[role]);
}
