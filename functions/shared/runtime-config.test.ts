import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { loadClockPolicy } from './clocks/policy.ts';
import { ConfigurationError, requiredEnv } from './config.ts';
import { loadRetryPolicy } from './pipeline/retry-policy.ts';
import { envVariables, numberSetting, parseEnv, resourceName, setting } from './runtime-config.ts';
import { surveyTtlMs } from './survey/config.ts';
import { loadTriagePolicy } from './triage/triage-policy.ts';

const Env = z.object({ REDRESS_TABLE_NAME: resourceName(), REDRESS_QUEUE_URL: resourceName(), REDRESS_MODE: setting(), REDRESS_SECONDS: numberSetting(0, 60) });

describe('runtime configuration', () => {
  it('parses the variables it declares, leaves unset settings to their defaults and drops the rest', () => {
    const env = parseEnv('test', Env, { REDRESS_TABLE_NAME: 't', REDRESS_QUEUE_URL: 'q', REDRESS_SECONDS: '30', OTHER: 'x' });
    expect(env).toEqual({ REDRESS_TABLE_NAME: 't', REDRESS_QUEUE_URL: 'q', REDRESS_SECONDS: '30' });
    expect(parseEnv('test', Env, { REDRESS_TABLE_NAME: 't', REDRESS_QUEUE_URL: 'q', REDRESS_SECONDS: ' ' }).REDRESS_SECONDS).toBe(' ');
  });

  it('fails naming every variable that is missing or wrong, never a value', () => {
    const fail = () => parseEnv('sweeper', Env, { REDRESS_QUEUE_URL: '  ', REDRESS_SECONDS: 'soon', REDRESS_MODE: 'secret-value' });
    expect(fail).toThrow('sweeper configuration: REDRESS_TABLE_NAME is required; REDRESS_QUEUE_URL is required; REDRESS_SECONDS must be a number from 0 to 60');
    expect(() => parseEnv('x', Env, { REDRESS_TABLE_NAME: 't', REDRESS_QUEUE_URL: 'q', REDRESS_SECONDS: '61' })).toThrow(/REDRESS_SECONDS must be a number from 0 to 60/);
    try {
      fail();
    } catch (err) {
      expect((err as Error).message).not.toContain('soon');
    }
  });

  it('lists the variables a schema reads', () => {
    expect(envVariables(Env)).toEqual(['REDRESS_TABLE_NAME', 'REDRESS_QUEUE_URL', 'REDRESS_MODE', 'REDRESS_SECONDS']);
  });

  it('every configuration error is a ConfigurationError naming its variable (one family, caught and logged alike)', () => {
    const thrown = (f: () => unknown): unknown => {
      try {
        f();
      } catch (err) {
        return err;
      }
      return undefined;
    };
    const cases: [() => unknown, RegExp][] = [
      [() => parseEnv('x', Env, {}), /REDRESS_TABLE_NAME is required/],
      [() => requiredEnv({}, 'REDRESS_QUEUE_URL'), /REDRESS_QUEUE_URL/],
      [() => loadClockPolicy({ REDRESS_JURISDICTION: 'mars' }), /REDRESS_JURISDICTION/],
      [() => loadTriagePolicy({ REDRESS_TRIAGE_THRESHOLD: '2' }), /REDRESS_TRIAGE_THRESHOLD/],
      [() => loadRetryPolicy({ REDRESS_PROCESS_ATTEMPTS: '0' }), /REDRESS_PROCESS_ATTEMPTS/],
      [() => surveyTtlMs({ REDRESS_SURVEY_TTL: 'soon' }), /REDRESS_SURVEY_TTL/],
    ];
    for (const [f, names] of cases) {
      const err = thrown(f);
      expect(err).toBeInstanceOf(ConfigurationError);
      expect((err as Error).message).toMatch(names);
    }
    // A wrapped cause is kept for whoever reads the error, not flattened into the message only.
    expect((thrown(() => surveyTtlMs({ REDRESS_SURVEY_TTL: 'soon' })) as Error).cause).toBeInstanceOf(Error);
  });
});
