import { describe, expect, it } from 'vitest';
import { calibrate, DEFAULT_CALIBRATION, fitCalibration, type CalibrationExample } from './calibration.ts';
import type { CandidateFeatures } from './rank.ts';

const base: CandidateFeatures = { questionCoverage: 0.5, knownCoverage: 0.5, entryCoverage: 0.5, relative: 1, lead: 0.3, units: 2, first: 1 };

describe('calibration', () => {
  it('never lowers the score when more of the question or of the entry is matched', () => {
    for (const feature of ['questionCoverage', 'knownCoverage', 'entryCoverage', 'relative'] as const) {
      let previous = 0;
      for (let x = 0; x <= 1.0001; x += 0.1) {
        const p = calibrate({ ...base, [feature]: x });
        expect(p).toBeGreaterThanOrEqual(previous);
        previous = p;
      }
    }
  });

  it('gives probabilities strictly between 0 and 1', () => {
    expect(calibrate({ ...base, questionCoverage: 0, entryCoverage: 0, first: 0 })).toBeGreaterThan(0);
    expect(calibrate({ ...base, questionCoverage: 1, entryCoverage: 1 })).toBeLessThan(1);
  });

  it('fits a model whose probabilities follow the rate of right answers', () => {
    // Right answers become likelier as coverage rises: 10 % at 0.1 … 90 % at 0.9.
    const examples: CalibrationExample[] = [];
    for (let k = 1; k <= 9; k++) for (let i = 0; i < 100; i++) examples.push({ features: { ...base, questionCoverage: k / 10 }, correct: i < k * 10 });
    const model = fitCalibration(examples);
    expect(calibrate({ ...base, questionCoverage: 0.1 }, model)).toBeCloseTo(0.1, 1);
    expect(calibrate({ ...base, questionCoverage: 0.9 }, model)).toBeCloseTo(0.9, 1);
  });

  it('pins a coverage weight at zero rather than let it turn negative', () => {
    // Here right answers get rarer as entry coverage rises: the fit must not learn that.
    const examples: CalibrationExample[] = [];
    for (let k = 1; k <= 9; k++) for (let i = 0; i < 50; i++) examples.push({ features: { ...base, entryCoverage: k / 10 }, correct: i < (10 - k) * 5 });
    expect(fitCalibration(examples).weights.entryCoverage).toBe(0);
  });

  it('ships coverage weights that are not negative', () => {
    for (const f of ['questionCoverage', 'knownCoverage', 'entryCoverage', 'relative'] as const) expect(DEFAULT_CALIBRATION.weights[f]).toBeGreaterThanOrEqual(0);
  });
});
