import { describe, expect, it } from 'vitest';
import { loadClockPolicy } from '../shared/clocks/policy.ts';
import { DEFAULT_RETRY_POLICY, loadRetryPolicy } from '../shared/pipeline/retry-policy.ts';
import { DEFAULT_TRIAGE_POLICY, loadTriagePolicy } from '../shared/triage/triage-policy.ts';
import { parseProcessConfig } from './compose.ts';

describe('the process function configuration', () => {
  it('takes the defaults from an empty environment, the FAQ cache default given by the caller', () => {
    const config = parseProcessConfig({});
    expect(config.retryPolicy).toEqual(DEFAULT_RETRY_POLICY);
    expect(config.triagePolicy).toEqual(DEFAULT_TRIAGE_POLICY);
    expect(config.surveyTtlMs).toBe(14 * 86_400_000);
    expect(config.faqCacheTtlMs).toBe(30_000);
    expect(config.faqAutoReplyThreshold).toBeNull();
    expect(parseProcessConfig({}, { faqCacheSeconds: 1 }).faqCacheTtlMs).toBe(1_000);
    expect(parseProcessConfig({ REDRESS_FAQ_CACHE_SECONDS: '5' }, { faqCacheSeconds: 1 }).faqCacheTtlMs).toBe(5_000);
  });

  it('reads every setting from the environment', () => {
    const config = parseProcessConfig({ REDRESS_SLA_FIRST_RESPONSE: 'PT6S', REDRESS_RETRY_FIRST_DELAY: 'PT1S', REDRESS_RETRY_MAX_DELAY: 'PT2S', REDRESS_SURVEY_TTL: 'P1D' });
    expect(config.retryPolicy.firstDelaySeconds).toBe(1);
    expect(config.retryPolicy.maxDelaySeconds).toBe(2);
    expect(config.surveyTtlMs).toBe(86_400_000);
    expect(config.clockPolicy).not.toEqual(parseProcessConfig({}).clockPolicy);
  });

  it('fails at cold start naming the variable that is wrong', () => {
    expect(() => parseProcessConfig({ REDRESS_FAQ_CACHE_SECONDS: 'soon' })).toThrow(/REDRESS_FAQ_CACHE_SECONDS/);
    expect(() => parseProcessConfig({ REDRESS_SURVEY_TTL: 'forever' })).toThrow(/REDRESS_SURVEY_TTL/);
    expect(() => parseProcessConfig({ REDRESS_TRIAGE_THRESHOLD: '2' })).toThrow(/REDRESS_TRIAGE_THRESHOLD/);
    expect(() => parseProcessConfig({ REDRESS_FAQ_AUTOREPLY: '2' })).toThrow(/REDRESS_FAQ_AUTOREPLY/);
  });

  it('hands the loaders every variable they read (the schema drops only what it does not declare)', () => {
    const env = {
      REDRESS_JURISDICTION: 'uk',
      REDRESS_SLA_FIRST_RESPONSE: 'PT2H',
      REDRESS_SLA_CRITICAL_FACTOR: '0.5',
      REDRESS_TRIAGE_THRESHOLD: '0.2',
      REDRESS_SLA_TRIAGE: 'PT1H',
      REDRESS_RETRY_FIRST_DELAY: 'PT10S',
      REDRESS_RETRY_MAX_DELAY: 'PT1M',
      REDRESS_PROCESS_ATTEMPTS: '5',
      REDRESS_SURVEY_TTL: 'P2D',
      REDRESS_FAQ_CACHE_SECONDS: '7',
      REDRESS_FAQ_AUTOREPLY: '0.75',
    };
    expect(parseProcessConfig(env)).toEqual({
      clockPolicy: loadClockPolicy(env),
      triagePolicy: loadTriagePolicy(env),
      retryPolicy: loadRetryPolicy(env),
      surveyTtlMs: 2 * 86_400_000,
      faqCacheTtlMs: 7_000,
      faqAutoReplyThreshold: 0.75,
    });
    expect(parseProcessConfig(env).clockPolicy).not.toEqual(loadClockPolicy({}));
    expect(parseProcessConfig(env).triagePolicy).not.toEqual(DEFAULT_TRIAGE_POLICY);
    expect(parseProcessConfig(env).retryPolicy).not.toEqual(DEFAULT_RETRY_POLICY);
  });
});
