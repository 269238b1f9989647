import { describe, expect, it } from 'vitest';
import { chooseThreshold, expectedCalibrationError, rankFigures, reliabilityTable, shareAtLeast } from './faq-metrics.ts';

describe('FAQ evaluation figures', () => {
  it('computes top-1, top-3 and MRR from ranks (-1 = missed)', () => {
    expect(rankFigures([0, 1, 2, 5, -1])).toEqual({ n: 5, top1: 0.2, top3: 0.6, mrr: (1 + 1 / 2 + 1 / 3 + 1 / 6) / 5 });
  });

  it('bins scores into a reliability table, 1.0 in the last bin', () => {
    const table = reliabilityTable([{ p: 0.05, correct: false }, { p: 0.95, correct: true }, { p: 1, correct: false }], 10);
    expect(table[0]).toMatchObject({ n: 1, accuracy: 0 });
    expect(table[9]).toMatchObject({ n: 2, meanScore: 0.975, accuracy: 0.5 });
  });

  it('gives zero ECE to calibrated scores and the whole gap to a confident liar', () => {
    const calibrated = [true, true, true, false].map((correct) => ({ p: 0.75, correct }));
    expect(expectedCalibrationError(calibrated)).toBeCloseTo(0);
    expect(expectedCalibrationError([{ p: 0.9, correct: false }, { p: 0.9, correct: false }])).toBeCloseTo(0.9);
  });

  it('chooses the lowest threshold meeting both limits', () => {
    const inFaq = [{ p: 0.95, correct: true }, { p: 0.85, correct: true }, { p: 0.6, correct: false }];
    expect(chooseThreshold(inFaq, [0.1, 0.2, 0.5], 0.05, 0.05)).toBe(0.65);
    expect(shareAtLeast([0.1, 0.7], 0.7)).toBe(0.5);
  });
});
