/**
 * Civil dates and time-zone conversion with the platform's Intl (IANA tz data), no date libraries.
 *
 * A `LocalDate` is a date on a wall calendar with no time zone (the day a regulator counts). Converting
 * between instants and local times goes through `Intl.DateTimeFormat#formatToParts`, which knows every
 * daylight-saving rule of the zone, so London and New York switch on the right Sundays without any
 * rule being written here.
 */
import { UnknownTimeZoneError } from './errors.ts';

/** A date on the wall calendar of some place: no time, no zone. Months and days are 1-based. */
export interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** A wall-clock reading in some zone, to the millisecond. */
export interface LocalDateTime extends LocalDate {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

const MS_PER_DAY = 86_400_000;
const LOCAL_DATE_FORM = /^(\d{4})-(\d{2})-(\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One cached formatter per zone: building an Intl.DateTimeFormat is far slower than using one. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new UnknownTimeZoneError(timeZone);
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * Checks that `timeZone` is an IANA zone the runtime knows.
 * @throws UnknownTimeZoneError otherwise.
 */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

/** The wall-clock reading in `timeZone` at the instant `epochMs`. */
export function wallClockAt(epochMs: number, timeZone: string): LocalDateTime {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(epochMs))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return {
    year: fields['year'] ?? NaN,
    month: fields['month'] ?? NaN,
    day: fields['day'] ?? NaN,
    hour: fields['hour'] ?? NaN,
    minute: fields['minute'] ?? NaN,
    second: fields['second'] ?? NaN,
    millisecond: ((epochMs % 1000) + 1000) % 1000,
  };
}

/** The wall-clock reading as if it were UTC, in ms: the arithmetic form of a local time. */
function wallMs(local: LocalDateTime): number {
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second, local.millisecond);
}

/** The zone's offset from UTC at `epochMs`, in ms (+8 h for Shanghai, +1 h for London in summer). */
export function utcOffsetAt(epochMs: number, timeZone: string): number {
  return wallMs(wallClockAt(epochMs, timeZone)) - epochMs;
}

/**
 * The instant at which clocks in `timeZone` read `local`.
 * Daylight-saving edge cases follow Temporal's `compatible` rule: a time that occurs twice (the autumn
 * overlap) resolves to the earlier instant; a time that never occurs (the spring gap) moves forward by the
 * length of the gap (London 01:30 on the last Sunday of March becomes 02:30 BST).
 */
export function instantOfLocal(local: LocalDateTime, timeZone: string): number {
  const target = wallMs(local);
  // Offsets a day either side bracket any single transition; these zones never change twice in two days.
  const offsetBefore = utcOffsetAt(target - MS_PER_DAY, timeZone);
  const offsetAfter = utcOffsetAt(target + MS_PER_DAY, timeZone);
  const matches = [target - offsetBefore, target - offsetAfter].filter(
    (candidate) => wallMs(wallClockAt(candidate, timeZone)) === target,
  );
  if (matches.length > 0) return Math.min(...matches);
  return target - offsetBefore;
}

/** The first instant of `date` in `timeZone` (local midnight, or the first valid time after a gap). */
export function startOfLocalDay(date: LocalDate, timeZone: string): number {
  return instantOfLocal({ ...date, hour: 0, minute: 0, second: 0, millisecond: 0 }, timeZone);
}

/** The local calendar date in `timeZone` at the instant `epochMs`. */
export function localDateAt(epochMs: number, timeZone: string): LocalDate {
  const { year, month, day } = wallClockAt(epochMs, timeZone);
  return { year, month, day };
}

/** Days since 1970-01-01 of a civil date; the basis of date arithmetic that ignores zones. */
export function epochDay(date: LocalDate): number {
  return Math.round(Date.UTC(date.year, date.month - 1, date.day) / MS_PER_DAY);
}

/** The civil date `n` days after (or before, when negative) `date`. */
export function addLocalDays(date: LocalDate, n: number): LocalDate {
  const d = new Date((epochDay(date) + n) * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** ISO weekday of a civil date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: LocalDate): number {
  const weekday = new Date(epochDay(date) * MS_PER_DAY).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}

/** `YYYY-MM-DD` of a civil date. */
export function formatLocalDate(date: LocalDate): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

/**
 * Parses `YYYY-MM-DD` into a civil date, refusing dates that do not exist (`2026-02-30`).
 * @throws RangeError for anything else.
 */
export function parseLocalDate(text: string): LocalDate {
  const match = LOCAL_DATE_FORM.exec(text);
  if (!match) throw new RangeError(`expected a date as YYYY-MM-DD, got ${JSON.stringify(text)}`);
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  if (formatLocalDate(addLocalDays(date, 0)) !== text) throw new RangeError(`${text} is not a real date`);
  return date;
}

/** True when `text` has the `YYYY-MM-DD` form of a bare civil date (no time, no zone). */
export function isLocalDateText(text: string): boolean {
  return LOCAL_DATE_FORM.test(text);
}

/**
 * Parses an ISO 8601 instant with an explicit zone (`Z` or `±hh:mm`) into epoch milliseconds.
 * A bare local time is refused: it would mean a different instant on every server.
 * @throws RangeError naming the input.
 */
export function parseInstant(value: string | Date, what = 'instant'): number {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new RangeError(`${what} is an invalid Date`);
    return ms;
  }
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i.test(value)) {
    throw new RangeError(`${what} must be an ISO 8601 date-time with Z or an offset, got ${JSON.stringify(value)}`);
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`${what} ${JSON.stringify(value)} is not a real date-time`);
  return ms;
}

/** ISO 8601 UTC text (`2026-11-28T09:30:00.000Z`) of an instant. */
export function toIsoUtc(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
