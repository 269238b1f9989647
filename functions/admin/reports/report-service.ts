/**
 * The reports over their ports: what `GET /admin/reports/quarterly` and `GET /admin/reports/handlers`
 * do once the route has checked the role (supervisor+). The handler at integration is: parse the query
 * (parseReportQuery), call quarterlyReport / handlerReport, answer reportResponse.
 */
import type { CustomerBase, Plan } from '../../../schemas/plan.ts';
import { QuarterlyReportQuery, type HandlerReport, type QuarterlyReport } from '../../../schemas/reports.ts';
import { BadRequestError } from '../../shared/errors.ts';
import { json, lowerHeaders, type HttpResult } from '../../shared/http.ts';
import { parseWith } from '../../shared/validation.ts';
import type { ReportSource } from '../../shared/ports/report-source.ts';
import { CSV_CONTENT_TYPE, handlerReportCsv, quarterlyReportCsv } from './csv.ts';
import { createQuarterTally, type QuarterTally } from './quarter-figures.ts';
import { buildQuarterlyReport } from './quarterly-report.ts';
import { previousQuarter, quarterWindow } from '../../shared/reports/quarters.ts';

export interface ReportDeps {
  source: ReportSource;
  plans: { getPlan(): Promise<Plan | undefined>; getCustomerBase(quarter: string): Promise<CustomerBase | undefined> };
  /** REDRESS_TIMEZONE (quarters.ts reportTimeZone). */
  timeZone: string;
  /** The clock policy's first-response target, for complaints without clocks. */
  firstResponseTargetMs: number;
  now: () => Date;
}

/**
 * `?quarter=YYYY-Qn[&format=json|csv]`.
 * @throws BadRequestError naming `quarter` or `format`.
 */
export function parseReportQuery(query: Record<string, string | undefined> | undefined): QuarterlyReportQuery {
  return parseWith(QuarterlyReportQuery, query ?? {}, 'query');
}

/** Reads one quarter through the source into a tally. */
async function tallyQuarter(deps: ReportDeps, quarter: string, now: string): Promise<QuarterTally> {
  const window = quarterWindow(quarter, deps.timeZone);
  const customerBase = await deps.plans.getCustomerBase(quarter);
  const tally = createQuarterTally({ window, now, firstResponseTargetMs: deps.firstResponseTargetMs, customerBase: customerBase ?? null });
  await deps.source.feedQuarter(window, {
    items: (batch) => batch.forEach((item) => tally.add(item)),
    priorComplaints: (batch) => batch.forEach((complaint) => tally.addPrior(complaint)),
  });
  return tally;
}

/** Refuses a quarter that has not started yet (its figures would all be empty). */
function assertStarted(quarter: string, timeZone: string, now: Date): void {
  if (Date.parse(quarterWindow(quarter, timeZone).from) > now.getTime()) {
    throw new BadRequestError(`Invalid query: quarter.`, [{ field: 'quarter', message: `${quarter} has not started yet` }]);
  }
}

/** The quarterly report: the quarter and the previous quarter (read in parallel), against the plan. */
export async function quarterlyReport(deps: ReportDeps, quarter: string): Promise<QuarterlyReport> {
  const at = deps.now();
  assertStarted(quarter, deps.timeZone, at);
  const now = at.toISOString();
  const [current, previous, plan] = await Promise.all([tallyQuarter(deps, quarter, now), tallyQuarter(deps, previousQuarter(quarter), now), deps.plans.getPlan()]);
  return buildQuarterlyReport({ current: current.figures(), previous: previous.figures(), plan: plan ?? null, computedAt: now });
}

/** The per-handler figures of a quarter. */
export async function handlerReport(deps: ReportDeps, quarter: string): Promise<HandlerReport> {
  const at = deps.now();
  assertStarted(quarter, deps.timeZone, at);
  const now = at.toISOString();
  const window = quarterWindow(quarter, deps.timeZone);
  const tally = await tallyQuarter(deps, quarter, now);
  return { quarter: window.quarter, timeZone: window.timeZone, from: window.from, to: window.to, computedAt: now, handlers: tally.handlers() };
}

/** CSV when `?format=csv`, or when Accept asks for text/csv (and `format` does not say json). */
export function wantsCsv(headers: Record<string, string | undefined> | undefined, format: 'json' | 'csv' | undefined): boolean {
  if (format) return format === 'csv';
  return /(^|,)\s*text\/csv\s*(;|,|$)/i.test(lowerHeaders(headers).accept ?? '');
}

/** The report as JSON or as CSV (a download named after the quarter). */
export function reportResponse(report: QuarterlyReport | HandlerReport, csv: boolean): HttpResult {
  if (!csv) return json(200, report, { vary: 'accept' });
  const isQuarterly = 'figures' in report;
  const body = isQuarterly ? quarterlyReportCsv(report) : handlerReportCsv(report);
  const name = `redress-${isQuarterly ? 'quarterly' : 'handlers'}-${report.quarter}.csv`;
  return { statusCode: 200, headers: { 'content-type': CSV_CONTENT_TYPE, 'content-disposition': `attachment; filename="${name}"`, vary: 'accept' }, body };
}

/** The report routes' work, as the handler that holds a report source answers them. */
export interface QuarterReports {
  answer(action: 'quarterlyReport' | 'handlerReport', quarter: string, csv: boolean): Promise<HttpResult>;
}

/**
 * The report routes over a source, for the handler's own plans, time zone and clock. Handed to the admin
 * handler as a factory so only the function that serves the reports (routes' `servedBy: report`) bundles
 * the figures, the CSV and the report builder: the admin function imports none of them.
 */
export function quarterReportsOver(source: ReportSource): (deps: Omit<ReportDeps, 'source'>) => QuarterReports {
  return (deps) => ({
    async answer(action, quarter, csv) {
      const reportDeps = { ...deps, source };
      const report = action === 'quarterlyReport' ? await quarterlyReport(reportDeps, quarter) : await handlerReport(reportDeps, quarter);
      return reportResponse(report, csv);
    },
  });
}
