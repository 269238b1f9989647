import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { UnknownTimeZoneError } from '../clocks/errors.ts';
import { addQuarters, dayAmong, dayStartsOfQuarter, daysOfQuarter, formatQuarter, localDay, parseQuarter, previousQuarter, quarterOf, quarterWindow, reportTimeZone } from './quarters.ts';

describe('quarters in the bank time zone', () => {
  it('a complaint at 23:30 on 31 March Beijing time belongs to Q1, one at 00:30 on 1 April to Q2', () => {
    expect(quarterOf('2027-03-31T15:30:00.000Z', 'Asia/Shanghai')).toBe('2027-Q1');
    expect(quarterOf('2027-03-31T16:30:00.000Z', 'Asia/Shanghai')).toBe('2027-Q2');
  });

  it('the same instant is in another quarter in UTC', () => {
    expect(quarterOf('2027-03-31T16:30:00.000Z', 'UTC')).toBe('2027-Q1');
  });

  it('a quarter window runs from local midnight of its first day to local midnight of the next quarter', () => {
    expect(quarterWindow('2027-Q1', 'Asia/Shanghai')).toEqual({
      quarter: '2027-Q1',
      timeZone: 'Asia/Shanghai',
      from: '2026-12-31T16:00:00.000Z',
      to: '2027-03-31T16:00:00.000Z',
    });
  });

  it('a window follows daylight saving (London Q2 starts at 23:00 UTC on 31 March)', () => {
    expect(quarterWindow('2027-Q2', 'Europe/London')).toMatchObject({ from: '2027-03-31T23:00:00.000Z', to: '2027-06-30T23:00:00.000Z' });
  });

  it('previous quarter crosses the year', () => {
    expect(previousQuarter('2027-Q1')).toBe('2026-Q4');
    expect(previousQuarter('2027-Q3')).toBe('2027-Q2');
  });

  it('every instant lies in the window of its own quarter', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }), fc.constantFrom('Asia/Shanghai', 'Europe/London', 'America/New_York', 'UTC'), (ms, zone) => {
        const w = quarterWindow(quarterOf(ms, zone), zone);
        return Date.parse(w.from) <= ms && ms < Date.parse(w.to);
      }),
    );
  });

  it('adding and removing quarters round-trips', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1970, max: 9000 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: -500, max: 500 }), (year, quarter, n) => {
        const q = { year, quarter: quarter as 1 | 2 | 3 | 4 };
        return formatQuarter(addQuarters(addQuarters(q, n), -n)) === formatQuarter(q);
      }),
    );
  });

  it('refuses quarter ids that are not YYYY-Qn', () => {
    for (const bad of ['2027-Q5', '2027-Q0', '2027Q1', '27-Q1', '2027-q1', ' 2027-Q1', '1969-Q4']) {
      expect(() => parseQuarter(bad)).toThrow(RangeError);
    }
    expect(parseQuarter('2027-Q4')).toEqual({ year: 2027, quarter: 4 });
  });

  it('handler-days are civil days in the zone', () => {
    expect(localDay('2027-03-31T15:59:59.999Z', 'Asia/Shanghai')).toBe('2027-03-31');
    expect(localDay('2027-03-31T16:00:00.000Z', 'Asia/Shanghai')).toBe('2027-04-01');
  });

  it('lists the civil days of a quarter', () => {
    const days = daysOfQuarter('2028-Q1');
    expect(days).toHaveLength(91); // 2028 is a leap year
    expect(days[0]).toBe('2028-01-01');
    expect(days.at(-1)).toBe('2028-03-31');
  });

  it('reads REDRESS_TIMEZONE, defaulting to Asia/Shanghai, and refuses unknown zones', () => {
    expect(reportTimeZone({})).toBe('Asia/Shanghai');
    expect(reportTimeZone({ REDRESS_TIMEZONE: ' ' })).toBe('Asia/Shanghai');
    expect(reportTimeZone({ REDRESS_TIMEZONE: 'Europe/London' })).toBe('Europe/London');
    expect(() => reportTimeZone({ REDRESS_TIMEZONE: 'Mars/Olympus' })).toThrow(UnknownTimeZoneError);
  });

  it('the day lookup by binary search agrees with Intl for every instant of a quarter', () => {
    for (const zone of ['Asia/Shanghai', 'Europe/London', 'Asia/Kathmandu']) {
      const w = quarterWindow('2027-Q1', zone);
      const starts = dayStartsOfQuarter('2027-Q1', zone);
      fc.assert(fc.property(fc.integer({ min: Date.parse(w.from), max: Date.parse(w.to) - 1 }), (ms) => dayAmong(starts, ms) === localDay(ms, zone)));
    }
  });
});
