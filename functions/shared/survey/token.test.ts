import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createSurveyTokens } from './token.ts';
import { publicBaseUrl, surveyConfig, surveyUrl } from './config.ts';

const DAY = 86_400_000;
const ID = 'fb_abcdefghijklmnopqrstuvwxyz';
const RESOLVED = '2027-03-31T15:30:00.123Z';
const tokens = createSurveyTokens(['survey-secret-current', 'survey-secret-previous'], 14 * DAY);
const URL_SAFE = /^[A-Za-z0-9_-]+$/;
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('survey tokens', () => {
  it('verify what they were issued for: the complaint, the resolution and the expiry', () => {
    const { token, expiresAt } = tokens.issue(ID, RESOLVED);
    expect(expiresAt).toBe('2027-04-14T15:30:00.123Z');
    expect(tokens.verify(token, '2027-04-01T00:00:00Z')).toEqual({ status: 'valid', feedbackId: ID, resolvedAt: RESOLVED, expiresAt });
  });

  it('are URL-safe and compact', () => {
    const { token } = tokens.issue(ID, RESOLVED);
    expect(token).toMatch(URL_SAFE);
    expect(token.length).toBeLessThanOrEqual(75); // a real fb_ id: 11 + 29 + 16 bytes
  });

  it('expire at the TTL after the resolution (410), not before', () => {
    const { token, expiresAt } = tokens.issue(ID, RESOLVED);
    expect(tokens.verify(token, Date.parse(expiresAt) - 1).status).toBe('valid');
    expect(tokens.verify(token, expiresAt)).toMatchObject({ status: 'expired', feedbackId: ID });
  });

  it('keep the TTL they were issued with when the configured TTL changes', () => {
    const { token } = createSurveyTokens(['survey-secret-current'], 30 * DAY).issue(ID, RESOLVED);
    const check = tokens.verify(token, Date.parse(RESOLVED) + 20 * DAY);
    expect(check.status).toBe('valid');
  });

  it('signed with a previous secret still verify (rotation); the first secret signs', () => {
    const old = createSurveyTokens(['survey-secret-previous'], 14 * DAY).issue(ID, RESOLVED).token;
    expect(tokens.verify(old, RESOLVED).status).toBe('valid');
    const fresh = tokens.issue(ID, RESOLVED).token;
    expect(createSurveyTokens(['survey-secret-current'], DAY).verify(fresh, RESOLVED).status).toBe('valid');
  });

  it('from an unknown secret are forged (404)', () => {
    const other = createSurveyTokens(['someone-else'], 14 * DAY).issue(ID, RESOLVED).token;
    expect(tokens.verify(other, RESOLVED)).toEqual({ status: 'forged' });
  });

  it('bind the resolution: a token for one resolution never names another', () => {
    const first = tokens.issue(ID, '2027-01-10T00:00:00.000Z').token;
    const second = tokens.issue(ID, '2027-02-10T00:00:00.000Z').token;
    expect(first).not.toBe(second);
    expect(tokens.verify(first, '2027-02-11T00:00:00Z')).toMatchObject({ resolvedAt: '2027-01-10T00:00:00.000Z' });
  });

  it('changing any one character makes a token forged', () => {
    const { token } = tokens.issue(ID, RESOLVED);
    fc.assert(
      fc.property(fc.nat({ max: token.length - 1 }), fc.constantFrom(...B64URL), (index, char) => {
        fc.pre(token[index] !== char);
        const tampered = token.slice(0, index) + char + token.slice(index + 1);
        return tokens.verify(tampered, RESOLVED).status === 'forged';
      }),
      { numRuns: 2000 },
    );
  });

  it('truncated, extended or arbitrary text is forged and never throws', () => {
    const { token } = tokens.issue(ID, RESOLVED);
    expect(tokens.verify(token.slice(0, -1), RESOLVED).status).toBe('forged');
    expect(tokens.verify(token + 'A', RESOLVED).status).toBe('forged');
    expect(tokens.verify('', RESOLVED).status).toBe('forged');
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => tokens.verify(text, RESOLVED).status === 'forged'));
  });

  it('refuse to issue for an id that is not URL-safe', () => {
    expect(() => tokens.issue('fb/../x', RESOLVED)).toThrow(RangeError);
    expect(() => tokens.issue(ID, 'yesterday')).toThrow(RangeError);
  });
});

describe('survey configuration', () => {
  it('reads the secrets, a TTL defaulting to P14D, and the public URL', () => {
    const config = surveyConfig({ REDRESS_SURVEY_SECRET: 'a,b', REDRESS_PUBLIC_URL: 'https://feedback.example-bank.com/' });
    expect(config.ttlMs).toBe(14 * DAY);
    expect(config.publicUrl).toBe('https://feedback.example-bank.com');
    const { token, expiresAt } = config.tokens.issue(ID, RESOLVED);
    expect(expiresAt).toBe('2027-04-14T15:30:00.123Z');
    expect(surveyUrl(config.publicUrl!, token)).toBe(`https://feedback.example-bank.com/survey/${token}`);
  });

  it('fails naming the variable when the secret is missing or the TTL is bad', () => {
    expect(() => surveyConfig({})).toThrow(/REDRESS_SURVEY_SECRET/);
    expect(() => surveyConfig({ REDRESS_SURVEY_SECRET: 'a', REDRESS_SURVEY_TTL: 'P1M' })).toThrow(/REDRESS_SURVEY_TTL/);
    expect(() => surveyConfig({ REDRESS_SURVEY_SECRET: 'a', REDRESS_SURVEY_TTL: 'P400D' })).toThrow(/REDRESS_SURVEY_TTL/);
    expect(surveyConfig({ REDRESS_SURVEY_SECRET: 'a', REDRESS_SURVEY_TTL: 'PT6S' }).ttlMs).toBe(6000);
  });

  it('refuses a public URL that is not http(s)', () => {
    expect(() => publicBaseUrl('ftp://x')).toThrow(/REDRESS_PUBLIC_URL/);
    expect(() => publicBaseUrl('not a url')).toThrow(/REDRESS_PUBLIC_URL/);
    expect(publicBaseUrl(undefined)).toBeUndefined();
  });
});
