import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../../schemas/feedback.ts';
import { parseIsoDuration } from './duration.ts';
import { ClockPolicyError } from './errors.ts';
import {
  DEFAULT_CLOCK_POLICY,
  firstResponseTargetMs,
  loadClockPolicy,
  parseClockPolicy,
  resolutionRulesFor,
  type ClockPolicy,
} from './policy.ts';

const HOUR = 3_600_000;
const cnRule = DEFAULT_CLOCK_POLICY.resolution.cn[0]!;

/** Counts the Intl.DateTimeFormat objects built until `restore()`. */
function countDateTimeFormats(): { built: () => number; restore: () => void } {
  const real = Intl.DateTimeFormat;
  let built = 0;
  Intl.DateTimeFormat = new Proxy(real, {
    construct(target, args) {
      built += 1;
      return Reflect.construct(target, args);
    },
  });
  return { built: () => built, restore: () => void (Intl.DateTimeFormat = real) };
}

function policyError(run: () => unknown): ClockPolicyError {
  try {
    run();
  } catch (error) {
    if (error instanceof ClockPolicyError) return error;
    throw error;
  }
  throw new Error('expected a ClockPolicyError');
}

describe('loadClockPolicy', () => {
  it('defaults to a 24-hour first response, China, and critical at a quarter', () => {
    // Act
    const policy = loadClockPolicy({});
    // Assess
    expect(policy.jurisdiction).toBe('cn');
    expect(policy.firstResponse.target.duration).toBe('PT24H');
    expect(policy.firstResponse.warnAtFraction).toBe(0.8);
    expect(policy.firstResponse.escalationFactor).toBe(2);
    expect(policy.firstResponse.stoppedBy).toEqual(['first_response', 'resolution']);
    expect(firstResponseTargetMs(policy, 'critical')).toBe(6 * HOUR);
    expect(firstResponseTargetMs(policy, 'high')).toBe(24 * HOUR);
  });

  it('takes the first-response target from REDRESS_SLA_FIRST_RESPONSE', () => {
    // Act
    const policy = loadClockPolicy({ REDRESS_SLA_FIRST_RESPONSE: 'PT6S' });
    // Assess
    expect(parseIsoDuration(policy.firstResponse.target.duration)).toBe(6_000);
    expect(firstResponseTargetMs(policy, 'critical')).toBe(1_500);
  });

  it.each([
    ['uk', 'uk'],
    ['us', 'us'],
    ['none', 'none'],
    [' UK ', 'uk'],
    ['', 'cn'],
  ])('reads REDRESS_JURISDICTION=%j as %s', (value, expected) => {
    expect(loadClockPolicy({ REDRESS_JURISDICTION: value }).jurisdiction).toBe(expected);
  });

  it('takes the critical factor from REDRESS_SLA_CRITICAL_FACTOR', () => {
    expect(firstResponseTargetMs(loadClockPolicy({ REDRESS_SLA_CRITICAL_FACTOR: '0.5' }), 'critical')).toBe(12 * HOUR);
  });

  it.each([
    [{ REDRESS_SLA_FIRST_RESPONSE: '24h' }, /REDRESS_SLA_FIRST_RESPONSE: .*must start with "P"/],
    [{ REDRESS_SLA_FIRST_RESPONSE: 'P1M' }, /REDRESS_SLA_FIRST_RESPONSE: .*no fixed length/],
    [{ REDRESS_SLA_FIRST_RESPONSE: 'PT0S' }, /REDRESS_SLA_FIRST_RESPONSE: must be longer than zero/],
    [{ REDRESS_SLA_FIRST_RESPONSE: 'P365D' }, /firstResponse\.target\.duration: the level-2 time/],
    [{ REDRESS_JURISDICTION: 'eu' }, /REDRESS_JURISDICTION: "eu" is not one of cn, uk, us, none/],
    [{ REDRESS_SLA_CRITICAL_FACTOR: '0' }, /REDRESS_SLA_CRITICAL_FACTOR: "0" must be a number greater than 0 and at most 1/],
    [{ REDRESS_SLA_CRITICAL_FACTOR: '1.5' }, /REDRESS_SLA_CRITICAL_FACTOR/],
    [{ REDRESS_SLA_CRITICAL_FACTOR: 'quarter' }, /REDRESS_SLA_CRITICAL_FACTOR/],
  ])('refuses %j with a clear error', (env, message) => {
    // Act
    const error = policyError(() => loadClockPolicy(env));
    // Assess
    expect(error.message).toMatch(message);
  });

  it('reports every bad variable at once', () => {
    // Act
    const error = policyError(() => loadClockPolicy({ REDRESS_SLA_FIRST_RESPONSE: 'soon', REDRESS_JURISDICTION: 'fr' }));
    // Assess
    expect(error.issues).toHaveLength(2);
  });

  it('does not check the base policy’s time zones again (no Intl at cold start)', () => {
    // Prepare: a base whose zone nothing else in this file uses, and a count of formatters built.
    const base: ClockPolicy = { ...DEFAULT_CLOCK_POLICY, resolution: { ...DEFAULT_CLOCK_POLICY.resolution, cn: [{ ...cnRule, target: { kind: 'calendar_days', days: 15, timeZone: 'Pacific/Chatham' } }] } };
    const formatters = countDateTimeFormats();
    try {
      // Act
      const policy = loadClockPolicy({ REDRESS_SLA_FIRST_RESPONSE: 'PT1H' }, base);
      // Assess
      expect(policy.resolution.cn[0]?.target).toEqual({ kind: 'calendar_days', days: 15, timeZone: 'Pacific/Chatham' });
      expect(formatters.built()).toBe(0);
    } finally {
      formatters.restore();
    }
  });

  it.each([
    [{}],
    [{ REDRESS_JURISDICTION: 'uk', REDRESS_SLA_FIRST_RESPONSE: 'pt6s' }],
    [{ REDRESS_JURISDICTION: 'us', REDRESS_SLA_CRITICAL_FACTOR: '.5' }],
    [{ REDRESS_JURISDICTION: 'none', REDRESS_SLA_FIRST_RESPONSE: 'P180D' }],
  ])('derives from %j a policy that parseClockPolicy accepts and gives back unchanged', (env) => {
    // Act
    const policy = loadClockPolicy(env);
    // Assess
    expect(parseClockPolicy(policy)).toStrictEqual(policy);
  });

  it('returns a copy: changing it leaves the default policy as it was', () => {
    // Act
    const policy = loadClockPolicy({});
    policy.resolution.cn[0]!.extensions.pop();
    policy.firstResponse.stoppedBy.push('first_response');
    // Assess
    expect(DEFAULT_CLOCK_POLICY.resolution.cn[0]?.extensions).toHaveLength(2);
    expect(DEFAULT_CLOCK_POLICY.firstResponse.stoppedBy).toEqual(['first_response', 'resolution']);
  });

  it('leaves the default policy untouched', () => {
    // Act
    loadClockPolicy({ REDRESS_SLA_FIRST_RESPONSE: 'PT1H', REDRESS_JURISDICTION: 'us' });
    // Assess
    expect(DEFAULT_CLOCK_POLICY.firstResponse.target.duration).toBe('PT24H');
    expect(DEFAULT_CLOCK_POLICY.jurisdiction).toBe('cn');
  });
});

describe('resolution rules', () => {
  it('gives every category exactly one UK resolution clock, the payment-services one for payments', () => {
    // Prepare
    const policy = loadClockPolicy({ REDRESS_JURISDICTION: 'uk' });
    for (const category of CATEGORIES) {
      // Act
      const names = resolutionRulesFor(policy, category).map((rule) => rule.name);
      // Assess
      const payment = ['transfers_payments', 'card_issues', 'fraud_security'].includes(category);
      expect(names).toEqual([payment ? 'resolution_uk_payment_services' : 'resolution_uk']);
    }
  });

  it('gives China one clock and the US two, whatever the category; none gives nothing', () => {
    for (const category of CATEGORIES) {
      expect(resolutionRulesFor(loadClockPolicy({}), category).map((r) => r.name)).toEqual(['resolution_cn']);
      expect(resolutionRulesFor(loadClockPolicy({ REDRESS_JURISDICTION: 'us' }), category).map((r) => r.name)).toEqual(['response_us', 'resolution_us']);
      expect(resolutionRulesFor(loadClockPolicy({ REDRESS_JURISDICTION: 'none' }), category)).toEqual([]);
    }
  });

  it('holds the regulators’ numbers', () => {
    // Act
    const { cn, uk, us } = DEFAULT_CLOCK_POLICY.resolution;
    // Assess
    expect(cn[0]?.target).toEqual({ kind: 'calendar_days', days: 15, timeZone: 'Asia/Shanghai' });
    expect(cn[0]?.extensions.map((e) => [e.reason, e.extendToDays, e.customerNotice])).toEqual([
      ['complex', 30, false],
      ['approved', 60, true],
    ]);
    expect(cn[0]?.pauseReasons).toEqual(['external_appraisal']);
    expect(uk[0]?.target).toEqual({ kind: 'calendar_days', days: 56, timeZone: 'Europe/London' });
    expect(uk[1]?.target).toEqual({ kind: 'business_days', days: 15, calendar: 'uk-england-wales' });
    expect(uk[1]?.extensions.map((e) => [e.reason, e.extendToDays])).toEqual([['holding_reply', 35]]);
    expect(us.map((r) => r.target)).toEqual([
      { kind: 'calendar_days', days: 15, timeZone: 'America/New_York' },
      { kind: 'calendar_days', days: 60, timeZone: 'America/New_York' },
    ]);
  });
});

describe('parseClockPolicy', () => {
  it('gives back the default policy unchanged: it is valid, time zones included, and already in parsed form', () => {
    // Act / Assess
    expect(parseClockPolicy(DEFAULT_CLOCK_POLICY)).toStrictEqual(DEFAULT_CLOCK_POLICY);
  });


  it.each([
    ['a duplicate clock name', { cn: [cnRule, cnRule] }, /duplicate clock name resolution_cn/],
    [
      'an extension that does not extend',
      { cn: [{ ...cnRule, extensions: [{ reason: 'complex', description: '', extendToDays: 10, customerNotice: false }] }] },
      /must extend beyond 15 days/,
    ],
    [
      'an extension that requires an unknown one',
      { cn: [{ ...cnRule, extensions: [{ reason: 'approved', description: '', extendToDays: 60, requires: 'complex', customerNotice: true }] }] },
      /requires unknown extension complex/,
    ],
    ['an unknown time zone', { cn: [{ ...cnRule, target: { kind: 'calendar_days', days: 15, timeZone: 'Asia/Atlantis' } }] }, /Asia\/Atlantis/],
    ['an unknown calendar', { cn: [{ ...cnRule, target: { kind: 'business_days', days: 15, calendar: 'mars' } }] }, /resolution\.cn\.0\.target/],
    ['a warning after the breach', { cn: [{ ...cnRule, warnAtFraction: 1.2 }] }, /warnAtFraction/],
    ['a clock name with spaces', { cn: [{ ...cnRule, name: 'resolution cn' }] }, /name/],
  ])('refuses %s, naming the field', (_what, resolution, message) => {
    // Prepare
    const raw = { ...DEFAULT_CLOCK_POLICY, resolution: { ...DEFAULT_CLOCK_POLICY.resolution, ...resolution } };
    // Act / Assess
    expect(() => parseClockPolicy(raw)).toThrow(ClockPolicyError);
    expect(() => parseClockPolicy(raw)).toThrow(message);
  });
});
