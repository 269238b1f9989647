import { describe, expect, it } from 'vitest';
import { checkCalibration, fitLogistic, reliability, type Calibration } from './calibration.ts';
import calibrationData from './model/calibration.json' with { type: 'json' };

describe('fitLogistic', () => {
  it('learns probabilities that match the observed share in each group', () => {
    // Arrange: inputs [bias, flag]; flag=1 → 80 % positive, flag=0 → 10 % positive.
    const rows = [
      ...Array.from({ length: 100 }, (_, i) => ({ x: [1, 1], y: i < 80 ? 1 : 0 })),
      ...Array.from({ length: 100 }, (_, i) => ({ x: [1, 0], y: i < 10 ? 1 : 0 })),
    ];
    // Act
    const w = fitLogistic(rows, 2000, 0);
    const p = (x: number[]): number => 1 / (1 + Math.exp(-(w[0]! * x[0]! + w[1]! * x[1]!)));
    // Assert
    expect(p([1, 1])).toBeCloseTo(0.8, 1);
    expect(p([1, 0])).toBeCloseTo(0.1, 1);
  });

  it('is deterministic', () => {
    const rows = [{ x: [1, 0.3], y: 1 }, { x: [1, -0.2], y: 0 }, { x: [1, 0.9], y: 1 }];
    expect(fitLogistic(rows)).toEqual(fitLogistic(rows));
  });
});

describe('reliability', () => {
  it('reports zero calibration error when predictions match outcomes per bin, and the gap when they do not', () => {
    const matched = [...Array.from({ length: 10 }, (_, i) => ({ p: 0.25, y: i < 2 ? 1 : 0 })), ...Array.from({ length: 10 }, (_, i) => ({ p: 0.25, y: i < 3 ? 1 : 0 }))];
    expect(reliability(matched).ece).toBeCloseTo(0, 5);
    const overconfident = Array.from({ length: 10 }, (_, i) => ({ p: 0.95, y: i < 5 ? 1 : 0 }));
    expect(reliability(overconfident).ece).toBeCloseTo(0.45, 5);
  });
});

describe('checkCalibration', () => {
  it('accepts the committed calibration and refuses one whose inputs differ from the code', () => {
    const committed = calibrationData as Calibration;
    expect(checkCalibration(committed)).toBe(committed);
    expect(() => checkCalibration({ ...committed, complaintFeatures: committed.complaintFeatures.slice(1) })).toThrow(/retrain/);
  });

  it('has a triage threshold and a negative level that are probabilities', () => {
    const c = calibrationData as Calibration;
    expect(c.triageThreshold).toBeGreaterThan(0);
    expect(c.triageThreshold).toBeLessThan(1);
    expect(c.negativeOpinion).toBeGreaterThan(0);
  });
});
