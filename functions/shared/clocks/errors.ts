/**
 * Named errors of the clock domain. They are configuration and data errors, not client answers, so they
 * extend Error (not ProblemError): a bad REDRESS_SLA_FIRST_RESPONSE must stop a cold start loudly, and a
 * date outside the holiday data must never be silently counted as a business day.
 */
import { ConfigurationError } from '../config.ts';

/** An ISO 8601 duration that does not parse, or that has no fixed length (years, months). */
export class InvalidDurationError extends Error {
  readonly input: string;
  constructor(input: string, reason: string) {
    super(`invalid ISO 8601 duration ${JSON.stringify(input)}: ${reason}`);
    this.name = 'InvalidDurationError';
    this.input = input;
  }
}

/** A business-day question about a year the holiday calendar holds no data for. */
export class CalendarRangeError extends Error {
  readonly calendar: string;
  readonly year: number;
  readonly coveredYears: readonly number[];
  constructor(calendar: string, year: number, coveredYears: readonly number[]) {
    super(
      `holiday calendar "${calendar}" has no data for ${year} (it covers ${coveredYears.join(', ')}); ` +
        'add that year to functions/shared/clocks/calendars before counting business days in it',
    );
    this.name = 'CalendarRangeError';
    this.calendar = calendar;
    this.year = year;
    this.coveredYears = coveredYears;
  }
}

/** A calendar id that no data file defines. */
export class UnknownCalendarError extends Error {
  constructor(calendar: string, known: readonly string[]) {
    super(`unknown holiday calendar "${calendar}" (known: ${known.join(', ')})`);
    this.name = 'UnknownCalendarError';
  }
}

/** An IANA time zone name that the runtime's Intl does not know. */
export class UnknownTimeZoneError extends Error {
  constructor(timeZone: string) {
    super(`unknown IANA time zone "${timeZone}"`);
    this.name = 'UnknownTimeZoneError';
  }
}

/** The clock policy (data or environment) does not validate; the message names each bad field. */
export class ClockPolicyError extends ConfigurationError {
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super(`invalid clock policy: ${issues.join('; ')}`);
    this.name = 'ClockPolicyError';
    this.issues = issues;
  }
}

/** A lifecycle operation the clock's rule does not allow (an unknown extension, resuming a running clock…). */
export class ClockOperationError extends Error {
  readonly clock: string;
  constructor(clock: string, reason: string) {
    super(`clock "${clock}": ${reason}`);
    this.name = 'ClockOperationError';
    this.clock = clock;
  }
}
