import { describe, expect, it } from 'vitest';
import { UnknownTimeZoneError } from './errors.ts';
import {
  addLocalDays,
  formatLocalDate,
  instantOfLocal,
  isoWeekday,
  localDateAt,
  parseInstant,
  parseLocalDate,
  startOfLocalDay,
  utcOffsetAt,
  wallClockAt,
  type LocalDate,
} from './zoned-time.ts';

const HOUR = 3_600_000;

/** Every date of 2026 and 2027 whose local day is not 24 hours long in `timeZone`. */
function unusualDays(timeZone: string): Record<string, number> {
  const found: Record<string, number> = {};
  for (let day: LocalDate = { year: 2026, month: 1, day: 1 }; day.year < 2028; day = addLocalDays(day, 1)) {
    const length = startOfLocalDay(addLocalDays(day, 1), timeZone) - startOfLocalDay(day, timeZone);
    if (length !== 24 * HOUR) found[formatLocalDate(day)] = length / HOUR;
  }
  return found;
}

describe('daylight saving through Intl', () => {
  it('London changes on the last Sundays of March and October, and on no other day', () => {
    // Act
    const days = unusualDays('Europe/London');
    // Assess
    expect(days).toEqual({ '2026-03-29': 23, '2026-10-25': 25, '2027-03-28': 23, '2027-10-31': 25 });
    for (const date of Object.keys(days)) expect(isoWeekday(parseLocalDate(date))).toBe(7);
  });

  it('New York changes on the second Sunday of March and the first Sunday of November, and on no other day', () => {
    // Act
    const days = unusualDays('America/New_York');
    // Assess
    expect(days).toEqual({ '2026-03-08': 23, '2026-11-01': 25, '2027-03-14': 23, '2027-11-07': 25 });
  });

  it('Shanghai has no daylight saving', () => {
    // Act / Assess
    expect(unusualDays('Asia/Shanghai')).toEqual({});
  });

  it('reports the offset on either side of a change', () => {
    // Act / Assess: London springs forward at 01:00 UTC on 29 March 2026.
    expect(utcOffsetAt(Date.parse('2026-03-29T00:59:59Z'), 'Europe/London')).toBe(0);
    expect(utcOffsetAt(Date.parse('2026-03-29T01:00:00Z'), 'Europe/London')).toBe(HOUR);
    // New York falls back at 06:00 UTC on 1 November 2026.
    expect(utcOffsetAt(Date.parse('2026-11-01T05:59:59Z'), 'America/New_York')).toBe(-4 * HOUR);
    expect(utcOffsetAt(Date.parse('2026-11-01T06:00:00Z'), 'America/New_York')).toBe(-5 * HOUR);
    expect(utcOffsetAt(Date.parse('2026-07-01T00:00:00Z'), 'Asia/Shanghai')).toBe(8 * HOUR);
  });

  it('moves a local time in the spring gap forward by the gap, like Temporal "compatible"', () => {
    // Prepare: 01:30 does not exist in London on 29 March 2026.
    const local = { year: 2026, month: 3, day: 29, hour: 1, minute: 30, second: 0, millisecond: 0 };
    // Act
    const instant = instantOfLocal(local, 'Europe/London');
    // Assess: 01:30 UTC, which London reads as 02:30 BST.
    expect(new Date(instant).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(wallClockAt(instant, 'Europe/London')).toMatchObject({ hour: 2, minute: 30 });
  });

  it('resolves a local time in the autumn overlap to the earlier instant', () => {
    // Prepare: 01:30 happens twice in New York on 1 November 2026 (EDT, then EST).
    const local = { year: 2026, month: 11, day: 1, hour: 1, minute: 30, second: 0, millisecond: 0 };
    // Act
    const instant = instantOfLocal(local, 'America/New_York');
    // Assess
    expect(new Date(instant).toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('finds local midnight in each zone', () => {
    // Act / Assess
    expect(new Date(startOfLocalDay({ year: 2026, month: 10, day: 1 }, 'Asia/Shanghai')).toISOString()).toBe('2026-09-30T16:00:00.000Z');
    expect(new Date(startOfLocalDay({ year: 2026, month: 7, day: 1 }, 'Europe/London')).toISOString()).toBe('2026-06-30T23:00:00.000Z');
    expect(new Date(startOfLocalDay({ year: 2026, month: 12, day: 1 }, 'America/New_York')).toISOString()).toBe('2026-12-01T05:00:00.000Z');
  });

  it('gives the local date of an instant', () => {
    // Act / Assess: 20:00 UTC on 30 September is already 1 October in Shanghai.
    expect(localDateAt(Date.parse('2026-09-30T20:00:00Z'), 'Asia/Shanghai')).toEqual({ year: 2026, month: 10, day: 1 });
    expect(localDateAt(Date.parse('2026-09-30T20:00:00Z'), 'America/New_York')).toEqual({ year: 2026, month: 9, day: 30 });
  });

  it('refuses an unknown zone by name', () => {
    // Act / Assess
    expect(() => startOfLocalDay({ year: 2026, month: 1, day: 1 }, 'Mars/Olympus_Mons')).toThrow(UnknownTimeZoneError);
  });
});

describe('civil dates and instants', () => {
  it('parses real dates and refuses impossible ones', () => {
    // Act / Assess
    expect(parseLocalDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
    expect(() => parseLocalDate('2027-02-29')).toThrow('not a real date');
    expect(() => parseLocalDate('2027-2-1')).toThrow('YYYY-MM-DD');
  });

  it('accepts instants with a zone only', () => {
    // Act / Assess
    expect(parseInstant('2026-10-08T10:00:00+08:00')).toBe(Date.parse('2026-10-08T02:00:00Z'));
    expect(parseInstant('2026-10-08T02:00:00.123Z')).toBe(Date.parse('2026-10-08T02:00:00.123Z'));
    expect(() => parseInstant('2026-10-08T10:00:00')).toThrow('with Z or an offset');
    expect(() => parseInstant('yesterday')).toThrow(RangeError);
    expect(() => parseInstant(new Date(Number.NaN))).toThrow('invalid Date');
  });

  it('counts weekdays from Monday = 1 to Sunday = 7', () => {
    // Act / Assess
    expect(isoWeekday({ year: 2026, month: 11, day: 30 })).toBe(1);
    expect(isoWeekday({ year: 2026, month: 11, day: 29 })).toBe(7);
  });
});
