/**
 * Holiday calendars kept as data (calendars/*.json), validated with zod the first time each is used, and
 * the business-day test over them.
 *
 * A business day is a day that is listed as a working day (China's weekend working days, 调休上班), or
 * else a day that is neither a weekend day nor a listed holiday. A date in a year the data does not cover
 * throws CalendarRangeError: treating an unknown day as a business day would move a regulator's deadline
 * without anyone noticing.
 */
import * as z from 'zod/mini';
import '../../../schemas/zod-locale.ts';
import cnMainland from './calendars/cn-mainland.json' with { type: 'json' };
import ukEnglandWales from './calendars/uk-england-wales.json' with { type: 'json' };
import usFederal from './calendars/us-federal.json' with { type: 'json' };
import { CalendarRangeError, UnknownCalendarError } from './errors.ts';
import {
  assertTimeZone,
  formatLocalDate,
  isLocalDateText,
  isoWeekday,
  localDateAt,
  parseInstant,
  parseLocalDate,
  type LocalDate,
} from './zoned-time.ts';

export const CALENDAR_IDS = ['cn-mainland', 'uk-england-wales', 'us-federal'] as const;
export type CalendarId = (typeof CALENDAR_IDS)[number];

const DatedEntry = z.object({ date: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)), name: z.string().check(z.minLength(1)) });

/** One year of a calendar: `provisional` marks data not yet confirmed by the authority that publishes it. */
const CalendarYearData = z.object({
  status: z.enum(['official', 'provisional']),
  source: z.string().check(z.minLength(1)),
  notes: z._default(z.array(z.string()), []),
  holidays: z.array(DatedEntry),
  workingDays: z.array(DatedEntry),
});

/** The shape of every file in calendars/. */
export const CalendarData = z.object({
  $comment: z.optional(z.string()),
  id: z.enum(CALENDAR_IDS),
  name: z.string().check(z.minLength(1)),
  timeZone: z.string().check(z.minLength(1)),
  weekendDays: z.array(z.number().check(z.int(), z.minimum(1), z.maximum(7))),
  years: z.record(z.string().check(z.regex(/^\d{4}$/)), CalendarYearData),
});
export type CalendarData = z.infer<typeof CalendarData>;

/** What a year of a calendar says about its days, indexed for lookup. */
export interface CalendarYear {
  readonly status: 'official' | 'provisional';
  readonly source: string;
  readonly notes: readonly string[];
  /** Holiday name by `YYYY-MM-DD`. */
  readonly holidays: ReadonlyMap<string, string>;
  /** Weekend working day name by `YYYY-MM-DD`. */
  readonly workingDays: ReadonlyMap<string, string>;
}

/** A holiday calendar ready for business-day questions. */
export interface HolidayCalendar {
  readonly id: CalendarId;
  readonly name: string;
  /** IANA zone in which the calendar's days begin and end. */
  readonly timeZone: string;
  /** ISO weekdays (1 = Monday … 7 = Sunday) that are not business days unless listed as working days. */
  readonly weekendDays: ReadonlySet<number>;
  readonly years: ReadonlyMap<number, CalendarYear>;
}

/** A calendar, or the id of one of the built-in calendars. */
export type CalendarRef = HolidayCalendar | CalendarId;

/**
 * Validates raw calendar data (the JSON files, or a test's own) and indexes it.
 * Checks beyond the schema: every date is real and lies in the year it is filed under, no date is listed
 * twice, no day is both a holiday and a working day, and working days are weekend days.
 * @throws Error naming the calendar and every problem found.
 */
export function buildCalendar(raw: unknown): HolidayCalendar {
  const parsed = CalendarData.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`invalid calendar data: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const data = parsed.data;
  assertTimeZone(data.timeZone);
  const weekendDays = new Set(data.weekendDays);
  const problems: string[] = [];
  const years = new Map<number, CalendarYear>();

  for (const [yearText, yearData] of Object.entries(data.years)) {
    const year = Number(yearText);
    const index = (entries: { date: string; name: string }[], kind: string): Map<string, string> => {
      const map = new Map<string, string>();
      for (const entry of entries) {
        let date: LocalDate;
        try {
          date = parseLocalDate(entry.date);
        } catch (error) {
          problems.push(`${kind} ${entry.date}: ${(error as Error).message}`);
          continue;
        }
        if (date.year !== year) problems.push(`${kind} ${entry.date} is filed under ${year}`);
        if (map.has(entry.date)) problems.push(`${kind} ${entry.date} is listed twice`);
        map.set(entry.date, entry.name);
      }
      return map;
    };
    const holidays = index(yearData.holidays, 'holiday');
    const workingDays = index(yearData.workingDays, 'working day');
    for (const date of workingDays.keys()) {
      if (holidays.has(date)) problems.push(`${date} is both a holiday and a working day`);
      if (!weekendDays.has(isoWeekday(parseLocalDate(date)))) problems.push(`working day ${date} is not a weekend day`);
    }
    years.set(year, { status: yearData.status, source: yearData.source, notes: yearData.notes, holidays, workingDays });
  }
  if (problems.length > 0) throw new Error(`invalid calendar data for "${data.id}": ${problems.join('; ')}`);
  return { id: data.id, name: data.name, timeZone: data.timeZone, weekendDays, years };
}

/** The built-in calendars' data files, by the id each must declare. */
const BUILT_IN_DATA: Readonly<Record<CalendarId, unknown>> = {
  'cn-mainland': cnMainland,
  'uk-england-wales': ukEnglandWales,
  'us-federal': usFederal,
};

/**
 * Built-in calendars already validated and indexed. Each is built on first use, not when this module loads:
 * building one checks its time zone through Intl, and the first Intl.DateTimeFormat of a process costs
 * 20-35 ms of cold start that the clock-check and sweeper functions never need. calendars.test.ts builds
 * every data file, so bad data still fails the tests rather than the first business-day question.
 */
const built = new Map<CalendarId, HolidayCalendar>();

/**
 * One of the built-in calendars by id (validated and indexed on first use, then cached).
 * @throws UnknownCalendarError for an id no data file defines.
 */
export function getCalendar(id: string): HolidayCalendar {
  let calendar = built.get(id as CalendarId);
  if (calendar) return calendar;
  if (!Object.hasOwn(BUILT_IN_DATA, id)) throw new UnknownCalendarError(id, CALENDAR_IDS);
  calendar = buildCalendar(BUILT_IN_DATA[id as CalendarId]);
  // The file is found by id, so its own id must agree (a copied file left unchanged would answer for another place).
  if (calendar.id !== id) throw new Error(`invalid calendar data: the file for "${id}" declares id "${calendar.id}"`);
  built.set(calendar.id, calendar);
  return calendar;
}

/** The calendar a reference points to. */
export function resolveCalendar(ref: CalendarRef): HolidayCalendar {
  return typeof ref === 'string' ? getCalendar(ref) : ref;
}

/** The years a calendar holds data for, ascending. */
export function coveredYears(ref: CalendarRef): number[] {
  return [...resolveCalendar(ref).years.keys()].sort((a, b) => a - b);
}

/**
 * The data for the year of `date`.
 * @throws CalendarRangeError naming the calendar and the year when the data does not cover it.
 */
export function calendarYear(ref: CalendarRef, year: number): CalendarYear {
  const calendar = resolveCalendar(ref);
  const data = calendar.years.get(year);
  if (!data) throw new CalendarRangeError(calendar.id, year, coveredYears(calendar));
  return data;
}

/**
 * The local date a question is about: a bare `YYYY-MM-DD` is already a date on the calendar's wall;
 * an instant (Date or ISO date-time with a zone) is the date it falls on in the calendar's time zone.
 */
export function calendarDateOf(ref: CalendarRef, date: LocalDate | Date | string): LocalDate {
  const calendar = resolveCalendar(ref);
  if (typeof date === 'string' && isLocalDateText(date)) return parseLocalDate(date);
  if (typeof date === 'string' || date instanceof Date) return localDateAt(parseInstant(date, 'date'), calendar.timeZone);
  return date;
}

/**
 * Whether `date` is a business day in the calendar: a listed working day, or a day that is neither a
 * weekend day nor a listed holiday.
 * @param date a `YYYY-MM-DD` local date, a LocalDate, or an instant (judged by its date in the calendar's zone).
 * @throws CalendarRangeError when the calendar holds no data for that year.
 */
export function isBusinessDay(ref: CalendarRef, date: LocalDate | Date | string): boolean {
  const calendar = resolveCalendar(ref);
  const local = calendarDateOf(calendar, date);
  const year = calendarYear(calendar, local.year);
  const key = formatLocalDate(local);
  if (year.workingDays.has(key)) return true;
  if (year.holidays.has(key)) return false;
  return !calendar.weekendDays.has(isoWeekday(local));
}

/**
 * The holiday's name when `date` is a listed holiday, else undefined.
 * @throws CalendarRangeError when the calendar holds no data for that year.
 */
export function holidayName(ref: CalendarRef, date: LocalDate | Date | string): string | undefined {
  const calendar = resolveCalendar(ref);
  const local = calendarDateOf(calendar, date);
  return calendarYear(calendar, local.year).holidays.get(formatLocalDate(local));
}

/** Whether the calendar's data for `year` is provisional (not yet confirmed by the publishing authority). */
export function isProvisionalYear(ref: CalendarRef, year: number): boolean {
  return calendarYear(ref, year).status === 'provisional';
}
