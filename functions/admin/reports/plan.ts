/**
 * The plan and the quarters' customer bases as data: validation, the next stored state, and the audit
 * record of each change (who changed what, when, before/after). Pure, over a `PlanStore` port.
 *
 * Single-item writes: a change and its audit record go out in one conditional write on `version`
 * (the adapter appends the record to the same item, e.g. `list_append` in the UpdateItem that sets the new
 * state), so an audit record exists exactly for the changes that were made. Plans change a few times a
 * year, customer bases once a quarter (plus corrections): the history stays far below the item limit.
 */
import { AuditRecord, CustomerBaseBody, PlanBody, QuarterId, type AuditChange, type CustomerBase, type Plan } from '../../../schemas/plan.ts';
import * as z from 'zod/mini';
import type { PlanStore } from '../../shared/ports/plan-store.ts';
import { BadRequestError, PreconditionFailedError, type FieldError } from '../../shared/errors.ts';

/** `If-Match` as the admin handler parses it: `*`, or the versions it names. Absent: no precondition. */
export type IfMatch = '*' | number[] | undefined;

/** Who makes the change and when. */
export interface ChangeBy {
  actor: string;
  at: string;
}

/** The result of a PUT: the state to store and its audit record, or nothing when the body changes nothing. */
export type Change<T> = { changed: true; next: T; audit: AuditRecord } | { changed: false; next: T };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Leaves of a JSON value by dotted path (`baseline.complaintRate`); arrays are compared whole. */
function leaves(value: unknown, prefix: string, out: Map<string, unknown>): Map<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) leaves(child, prefix ? `${prefix}.${key}` : key, out);
  } else if (value !== undefined && prefix) {
    out.set(prefix, value);
  }
  return out;
}

/**
 * The fields that differ between two JSON objects, by dotted path, sorted; a field present on one side
 * only shows `null` on the other.
 */
export function diffFields(before: Record<string, unknown> | null, after: Record<string, unknown>): AuditChange[] {
  const a = leaves(before ?? {}, '', new Map());
  const b = leaves(after, '', new Map());
  const fields = [...new Set([...a.keys(), ...b.keys()])].sort();
  return fields
    .filter((f) => JSON.stringify(a.get(f) ?? null) !== JSON.stringify(b.get(f) ?? null))
    .map((field) => ({ field, before: (a.get(field) ?? null) as Json, after: (b.get(field) ?? null) as Json }));
}

/** The audit record of a change from `before` (null: first setting) to `after`. */
export function auditRecord(resource: string, before: Record<string, unknown> | null, after: Record<string, unknown>, version: number, by: ChangeBy): AuditRecord {
  return AuditRecord.parse({ resource, at: by.at, actor: by.actor, version, before, after, changes: diffFields(before, after) });
}

/**
 * Validates with a strict schema, or throws a 400 naming each bad field; an unknown key is named by its own
 * path (`baseline.complaintRat`) rather than by the object holding it, so a typo is found at once.
 */
function parseStrict<T extends z.ZodMiniType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors: FieldError[] = result.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: [...issue.path.map(String), key].join('.'), message: `${key} is not a field of the ${what}` }))
      : [{ field: issue.path.length ? issue.path.map(String).join('.') : '(body)', message: issue.message }],
  );
  throw new BadRequestError(`Invalid ${what}: ${errors.map((e) => e.field).join(', ')}.`, errors);
}

/** The quarter of a path, or a 400 naming `quarter`. */
function parseQuarterParam(quarter: string): string {
  return parseStrict(z.object({ quarter: QuarterId }), { quarter }, 'path').quarter;
}

/** Throws 412 when If-Match names a version other than the current one (`0` when nothing is stored yet). */
function checkIfMatch(ifMatch: IfMatch, currentVersion: number, what: string): void {
  if (ifMatch === undefined || ifMatch === '*') return;
  if (!ifMatch.includes(currentVersion)) {
    throw new PreconditionFailedError(`If-Match does not name the current version of the ${what} (${currentVersion === 0 ? 'none is set yet' : `"${currentVersion}"`}); read it again.`, {
      currentVersion,
    });
  }
}

/**
 * The plan after `PUT /admin/plan` with `body`.
 * @throws BadRequestError naming each bad field (nothing changes).
 * @throws PreconditionFailedError when If-Match is stale.
 */
export function nextPlan(current: Plan | undefined, body: unknown, by: ChangeBy, ifMatch?: IfMatch): Change<Plan> {
  const parsed = parseStrict(PlanBody, body, 'plan');
  checkIfMatch(ifMatch, current?.version ?? 0, 'plan');
  const before = current ? { baseline: current.baseline, targets: current.targets } : null;
  const after = { baseline: parsed.baseline, targets: parsed.targets };
  if (current && diffFields(before, after).length === 0) return { changed: false, next: current };
  const version = (current?.version ?? 0) + 1;
  const next: Plan = { ...after, updatedAt: by.at, updatedBy: by.actor, version };
  return { changed: true, next, audit: auditRecord('plan', before, after, version, by) };
}

/**
 * A quarter's customer base after `PUT /admin/customer-base/{quarter}` with `body`.
 * @throws BadRequestError naming `quarter` or the bad body fields (nothing changes).
 * @throws PreconditionFailedError when If-Match is stale.
 */
export function nextCustomerBase(quarter: string, current: CustomerBase | undefined, body: unknown, by: ChangeBy, ifMatch?: IfMatch): Change<CustomerBase> {
  parseQuarterParam(quarter);
  const parsed = parseStrict(CustomerBaseBody, body, 'customer base');
  checkIfMatch(ifMatch, current?.version ?? 0, `customer base of ${quarter}`);
  const before = current ? { activeCustomers: current.activeCustomers, digitalActiveCustomers: current.digitalActiveCustomers } : null;
  const after = { activeCustomers: parsed.activeCustomers, digitalActiveCustomers: parsed.digitalActiveCustomers };
  if (current && diffFields(before, after).length === 0) return { changed: false, next: current };
  const version = (current?.version ?? 0) + 1;
  const next: CustomerBase = { quarter, ...after, updatedAt: by.at, updatedBy: by.actor, version };
  return { changed: true, next, audit: auditRecord(`customer-base/${quarter}`, before, after, version, by) };
}

/**
 * PUT /admin/plan through the store: validates, writes the plan and its audit record in one conditional
 * write, and answers the stored plan. A body equal to the stored plan writes nothing.
 */
export async function putPlan(store: PlanStore, body: unknown, by: ChangeBy, ifMatch?: IfMatch): Promise<Plan> {
  const current = await store.getPlan();
  const change = nextPlan(current, body, by, ifMatch);
  if (change.changed) await store.savePlan(change.next, change.audit, current?.version ?? 0);
  return change.next;
}

/** PUT /admin/customer-base/{quarter} through the store (as putPlan). */
export async function putCustomerBase(store: PlanStore, quarter: string, body: unknown, by: ChangeBy, ifMatch?: IfMatch): Promise<CustomerBase> {
  parseQuarterParam(quarter);
  const current = await store.getCustomerBase(quarter);
  const change = nextCustomerBase(quarter, current, body, by, ifMatch);
  if (change.changed) await store.saveCustomerBase(change.next, change.audit, current?.version ?? 0);
  return change.next;
}
