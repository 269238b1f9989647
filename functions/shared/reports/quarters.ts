/**
 * Calendar quarters and days in the bank's time zone (`REDRESS_TIMEZONE`, default `Asia/Shanghai`).
 *
 * The plan is evaluated per calendar quarter as the bank counts it, not as UTC counts it: a complaint
 * received at 23:30 on 31 March Beijing time (15:30 UTC) belongs to Q1, one received at 00:30 on 1 April
 * Beijing time (16:30 UTC on 31 March) to Q2. Zone arithmetic is the clocks' (zoned-time.ts, the
 * platform's IANA data through Intl), so quarters and business-day clocks cannot disagree about a date.
 */
import { QUARTER_ID_FORM } from '../../../schemas/plan.ts';
import { addLocalDays, assertTimeZone, formatLocalDate, localDateAt, parseInstant, parseLocalDate, startOfLocalDay, toIsoUtc, type LocalDate } from '../clocks/zoned-time.ts';

/** The bank's zone when `REDRESS_TIMEZONE` is not set. */
export const DEFAULT_REPORT_TIME_ZONE = 'Asia/Shanghai';

export { QUARTER_ID_FORM };

/** A calendar quarter: `quarter` is 1 to 4. */
export interface Quarter {
  readonly year: number;
  readonly quarter: 1 | 2 | 3 | 4;
}

/** A quarter's instants in UTC: [from, to), ISO 8601 with milliseconds. */
export interface QuarterWindow {
  readonly quarter: string;
  readonly timeZone: string;
  readonly from: string;
  readonly to: string;
}

/**
 * The report zone from the environment: `REDRESS_TIMEZONE`, or Asia/Shanghai when unset or blank.
 * @throws UnknownTimeZoneError for a name the runtime's IANA data does not know (a cold start should fail loudly).
 */
export function reportTimeZone(env: Record<string, string | undefined>): string {
  const zone = env.REDRESS_TIMEZONE?.trim() || DEFAULT_REPORT_TIME_ZONE;
  assertTimeZone(zone);
  return zone;
}

/**
 * Parses `YYYY-Qn`.
 * @throws RangeError naming the input otherwise.
 */
export function parseQuarter(text: string): Quarter {
  const match = QUARTER_ID_FORM.exec(text);
  if (!match || Number(match[1]) < 1970) throw new RangeError(`expected a quarter as YYYY-Qn (e.g. 2027-Q1), got ${JSON.stringify(text)}`);
  return { year: Number(match[1]), quarter: Number(match[2]) as Quarter['quarter'] };
}

/** `YYYY-Qn` of a quarter. */
export function formatQuarter(q: Quarter): string {
  return `${String(q.year).padStart(4, '0')}-Q${q.quarter}`;
}

/** The quarter `n` quarters after `q` (before it when negative). */
export function addQuarters(q: Quarter, n: number): Quarter {
  const index = q.year * 4 + (q.quarter - 1) + n;
  return { year: Math.floor(index / 4), quarter: ((index % 4) + 1) as Quarter['quarter'] };
}

/** The quarter before `quarter` (`2027-Q1` → `2026-Q4`). */
export function previousQuarter(quarter: string): string {
  return formatQuarter(addQuarters(parseQuarter(quarter), -1));
}

/** The quarter a civil date falls in. */
export function quarterOfDate(date: LocalDate): Quarter {
  return { year: date.year, quarter: (Math.floor((date.month - 1) / 3) + 1) as Quarter['quarter'] };
}

/** The quarter (`YYYY-Qn`) the instant belongs to on the wall calendar of `timeZone`. */
export function quarterOf(instant: string | number, timeZone: string): string {
  const ms = typeof instant === 'number' ? instant : parseInstant(instant);
  return formatQuarter(quarterOfDate(localDateAt(ms, timeZone)));
}

/** The first civil day of a quarter. */
function firstDay(q: Quarter): LocalDate {
  return { year: q.year, month: (q.quarter - 1) * 3 + 1, day: 1 };
}

/** The UTC instants [from, to) of a quarter in `timeZone`: local midnight of its first day to that of the next quarter's. */
export function quarterWindow(quarter: string, timeZone: string): QuarterWindow {
  const q = parseQuarter(quarter);
  return {
    quarter: formatQuarter(q),
    timeZone,
    from: toIsoUtc(startOfLocalDay(firstDay(q), timeZone)),
    to: toIsoUtc(startOfLocalDay(firstDay(addQuarters(q, 1)), timeZone)),
  };
}

/** True when the instant lies in the window [from, to). */
export function inWindow(instant: string | undefined, window: { from: string; to: string }): boolean {
  if (!instant) return false;
  const ms = Date.parse(instant);
  return ms >= Date.parse(window.from) && ms < Date.parse(window.to);
}

/**
 * The civil day (`YYYY-MM-DD`) of an instant in `timeZone`: a handler-day is one such day on which a
 * handler acted on any complaint.
 */
export function localDay(instant: string | number, timeZone: string): string {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  return formatLocalDate(localDateAt(ms, timeZone));
}

/** The civil days of a quarter, in order (90 to 92 of them). */
export function daysOfQuarter(quarter: string): string[] {
  const q = parseQuarter(quarter);
  const days: string[] = [];
  const end = formatLocalDate(firstDay(addQuarters(q, 1)));
  for (let d = firstDay(q); formatLocalDate(d) < end; d = addLocalDays(d, 1)) days.push(formatLocalDate(d));
  return days;
}

/**
 * The civil days of a quarter with the instant each starts in `timeZone`, in order: a day lookup for
 * instants inside the quarter by binary search, instead of one Intl call per instant.
 */
export function dayStartsOfQuarter(quarter: string, timeZone: string): Array<{ day: string; startMs: number }> {
  return daysOfQuarter(quarter).map((day) => ({ day, startMs: startOfLocalDay(parseLocalDate(day), timeZone) }));
}

/** The day (of `starts`, from dayStartsOfQuarter) an instant inside the quarter falls on. */
export function dayAmong(starts: ReadonlyArray<{ day: string; startMs: number }>, ms: number): string {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]!.startMs <= ms) lo = mid;
    else hi = mid - 1;
  }
  return starts[lo]!.day;
}
