/** The quarterly report bench with tiny numbers: the section is produced and its synthetic quarter is what it says (figures are not asserted). */
import { describe, expect, it } from 'vitest';
import { quarterWindow } from '../../functions/shared/reports/quarters.ts';
import { dynamoSize, priorPages, quarterPages, reportBenchOptions, reportBenchSection } from './report-bench.ts';

describe('report bench', () => {
  const window = quarterWindow('2027-Q1', 'Asia/Shanghai');
  const options = { items: 3_000, complaints: 300 };

  it('generates the items of the quarter, one in ten a complaint, then the complaints worked from before it', () => {
    const items = [...quarterPages(window, options, Date.parse(window.to) + 86_400_000)].flat();
    const inQuarter = items.filter((i) => i.receivedAt >= window.from && i.receivedAt < window.to);
    expect(inQuarter).toHaveLength(3_000);
    expect(inQuarter.filter((i) => i.kind === 'complaint')).toHaveLength(300);
    expect(items.filter((i) => i.receivedAt < window.from && i.kind === 'complaint')).toHaveLength(30);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    expect([...priorPages(window, options)].flat().every((p) => p.receivedAt < window.from)).toBe(true);
  });

  it("sizes attribute values by DynamoDB's rules", () => {
    expect(dynamoSize('abc')).toBe(3);
    expect(dynamoSize('数据')).toBe(6);
    expect(dynamoSize(null)).toBe(1);
    expect(dynamoSize(12345)).toBe(4);
    expect(dynamoSize({ a: 'xy' })).toBe(3 + 1 + 1 + 2);
    expect(dynamoSize(['x', 'y'])).toBe(3 + 2 + 2);
  });

  it('reads its sizes from the environment', () => {
    expect(reportBenchOptions({})).toEqual({ items: 1_000_000, complaints: 100_000 });
    expect(reportBenchOptions({ BENCH_QUICK: '1' })).toEqual({ items: 20_000, complaints: 2_000 });
    expect(reportBenchOptions({ BENCH_REPORT_ITEMS: '5000', BENCH_REPORT_COMPLAINTS: '50' })).toEqual({ items: 5_000, complaints: 50 });
  });

  it('produces its section', () => {
    const text = reportBenchSection(options).join('\n');
    expect(text).toContain('## Quarterly report');
    expect(text).toContain('Figures: 300 complaints');
    expect(text).toMatch(/ReportByDay read .*\| [\d.]+ MB, [\d,]+ RRU \|/);
    expect(text).toMatch(/estimated report time, in the admin Lambda/);
  });
});
