/**
 * The bank's plan as data (design.md, "The quarterly evaluation"): `PUT /admin/plan` (baseline period and
 * figures, targets), `PUT /admin/customer-base/{quarter}` (the bank's own counts of active and
 * digital-active customers) and the audit records of both. Handlers validate with these; the OpenAPI
 * document is generated from them.
 *
 * Objects are strict: an unknown key (a typo such as `complaintRat`) is a 400 naming it, not a silently
 * ignored target. Every number must be finite.
 */
import * as z from 'zod/mini';
import './zod-locale.ts';

/** `YYYY-Qn`, e.g. `2027-Q1` (calendar quarters in `REDRESS_TIMEZONE`). */
export const QUARTER_ID_FORM = /^(\d{4})-Q([1-4])$/;
export const QuarterId = z.string().check(z.regex(QUARTER_ID_FORM, 'must be a quarter as YYYY-Qn, e.g. 2027-Q1'));

const ratio = (what: string) => z.number({ error: `${what} must be a number from 0 to 1` }).check(z.minimum(0, `${what} must be from 0 to 1`), z.maximum(1, `${what} must be from 0 to 1`));
/** A relative change: −1 (−100 %) upward; a plan's +30 % is 0.30. */
const change = (what: string) =>
  z.number({ error: `${what} must be a relative change, e.g. -0.20 for −20 %` }).check(z.minimum(-1, `${what} cannot fall below -1 (−100 %)`), z.maximum(100, `${what} must be at most 100 (+10,000 %)`));
const nonNegative = (what: string) => z.number({ error: `${what} must be a number` }).check(z.minimum(0, `${what} must be 0 or more`), z.maximum(1e9, `${what} is too large`));

/** The baseline period's figures, as the bank measured them. */
export const PlanBaseline = z.strictObject({
  /** What the baseline covers, as the bank names it: `2021`, `2026-Q4`, `FY2025`. */
  period: z.string({ error: 'period must be a text such as "2021"' }).check(z.trim(), z.minLength(1, 'period must not be empty'), z.maxLength(64)),
  /** Complaints per 10,000 active customers (the report's `complaintRate`). */
  complaintRate: nonNegative('complaintRate'),
  /** Mean customer satisfaction, 1 to 5. */
  satisfaction: z.number({ error: 'satisfaction must be a number from 1 to 5' }).check(z.minimum(1, 'satisfaction must be from 1 to 5'), z.maximum(5, 'satisfaction must be from 1 to 5')),
  /** Digital-active ÷ active customers, 0 to 1. */
  digitalUsage: ratio('digitalUsage'),
  firstResponseCompliance: z.optional(ratio('firstResponseCompliance')),
  /** Complaints resolved per handler-day. */
  handlerThroughput: z.optional(nonNegative('handlerThroughput')),
  resolutionRate: z.optional(ratio('resolutionRate')),
  repeatComplaintRate: z.optional(ratio('repeatComplaintRate')),
});
export type PlanBaseline = z.infer<typeof PlanBaseline>;

/**
 * The plan's targets. `…Change` targets are relative to the baseline ((quarter − baseline) ÷ baseline);
 * `digitalUsage` and `firstResponseCompliance` are levels. A target left out is not evaluated.
 */
export const PlanTargets = z.strictObject({
  /** e.g. −0.20: complaints per 10,000 customers down by at least 20 %. */
  complaintRateChange: z.optional(change('complaintRateChange')),
  /** e.g. 0.30: mean customer satisfaction up by at least 30 %. */
  satisfactionChange: z.optional(change('satisfactionChange')),
  /** e.g. 0.60: at least 60 % of active customers use online or mobile banking. */
  digitalUsage: z.optional(ratio('digitalUsage')),
  /** e.g. 1.0: every first response within its target. */
  firstResponseCompliance: z.optional(ratio('firstResponseCompliance')),
  /** e.g. 0.20: complaints resolved per handler-day up by at least 20 %. */
  handlerThroughputChange: z.optional(change('handlerThroughputChange')),
});
export type PlanTargets = z.infer<typeof PlanTargets>;

/** PUT /admin/plan */
export const PlanBody = z.strictObject({ baseline: PlanBaseline, targets: PlanTargets });
export type PlanBody = z.infer<typeof PlanBody>;

/** GET /admin/plan: the plan as set, with who set it and when (`version` for If-Match). */
export const Plan = z.object({
  baseline: PlanBaseline,
  targets: PlanTargets,
  updatedAt: z.iso.datetime(),
  updatedBy: z.string(),
  version: z.number().check(z.int(), z.minimum(1)),
});
export type Plan = z.infer<typeof Plan>;

const count = (what: string) =>
  z.number({ error: `${what} must be a whole number` }).check(z.int(`${what} must be a whole number`), z.minimum(0, `${what} must be 0 or more`), z.maximum(Number.MAX_SAFE_INTEGER, `${what} is too large`));

/** PUT /admin/customer-base/{quarter}: the bank's own counts for the quarter. */
export const CustomerBaseBody = z
  .strictObject({
    activeCustomers: count('activeCustomers'),
    /** Customers active on online or mobile banking in the quarter; at most activeCustomers. */
    digitalActiveCustomers: count('digitalActiveCustomers'),
  })
  .check(
    z.refine((b) => b.digitalActiveCustomers <= b.activeCustomers, {
      message: 'digitalActiveCustomers cannot exceed activeCustomers',
      path: ['digitalActiveCustomers'],
    }),
  );
export type CustomerBaseBody = z.infer<typeof CustomerBaseBody>;

/** A quarter's customer base as stored and returned. */
export const CustomerBase = z.object({
  quarter: QuarterId,
  activeCustomers: z.number(),
  digitalActiveCustomers: z.number(),
  updatedAt: z.iso.datetime(),
  updatedBy: z.string(),
  version: z.number().check(z.int(), z.minimum(1)),
});
export type CustomerBase = z.infer<typeof CustomerBase>;

/** One field an administrator changed: its dotted path, and its value before and after (absent = `null`). */
export const AuditChange = z.object({ field: z.string(), before: z.unknown(), after: z.unknown() });
export type AuditChange = z.infer<typeof AuditChange>;

/**
 * Who changed what, when: one record per accepted change of the plan or of a quarter's customer base.
 * `before` is null for the first setting. Records are append-only.
 */
export const AuditRecord = z.object({
  /** `plan` or `customer-base/2027-Q1`. */
  resource: z.string(),
  at: z.iso.datetime(),
  actor: z.string(),
  /** The resource's version after the change. */
  version: z.number().check(z.int(), z.minimum(1)),
  before: z.nullable(z.record(z.string(), z.unknown())),
  after: z.record(z.string(), z.unknown()),
  changes: z.array(AuditChange),
});
export type AuditRecord = z.infer<typeof AuditRecord>;
