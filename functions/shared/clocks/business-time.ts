/**
 * Day-counting deadlines as regulators count them.
 *
 * Convention (one rule for calendar days and business days):
 * - The day of receipt is day 0 and is never counted, whatever the time of receipt: counting starts with
 *   the next local day. This is how the FCA words it ("by the end of 15 business days after the day on
 *   which it received the complaint") and how Chinese law counts periods in days (民法典 art. 201:
 *   the starting day is not counted).
 * - The deadline is the END of the nth counted day in the calendar's time zone, returned as the exclusive
 *   instant that ends it: local midnight at the start of the following day. A response at 23:59:59.999
 *   local on the last day is in time; one at 00:00:00.000 the next day is late. Clocks are half-open
 *   intervals [startedAt, dueAt), so a timer that wakes exactly at dueAt sees the breach (see plan.ts).
 * - "Local" is the calendar's time zone, resolved through Intl; across a daylight-saving change the day
 *   is 23 or 25 hours long and the deadline is still local midnight.
 * Exact-duration clocks (PT24H) do not use this module: they are elapsed time (see duration.ts).
 */
import { resolveCalendar, isBusinessDay, type CalendarRef } from './calendars.ts';
import { addLocalDays, assertTimeZone, localDateAt, parseInstant, startOfLocalDay, type LocalDate } from './zoned-time.ts';

/** Longest count accepted: a deadline more than ten years out is a configuration mistake, not a clock. */
const MAX_DAYS = 3_660;

function assertDayCount(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_DAYS) {
    throw new RangeError(`a day count must be an integer from 1 to ${MAX_DAYS}, got ${n}`);
  }
}

/**
 * The local date of the nth business day after the local day of `start` (the start day itself is not counted).
 * @throws CalendarRangeError when the count runs into a year the calendar holds no data for.
 */
export function nthBusinessDayAfter(ref: CalendarRef, start: Date | string, n: number): LocalDate {
  assertDayCount(n);
  const calendar = resolveCalendar(ref);
  let day = localDateAt(parseInstant(start, 'start'), calendar.timeZone);
  let counted = 0;
  while (counted < n) {
    day = addLocalDays(day, 1);
    if (isBusinessDay(calendar, day)) counted += 1;
  }
  return day;
}

/**
 * The end of the nth business day after the day of `start`, in the calendar's time zone: the instant of
 * local midnight that ends that day (exclusive deadline).
 * Example: received Friday 2 Oct 2026 in London, n = 3 → end of Wednesday 7 Oct → 2026-10-07T23:00:00.000Z.
 * @throws CalendarRangeError when the count runs into a year the calendar holds no data for.
 */
export function addBusinessDays(ref: CalendarRef, start: Date | string, n: number): Date {
  const calendar = resolveCalendar(ref);
  const lastDay = nthBusinessDayAfter(calendar, start, n);
  return new Date(startOfLocalDay(addLocalDays(lastDay, 1), calendar.timeZone));
}

/**
 * The end of the nth calendar day after the day of `start`, in `timeZone` (exclusive deadline, local
 * midnight). Needs no holiday data, so it works for any year.
 * Example: received 2026-10-08T10:00+08:00, n = 15 → end of 23 Oct in Shanghai → 2026-10-23T16:00:00.000Z.
 * @throws UnknownTimeZoneError for a zone Intl does not know.
 */
export function addCalendarDays(timeZone: string, start: Date | string, n: number): Date {
  assertDayCount(n);
  assertTimeZone(timeZone);
  const startDay = localDateAt(parseInstant(start, 'start'), timeZone);
  return new Date(startOfLocalDay(addLocalDays(startDay, n + 1), timeZone));
}
