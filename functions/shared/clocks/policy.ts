/**
 * The SLA policy as data: which clocks a complaint gets, how long each runs, when it warns and escalates,
 * what stops it, and how the lifecycle may extend or pause it. The shape is a zod schema, the defaults are
 * one object below (already in the schema's output form; policy.test.ts proves it validates, time zones
 * included), and the environment only picks the jurisdiction and tunes the first-response target
 * (`loadClockPolicy`).
 *
 * Nothing here runs Intl when the module loads: the first Intl.DateTimeFormat of a process costs 20-35 ms
 * of cold start (see zoned-time.ts), which the functions that only read stored clocks never need.
 *
 * Regulatory sources of the defaults:
 * - China: 银行业保险业消费投诉处理管理办法 (NFRA/CBIRC Order 2020 No. 3) art. 22: decide within 15 days of
 *   receipt; complex cases up to 30 days; especially complex cases a further 30 days with approval by a
 *   senior manager and notice to the complainant; time for external appraisal, testing or assessment is
 *   not counted. Days are calendar days (Asia/Shanghai).
 * - UK: FCA DISP 1.6.2R (final response within 8 weeks of receipt) and DISP 1.6.2AR for payment services
 *   (PSRs 2017 / EMRs 2011: 15 business days after the day of receipt, up to 35 with a holding reply);
 *   DISP 1.5 summary resolution communication for complaints resolved by the end of the third business day
 *   after the day of receipt. Business days per the England and Wales calendar.
 * - US: CFPB complaint process: companies respond within 15 days and close within 60 days (calendar days;
 *   America/New_York is the default zone, change it to the bank's).
 */
import * as z from 'zod/mini';
import '../../../schemas/zod-locale.ts';
import { CATEGORIES, SEVERITIES, type Category, type Severity } from '../../../schemas/feedback.ts';
import { CALENDAR_IDS } from './calendars.ts';
import { parseIsoDuration } from './duration.ts';
import { ClockPolicyError, InvalidDurationError } from './errors.ts';
import { assertTimeZone } from './zoned-time.ts';

export const JURISDICTIONS = ['cn', 'uk', 'us', 'none'] as const;
export const Jurisdiction = z.enum(JURISDICTIONS);
export type Jurisdiction = z.infer<typeof Jurisdiction>;

/** The lifecycle events that can stop a clock. */
export const STOP_TRIGGERS = ['first_response', 'resolution'] as const;
export const StopTrigger = z.enum(STOP_TRIGGERS);
export type StopTrigger = z.infer<typeof StopTrigger>;

/** Stable clock names: they appear in the API (`clocks[].name`), events and Step Functions execution names. */
const ClockName = z.string().check(z.regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and underscores, at most 40'));

const IsoDurationText = z.string().check(
  z.superRefine((text, ctx) => {
    try {
      if (parseIsoDuration(text) <= 0) ctx.addIssue({ code: 'custom', message: 'must be longer than zero' });
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  }),
);

/** Exact elapsed time, e.g. `PT24H`. */
export const DurationTarget = z.object({ kind: z.literal('duration'), duration: IsoDurationText });
/** Whole calendar days after the day of receipt, ending at local midnight in `timeZone`. */
export const CalendarDaysTarget = z.object({
  kind: z.literal('calendar_days'),
  days: z.number().check(z.int(), z.minimum(1), z.maximum(366)),
  timeZone: z.string().check(z.minLength(1)),
});
/** Business days of a holiday calendar after the day of receipt, ending at local midnight. */
export const BusinessDaysTarget = z.object({
  kind: z.literal('business_days'),
  days: z.number().check(z.int(), z.minimum(1), z.maximum(260)),
  calendar: z.enum(CALENDAR_IDS),
});
export const ClockTarget = z.discriminatedUnion('kind', [DurationTarget, CalendarDaysTarget, BusinessDaysTarget]);
export type ClockTarget = z.infer<typeof ClockTarget>;
export type DayCountTarget = z.infer<typeof CalendarDaysTarget> | z.infer<typeof BusinessDaysTarget>;

/** A lawful extension: the clock's target becomes `extendTo` (counted from receipt, not from now). */
export const ExtensionRule = z.object({
  reason: z.string().check(z.regex(/^[a-z][a-z0-9_]*$/)),
  description: z.string(),
  /** New total day count, in the same unit as the clock's own target. */
  extendToDays: z.number().check(z.int(), z.minimum(1), z.maximum(366)),
  /** Another extension that must already have been applied (China: approval only after "complex"). */
  requires: z.optional(z.string()),
  /** The customer must be told (China's approved extension, the UK holding reply): the lifecycle emits a notice event. */
  customerNotice: z.boolean(),
});
export type ExtensionRule = z.infer<typeof ExtensionRule>;

/** Which complaints a resolution clock applies to; empty means every category. */
export const CategorySelector = z
  .object({ categories: z.optional(z.array(z.enum(CATEGORIES))), exceptCategories: z.optional(z.array(z.enum(CATEGORIES))) })
  .check(z.refine((s) => !(s.categories && s.exceptCategories), 'use categories or exceptCategories, not both'));

/** One clock as policy data. */
export const ClockRule = z.object({
  name: ClockName,
  description: z.string(),
  target: ClockTarget,
  /** Warning when this fraction of the time from start to due has passed. */
  warnAtFraction: z.number().check(z.gt(0), z.lt(1)),
  /** Level-2 escalation at this multiple of the target, counted in the target's own unit (2 × 15 business days = 30 business days). */
  escalationFactor: z.number().check(z.minimum(1), z.maximum(4)),
  stoppedBy: z.array(StopTrigger).check(z.minLength(1)),
  appliesTo: z._default(CategorySelector, {}),
  extensions: z._default(z.array(ExtensionRule), []),
  /** Reasons for which the clock may be paused; paused time is added to warn, due and level-2 times. */
  pauseReasons: z._default(z.array(z.string().check(z.regex(/^[a-z][a-z0-9_]*$/))), []),
});
export type ClockRule = z.infer<typeof ClockRule>;

/** The first-response clock: an exact duration, tighter for the severities listed. */
export const FirstResponseRule = z.extend(ClockRule, {
  target: DurationTarget,
  /** Target multiplier per severity (critical: 0.25 gives 6 h for a 24 h target). */
  severityFactors: z._default(z.partialRecord(z.enum(SEVERITIES), z.number().check(z.gt(0), z.maximum(1))), {}),
});
export type FirstResponseRule = z.infer<typeof FirstResponseRule>;

/** A jurisdiction's "settled quickly" rule (UK DISP 1.5 summary resolution communication). */
export const SummaryResolutionRule = z.object({
  withinBusinessDays: z.number().check(z.int(), z.minimum(1), z.maximum(10)),
  calendar: z.enum(CALENDAR_IDS),
});

/** Standard workflows run for at most one year; the level-2 time of a duration clock must fit inside one. */
const MAX_LEVEL_2_MS = 360 * 86_400_000;

/** Where and why a first-response rule's level-2 time is too late for a Standard workflow, if it is. */
function firstResponseLevel2Issue(rule: { target: { duration: string }; escalationFactor: number }): { path: string[]; message: string } | undefined {
  const firstMs = parseIsoDurationOrNaN(rule.target.duration);
  if (firstMs * rule.escalationFactor <= MAX_LEVEL_2_MS) return undefined;
  return {
    path: ['firstResponse', 'target', 'duration'],
    message: 'the level-2 time (target × escalationFactor) must be within 360 days, the life of a Standard workflow',
  };
}

export const ClockPolicy = z
  .object({
    jurisdiction: Jurisdiction,
    firstResponse: FirstResponseRule,
    resolution: z.object({ cn: z.array(ClockRule), uk: z.array(ClockRule), us: z.array(ClockRule), none: z.array(ClockRule) }),
    summaryResolution: z._default(z.partialRecord(Jurisdiction, SummaryResolutionRule), {}),
  })
  .check(
    z.superRefine((policy, ctx) => {
      const level2 = firstResponseLevel2Issue(policy.firstResponse);
      if (level2) ctx.addIssue({ code: 'custom', ...level2 });
      for (const jurisdiction of JURISDICTIONS) {
        const rules = policy.resolution[jurisdiction];
        const names = new Set<string>([policy.firstResponse.name]);
        rules.forEach((rule, index) => {
          const path = ['resolution', jurisdiction, index];
          if (names.has(rule.name)) ctx.addIssue({ code: 'custom', path: [...path, 'name'], message: `duplicate clock name ${rule.name}` });
          names.add(rule.name);
          if (rule.target.kind === 'calendar_days') {
            try {
              assertTimeZone(rule.target.timeZone);
            } catch (error) {
              ctx.addIssue({ code: 'custom', path: [...path, 'target', 'timeZone'], message: (error as Error).message });
            }
          }
          const reasons = new Set(rule.extensions.map((e) => e.reason));
          for (const extension of rule.extensions) {
            if (rule.target.kind === 'duration') {
              ctx.addIssue({ code: 'custom', path: [...path, 'extensions'], message: 'extensions apply to day-count clocks only' });
            } else if (extension.extendToDays <= rule.target.days) {
              ctx.addIssue({ code: 'custom', path: [...path, 'extensions'], message: `${extension.reason} must extend beyond ${rule.target.days} days` });
            }
            if (extension.requires && !reasons.has(extension.requires)) {
              ctx.addIssue({ code: 'custom', path: [...path, 'extensions'], message: `${extension.reason} requires unknown extension ${extension.requires}` });
            }
          }
        });
      }
    }),
  );
export type ClockPolicy = z.infer<typeof ClockPolicy>;

function parseIsoDurationOrNaN(text: string): number {
  try {
    return parseIsoDuration(text);
  } catch {
    return Number.NaN;
  }
}

const PAYMENT_SERVICES: Category[] = ['transfers_payments', 'card_issues', 'fraud_security'];

/**
 * The default policy (first-response target PT24H, jurisdiction cn), before the environment is applied.
 * Written out as parseClockPolicy returns it (every defaulted field explicit, which the ClockPolicy type
 * enforces) instead of being parsed when the module loads: policy.test.ts checks that parsing it, time
 * zones included, gives it back unchanged.
 */
export const DEFAULT_CLOCK_POLICY: ClockPolicy = {
  jurisdiction: 'cn',
  firstResponse: {
    name: 'first_response',
    description: 'First response to the customer (bank service standard).',
    target: { kind: 'duration', duration: 'PT24H' },
    warnAtFraction: 0.8,
    escalationFactor: 2,
    stoppedBy: ['first_response', 'resolution'],
    appliesTo: {},
    extensions: [],
    pauseReasons: [],
    severityFactors: { critical: 0.25 },
  },
  resolution: {
    cn: [
      {
        name: 'resolution_cn',
        description: 'Decision within 15 days of receipt (银行业保险业消费投诉处理管理办法 art. 22).',
        target: { kind: 'calendar_days', days: 15, timeZone: 'Asia/Shanghai' },
        warnAtFraction: 0.8,
        escalationFactor: 2,
        stoppedBy: ['resolution'],
        appliesTo: {},
        extensions: [
          { reason: 'complex', description: 'Complex case: up to 30 days.', extendToDays: 30, customerNotice: false },
          {
            reason: 'approved',
            description: 'Especially complex, approved by senior management: a further 30 days, customer told.',
            extendToDays: 60,
            requires: 'complex',
            customerNotice: true,
          },
        ],
        pauseReasons: ['external_appraisal'],
      },
    ],
    uk: [
      {
        name: 'resolution_uk',
        description: 'Final response within 8 weeks of receipt (FCA DISP 1.6.2R).',
        target: { kind: 'calendar_days', days: 56, timeZone: 'Europe/London' },
        warnAtFraction: 0.8,
        escalationFactor: 2,
        stoppedBy: ['resolution'],
        appliesTo: { exceptCategories: PAYMENT_SERVICES },
        extensions: [],
        pauseReasons: [],
      },
      {
        name: 'resolution_uk_payment_services',
        description: 'Payment services: final response by the end of 15 business days after receipt (DISP 1.6.2AR).',
        target: { kind: 'business_days', days: 15, calendar: 'uk-england-wales' },
        warnAtFraction: 0.8,
        escalationFactor: 2,
        stoppedBy: ['resolution'],
        appliesTo: { categories: PAYMENT_SERVICES },
        extensions: [
          {
            reason: 'holding_reply',
            description: 'Exceptional reasons beyond the firm’s control, holding reply sent: up to 35 business days.',
            extendToDays: 35,
            customerNotice: true,
          },
        ],
        pauseReasons: [],
      },
    ],
    us: [
      {
        name: 'response_us',
        description: 'Company response within 15 days (CFPB complaint process).',
        target: { kind: 'calendar_days', days: 15, timeZone: 'America/New_York' },
        warnAtFraction: 0.8,
        escalationFactor: 2,
        stoppedBy: ['first_response', 'resolution'],
        appliesTo: {},
        extensions: [],
        pauseReasons: [],
      },
      {
        name: 'resolution_us',
        description: 'Complaint closed within 60 days (CFPB complaint process).',
        target: { kind: 'calendar_days', days: 60, timeZone: 'America/New_York' },
        warnAtFraction: 0.8,
        escalationFactor: 2,
        stoppedBy: ['resolution'],
        appliesTo: {},
        extensions: [],
        pauseReasons: [],
      },
    ],
    none: [],
  },
  summaryResolution: { uk: { withinBusinessDays: 3, calendar: 'uk-england-wales' } },
};

/**
 * Validates policy data (the defaults, or a bank's own).
 * @throws ClockPolicyError listing every bad field by path.
 */
export function parseClockPolicy(raw: unknown): ClockPolicy {
  const result = ClockPolicy.safeParse(raw);
  if (!result.success) {
    throw new ClockPolicyError(result.error.issues.map((issue) => `${issue.path.join('.') || '(policy)'}: ${issue.message}`));
  }
  return result.data;
}

/**
 * The policy for this deployment: the defaults with the environment applied.
 * - `REDRESS_SLA_FIRST_RESPONSE`: first-response target, ISO 8601 duration (default `PT24H`).
 * - `REDRESS_JURISDICTION`: `cn` | `uk` | `us` | `none` (default `cn`) picks the resolution clocks.
 * - `REDRESS_SLA_CRITICAL_FACTOR`: multiplier of the first-response target for critical severity,
 *   greater than 0 and at most 1 (default 0.25).
 * Blank values count as unset.
 *
 * The admin and process functions call this when they load, so a bad value stops the cold start. It
 * checks what the environment changes (each value, and the first-response level-2 limit, the one rule
 * across fields a new target can break) rather than parsing the whole policy again: `base` is a
 * ClockPolicy, valid already (parsed, or the default, which policy.test.ts parses), and a full parse
 * would cost a cold start a few milliseconds of zod and the Intl look-up of every zone (20-35 ms).
 * @throws ClockPolicyError naming each bad variable and what it accepts.
 */
export function loadClockPolicy(env: NodeJS.ProcessEnv, base: ClockPolicy = DEFAULT_CLOCK_POLICY): ClockPolicy {
  const issues: string[] = [];
  const value = (name: string): string | undefined => {
    const raw = env[name]?.trim();
    return raw ? raw : undefined;
  };

  let duration = base.firstResponse.target.duration;
  const firstResponse = value('REDRESS_SLA_FIRST_RESPONSE');
  if (firstResponse !== undefined) {
    try {
      if (parseIsoDuration(firstResponse) <= 0) issues.push('REDRESS_SLA_FIRST_RESPONSE: must be longer than zero');
      duration = firstResponse;
    } catch (error) {
      const reason = error instanceof InvalidDurationError ? error.message : String(error);
      issues.push(`REDRESS_SLA_FIRST_RESPONSE: ${reason} (example: PT24H)`);
    }
  }

  let jurisdiction: Jurisdiction = base.jurisdiction;
  const jurisdictionText = value('REDRESS_JURISDICTION');
  if (jurisdictionText !== undefined) {
    const parsed = Jurisdiction.safeParse(jurisdictionText.toLowerCase());
    if (parsed.success) jurisdiction = parsed.data;
    else issues.push(`REDRESS_JURISDICTION: ${JSON.stringify(jurisdictionText)} is not one of ${JURISDICTIONS.join(', ')}`);
  }

  let severityFactors = base.firstResponse.severityFactors;
  const criticalText = value('REDRESS_SLA_CRITICAL_FACTOR');
  if (criticalText !== undefined) {
    const factor = Number(criticalText);
    if (!/^\d*\.?\d+$/.test(criticalText) || !(factor > 0 && factor <= 1)) {
      issues.push(`REDRESS_SLA_CRITICAL_FACTOR: ${JSON.stringify(criticalText)} must be a number greater than 0 and at most 1`);
    } else {
      severityFactors = { ...severityFactors, critical: factor };
    }
  }

  if (issues.length > 0) throw new ClockPolicyError(issues);
  // A copy, as a parse would return: whoever holds the result cannot change `base` through it.
  const policy: ClockPolicy = structuredClone({
    ...base,
    jurisdiction,
    firstResponse: { ...base.firstResponse, target: { kind: 'duration', duration }, severityFactors },
  });
  const level2 = firstResponseLevel2Issue(policy.firstResponse);
  if (level2) throw new ClockPolicyError([`${level2.path.join('.')}: ${level2.message}`]);
  return policy;
}

/** The resolution rules that apply to a complaint of `category` under the policy's jurisdiction. */
export function resolutionRulesFor(policy: ClockPolicy, category: Category): ClockRule[] {
  return policy.resolution[policy.jurisdiction].filter((rule) => {
    const { categories, exceptCategories } = rule.appliesTo;
    if (categories) return categories.includes(category);
    if (exceptCategories) return !exceptCategories.includes(category);
    return true;
  });
}

/** The first-response target in ms for a complaint of `severity` (tightened where the policy says). */
export function firstResponseTargetMs(policy: ClockPolicy, severity: Severity): number {
  const base = parseIsoDuration(policy.firstResponse.target.duration);
  const factor = policy.firstResponse.severityFactors[severity] ?? 1;
  return Math.max(1, Math.round(base * factor));
}
