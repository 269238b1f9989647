import { describe, expect, it } from 'vitest';
import { loadClockPolicy } from '../shared/clocks/policy.ts';
import { parseReportConfig } from '../reports/compose.ts';
import { parseAdminConfig } from './compose.ts';

describe('the admin function configuration', () => {
  const env = { REDRESS_JWT_SECRET: 'jwt-secret-0000000000000000000000', REDRESS_SLA_FIRST_RESPONSE: 'PT2H', REDRESS_TIMEZONE: 'Europe/London' };

  it('reads the clock policy, the zone and the cursor keys (the JWT key when no cursor secret is set)', () => {
    const config = parseAdminConfig(env, undefined);
    expect(config.clockPolicy).toEqual(loadClockPolicy(env));
    expect(config.clockPolicy).not.toEqual(loadClockPolicy({}));
    expect(config.timeZone).toBe('Europe/London');
    expect(config.cursorSecrets).toEqual([env.REDRESS_JWT_SECRET]);
    expect(parseAdminConfig({ ...env, REDRESS_CURSOR_SECRET: 'new,old' }, undefined).cursorSecrets).toEqual(['new', 'old']);
  });

  it('has a survey only when the caller gives a survey secret, signed with it', () => {
    expect(parseAdminConfig(env, undefined).survey).toBeUndefined();
    expect(parseAdminConfig(env, '').survey).toBeUndefined();
    const survey = parseAdminConfig({ ...env, REDRESS_SURVEY_TTL: 'P1D', REDRESS_PUBLIC_URL: 'https://bank.example' }, 'survey-secret')!.survey!;
    expect(survey.ttlMs).toBe(86_400_000);
    const other = parseAdminConfig(env, 'another-secret').survey!;
    const resolvedAt = '2027-01-10T00:00:00.000Z';
    const { token } = survey.tokens.issue('fb_1', resolvedAt);
    expect(survey.tokens.verify(token, resolvedAt).status).toBe('valid');
    expect(other.tokens.verify(token, resolvedAt)).toEqual({ status: 'forged' });
  });

  it('fails naming the variable that is wrong', () => {
    expect(() => parseAdminConfig({ ...env, REDRESS_TIMEZONE: 'Mars/Olympus' }, undefined)).toThrow(/REDRESS_TIMEZONE|Mars/);
    expect(() => parseAdminConfig({}, undefined)).toThrow(/REDRESS_JWT_SECRET/);
  });
});

describe('the report function configuration', () => {
  it('reads the clock policy and the zone, as the admin function does', () => {
    const env = { REDRESS_SLA_FIRST_RESPONSE: 'PT2H', REDRESS_TIMEZONE: 'Europe/London' };
    expect(parseReportConfig(env)).toEqual({ clockPolicy: loadClockPolicy(env), timeZone: 'Europe/London' });
    expect(parseReportConfig({}).timeZone).toBe('Asia/Shanghai');
  });
});
