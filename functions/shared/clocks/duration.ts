/**
 * ISO 8601 durations as exact elapsed milliseconds, for SLA targets such as `PT24H` or `PT6S`.
 *
 * Only components with a fixed length are accepted: weeks (7 × 24 h), days (24 h), hours, minutes and
 * seconds. Years and months are refused because their length depends on the start date, and an SLA target
 * must mean the same span of real time for every complaint. A day here is 24 elapsed hours, so `P1D`
 * across a daylight-saving change is still 86,400,000 ms (calendar-day clocks are a different thing; see
 * business-time.ts).
 */
import { InvalidDurationError } from './errors.ts';

const MS_PER_SECOND = 1_000;
const MS_PER_MINUTE = 60 * MS_PER_SECOND;
const MS_PER_HOUR = 60 * MS_PER_MINUTE;
const MS_PER_DAY = 24 * MS_PER_HOUR;
const MS_PER_WEEK = 7 * MS_PER_DAY;

/** One number in a duration: digits with an optional decimal fraction (`.` or `,`, as ISO 8601 allows). */
const NUMBER = String.raw`(\d+(?:[.,]\d+)?)`;
const WEEKS_FORM = new RegExp(String.raw`^P${NUMBER}W$`);
const DAY_TIME_FORM = new RegExp(String.raw`^P(?:${NUMBER}D)?(?:T(?:${NUMBER}H)?(?:${NUMBER}M)?(?:${NUMBER}S)?)?$`);
/** More fraction digits than this cannot change a millisecond result and only invite float noise. */
const MAX_FRACTION_DIGITS = 9;

/** Milliseconds in one component, rounded half up to a whole millisecond. */
function componentMs(text: string, unitMs: number, input: string): number {
  const [whole = '0', fraction = ''] = text.split(/[.,]/);
  if (fraction.length > MAX_FRACTION_DIGITS) {
    throw new InvalidDurationError(input, `at most ${MAX_FRACTION_DIGITS} fraction digits are supported`);
  }
  const wholeMs = Number(whole) * unitMs;
  // Integer numerator over a power of ten keeps `4.8` seconds at exactly 4800 ms (4.8 * 1000 is not 4800 in floats).
  const fractionMs = fraction ? Math.round((Number(fraction) * unitMs) / 10 ** fraction.length) : 0;
  return wholeMs + fractionMs;
}

/**
 * Parses an ISO 8601 duration (`PT24H`, `P15D`, `P2W`, `P1DT2H30M`, `PT4.8S`, `PT0,5S`) into milliseconds.
 * A decimal fraction is allowed on the last (smallest) component only, as ISO 8601 requires.
 * @throws InvalidDurationError naming the input and what is wrong with it.
 */
export function parseIsoDuration(input: string): number {
  if (typeof input !== 'string') throw new InvalidDurationError(String(input), 'expected a string');
  const text = input.trim().toUpperCase();
  if (!text.startsWith('P')) throw new InvalidDurationError(input, 'must start with "P" (e.g. "PT24H")');
  if (text.includes('-')) throw new InvalidDurationError(input, 'negative durations are not allowed');
  // Before "T", M means months; after it, minutes.
  const datePart = text.slice(1).split('T')[0] ?? '';
  if (/[YM]/.test(datePart)) {
    throw new InvalidDurationError(input, 'years and months have no fixed length; use weeks (W), days (D) or time (T…H/M/S)');
  }

  const weeks = WEEKS_FORM.exec(text);
  if (weeks) return checked(componentMs(weeks[1] ?? '0', MS_PER_WEEK, input), input);
  if (/W/.test(text)) throw new InvalidDurationError(input, 'weeks (W) cannot be combined with other components');

  const match = DAY_TIME_FORM.exec(text);
  if (!match) {
    throw new InvalidDurationError(input, 'expected P[n]W or P[n]DT[n]H[n]M[n]S (e.g. "PT24H", "P15D", "PT4.8S")');
  }
  if (text === 'P' || text.endsWith('T')) {
    throw new InvalidDurationError(input, 'needs at least one component, and "T" must be followed by hours, minutes or seconds');
  }
  const parts: [string | undefined, number][] = [
    [match[1], MS_PER_DAY],
    [match[2], MS_PER_HOUR],
    [match[3], MS_PER_MINUTE],
    [match[4], MS_PER_SECOND],
  ];
  const present = parts.filter(([value]) => value !== undefined) as [string, number][];
  present.forEach(([value], index) => {
    if (/[.,]/.test(value) && index < present.length - 1) {
      throw new InvalidDurationError(input, 'only the last component may have a decimal fraction');
    }
  });
  return checked(present.reduce((total, [value, unit]) => total + componentMs(value, unit, input), 0), input);
}

function checked(ms: number, input: string): number {
  if (!Number.isSafeInteger(ms)) throw new InvalidDurationError(input, 'too long to represent in milliseconds');
  return ms;
}

/**
 * Formats milliseconds as the canonical ISO 8601 duration this module parses back to the same value
 * (`86400000` → `P1D`, `4800` → `PT4.8S`, `0` → `PT0S`). Weeks are never used in the output.
 * @throws RangeError for a negative, fractional or unsafe number.
 */
export function formatIsoDuration(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError(`cannot format ${ms} ms as a duration`);
  const days = Math.floor(ms / MS_PER_DAY);
  let rest = ms - days * MS_PER_DAY;
  const hours = Math.floor(rest / MS_PER_HOUR);
  rest -= hours * MS_PER_HOUR;
  const minutes = Math.floor(rest / MS_PER_MINUTE);
  rest -= minutes * MS_PER_MINUTE;
  const seconds = Math.floor(rest / MS_PER_SECOND);
  const millis = rest - seconds * MS_PER_SECOND;

  const datePart = days > 0 ? `${days}D` : '';
  const secondsText = millis > 0 ? `${seconds}.${String(millis).padStart(3, '0').replace(/0+$/, '')}S` : seconds > 0 ? `${seconds}S` : '';
  const timePart = `${hours > 0 ? `${hours}H` : ''}${minutes > 0 ? `${minutes}M` : ''}${secondsText}`;
  if (!datePart && !timePart) return 'PT0S';
  return `P${datePart}${timePart ? `T${timePart}` : ''}`;
}
