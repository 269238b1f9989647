import { describe, expect, it } from 'vitest';
import {
  buildCalendar,
  coveredYears,
  getCalendar,
  holidayName,
  isBusinessDay,
  isProvisionalYear,
  type CalendarId,
} from './calendars.ts';
import { CalendarRangeError, UnknownCalendarError } from './errors.ts';
import { addLocalDays, formatLocalDate, isoWeekday, parseLocalDate, type LocalDate } from './zoned-time.ts';

/** Gregorian Easter Sunday (anonymous Gregorian algorithm), independent of the data files. */
function easterSunday(year: number): LocalDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { year, month, day };
}

/** The nth (1-based; -1 = last) given ISO weekday of a month. */
function nthWeekday(year: number, month: number, weekday: number, n: number): string {
  const days: LocalDate[] = [];
  for (let d: LocalDate = { year, month, day: 1 }; d.month === month; d = addLocalDays(d, 1)) {
    if (isoWeekday(d) === weekday) days.push(d);
  }
  const pick = n > 0 ? days[n - 1] : days[days.length + n];
  if (!pick) throw new Error('no such weekday');
  return formatLocalDate(pick);
}

/** 5 U.S.C. 6103 observance: Saturday → Friday before, Sunday → Monday after. */
function observed(date: string): string {
  const d = parseLocalDate(date);
  const weekday = isoWeekday(d);
  return formatLocalDate(weekday === 6 ? addLocalDays(d, -1) : weekday === 7 ? addLocalDays(d, 1) : d);
}

function holidayDates(id: CalendarId, year: number): string[] {
  return [...(getCalendar(id).years.get(year)?.holidays.keys() ?? [])].sort();
}

function businessDaysInYear(id: CalendarId, year: number): { business: number; weekdays: number } {
  let business = 0;
  let weekdays = 0;
  for (let d: LocalDate = { year, month: 1, day: 1 }; d.year === year; d = addLocalDays(d, 1)) {
    if (isBusinessDay(id, d)) business += 1;
    if (isoWeekday(d) <= 5) weekdays += 1;
  }
  return { business, weekdays };
}

/** Chinese lunar month/day of a civil date, from ICU's Chinese calendar. */
function lunarDate(date: string): string {
  const parts = new Intl.DateTimeFormat('en-u-ca-chinese', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric' }).formatToParts(
    new Date(`${date}T12:00:00+08:00`),
  );
  return `${parts.find((p) => p.type === 'month')?.value}/${parts.find((p) => p.type === 'day')?.value}`;
}

describe('built-in calendars', () => {
  it('cover 2026 and 2027 in the documented zones', () => {
    // Act / Assess
    expect(coveredYears('cn-mainland')).toEqual([2026, 2027]);
    expect(coveredYears('uk-england-wales')).toEqual([2026, 2027]);
    expect(coveredYears('us-federal')).toEqual([2026, 2027]);
    expect(getCalendar('cn-mainland').timeZone).toBe('Asia/Shanghai');
    expect(getCalendar('uk-england-wales').timeZone).toBe('Europe/London');
    expect(getCalendar('us-federal').timeZone).toBe('America/New_York');
  });

  it('flag China 2027 as provisional and everything else as official', () => {
    // Act / Assess
    expect(isProvisionalYear('cn-mainland', 2027)).toBe(true);
    expect(isProvisionalYear('cn-mainland', 2026)).toBe(false);
    expect(isProvisionalYear('uk-england-wales', 2027)).toBe(false);
    expect(isProvisionalYear('us-federal', 2027)).toBe(false);
  });

  it('refuse an unknown calendar id by name', () => {
    // Act / Assess
    expect(() => getCalendar('fr-metropole')).toThrow(UnknownCalendarError);
    expect(() => getCalendar('fr-metropole')).toThrow('fr-metropole');
  });
});

describe('mainland China', () => {
  it('matches the State Council 2026 notice: holiday ranges and weekend working days', () => {
    // Prepare: the notice's ranges, written as ranges.
    const ranges: [string, number][] = [
      ['2026-01-01', 3], ['2026-02-15', 9], ['2026-04-04', 3], ['2026-05-01', 5],
      ['2026-06-19', 3], ['2026-09-25', 3], ['2026-10-01', 7],
    ];
    const expected = ranges.flatMap(([first, length]) =>
      Array.from({ length }, (_, i) => formatLocalDate(addLocalDays(parseLocalDate(first), i))),
    );
    // Act
    const holidays = holidayDates('cn-mainland', 2026);
    // Assess
    expect(holidays).toEqual(expected.sort());
    for (const workday of ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']) {
      expect(isoWeekday(parseLocalDate(workday))).toBeGreaterThanOrEqual(6);
      expect(isBusinessDay('cn-mainland', workday)).toBe(true);
    }
  });

  it('puts the lunar festivals on the right lunar days (checked against ICU)', () => {
    // Act / Assess: 除夕 2026 is 腊月廿九 (no 30th that year), then 正月初一, 端午 五月初五, 中秋 八月十五.
    expect(lunarDate('2026-02-16')).toBe('12/29');
    expect(lunarDate('2026-02-17')).toBe('1/1');
    expect(lunarDate('2026-06-19')).toBe('5/5');
    expect(lunarDate('2026-09-25')).toBe('8/15');
    expect(lunarDate('2027-06-09')).toBe('5/5');
    expect(lunarDate('2027-09-15')).toBe('8/15');
    for (const date of ['2026-02-16', '2026-02-17', '2026-06-19', '2026-09-25', '2027-06-09', '2027-09-15']) {
      expect(isBusinessDay('cn-mainland', date)).toBe(false);
    }
  });

  it('balances adjusted days: business days = weekdays − 13 statutory days, in both years', () => {
    // Act / Assess: swaps move days, they never add or remove any (全国年节及纪念日放假办法, 13 days since 2025).
    for (const year of [2026, 2027]) {
      const { business, weekdays } = businessDaysInYear('cn-mainland', year);
      expect(business).toBe(weekdays - 13);
    }
  });

  it('treats weekend working days as business days and the days around them correctly', () => {
    // Act / Assess
    expect(isBusinessDay('cn-mainland', '2026-09-19')).toBe(false); // Saturday
    expect(isBusinessDay('cn-mainland', '2026-09-20')).toBe(true); // Sunday, 调休上班
    expect(isBusinessDay('cn-mainland', '2026-10-08')).toBe(true); // Thursday after Golden Week
    expect(isBusinessDay('cn-mainland', '2026-10-11')).toBe(false); // ordinary Sunday
    expect(holidayName('cn-mainland', '2026-10-01')).toMatch(/国庆/);
  });
});

describe('England and Wales', () => {
  it('puts Good Friday and Easter Monday around the computed Easter Sunday', () => {
    for (const year of [2026, 2027]) {
      // Prepare
      const easter = easterSunday(year);
      // Act / Assess
      expect(holidayName('uk-england-wales', addLocalDays(easter, -2))).toBe('Good Friday');
      expect(holidayName('uk-england-wales', addLocalDays(easter, 1))).toBe('Easter Monday');
    }
    expect(formatLocalDate(easterSunday(2026))).toBe('2026-04-05');
    expect(formatLocalDate(easterSunday(2027))).toBe('2027-03-28');
  });

  it('has the rule-based bank holidays, with substitute days for a weekend Christmas', () => {
    // Prepare
    const expected = (year: number, christmas: string[]) =>
      [
        observedUk(`${year}-01-01`),
        formatLocalDate(addLocalDays(easterSunday(year), -2)),
        formatLocalDate(addLocalDays(easterSunday(year), 1)),
        nthWeekday(year, 5, 1, 1),
        nthWeekday(year, 5, 1, -1),
        nthWeekday(year, 8, 1, -1),
        ...christmas,
      ].sort();
    // Act / Assess
    expect(holidayDates('uk-england-wales', 2026)).toEqual(expected(2026, ['2026-12-25', '2026-12-28']));
    expect(holidayDates('uk-england-wales', 2027)).toEqual(expected(2027, ['2027-12-27', '2027-12-28']));
  });

  it('has 253 business days in each year (261 weekdays − 8 bank holidays)', () => {
    for (const year of [2026, 2027]) expect(businessDaysInYear('uk-england-wales', year)).toEqual({ business: 253, weekdays: 261 });
  });
});

/** A New Year's Day on a weekend moves to the Monday in England and Wales. */
function observedUk(date: string): string {
  const d = parseLocalDate(date);
  const weekday = isoWeekday(d);
  return formatLocalDate(weekday === 6 ? addLocalDays(d, 2) : weekday === 7 ? addLocalDays(d, 1) : d);
}

describe('US federal', () => {
  it.each([2026, 2027])('has the 5 U.S.C. 6103 holidays of %i on their observed dates', (year) => {
    // Prepare
    const expected = [
      observed(`${year}-01-01`),
      nthWeekday(year, 1, 1, 3),
      nthWeekday(year, 2, 1, 3),
      nthWeekday(year, 5, 1, -1),
      observed(`${year}-06-19`),
      observed(`${year}-07-04`),
      nthWeekday(year, 9, 1, 1),
      nthWeekday(year, 10, 1, 2),
      observed(`${year}-11-11`),
      nthWeekday(year, 11, 4, 4),
      observed(`${year}-12-25`),
    ];
    // New Year's Day of the next year, observed on 31 December when it is a Saturday.
    const nextNewYear = observed(`${year + 1}-01-01`);
    if (nextNewYear.startsWith(String(year))) expected.push(nextNewYear);
    // Act / Assess
    expect(holidayDates('us-federal', year)).toEqual(expected.sort());
  });

  it('observes New Year 2028 on Friday 31 December 2027', () => {
    expect(isBusinessDay('us-federal', '2027-12-31')).toBe(false);
  });

  it('counts Thanksgiving 2026 as a holiday and the Friday after as a business day', () => {
    expect(isBusinessDay('us-federal', '2026-11-26')).toBe(false);
    expect(isBusinessDay('us-federal', '2026-11-27')).toBe(true);
  });
});

describe('isBusinessDay', () => {
  it('judges an instant by its date in the calendar’s zone', () => {
    // Act / Assess: 17:00 UTC on 31 Dec 2025 is already New Year's Day in Shanghai.
    expect(isBusinessDay('cn-mainland', '2025-12-31T17:00:00Z')).toBe(false);
    expect(isBusinessDay('cn-mainland', new Date('2026-01-05T01:00:00Z'))).toBe(true);
    // 03:00 UTC on 1 Jan 2028 is still 31 Dec 2027 in New York (observed holiday).
    expect(isBusinessDay('us-federal', '2028-01-01T03:00:00Z')).toBe(false);
  });

  it.each([
    ['cn-mainland', '2025-12-31', 2025],
    ['cn-mainland', '2028-01-03', 2028],
    ['uk-england-wales', '2028-01-04', 2028],
    ['us-federal', '2025-07-04', 2025],
    ['us-federal', '2028-01-01T12:00:00Z', 2028],
  ] as const)('refuses %s %s: outside the data, never a silent business day', (id, date, year) => {
    // Act
    const ask = () => isBusinessDay(id, date);
    // Assess
    expect(ask).toThrow(CalendarRangeError);
    expect(ask).toThrow(`"${id}" has no data for ${year}`);
    try {
      ask();
    } catch (error) {
      expect(error).toMatchObject({ calendar: id, year, coveredYears: [2026, 2027] });
    }
  });
});

describe('buildCalendar', () => {
  const valid = {
    id: 'uk-england-wales',
    name: 'test',
    timeZone: 'Europe/London',
    weekendDays: [6, 7],
    years: { '2026': { status: 'official', source: 'test', holidays: [{ date: '2026-12-25', name: 'Christmas' }], workingDays: [] } },
  };

  it('accepts well-formed data', () => {
    expect(buildCalendar(valid).years.get(2026)?.holidays.get('2026-12-25')).toBe('Christmas');
  });

  it.each([
    ['a holiday filed under the wrong year', { holidays: [{ date: '2027-01-01', name: 'x' }], workingDays: [] }, /filed under 2026/],
    ['a duplicate', { holidays: [{ date: '2026-01-01', name: 'x' }, { date: '2026-01-01', name: 'y' }], workingDays: [] }, /listed twice/],
    ['an impossible date', { holidays: [{ date: '2026-02-30', name: 'x' }], workingDays: [] }, /not a real date/],
    ['a working day on a weekday', { holidays: [], workingDays: [{ date: '2026-01-05', name: 'x' }] }, /not a weekend day/],
    [
      'a day both holiday and working day',
      { holidays: [{ date: '2026-01-03', name: 'x' }], workingDays: [{ date: '2026-01-03', name: 'y' }] },
      /both a holiday and a working day/,
    ],
  ])('refuses %s', (_what, days, message) => {
    // Prepare
    const raw = { ...valid, years: { '2026': { status: 'official', source: 'test', ...days } } };
    // Act / Assess
    expect(() => buildCalendar(raw)).toThrow(message);
  });

  it('refuses an unknown time zone and a bad status', () => {
    expect(() => buildCalendar({ ...valid, timeZone: 'Europe/Atlantis' })).toThrow('Europe/Atlantis');
    expect(() => buildCalendar({ ...valid, years: { '2026': { ...valid.years['2026'], status: 'rumoured' } } })).toThrow(/status/);
  });
});
