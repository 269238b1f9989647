import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { REPORT_FIGURES, type HandlerReport, type QuarterlyReport } from '../../../schemas/reports.ts';
import { computeQuarter } from './quarter-figures.ts';
import { buildQuarterlyReport } from './quarterly-report.ts';
import { quarterWindow } from '../../shared/reports/quarters.ts';
import { quarterItems } from './report-test-items.ts';
import { csvCell, csvDocument, handlerReportCsv, quarterlyReportCsv } from './csv.ts';

const NOW = '2027-04-15T00:00:00.000Z';
const window = quarterWindow('2027-Q1', 'Asia/Shanghai');
const { figures, handlers } = computeQuarter(Object.values(quarterItems()), { window, now: NOW, firstResponseTargetMs: 86_400_000, customerBase: { activeCustomers: 20_000, digitalActiveCustomers: 9_000 } });
const report: QuarterlyReport = buildQuarterlyReport({
  current: figures,
  previous: null,
  plan: { baseline: { period: '2021', complaintRate: 12.5, satisfaction: 3.4, digitalUsage: 0.4 }, targets: { complaintRateChange: -0.2, satisfactionChange: 0.3 }, updatedAt: NOW, updatedBy: 'a', version: 1 },
  computedAt: NOW,
});

/** A minimal RFC 4180 reader, to check what a spreadsheet reads back. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"', i++);
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') (row.push(cell), (cell = ''));
    else if (c === '\r' && text[i + 1] === '\n') (row.push(cell), rows.push(row), (row = []), (cell = ''), i++);
    else cell += c;
  }
  return rows;
}

describe('the quarterly report as CSV', () => {
  const csv = quarterlyReportCsv(report);

  it('starts with a UTF-8 byte-order mark and ends every row with CRLF', () => {
    expect(csv.startsWith('\uFEFFfigure,quarter,previous,baseline,change,target,met\r\n')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('has one row per figure, with its target and whether it was met', () => {
    const rows = readCsv(csv.slice(1));
    expect(rows).toHaveLength(1 + REPORT_FIGURES.length);
    expect(rows.map((r) => r[0])).toEqual(['figure', ...REPORT_FIGURES]);
    expect(rows.find((r) => r[0] === 'complaintRate')).toEqual(['complaintRate', '2.5', '', '12.5', '-0.8', '-0.2', 'true']);
    expect(rows.find((r) => r[0] === 'satisfaction')).toEqual(['satisfaction', '3.5', '', '3.4', '0.0294117647059', '0.3', 'false']);
    expect(rows.find((r) => r[0] === 'complaints')).toEqual(['complaints', '5', '', '', '', '', '']);
  });
});

describe('the handler report as CSV', () => {
  it('has one row per handler, with the quarter', () => {
    const hr: HandlerReport = { quarter: '2027-Q1', timeZone: window.timeZone, from: window.from, to: window.to, computedAt: NOW, handlers };
    const rows = readCsv(handlerReportCsv(hr).slice(1));
    expect(rows[0]![1]).toBe('handler');
    expect(rows.slice(1).map((r) => r[1])).toEqual(['alice', 'bob', 'carol']);
    expect(rows[1]).toEqual(['2027-Q1', 'alice', '3', '2', '1', '0.5', '3600', '2', '0', '4', '0.5', '2', '3.5']);
  });
});

describe('csv cells', () => {
  it('quotes commas, quotes and line breaks, and keeps Chinese as it is', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('张三')).toBe('张三');
  });

  it('defuses text a spreadsheet would run as a formula, but never a number', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('@sum')).toBe("'@sum");
    expect(csvCell(-0.2)).toBe('-0.2');
  });

  it('writes null as empty, booleans as words, and numbers without float noise', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(0.1 + 0.2)).toBe('0.3');
    expect(csvCell(Number.NaN)).toBe('');
  });

  it('any text reads back as itself (formula-looking text with its guard)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 20 }), { minLength: 1, maxLength: 5 }), (cells) => {
        const back = readCsv(csvDocument([cells]).slice(1))[0]!;
        return back.every((c, i) => c === (/^[=+\-@\t\r]/.test(cells[i]!) ? `'${cells[i]}` : cells[i]));
      }),
    );
  });
});
