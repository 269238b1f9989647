import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../schemas/plan.ts';
import { QuarterlyReport, REPORT_FIGURES } from '../../../schemas/reports.ts';
import { computeQuarter } from './quarter-figures.ts';
import { buildQuarterlyReport, relativeChange, targetMet } from './quarterly-report.ts';
import { quarterWindow } from '../../shared/reports/quarters.ts';
import { quarterItems } from './report-test-items.ts';

const H = 3_600_000;
const NOW = '2027-04-15T00:00:00.000Z';
const all = Object.values(quarterItems());
const quarter = (q: string, customerBase: { activeCustomers: number; digitalActiveCustomers: number } | null) =>
  computeQuarter(all, { window: quarterWindow(q, 'Asia/Shanghai'), now: NOW, firstResponseTargetMs: 24 * H, customerBase }).figures;
const current = quarter('2027-Q1', { activeCustomers: 20_000, digitalActiveCustomers: 9_000 });
const previous = quarter('2026-Q4', { activeCustomers: 16_000, digitalActiveCustomers: 6_400 });
const PLAN: Plan = {
  baseline: { period: '2021', complaintRate: 12.5, satisfaction: 3.4, digitalUsage: 0.4 },
  targets: { complaintRateChange: -0.2, satisfactionChange: 0.3, digitalUsage: 0.6, firstResponseCompliance: 1.0, handlerThroughputChange: 0.2 },
  updatedAt: '2027-01-01T00:00:00.000Z',
  updatedBy: 'admin-1',
  version: 1,
};
const report = buildQuarterlyReport({ current, previous, plan: PLAN, computedAt: NOW });

describe('the quarterly report', () => {
  it('compares each figure with the previous quarter and the baseline', () => {
    // Q4 2026 received only c4: 1 complaint of 16,000 customers = 0.625 per 10,000.
    expect(report.figures.complaintRate).toEqual({ quarter: 2.5, previous: 0.625, baseline: 12.5, change: (2.5 - 12.5) / 12.5, changeFromPrevious: (2.5 - 0.625) / 0.625 });
    expect(report.figures.satisfaction).toEqual({ quarter: 3.5, previous: null, baseline: 3.4, change: (3.5 - 3.4) / 3.4, changeFromPrevious: null });
    expect(report.figures.digitalUsage).toMatchObject({ quarter: 0.45, previous: 0.4, baseline: 0.4 });
  });

  it('evaluates each target the plan sets: met, not met, and null when its inputs are missing', () => {
    expect(report.targets).toEqual({
      complaintRateChange: { figure: 'complaintRate', measure: 'change', target: -0.2, actual: -0.8, met: true },
      satisfactionChange: { figure: 'satisfaction', measure: 'change', target: 0.3, actual: (3.5 - 3.4) / 3.4, met: false },
      digitalUsage: { figure: 'digitalUsage', measure: 'level', target: 0.6, actual: 0.45, met: false },
      firstResponseCompliance: { figure: 'firstResponseCompliance', measure: 'level', target: 1, actual: 0.4, met: false },
      // The baseline gives no handler throughput: no change, so neither met nor missed.
      handlerThroughputChange: { figure: 'handlerThroughput', measure: 'change', target: 0.2, actual: null, met: null },
    });
  });

  it('a missing customer base makes complaint rate, its change and its target null', () => {
    const r = buildQuarterlyReport({ current: quarter('2027-Q1', null), previous, plan: PLAN, computedAt: NOW });
    expect(r.figures.complaintRate).toMatchObject({ quarter: null, change: null, changeFromPrevious: null });
    expect(r.targets.complaintRateChange).toMatchObject({ actual: null, met: null });
    expect(r.targets.digitalUsage).toMatchObject({ actual: null, met: null });
  });

  it('without a plan: no baseline, no targets, and the quarter beside the previous one', () => {
    const r = buildQuarterlyReport({ current, previous: null, plan: null, computedAt: NOW });
    expect(r.baseline).toBeNull();
    expect(r.targets).toEqual({});
    expect(r.figures.complaints).toEqual({ quarter: 5, previous: null, baseline: null, change: null, changeFromPrevious: null });
  });

  it('gives only the targets the plan sets', () => {
    const r = buildQuarterlyReport({ current, previous, plan: { ...PLAN, targets: { digitalUsage: 0.4 } }, computedAt: NOW });
    expect(Object.keys(r.targets)).toEqual(['digitalUsage']);
    expect(r.targets.digitalUsage?.met).toBe(true);
  });

  it('covers every figure and matches the answer schema', () => {
    expect(Object.keys(report.figures)).toEqual([...REPORT_FIGURES]);
    expect(QuarterlyReport.safeParse(report).success).toBe(true);
  });
});

describe('targets and changes', () => {
  it('a reduction target is met at or below it; a tolerance target the same way', () => {
    expect(targetMet(-0.2, -0.2, 'lower')).toBe(true);
    expect(targetMet(-0.19, -0.2, 'lower')).toBe(false);
    expect(targetMet(0.04, 0.05, 'lower')).toBe(true);
  });

  it('a growth target is met at or above it, allowing floating-point noise', () => {
    expect(targetMet((4.42 - 3.4) / 3.4, 0.3, 'higher')).toBe(true);
    expect(targetMet(0.2999, 0.3, 'higher')).toBe(false);
    expect(targetMet(null, 0.3, 'higher')).toBeNull();
  });

  it('a change against a zero or missing base is null', () => {
    expect(relativeChange(5, 0)).toBeNull();
    expect(relativeChange(null, 3)).toBeNull();
    expect(relativeChange(3, null)).toBeNull();
    expect(relativeChange(9, 12)).toBe(-0.25);
  });
});
