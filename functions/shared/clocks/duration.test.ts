import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIsoDuration, parseIsoDuration } from './duration.ts';
import { InvalidDurationError } from './errors.ts';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('parseIsoDuration', () => {
  it.each([
    ['PT24H', 24 * HOUR],
    ['PT6S', 6 * SECOND],
    ['PT4.8S', 4_800],
    ['PT0,5S', 500],
    ['PT0.001S', 1],
    ['PT1.5M', 90 * SECOND],
    ['PT1.25H', 75 * MINUTE],
    ['P15D', 15 * DAY],
    ['P2W', 14 * DAY],
    ['P0.5W', 3.5 * DAY],
    ['P1DT2H30M15S', DAY + 2 * HOUR + 30 * MINUTE + 15 * SECOND],
    ['PT36H', 36 * HOUR],
    ['PT0S', 0],
    ['pt24h', 24 * HOUR],
    [' PT24H ', 24 * HOUR],
  ])('parses %s', (text, expected) => {
    // Prepare / Act
    const ms = parseIsoDuration(text);
    // Assess
    expect(ms).toBe(expected);
  });

  it('rounds fractions below a millisecond half up', () => {
    // Act / Assess
    expect(parseIsoDuration('PT0.0005S')).toBe(1);
    expect(parseIsoDuration('PT0.0004S')).toBe(0);
    expect(parseIsoDuration('PT1.9999S')).toBe(2_000);
  });

  it.each([
    ['', /must start with "P"/],
    ['24H', /must start with "P"/],
    ['P', /at least one component/],
    ['PT', /at least one component/],
    ['P1DT', /at least one component/],
    ['P1M', /years and months have no fixed length/],
    ['P1Y2D', /years and months have no fixed length/],
    ['PT-1H', /negative/],
    ['P1W2D', /weeks \(W\) cannot be combined/],
    ['PT1.5H30M', /only the last component/],
    ['PT24', /expected P\[n\]W/],
    ['PT1H1H', /expected P\[n\]W/],
    ['PT1S1M', /expected P\[n\]W/],
    ['P1D2H', /expected P\[n\]W/],
    ['PT.5S', /expected P\[n\]W/],
    ['PT0.1234567891S', /fraction digits/],
    ['PT99999999999999999H', /too long/],
  ])('refuses %j with a clear reason', (text, reason) => {
    // Act
    const parse = () => parseIsoDuration(text);
    // Assess
    expect(parse).toThrow(InvalidDurationError);
    expect(parse).toThrow(reason);
  });

  it('names the bad input in the error', () => {
    // Act / Assess
    expect(() => parseIsoDuration('P1M')).toThrow('"P1M"');
  });

  it('adds up every combination of whole components', () => {
    fc.assert(
      fc.property(fc.nat(400), fc.nat(48), fc.nat(120), fc.nat(7_200), (d, h, m, s) => {
        // Prepare
        const text = `P${d}DT${h}H${m}M${s}S`;
        // Act / Assess
        expect(parseIsoDuration(text)).toBe(d * DAY + h * HOUR + m * MINUTE + s * SECOND);
      }),
    );
  });

  it('reads millisecond fractions of seconds exactly (no float noise)', () => {
    fc.assert(
      fc.property(fc.nat(100_000), fc.integer({ min: 0, max: 999 }), (s, ms) => {
        // Prepare
        const text = `PT${s}.${String(ms).padStart(3, '0')}S`;
        // Act / Assess
        expect(parseIsoDuration(text)).toBe(s * SECOND + ms);
      }),
    );
  });
});

describe('formatIsoDuration', () => {
  it.each([
    [0, 'PT0S'],
    [4_800, 'PT4.8S'],
    [6 * SECOND, 'PT6S'],
    [6 * HOUR, 'PT6H'],
    [DAY, 'P1D'],
    [DAY + HOUR + MINUTE + SECOND + 1, 'P1DT1H1M1.001S'],
    [15 * DAY, 'P15D'],
  ])('formats %i ms as %s', (ms, expected) => {
    // Act / Assess
    expect(formatIsoDuration(ms)).toBe(expected);
  });

  it('round-trips every whole-millisecond duration up to ten years', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3_660 * DAY }), (ms) => {
        // Act / Assess
        expect(parseIsoDuration(formatIsoDuration(ms))).toBe(ms);
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuses negative and fractional milliseconds', () => {
    // Act / Assess
    expect(() => formatIsoDuration(-1)).toThrow(RangeError);
    expect(() => formatIsoDuration(1.5)).toThrow(RangeError);
  });
});
