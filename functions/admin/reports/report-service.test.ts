import { describe, expect, it } from 'vitest';
import type { CustomerBase, Plan } from '../../../schemas/plan.ts';
import { BadRequestError } from '../../shared/errors.ts';
import { quarterItems } from './report-test-items.ts';
import type { ReportItem } from '../../shared/reports/report-facts.ts';
import { handlerReport, parseReportQuery, quarterReportsOver, quarterlyReport, reportResponse, wantsCsv, type ReportDeps } from './report-service.ts';
import type { QuarterWindow } from '../../shared/reports/quarters.ts';

const NOW = new Date('2027-04-15T00:00:00.000Z');
const PLAN: Plan = {
  baseline: { period: '2021', complaintRate: 12.5, satisfaction: 3.4, digitalUsage: 0.4 },
  targets: { complaintRateChange: -0.2 },
  updatedAt: '2027-01-01T00:00:00.000Z',
  updatedBy: 'admin-1',
  version: 1,
};
const base = (quarter: string, activeCustomers: number): CustomerBase => ({ quarter, activeCustomers, digitalActiveCustomers: activeCustomers / 2, updatedAt: '2027-01-01T00:00:00.000Z', updatedBy: 'admin-1', version: 1 });

/** Fakes of the ports: the source hands over every item in pages of 3 (a superset, as the port allows) and records the windows asked for. */
function deps(items: ReportItem[]): ReportDeps & { windows: QuarterWindow[] } {
  const windows: QuarterWindow[] = [];
  const bases = new Map([['2027-Q1', base('2027-Q1', 20_000)]]);
  return {
    windows,
    source: {
      async feedQuarter(window, sink) {
        windows.push(window);
        for (let i = 0; i < items.length; i += 3) sink.items(items.slice(i, i + 3));
      },
    },
    plans: { getPlan: async () => PLAN, getCustomerBase: async (q) => bases.get(q) },
    timeZone: 'Asia/Shanghai',
    firstResponseTargetMs: 86_400_000,
    now: () => NOW,
  };
}

describe('quarterlyReport', () => {
  it('reads the quarter and the previous one in the bank zone, with that quarter customer base', async () => {
    const d = deps(Object.values(quarterItems()));
    const report = await quarterlyReport(d, '2027-Q1');
    expect(d.windows.map((w) => [w.quarter, w.from])).toEqual([
      ['2027-Q1', '2026-12-31T16:00:00.000Z'],
      ['2026-Q4', '2026-09-30T16:00:00.000Z'],
    ]);
    expect(report).toMatchObject({ quarter: '2027-Q1', computedAt: NOW.toISOString(), current: { complaints: 5, complaintRate: 2.5 }, previous: { complaints: 1, complaintRate: null } });
    expect(report.targets.complaintRateChange).toMatchObject({ actual: -0.8, met: true });
  });

  it('refuses a quarter that has not started, naming quarter', async () => {
    await expect(quarterlyReport(deps([]), '2027-Q3')).rejects.toMatchObject({ status: 400, errors: [{ field: 'quarter' }] });
  });
});

describe('handlerReport', () => {
  it('gives the per-handler figures of the quarter', async () => {
    const report = await handlerReport(deps(Object.values(quarterItems())), '2027-Q1');
    expect(report).toMatchObject({ quarter: '2027-Q1', timeZone: 'Asia/Shanghai', from: '2026-12-31T16:00:00.000Z', to: '2027-03-31T16:00:00.000Z' });
    expect(report.handlers.map((h) => [h.handler, h.resolved])).toEqual([
      ['alice', 2],
      ['bob', 0],
      ['carol', 1],
    ]);
  });
});

describe('query and format', () => {
  it('parses quarter and format, and names a bad one', () => {
    expect(parseReportQuery({ quarter: '2027-Q1', format: 'csv' })).toEqual({ quarter: '2027-Q1', format: 'csv' });
    for (const query of [{}, { quarter: '2027-Q9' }, { quarter: '2027-Q1', format: 'xlsx' }]) expect(() => parseReportQuery(query)).toThrow(BadRequestError);
  });

  it('answers CSV for ?format=csv or Accept: text/csv, JSON otherwise', () => {
    expect(wantsCsv({ accept: 'text/csv' }, undefined)).toBe(true);
    expect(wantsCsv({ Accept: 'application/json, text/csv;q=0.5' }, undefined)).toBe(true);
    expect(wantsCsv({ accept: 'text/csv' }, 'json')).toBe(false);
    expect(wantsCsv({}, 'csv')).toBe(true);
    expect(wantsCsv({ accept: 'application/json' }, undefined)).toBe(false);
    expect(wantsCsv({ accept: 'text/csvx' }, undefined)).toBe(false);
  });

  it('CSV answers are a UTF-8 download named after the quarter', async () => {
    const report = await quarterlyReport(deps(Object.values(quarterItems())), '2027-Q1');
    const csv = reportResponse(report, true);
    expect(csv.headers).toMatchObject({ 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="redress-quarterly-2027-Q1.csv"' });
    expect(csv.body?.startsWith('\uFEFFfigure,')).toBe(true);
    const asJson = reportResponse(report, false);
    expect(JSON.parse(asJson.body!)).toEqual(report);
  });
});

describe('quarterReportsOver', () => {
  it('answers each report route over its source with the handler\'s own plans, zone and clock', async () => {
    const { source, windows, ...rest } = deps(Object.values(quarterItems()));
    const reports = quarterReportsOver(source)(rest);
    const quarterly = await reports.answer('quarterlyReport', '2027-Q1', false);
    expect(JSON.parse(quarterly.body!)).toEqual(await quarterlyReport({ source, ...rest }, '2027-Q1'));
    const handlers = await reports.answer('handlerReport', '2027-Q1', true);
    expect(handlers.headers).toMatchObject({ 'content-disposition': 'attachment; filename="redress-handlers-2027-Q1.csv"' });
    expect(windows.map((w) => w.quarter)).toContain('2026-Q4');
  });
});
