/** The measured read with a small quarter: the real read path over dynalite hands over the quarter's entries, and its read units match the estimate's order. */
import { describe, expect, it } from 'vitest';
import { measureReportRead, reportReadOptions, reportReadSection } from './report-read.ts';

describe('report read bench', () => {
  it('reads the seeded quarter through the report indexes and counts what the direct feed counts', async () => {
    const m = await measureReportRead({ items: 1_500, complaints: 150 });

    expect(m.complaints.read).toBe(150);
    expect(m.complaints.direct).toBe(150);
    expect(m.entries.items).toBeGreaterThanOrEqual(1_500);
    expect(m.entries.prior).toBeGreaterThanOrEqual(150);
    expect(m.measuredRru / m.estimatedRru).toBeGreaterThan(0.5);
    expect(m.measuredRru / m.estimatedRru).toBeLessThan(2);
    expect(reportReadSection(m).join('\n')).toMatch(/measured ÷ estimated [\d.]+/);
  }, 60_000);

  it('reads its size from the environment', () => {
    expect(reportReadOptions({})).toEqual({ items: 50_000, complaints: 5_000 });
    expect(reportReadOptions({ BENCH_QUICK: '1' })).toEqual({ items: 5_000, complaints: 500 });
  });
});
