/**
 * The quarterly evaluation's answers (design.md, "The quarterly evaluation"): `GET
 * /admin/reports/quarterly?quarter=` and `GET /admin/reports/handlers?quarter=`. The computation's types
 * are inferred from these, and the OpenAPI document can be generated from them.
 *
 * Every figure is a number, or `null` where it is undefined (0 ÷ 0, a missing customer base or baseline).
 * Times are in seconds; ratios from 0 to 1; changes relative ((quarter − baseline) ÷ baseline).
 */
import * as z from 'zod/mini';
import './zod-locale.ts';
import { MetricFigures } from './admin.ts';
import { PlanBaseline, QuarterId } from './plan.ts';

const Count = z.number().check(z.int(), z.minimum(0));
const Ratio = z.nullable(z.number().check(z.minimum(0), z.maximum(1)));
const Seconds = z.nullable(z.number().check(z.minimum(0)));
const NullableNumber = z.nullable(z.number());

/** GET /admin/reports/quarterly and /handlers: `?quarter=YYYY-Qn` (`format=csv` is the same as `Accept: text/csv`). */
export const QuarterlyReportQuery = z.object({
  quarter: QuarterId,
  format: z.optional(z.enum(['json', 'csv'], { error: 'format must be json or csv' })),
});
export type QuarterlyReportQuery = z.infer<typeof QuarterlyReportQuery>;

/** Ratings on the 1–5 scale: how many, their mean, and how many of each score. */
export const RatingSummary = z.object({
  count: Count,
  mean: z.nullable(z.number().check(z.minimum(1), z.maximum(5))),
  distribution: z.object({ 1: Count, 2: Count, 3: Count, 4: Count, 5: Count }),
});
export type RatingSummary = z.infer<typeof RatingSummary>;

/** The `rating` the web and mobile apps send with feedback, on the apps' own scale (not 1–5 necessarily). */
export const IntakeRatingSummary = z.object({
  count: Count,
  mean: NullableNumber,
  bySource: z.record(z.string(), z.object({ count: Count, mean: NullableNumber })),
});

/** One quarter's figures: the metrics' figures for the items received in it, and the plan's figures. */
export const QuarterFigures = z.extend(z.omit(MetricFigures, { satisfaction: true }), {
  quarter: QuarterId,
  timeZone: z.string(),
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  /** The bank's counts for the quarter, or null when not set (complaintRate and digitalUsage are then null). */
  customerBase: z.nullable(z.object({ activeCustomers: Count, digitalActiveCustomers: Count })),
  /** Complaints received per 10,000 active customers. */
  complaintRate: NullableNumber,
  /** Digital-active ÷ active customers. */
  digitalUsage: Ratio,
  /** Receipt → current resolution, of the complaints received in the quarter that are resolved now. */
  resolutionTime: z.object({ medianSeconds: Seconds, p90Seconds: Seconds }),
  /** Complaints received in the quarter whose customer had another complaint in the 90 days before; null without customer keys. */
  repeatComplaints: z.object({ count: Count, withCustomer: Count, rate: Ratio }),
  /** Ratings given in the quarter: by the customer (the plan's figure), and those a handler recorded, apart. */
  satisfaction: z.object({ customer: RatingSummary, handler: RatingSummary }),
  intakeRating: IntakeRatingSummary,
  /** Resolutions made in the quarter (the complaints' current resolution). */
  resolutionsMade: Count,
  /** Days (in the report's zone) on which a handler acted on any complaint, summed over handlers. */
  handlerDays: Count,
  /** resolutionsMade ÷ handlerDays. */
  handlerThroughput: NullableNumber,
  /** Inquiries received in the quarter that the FAQ answered automatically, and their share of inquiries. */
  inquiriesAnsweredAutomatically: Count,
  autoAnswerRate: Ratio,
});
export type QuarterFigures = z.infer<typeof QuarterFigures>;

/**
 * The figures compared across quarter, previous quarter and baseline: every number of QuarterFigures
 * (the intake rating per source apart), one CSV row each, in this order.
 */
export const REPORT_FIGURES = [
  'feedback',
  'complaints',
  'inquiries',
  'suggestions',
  'praise',
  'complaintShare',
  'digitalShare',
  'activeCustomers',
  'digitalActiveCustomers',
  'complaintRate',
  'digitalUsage',
  'satisfaction',
  'satisfactionCount',
  'satisfaction1',
  'satisfaction2',
  'satisfaction3',
  'satisfaction4',
  'satisfaction5',
  'handlerSatisfaction',
  'handlerSatisfactionCount',
  'firstResponseMet',
  'firstResponseBreached',
  'firstResponsePending',
  'firstResponseCompliance',
  'firstResponseMedianSeconds',
  'firstResponseP90Seconds',
  'responded',
  'resolved',
  'resolutionRate',
  'resolutionMedianSeconds',
  'resolutionP90Seconds',
  'escalations',
  'repeatComplaints',
  'repeatComplaintRate',
  'resolutionsMade',
  'handlerDays',
  'handlerThroughput',
  'intakeRating',
  'intakeRatingCount',
  'inquiriesAnsweredAutomatically',
  'autoAnswerRate',
] as const;
export type ReportFigure = (typeof REPORT_FIGURES)[number];

/** One figure across the quarter, the previous quarter and the baseline. */
export const FigureComparison = z.object({
  quarter: NullableNumber,
  previous: NullableNumber,
  baseline: NullableNumber,
  /** (quarter − baseline) ÷ baseline. */
  change: NullableNumber,
  /** (quarter − previous) ÷ previous. */
  changeFromPrevious: NullableNumber,
});
export type FigureComparison = z.infer<typeof FigureComparison>;

export const PLAN_TARGETS = ['complaintRateChange', 'satisfactionChange', 'digitalUsage', 'firstResponseCompliance', 'handlerThroughputChange'] as const;
export type PlanTarget = (typeof PLAN_TARGETS)[number];

/** A target of the plan: `actual` is the change (…Change targets) or the level; `met` is null when `actual` is. */
export const TargetResult = z.object({
  figure: z.enum(REPORT_FIGURES),
  measure: z.enum(['change', 'level']),
  target: z.number(),
  actual: NullableNumber,
  met: z.nullable(z.boolean()),
});
export type TargetResult = z.infer<typeof TargetResult>;

/** GET /admin/reports/quarterly */
export const QuarterlyReport = z.object({
  quarter: QuarterId,
  timeZone: z.string(),
  /** When the figures were computed (items' state at that moment). */
  computedAt: z.iso.datetime(),
  current: QuarterFigures,
  previous: z.nullable(QuarterFigures),
  baseline: z.nullable(PlanBaseline),
  figures: z.record(z.enum(REPORT_FIGURES), FigureComparison),
  /** Only the targets the plan sets. */
  targets: z.partialRecord(z.enum(PLAN_TARGETS), TargetResult),
});
export type QuarterlyReport = z.infer<typeof QuarterlyReport>;

/** One handler's quarter (what the plan's incentive scheme needs). */
export const HandlerFigures = z.object({
  handler: z.string(),
  /** Complaints the handler acted on in the quarter. */
  complaintsHandled: Count,
  /** First responses the handler made in the quarter, and how many were within the target. */
  firstResponses: Count,
  firstResponsesWithinTarget: Count,
  firstResponseCompliance: Ratio,
  medianFirstResponseSeconds: Seconds,
  /** The handler's resolutions made in the quarter that stand now, and those reopened since. */
  resolved: Count,
  reopened: Count,
  handlerDays: Count,
  /** resolved ÷ handlerDays. */
  throughput: NullableNumber,
  /** Customer ratings given in the quarter of resolutions the handler made. */
  customerSatisfaction: z.object({ count: Count, mean: z.nullable(z.number()) }),
});
export type HandlerFigures = z.infer<typeof HandlerFigures>;

/** GET /admin/reports/handlers */
export const HandlerReport = z.object({
  quarter: QuarterId,
  timeZone: z.string(),
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  computedAt: z.iso.datetime(),
  handlers: z.array(HandlerFigures),
});
export type HandlerReport = z.infer<typeof HandlerReport>;
