import { describe, expect, it } from 'vitest';
import type { Classification } from '../../../schemas/feedback.ts';
import calibration from '../classification/model/calibration.json' with { type: 'json' };
import { DEFAULT_TRIAGE_POLICY, TriagePolicyError, loadTriagePolicy, triageFor } from './triage-policy.ts';

const RECEIVED = '2026-11-28T09:30:00.000Z';
type Reading = Pick<Classification, 'kind' | 'probabilities' | 'negative' | 'supportedLanguage'>;
const probabilities = (complaint: number) => ({ complaint, inquiry: 1 - complaint, suggestion: 0, praise: 0 });

describe('loadTriagePolicy', () => {
  it('defaults to the threshold the classifier ships and a 4-hour clock', () => {
    const policy = loadTriagePolicy({});
    expect(policy).toEqual({ threshold: calibration.triageThreshold, sla: 'PT4H', slaMs: 4 * 3_600_000 });
    expect(policy).toEqual(DEFAULT_TRIAGE_POLICY);
  });

  it('reads REDRESS_TRIAGE_THRESHOLD and REDRESS_SLA_TRIAGE, blank values counting as unset', () => {
    expect(loadTriagePolicy({ REDRESS_TRIAGE_THRESHOLD: '0.2', REDRESS_SLA_TRIAGE: 'PT30M' })).toEqual({ threshold: 0.2, sla: 'PT30M', slaMs: 1_800_000 });
    expect(loadTriagePolicy({ REDRESS_TRIAGE_THRESHOLD: ' ', REDRESS_SLA_TRIAGE: '' })).toEqual(DEFAULT_TRIAGE_POLICY);
  });

  it.each(['0', '1.5', '-0.1', 'abc', '1e-2', 'NaN'])('refuses the threshold %j, naming the variable', (value) => {
    expect(() => loadTriagePolicy({ REDRESS_TRIAGE_THRESHOLD: value })).toThrow(/REDRESS_TRIAGE_THRESHOLD/);
  });

  it.each(['4h', 'P1M', 'PT0S', 'soon'])('refuses the triage clock %j, naming the variable', (value) => {
    expect(() => loadTriagePolicy({ REDRESS_SLA_TRIAGE: value })).toThrow(/REDRESS_SLA_TRIAGE/);
  });

  it('lists every bad variable at once', () => {
    try {
      loadTriagePolicy({ REDRESS_TRIAGE_THRESHOLD: '2', REDRESS_SLA_TRIAGE: 'soon' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(TriagePolicyError);
      expect((err as TriagePolicyError).issues.map((i) => i.split(':')[0])).toEqual(['REDRESS_TRIAGE_THRESHOLD', 'REDRESS_SLA_TRIAGE']);
    }
  });
});

describe('triageFor', () => {
  const policy = loadTriagePolicy({ REDRESS_TRIAGE_THRESHOLD: '0.3' });

  it.each<[string, Reading, string | undefined]>([
    ['an inquiry whose complaint probability reaches the threshold', { kind: 'inquiry', probabilities: probabilities(0.3), negative: false, supportedLanguage: true }, 'uncertain_kind'],
    ['an inquiry just under it', { kind: 'inquiry', probabilities: probabilities(0.29), negative: false, supportedLanguage: true }, undefined],
    ['praise that reads negative', { kind: 'praise', probabilities: probabilities(0.01), negative: true, supportedLanguage: true }, 'negative_not_complaint'],
    ['a complaint, however unsure', { kind: 'complaint', probabilities: probabilities(0.5), negative: true, supportedLanguage: true }, undefined],
    ['a complaint in a language the classifier does not read', { kind: 'complaint', probabilities: probabilities(0.9), supportedLanguage: false }, 'unsupported_language'],
    ['an item classified before the calibrated fields existed', { kind: 'inquiry' }, undefined],
  ])('%s → %s', (_label, reading, reason) => {
    expect(triageFor(reading, RECEIVED, policy)?.reason).toBe(reason);
  });

  it('is due the triage clock after receipt, not after processing', () => {
    const short = loadTriagePolicy({ REDRESS_SLA_TRIAGE: 'PT45M' });
    expect(triageFor({ kind: 'praise', negative: true }, RECEIVED, short)).toEqual({ reason: 'negative_not_complaint', dueAt: '2026-11-28T10:15:00.000Z' });
    expect(triageFor({ kind: 'praise', negative: true }, RECEIVED, DEFAULT_TRIAGE_POLICY)?.dueAt).toBe('2026-11-28T13:30:00.000Z');
  });
});
