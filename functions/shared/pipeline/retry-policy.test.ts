import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_RETRY_POLICY, decideOnFailure, loadRetryPolicy, redriveMaxReceiveCount, retryDelaySeconds, survivableOutageSeconds } from './retry-policy.ts';

const policy = DEFAULT_RETRY_POLICY;

describe('retryDelaySeconds', () => {
  it('doubles from the first delay and stops at the cap', () => {
    expect(Array.from({ length: 8 }, (_, i) => retryDelaySeconds(policy, i + 1))).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
  });

  it('never exceeds the cap nor SQS limits, for any receive count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (n) => {
        const d = retryDelaySeconds(policy, n);
        return Number.isInteger(d) && d >= policy.firstDelaySeconds && d <= policy.maxDelaySeconds;
      }),
    );
  });
});

describe('the default schedule', () => {
  it('survives an outage of about 2 h 45 min: 30+60+120+240+480 + 10×900 s before the last attempt', () => {
    expect(survivableOutageSeconds(policy)).toBe(9_930);
  });

  it('a 15-minute brown-out is over by the 6th receive, with attempts to spare', () => {
    const receivesAt = [0];
    for (let n = 1; n < policy.maxAttempts; n++) receivesAt.push(receivesAt[n - 1]! + retryDelaySeconds(policy, n));
    const firstAfterOutage = receivesAt.findIndex((t) => t >= 15 * 60);
    expect(firstAfterOutage + 1).toBe(6);
    expect(policy.maxAttempts - (firstAfterOutage + 1)).toBe(10);
  });

  it('leaves the queue redrive as a backstop a few receives beyond the attempts', () => {
    expect(redriveMaxReceiveCount(policy)).toBe(20);
  });
});

describe('decideOnFailure', () => {
  it('dead-letters a permanent failure on its first receive', () => {
    expect(decideOnFailure(policy, 'permanent', 1)).toEqual({ action: 'dead-letter', why: 'permanent' });
  });

  it('retries transient and unknown failures with the backoff delay while attempts remain', () => {
    expect(decideOnFailure(policy, 'transient', 3)).toEqual({ action: 'retry', delaySeconds: 120 });
    expect(decideOnFailure(policy, 'unknown', 15)).toEqual({ action: 'retry', delaySeconds: 900 });
  });

  it('dead-letters once the last attempt has failed, whatever the class', () => {
    expect(decideOnFailure(policy, 'transient', 16)).toEqual({ action: 'dead-letter', why: 'attempts-exhausted' });
    expect(decideOnFailure(policy, 'unknown', 17)).toEqual({ action: 'dead-letter', why: 'attempts-exhausted' });
  });
});

describe('loadRetryPolicy', () => {
  it('keeps the defaults when nothing is set', () => {
    expect(loadRetryPolicy({})).toEqual(DEFAULT_RETRY_POLICY);
  });

  it('reads ISO 8601 durations and the attempt count', () => {
    expect(loadRetryPolicy({ REDRESS_RETRY_FIRST_DELAY: 'PT1S', REDRESS_RETRY_MAX_DELAY: 'PT2S', REDRESS_PROCESS_ATTEMPTS: '6' })).toEqual({ firstDelaySeconds: 1, maxDelaySeconds: 2, maxAttempts: 6 });
  });

  it('raises the default cap to a first delay above it', () => {
    expect(loadRetryPolicy({ REDRESS_RETRY_FIRST_DELAY: 'PT1H' }).maxDelaySeconds).toBe(3_600);
  });

  it.each([
    [{ REDRESS_RETRY_FIRST_DELAY: 'PT0.5S' }, 'REDRESS_RETRY_FIRST_DELAY'],
    [{ REDRESS_RETRY_FIRST_DELAY: 'soon' }, 'REDRESS_RETRY_FIRST_DELAY'],
    [{ REDRESS_RETRY_MAX_DELAY: 'PT13H' }, 'REDRESS_RETRY_MAX_DELAY'],
    [{ REDRESS_RETRY_FIRST_DELAY: 'PT10S', REDRESS_RETRY_MAX_DELAY: 'PT5S' }, 'REDRESS_RETRY_MAX_DELAY'],
    [{ REDRESS_PROCESS_ATTEMPTS: '0' }, 'REDRESS_PROCESS_ATTEMPTS'],
    [{ REDRESS_PROCESS_ATTEMPTS: 'many' }, 'REDRESS_PROCESS_ATTEMPTS'],
  ])('refuses %o, naming the variable', (env, name) => {
    expect(() => loadRetryPolicy(env)).toThrow(name);
  });
});
