/**
 * The quarterly report: a quarter's figures beside the previous quarter's and the plan's baseline, each
 * change, and each target of the plan with `{target, actual, met}`.
 *
 * - change = (quarter − baseline) ÷ baseline (the plan's definition); changeFromPrevious likewise against
 *   the previous quarter. Null when either side is null or the base is 0.
 * - A target is met when its measure reaches it: for `…Change` targets the change, for `digitalUsage` and
 *   `firstResponseCompliance` the level. "Reaches" depends on which way is better: complaints per
 *   10,000 customers should fall, so `complaintRateChange: -0.20` is met by any change at or below −20 %
 *   (and a tolerance of +0.05 would be met by anything up to +5 %); every other figure should rise, so it
 *   is met at or above the target. Comparisons allow 1e-9 of floating-point noise ((4.42 − 3.4) ÷ 3.4 is
 *   0.30000000000000004 in binary). A figure whose inputs are missing has `actual: null` and `met: null`.
 */
import type { Plan, PlanBaseline } from '../../../schemas/plan.ts';
import { PLAN_TARGETS, REPORT_FIGURES, type FigureComparison, type PlanTarget, type QuarterFigures, type QuarterlyReport, type ReportFigure, type TargetResult } from '../../../schemas/reports.ts';

const EPSILON = 1e-9;

/** Each compared figure's value in a quarter's figures. */
export function figureValues(f: QuarterFigures): Record<ReportFigure, number | null> {
  const { firstResponse: fr, satisfaction: sat } = f;
  return {
    feedback: f.feedback,
    complaints: f.complaints,
    inquiries: f.inquiries,
    suggestions: f.suggestions,
    praise: f.praise,
    complaintShare: f.complaintShare,
    digitalShare: f.digitalShare,
    activeCustomers: f.customerBase?.activeCustomers ?? null,
    digitalActiveCustomers: f.customerBase?.digitalActiveCustomers ?? null,
    complaintRate: f.complaintRate,
    digitalUsage: f.digitalUsage,
    satisfaction: sat.customer.mean,
    satisfactionCount: sat.customer.count,
    satisfaction1: sat.customer.distribution[1],
    satisfaction2: sat.customer.distribution[2],
    satisfaction3: sat.customer.distribution[3],
    satisfaction4: sat.customer.distribution[4],
    satisfaction5: sat.customer.distribution[5],
    handlerSatisfaction: sat.handler.mean,
    handlerSatisfactionCount: sat.handler.count,
    firstResponseMet: fr.met,
    firstResponseBreached: fr.breached,
    firstResponsePending: fr.pending,
    firstResponseCompliance: fr.compliance,
    firstResponseMedianSeconds: fr.medianSeconds,
    firstResponseP90Seconds: fr.p90Seconds,
    responded: f.responded,
    resolved: f.resolved,
    resolutionRate: f.resolutionRate,
    resolutionMedianSeconds: f.resolutionTime.medianSeconds,
    resolutionP90Seconds: f.resolutionTime.p90Seconds,
    escalations: f.escalations,
    repeatComplaints: f.repeatComplaints.count,
    repeatComplaintRate: f.repeatComplaints.rate,
    resolutionsMade: f.resolutionsMade,
    handlerDays: f.handlerDays,
    handlerThroughput: f.handlerThroughput,
    intakeRating: f.intakeRating.mean,
    intakeRatingCount: f.intakeRating.count,
    inquiriesAnsweredAutomatically: f.inquiriesAnsweredAutomatically,
    autoAnswerRate: f.autoAnswerRate,
  };
}

/** The baseline's value of each compared figure (null where the plan does not give it). */
export function baselineValues(b: PlanBaseline | null | undefined): Record<ReportFigure, number | null> {
  const given: Partial<Record<ReportFigure, number | undefined>> = b
    ? {
        complaintRate: b.complaintRate,
        satisfaction: b.satisfaction,
        digitalUsage: b.digitalUsage,
        firstResponseCompliance: b.firstResponseCompliance,
        handlerThroughput: b.handlerThroughput,
        resolutionRate: b.resolutionRate,
        repeatComplaintRate: b.repeatComplaintRate,
      }
    : {};
  return Object.fromEntries(REPORT_FIGURES.map((f) => [f, given[f] ?? null])) as Record<ReportFigure, number | null>;
}

/** (value − base) ÷ base, or null when either is null or the base is 0. */
export function relativeChange(value: number | null, base: number | null): number | null {
  if (value === null || base === null || base === 0) return null;
  return (value - base) / base;
}

/** Which figure each target measures, how, and which way is better. */
export const TARGET_RULES: Record<PlanTarget, { figure: ReportFigure; measure: 'change' | 'level'; better: 'lower' | 'higher' }> = {
  complaintRateChange: { figure: 'complaintRate', measure: 'change', better: 'lower' },
  satisfactionChange: { figure: 'satisfaction', measure: 'change', better: 'higher' },
  digitalUsage: { figure: 'digitalUsage', measure: 'level', better: 'higher' },
  firstResponseCompliance: { figure: 'firstResponseCompliance', measure: 'level', better: 'higher' },
  handlerThroughputChange: { figure: 'handlerThroughput', measure: 'change', better: 'higher' },
};

/** Whether `actual` reaches `target` in the better direction; null when there is no actual. */
export function targetMet(actual: number | null, target: number, better: 'lower' | 'higher'): boolean | null {
  if (actual === null) return null;
  return better === 'lower' ? actual <= target + EPSILON : actual >= target - EPSILON;
}

/** The targets the plan sets, each with its actual and whether it is met. */
export function targetResults(plan: Pick<Plan, 'targets'> | null | undefined, figures: Record<ReportFigure, FigureComparison>): QuarterlyReport['targets'] {
  const out: Partial<Record<PlanTarget, TargetResult>> = {};
  for (const name of PLAN_TARGETS) {
    const target = plan?.targets[name];
    if (target === undefined) continue;
    const rule = TARGET_RULES[name];
    const actual = rule.measure === 'change' ? figures[rule.figure].change : figures[rule.figure].quarter;
    out[name] = { figure: rule.figure, measure: rule.measure, target, actual, met: targetMet(actual, target, rule.better) };
  }
  return out;
}

/**
 * The report for a quarter.
 * @param previous the previous quarter's figures (null when not computed, e.g. before the first quarter with data).
 * @param plan the plan (null: no baseline, no targets).
 */
export function buildQuarterlyReport(input: { current: QuarterFigures; previous: QuarterFigures | null; plan: Plan | null | undefined; computedAt: string }): QuarterlyReport {
  const { current, previous, plan, computedAt } = input;
  const now = figureValues(current);
  const before = previous ? figureValues(previous) : undefined;
  const base = baselineValues(plan?.baseline);
  const figures = Object.fromEntries(
    REPORT_FIGURES.map((f) => {
      const comparison: FigureComparison = {
        quarter: now[f],
        previous: before?.[f] ?? null,
        baseline: base[f],
        change: relativeChange(now[f], base[f]),
        changeFromPrevious: relativeChange(now[f], before?.[f] ?? null),
      };
      return [f, comparison];
    }),
  ) as Record<ReportFigure, FigureComparison>;
  return {
    quarter: current.quarter,
    timeZone: current.timeZone,
    computedAt,
    current,
    previous,
    baseline: plan?.baseline ?? null,
    figures,
    targets: targetResults(plan, figures),
  };
}
