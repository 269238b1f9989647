import { afterEach, describe, expect, it } from 'vitest';

const realDateTimeFormat = Intl.DateTimeFormat;
let built = 0;

afterEach(() => {
  Intl.DateTimeFormat = realDateTimeFormat;
});

/** Counts every Intl.DateTimeFormat built from now on (the first one of a process costs 20-35 ms). */
function countDateTimeFormats(): void {
  built = 0;
  Intl.DateTimeFormat = new Proxy(realDateTimeFormat, {
    construct(target, args) {
      built += 1;
      return Reflect.construct(target, args);
    },
  });
}

describe('loading the clock modules (every function’s cold start)', () => {
  it('builds no Intl formatter: calendars and zones are checked on first use, not at load', async () => {
    // Prepare
    countDateTimeFormats();
    // Act: this file imports none of them statically, so each module is evaluated here for the first time.
    await import('./calendars.ts');
    await import('./business-time.ts');
    await import('./complaint-clocks.ts');
    await import('../lifecycle/clocks.ts');
    await import('../lifecycle/state-machine.ts');
    const { loadClockPolicy } = await import('./policy.ts');
    for (const jurisdiction of ['cn', 'uk', 'us', 'none']) loadClockPolicy({ REDRESS_JURISDICTION: jurisdiction, REDRESS_SLA_FIRST_RESPONSE: 'PT2H' });
    // Assess
    expect(built).toBe(0);
  });

  it('builds a calendar on its first use, once', async () => {
    // Prepare
    const { getCalendar, isBusinessDay } = await import('./calendars.ts');
    countDateTimeFormats();
    // Act
    const first = isBusinessDay('uk-england-wales', '2026-12-25');
    const calendar = getCalendar('uk-england-wales');
    // Assess
    expect(first).toBe(false);
    expect(getCalendar('uk-england-wales')).toBe(calendar);
    expect(built).toBe(1); // its zone's formatter, checked as the data was validated
  });
});
