/**
 * The reports as CSV that a spreadsheet opens correctly (`Accept: text/csv` or `?format=csv`):
 * - UTF-8 with a byte-order mark: Excel (Chinese Windows included) otherwise reads UTF-8 as the
 *   system's code page and garbles any Chinese text;
 * - RFC 4180: CRLF line ends, fields with a comma, quote or line break quoted, quotes doubled;
 * - numbers plain, at most 12 significant digits (no float noise such as 0.30000000000000004), null as
 *   an empty cell, booleans `true` / `false`;
 * - text that a spreadsheet would run as a formula (starting `=`, `+`, `-`, `@`, tab or CR, e.g. a
 *   handler id) is prefixed with `'` (OWASP's advice against CSV injection); numbers are never altered.
 */
import { REPORT_FIGURES, type HandlerReport, type QuarterlyReport } from '../../../schemas/reports.ts';

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
const BOM = '\uFEFF';
const CRLF = '\r\n';

type Cell = string | number | boolean | null | undefined;

/** One cell as CSV text. */
export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? String(Number(value.toPrecision(12))) : '';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows as a CSV document: BOM, CRLF after every row. */
export function csvDocument(rows: Cell[][]): string {
  return BOM + rows.map((row) => row.map(csvCell).join(',') + CRLF).join('');
}

/** The quarterly report, one row per figure: `figure, quarter, previous, baseline, change, target, met`. */
export function quarterlyReportCsv(report: QuarterlyReport): string {
  const targetOf = new Map(Object.values(report.targets).map((t) => [t!.figure, t!]));
  const rows: Cell[][] = [['figure', 'quarter', 'previous', 'baseline', 'change', 'target', 'met']];
  for (const figure of REPORT_FIGURES) {
    const f = report.figures[figure];
    const target = targetOf.get(figure);
    rows.push([figure, f.quarter, f.previous, f.baseline, f.change, target?.target, target ? target.met : undefined]);
  }
  return csvDocument(rows);
}

/** The handler report, one row per handler. */
export function handlerReportCsv(report: HandlerReport): string {
  const rows: Cell[][] = [
    [
      'quarter',
      'handler',
      'complaintsHandled',
      'firstResponses',
      'firstResponsesWithinTarget',
      'firstResponseCompliance',
      'medianFirstResponseSeconds',
      'resolved',
      'reopened',
      'handlerDays',
      'throughput',
      'customerSatisfactionCount',
      'customerSatisfactionMean',
    ],
  ];
  for (const h of report.handlers) {
    rows.push([
      report.quarter,
      h.handler,
      h.complaintsHandled,
      h.firstResponses,
      h.firstResponsesWithinTarget,
      h.firstResponseCompliance,
      h.medianFirstResponseSeconds,
      h.resolved,
      h.reopened,
      h.handlerDays,
      h.throughput,
      h.customerSatisfaction.count,
      h.customerSatisfaction.mean,
    ]);
  }
  return csvDocument(rows);
}
