/**
 * The complaint-clock domain: ISO 8601 durations, holiday calendars, business-day maths, the SLA policy
 * and clock planning. Pure functions only; the state machine, adapters and events live elsewhere.
 */
export { parseIsoDuration, formatIsoDuration } from './duration.ts';
export {
  CALENDAR_IDS,
  buildCalendar,
  calendarYear,
  coveredYears,
  getCalendar,
  holidayName,
  isBusinessDay,
  isProvisionalYear,
  type CalendarId,
  type CalendarRef,
  type HolidayCalendar,
} from './calendars.ts';
export { addBusinessDays, addCalendarDays, nthBusinessDayAfter } from './business-time.ts';
export {
  ClockPolicy,
  ClockRule,
  DEFAULT_CLOCK_POLICY,
  JURISDICTIONS,
  Jurisdiction,
  STOP_TRIGGERS,
  StopTrigger,
  firstResponseTargetMs,
  loadClockPolicy,
  parseClockPolicy,
  resolutionRulesFor,
} from './policy.ts';
export {
  ClockPlan,
  PlanInput,
  clockStateAt,
  clockView,
  clocksStoppedBy,
  extendClock,
  needsSummaryResolutionCommunication,
  pauseClock,
  planClocks,
  resumeClock,
  type ClockExtension,
  type ClockState,
} from './plan.ts';
export {
  CalendarRangeError,
  ClockOperationError,
  ClockPolicyError,
  InvalidDurationError,
  UnknownCalendarError,
  UnknownTimeZoneError,
} from './errors.ts';
