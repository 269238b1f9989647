/**
 * Turning policy into concrete clocks for one complaint, and the pure operations the lifecycle applies to
 * them: extend (China complex/approved, UK holding reply), pause and resume (China: time on external
 * appraisal is not counted), and reading a clock's state at a given instant.
 *
 * Time semantics. A clock covers the half-open interval [startedAt, dueAt):
 * - a stop (response or resolution, as the rule's `stoppedBy` says) strictly before dueAt is `met`;
 * - at or after dueAt the clock is `breached` (escalation level 1), at or after escalateAt level 2;
 * - the warning is due at or after warnAt.
 * So a Step Functions Wait that wakes exactly at dueAt and re-checks sees the breach, never a false "running".
 * Every instant in a plan is ISO 8601 UTC with milliseconds.
 */
import * as z from 'zod/mini';
import '../../../schemas/zod-locale.ts';
import { Category, Severity } from '../../../schemas/feedback.ts';
import { addBusinessDays, addCalendarDays } from './business-time.ts';
import { CALENDAR_IDS } from './calendars.ts';
import { formatIsoDuration, parseIsoDuration } from './duration.ts';
import { ClockOperationError } from './errors.ts';
import {
  ClockRule,
  ClockTarget,
  DEFAULT_CLOCK_POLICY,
  StopTrigger,
  firstResponseTargetMs,
  resolutionRulesFor,
  type ClockPolicy,
  type Jurisdiction,
} from './policy.ts';
import { parseInstant, toIsoUtc } from './zoned-time.ts';

/** One planned clock, self-contained: it carries the rule it came from so the lifecycle needs no policy to extend or pause it. */
export const ClockPlan = z.object({
  name: z.string(),
  startedAt: z.iso.datetime(),
  warnAt: z.iso.datetime(),
  dueAt: z.iso.datetime(),
  /** Level-2 escalation time. */
  escalateAt: z.iso.datetime(),
  /** True when the clock counts business days of `calendar`. */
  businessDays: z.optional(z.boolean()),
  calendar: z.optional(z.enum(CALENDAR_IDS)),
  /** Zone in which day-count clocks end their days. */
  timeZone: z.optional(z.string()),
  stoppedBy: z.array(StopTrigger),
  /** The effective target (after severity tightening and extensions). */
  target: ClockTarget,
  rule: ClockRule,
  /** Extension reasons applied, oldest first. */
  extensions: z.array(z.string()),
  /** Total time spent paused so far (added to warn, due and level-2 times). */
  pausedMs: z.number().check(z.int(), z.minimum(0)),
  /** Set while the clock is paused. */
  pausedAt: z.optional(z.iso.datetime()),
  pauseReason: z.optional(z.string()),
});
export type ClockPlan = z.infer<typeof ClockPlan>;

/** What a complaint's clocks are planned from. */
export const PlanInput = z.object({ receivedAt: z.iso.datetime({ offset: true }), category: Category, severity: Severity });
export type PlanInput = z.infer<typeof PlanInput>;

/** The instant that is `multiplier` targets after `startMs` (1 = due, escalationFactor = level 2). */
function targetEnd(target: ClockTarget, startMs: number, multiplier: number): number {
  switch (target.kind) {
    case 'duration':
      return startMs + Math.round(parseIsoDuration(target.duration) * multiplier);
    case 'calendar_days':
      return addCalendarDays(target.timeZone, new Date(startMs), Math.ceil(target.days * multiplier)).getTime();
    case 'business_days':
      return addBusinessDays(target.calendar, new Date(startMs), Math.ceil(target.days * multiplier)).getTime();
  }
}

/** warn, due and level-2 instants of a target started at `startMs`, shifted by paused time. */
function scheduleTimes(target: ClockTarget, rule: ClockRule, startMs: number, pausedMs: number) {
  const dueMs = targetEnd(target, startMs, 1);
  const escalateMs = targetEnd(target, startMs, rule.escalationFactor);
  const warnMs = startMs + Math.round((dueMs - startMs) * rule.warnAtFraction);
  return {
    warnAt: toIsoUtc(warnMs + pausedMs),
    dueAt: toIsoUtc(dueMs + pausedMs),
    escalateAt: toIsoUtc(escalateMs + pausedMs),
  };
}

function buildPlan(rule: ClockRule, target: ClockTarget, startMs: number): ClockPlan {
  return {
    name: rule.name,
    startedAt: toIsoUtc(startMs),
    ...scheduleTimes(target, rule, startMs, 0),
    ...(target.kind === 'business_days' ? { businessDays: true, calendar: target.calendar } : {}),
    ...(target.kind === 'calendar_days' ? { timeZone: target.timeZone } : {}),
    stoppedBy: [...rule.stoppedBy],
    target,
    // Parsing strips fields that are not part of a ClockRule (the first-response severity factors are
    // already applied to `target`), so a stored plan validates against the ClockPlan schema as it is.
    rule: ClockRule.parse(rule),
    extensions: [],
    pausedMs: 0,
  };
}

/**
 * The clocks a new complaint gets under `policy`: the first-response clock (tightened for the severities
 * the policy lists) and the jurisdiction's resolution clocks for the complaint's category.
 * Only complaints get clocks; the caller decides that from the item's kind.
 * @throws RangeError for an input that does not validate (bad receivedAt, unknown category or severity).
 * @throws CalendarRangeError when a business-day clock would run past the years the holiday data covers.
 */
export function planClocks(input: PlanInput, policy: ClockPolicy): ClockPlan[] {
  const parsed = PlanInput.safeParse(input);
  if (!parsed.success) {
    throw new RangeError(`cannot plan clocks: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const startMs = parseInstant(parsed.data.receivedAt, 'receivedAt');
  const firstResponseTarget: ClockTarget = {
    kind: 'duration',
    duration: formatIsoDuration(firstResponseTargetMs(policy, parsed.data.severity)),
  };
  return [
    buildPlan(policy.firstResponse, firstResponseTarget, startMs),
    ...resolutionRulesFor(policy, parsed.data.category).map((rule) => buildPlan(rule, rule.target, startMs)),
  ];
}

/** The outcome of an extension: the new plan, and whether the customer must be sent a notice event. */
export interface ClockExtension {
  plan: ClockPlan;
  /** False when this extension had already been applied (idempotent under retries). */
  changed: boolean;
  /** The rule requires telling the customer (China's approved extension, the UK holding reply). */
  customerNotice: boolean;
}

/**
 * Applies a lawful extension from the clock's rule: the target becomes the rule's `extendToDays`, still
 * counted from receipt (China: 15 → 30 for `complex`, → 60 for `approved`; UK payment services: 15 → 35
 * business days for `holding_reply`). Warn, due and level-2 times are recomputed; paused time still counts.
 * Applying the same reason twice returns the plan unchanged with `changed: false`.
 * @throws ClockOperationError for a reason the rule does not offer, or one whose prerequisite is missing.
 */
export function extendPlan(plan: ClockPlan, reason: string): ClockExtension {
  const extension = plan.rule.extensions.find((e) => e.reason === reason);
  if (!extension) {
    const offered = plan.rule.extensions.map((e) => e.reason);
    throw new ClockOperationError(plan.name, `no extension "${reason}" (offered: ${offered.length ? offered.join(', ') : 'none'})`);
  }
  if (plan.extensions.includes(reason)) return { plan, changed: false, customerNotice: false };
  if (extension.requires && !plan.extensions.includes(extension.requires)) {
    throw new ClockOperationError(plan.name, `extension "${reason}" requires "${extension.requires}" first`);
  }
  if (plan.target.kind === 'duration') throw new ClockOperationError(plan.name, 'duration clocks cannot be extended');
  if (extension.extendToDays <= plan.target.days) {
    throw new ClockOperationError(plan.name, `extension "${reason}" (${extension.extendToDays} days) does not extend ${plan.target.days} days`);
  }
  const target: ClockTarget = { ...plan.target, days: extension.extendToDays };
  const startMs = Date.parse(plan.startedAt);
  const extended: ClockPlan = {
    ...plan,
    target,
    ...scheduleTimes(target, plan.rule, startMs, plan.pausedMs),
    extensions: [...plan.extensions, reason],
  };
  return { plan: extended, changed: true, customerNotice: extension.customerNotice };
}

/**
 * Pauses a clock for a reason its rule allows (China: `external_appraisal`). Times do not move until it
 * resumes; the lifecycle should stop the clock's timer meanwhile. `clockStateAt` freezes a paused clock.
 * @throws ClockOperationError when the rule allows no such pause or the clock is already paused.
 */
export function pausePlan(plan: ClockPlan, at: string | Date, reason: string): ClockPlan {
  if (!plan.rule.pauseReasons.includes(reason)) {
    const allowed = plan.rule.pauseReasons;
    throw new ClockOperationError(plan.name, `cannot pause for "${reason}" (allowed: ${allowed.length ? allowed.join(', ') : 'none'})`);
  }
  if (plan.pausedAt) throw new ClockOperationError(plan.name, `already paused since ${plan.pausedAt}`);
  const atMs = parseInstant(at, 'pause time');
  if (atMs < Date.parse(plan.startedAt)) throw new ClockOperationError(plan.name, 'cannot pause before the clock started');
  return { ...plan, pausedAt: toIsoUtc(atMs), pauseReason: reason };
}

/**
 * Resumes a paused clock: the time since the pause is added to its warn, due and level-2 times.
 * @throws ClockOperationError when the clock is not paused or `at` is before the pause.
 */
export function resumePlan(plan: ClockPlan, at: string | Date): ClockPlan {
  if (!plan.pausedAt) throw new ClockOperationError(plan.name, 'is not paused');
  const atMs = parseInstant(at, 'resume time');
  const pausedAtMs = Date.parse(plan.pausedAt);
  if (atMs < pausedAtMs) throw new ClockOperationError(plan.name, 'cannot resume before it was paused');
  const pausedMs = plan.pausedMs + (atMs - pausedAtMs);
  const { pausedAt: _pausedAt, pauseReason: _pauseReason, ...running } = plan;
  return { ...running, pausedMs, ...scheduleTimes(plan.target, plan.rule, Date.parse(plan.startedAt), pausedMs) };
}

/** A clock's state at an instant. */
export interface ClockState {
  state: 'running' | 'met' | 'breached' | 'stopped';
  /** 0 before due, 1 from dueAt (breach), 2 from escalateAt; frozen at the stop (or pause) time. */
  escalationLevel: 0 | 1 | 2;
  /** The warning time has been reached while the clock was still open. */
  warned: boolean;
  /** The clock is paused (and therefore frozen). */
  paused: boolean;
}

/**
 * The state of `plan` at `now`.
 * @param stoppedAt when the clock was stopped (first response or resolution); ignored if after `now`.
 * @param how `satisfied` (default) judges the stop against dueAt: before it `met`, from it `breached`;
 *   `cancelled` (e.g. the item is no longer a complaint) gives `stopped` with the level reached by then.
 */
export function clockStateAt(
  plan: ClockPlan,
  now: string | Date,
  stoppedAt?: string | Date,
  how: 'satisfied' | 'cancelled' = 'satisfied',
): ClockState {
  const nowMs = parseInstant(now, 'now');
  const dueMs = Date.parse(plan.dueAt);
  const warnMs = Date.parse(plan.warnAt);
  const escalateMs = Date.parse(plan.escalateAt);
  const levelAt = (ms: number): 0 | 1 | 2 => (ms >= escalateMs ? 2 : ms >= dueMs ? 1 : 0);

  const stopMs = stoppedAt === undefined ? undefined : parseInstant(stoppedAt, 'stoppedAt');
  if (stopMs !== undefined && stopMs <= nowMs) {
    const warned = stopMs >= warnMs;
    if (how === 'cancelled') return { state: 'stopped', escalationLevel: levelAt(stopMs), warned, paused: false };
    if (stopMs < dueMs) return { state: 'met', escalationLevel: 0, warned, paused: false };
    return { state: 'breached', escalationLevel: levelAt(stopMs), warned, paused: false };
  }
  const paused = plan.pausedAt !== undefined;
  const effectiveMs = paused ? Math.min(nowMs, Date.parse(plan.pausedAt as string)) : nowMs;
  return {
    state: effectiveMs >= dueMs ? 'breached' : 'running',
    escalationLevel: levelAt(effectiveMs),
    warned: effectiveMs >= warnMs,
    paused,
  };
}

/**
 * Whether resolving a complaint at `resolvedAt` requires a summary resolution communication (UK DISP 1.5:
 * resolved by the end of the third business day after the day of receipt). "End of day" is local midnight
 * in the calendar's zone, a little later than close of business, so a late-evening resolution still gets one.
 * False for jurisdictions whose policy has no such rule.
 * @throws CalendarRangeError when the three business days run past the holiday data.
 */
export function needsSummaryResolutionCommunication(
  receivedAt: string | Date,
  resolvedAt: string | Date,
  jurisdiction: Jurisdiction,
  policy: ClockPolicy = DEFAULT_CLOCK_POLICY,
): boolean {
  const rule = policy.summaryResolution[jurisdiction];
  if (!rule) return false;
  const receivedMs = parseInstant(receivedAt, 'receivedAt');
  const resolvedMs = parseInstant(resolvedAt, 'resolvedAt');
  if (resolvedMs < receivedMs) throw new RangeError('resolvedAt is before receivedAt');
  return resolvedMs < addBusinessDays(rule.calendar, new Date(receivedMs), rule.withinBusinessDays).getTime();
}
