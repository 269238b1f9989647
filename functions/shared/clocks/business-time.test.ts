import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addBusinessDays, addCalendarDays, nthBusinessDayAfter } from './business-time.ts';
import { isBusinessDay } from './calendars.ts';
import { CalendarRangeError } from './errors.ts';
import { formatLocalDate, localDateAt } from './zoned-time.ts';

const HOUR = 3_600_000;
const iso = (d: Date) => d.toISOString();

describe('addBusinessDays in mainland China', () => {
  it('skips Spring Festival 2026 and counts the Saturday working days before and after it', () => {
    // Prepare: received Friday 13 Feb 2026, 10:00 Beijing time.
    const receivedAt = '2026-02-13T10:00:00+08:00';
    // Act
    const days = [1, 2, 5, 6, 7].map((n) => formatLocalDate(nthBusinessDayAfter('cn-mainland', receivedAt, n)));
    // Assess: Sat 14 Feb works; 15–23 Feb off; Tue 24 Feb is day 2; Sat 28 Feb (working) is day 6; Mon 2 Mar day 7.
    expect(days).toEqual(['2026-02-14', '2026-02-24', '2026-02-27', '2026-02-28', '2026-03-02']);
    expect(iso(addBusinessDays('cn-mainland', receivedAt, 5))).toBe('2026-02-27T16:00:00.000Z');
  });

  it('skips Mid-Autumn and Golden Week 2026 and counts Sunday 20 Sept and Saturday 10 Oct as working days', () => {
    // Prepare: received Saturday 19 Sept 2026 in Shanghai.
    const receivedAt = '2026-09-19T03:00:00Z';
    // Act
    const days = [1, 2, 5, 6, 8, 9, 10, 11, 12].map((n) => formatLocalDate(nthBusinessDayAfter('cn-mainland', receivedAt, n)));
    // Assess: Sun 20 Sept works (1), Mon 21 (2) … Thu 24 (5); 25–27 Sept Mid-Autumn off; Mon 28 (6) … Wed 30 (8);
    // 1–7 Oct off; Thu 8 (9), Fri 9 (10), Sat 10 (working, 11), Sun 11 off, Mon 12 (12).
    expect(days).toEqual(['2026-09-20', '2026-09-21', '2026-09-24', '2026-09-28', '2026-09-30', '2026-10-08', '2026-10-09', '2026-10-10', '2026-10-12']);
  });

  it('ends the day at midnight Beijing time', () => {
    // Act / Assess: received Wed 30 Sept 2026; 1 business day later is Thu 8 Oct, which ends 16:00 UTC.
    expect(iso(addBusinessDays('cn-mainland', '2026-09-30T09:00:00+08:00', 1))).toBe('2026-10-08T16:00:00.000Z');
  });

  it('uses the local day of receipt: 20:00 UTC on a Sunday is already Monday in Shanghai', () => {
    // Act / Assess: Monday 5 Jan 2026 is day 0, so day 1 is Tuesday 6 Jan.
    expect(formatLocalDate(nthBusinessDayAfter('cn-mainland', '2026-01-04T20:00:00Z', 1))).toBe('2026-01-06');
  });
});

describe('addBusinessDays in England and Wales', () => {
  it('skips Good Friday and Easter Monday 2026', () => {
    // Act / Assess: received Thursday 2 April; 3 and 6 April are bank holidays; day 1 is Tuesday 7 April (BST).
    expect(iso(addBusinessDays('uk-england-wales', '2026-04-02T15:00:00+01:00', 1))).toBe('2026-04-07T23:00:00.000Z');
  });

  it('skips Easter 2027, which falls in March just before the clocks change', () => {
    // Act / Assess: received Thursday 25 March 2027 (GMT); 26 and 29 March off; day 1 Tue 30 March, ends 23:00 UTC (BST).
    expect(iso(addBusinessDays('uk-england-wales', '2027-03-25T12:00:00Z', 1))).toBe('2027-03-30T23:00:00.000Z');
  });

  it('skips Christmas 2026 and the Boxing Day substitute', () => {
    // Act / Assess: received Thursday 24 Dec; 25 and 28 Dec off; day 1 is Tuesday 29 Dec (GMT).
    expect(iso(addBusinessDays('uk-england-wales', '2026-12-24T10:00:00Z', 1))).toBe('2026-12-30T00:00:00.000Z');
  });

  it('gives the FCA 15-business-day deadline across the October clock change', () => {
    // Prepare: received Tuesday 13 Oct 2026 (BST); clocks go back on Sunday 25 Oct.
    // Act
    const due = addBusinessDays('uk-england-wales', '2026-10-13T09:00:00+01:00', 15);
    // Assess: 15th business day is Tuesday 3 Nov; its end is midnight GMT.
    expect(iso(due)).toBe('2026-11-04T00:00:00.000Z');
  });

  it('gives an end-of-day deadline in BST after the March change', () => {
    // Act / Assess: received Friday 27 March 2026 (GMT); day 1 is Monday 30 March, which ends at 23:00 UTC.
    expect(iso(addBusinessDays('uk-england-wales', '2026-03-27T12:00:00Z', 1))).toBe('2026-03-30T23:00:00.000Z');
  });

  it('throws CalendarRangeError when the count runs into 2028, naming calendar and year', () => {
    // Prepare: received Friday 24 Dec 2027; 27 and 28 Dec are substitute days; 29, 30, 31 Dec are days 1–3.
    const receivedAt = '2027-12-24T12:00:00Z';
    // Act / Assess
    expect(iso(addBusinessDays('uk-england-wales', receivedAt, 3))).toBe('2028-01-01T00:00:00.000Z');
    expect(() => addBusinessDays('uk-england-wales', receivedAt, 4)).toThrow(CalendarRangeError);
    expect(() => addBusinessDays('uk-england-wales', receivedAt, 4)).toThrow('"uk-england-wales" has no data for 2028');
  });

  it('throws CalendarRangeError for a start before the data', () => {
    expect(() => addBusinessDays('uk-england-wales', '2025-12-30T12:00:00Z', 1)).toThrow('has no data for 2025');
  });
});

describe('addBusinessDays in the US', () => {
  it('skips Thanksgiving 2026 but not the Friday after', () => {
    // Act / Assess: received Wed 25 Nov; Thu 26 off; Fri 27 day 1, Mon 30 day 2, which ends 05:00 UTC (EST).
    expect(formatLocalDate(nthBusinessDayAfter('us-federal', '2026-11-25T15:00:00Z', 1))).toBe('2026-11-27');
    expect(iso(addBusinessDays('us-federal', '2026-11-25T15:00:00Z', 2))).toBe('2026-12-01T05:00:00.000Z');
  });

  it('ends days at midnight Eastern across the March change', () => {
    // Act / Assess: received Friday 6 March 2026 (EST); day 1 is Monday 9 March, after DST began on the 8th.
    expect(iso(addBusinessDays('us-federal', '2026-03-06T12:00:00-05:00', 1))).toBe('2026-03-10T04:00:00.000Z');
  });
});

describe('addBusinessDays properties', () => {
  const calendars = ['cn-mainland', 'uk-england-wales', 'us-federal'] as const;
  const starts = fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-09-30T00:00:00Z'), noInvalidDate: true });

  it('always lands on the end of a business day, and n+1 is later than n', () => {
    fc.assert(
      fc.property(fc.constantFrom(...calendars), starts, fc.integer({ min: 1, max: 40 }), (id, start, n) => {
        // Act
        const lastDay = nthBusinessDayAfter(id, start, n);
        const due = addBusinessDays(id, start, n);
        const later = addBusinessDays(id, start, n + 1);
        // Assess
        expect(isBusinessDay(id, lastDay)).toBe(true);
        expect(formatLocalDate(localDateAt(due.getTime() - 1, getZone(id)))).toBe(formatLocalDate(lastDay));
        expect(later.getTime()).toBeGreaterThan(due.getTime());
      }),
      { numRuns: 300 },
    );
  });
});

function getZone(id: 'cn-mainland' | 'uk-england-wales' | 'us-federal'): string {
  return { 'cn-mainland': 'Asia/Shanghai', 'uk-england-wales': 'Europe/London', 'us-federal': 'America/New_York' }[id];
}

describe('addCalendarDays', () => {
  it('counts 15 calendar days straight through Golden Week (China counts 日, not 工作日)', () => {
    // Act / Assess: received 30 Sept 2026, 10:00 Beijing; due at the end of 15 Oct.
    expect(iso(addCalendarDays('Asia/Shanghai', '2026-09-30T10:00:00+08:00', 15))).toBe('2026-10-15T16:00:00.000Z');
  });

  it('ends a London day at local midnight across the spring change (a 23-hour day)', () => {
    // Act
    const due = addCalendarDays('Europe/London', '2026-03-28T12:00:00Z', 1);
    // Assess: end of Sunday 29 March is 00:00 BST on the 30th = 23:00 UTC on the 29th.
    expect(iso(due)).toBe('2026-03-29T23:00:00.000Z');
  });

  it('ends a London day at local midnight across the autumn change (a 25-hour day)', () => {
    expect(iso(addCalendarDays('Europe/London', '2026-10-24T12:00:00Z', 1))).toBe('2026-10-26T00:00:00.000Z');
    expect(iso(addCalendarDays('Europe/London', '2027-10-30T12:00:00Z', 1))).toBe('2027-11-01T00:00:00.000Z');
  });

  it('ends New York days at local midnight across both changes', () => {
    // Second Sunday of March 2026 is the 8th; first Sunday of November 2026 is the 1st.
    expect(iso(addCalendarDays('America/New_York', '2026-03-07T17:00:00Z', 1))).toBe('2026-03-09T04:00:00.000Z');
    expect(iso(addCalendarDays('America/New_York', '2026-10-31T17:00:00Z', 1))).toBe('2026-11-02T05:00:00.000Z');
    // 2027: 14 March and 7 November.
    expect(iso(addCalendarDays('America/New_York', '2027-03-13T17:00:00Z', 1))).toBe('2027-03-15T04:00:00.000Z');
    expect(iso(addCalendarDays('America/New_York', '2027-11-06T17:00:00Z', 1))).toBe('2027-11-08T05:00:00.000Z');
  });

  it('gives 8 weeks (56 days) in London across the October change', () => {
    // Act / Assess: received 1 Oct 2026 (BST); due at the end of 26 Nov (GMT).
    expect(iso(addCalendarDays('Europe/London', '2026-10-01T08:00:00Z', 56))).toBe('2026-11-27T00:00:00.000Z');
  });

  it('needs no holiday data, so it works beyond 2027', () => {
    expect(iso(addCalendarDays('America/New_York', '2028-06-01T12:00:00Z', 15))).toBe('2028-06-17T04:00:00.000Z');
  });

  it('is always local midnight, n local days after the day of receipt', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('Asia/Shanghai', 'Europe/London', 'America/New_York'),
        fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 120 }),
        (zone, start, n) => {
          // Act
          const due = addCalendarDays(zone, start, n);
          // Assess: one millisecond earlier is the last instant of day n.
          const startDay = localDateAt(start.getTime(), zone);
          const lastDay = localDateAt(due.getTime() - 1, zone);
          const dayNumber = Math.round((Date.UTC(lastDay.year, lastDay.month - 1, lastDay.day) - Date.UTC(startDay.year, startDay.month - 1, startDay.day)) / 86_400_000);
          expect(dayNumber).toBe(n);
          expect(localDateAt(due.getTime(), zone)).not.toEqual(lastDay);
          expect(due.getTime() - start.getTime()).toBeGreaterThan((n - 1) * 24 * HOUR);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a count that is not a positive whole number, and an unknown zone', () => {
    expect(() => addCalendarDays('Europe/London', '2026-01-01T00:00:00Z', 0)).toThrow(RangeError);
    expect(() => addCalendarDays('Europe/London', '2026-01-01T00:00:00Z', 1.5)).toThrow(RangeError);
    expect(() => addBusinessDays('uk-england-wales', '2026-01-01T00:00:00Z', -1)).toThrow(RangeError);
    expect(() => addCalendarDays('Europe/Nowhere', '2026-01-01T00:00:00Z', 1)).toThrow('Europe/Nowhere');
  });
});
