import { describe, expect, it } from 'vitest';
import { applyMonotoneMap, checkCalibration, fitLogistic, fitMonotoneMap, reliability, type Calibration } from './calibration.ts';
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
    const committed = calibrationData as unknown as Calibration;
    expect(checkCalibration(committed)).toBe(committed);
    expect(() => checkCalibration({ ...committed, complaintFeatures: committed.complaintFeatures.slice(1) })).toThrow(/retrain/);
  });

  it('has a triage threshold and a negative level that are probabilities', () => {
    const c = calibrationData as unknown as Calibration;
    expect(c.triageThreshold).toBeGreaterThan(0);
    expect(c.triageThreshold).toBeLessThan(1);
    expect(c.negativeOpinion).toBeGreaterThan(0);
  });
});

describe('the monotone confidence map', () => {
  it('maps predictions onto the observed rates where a logistic bends the wrong way, and stays monotone', () => {
    // Prepare: predictions that overstate in the middle and understate at the top (as the category model did).
    const pairs = Array.from({ length: 2000 }, (_, i) => {
      const p = 0.2 + (0.79 * i) / 2000;
      const rate = p < 0.6 ? p : p < 0.85 ? p - 0.08 : Math.min(1, p + 0.06);
      return { p, y: (i * 0.6180339887) % 1 < rate ? 1 : 0 };
    });
    // Act
    const map = fitMonotoneMap(pairs, 20);
    const mapped = pairs.map(({ p, y }) => ({ p: applyMonotoneMap(map, p), y }));
    // Assess
    expect(reliability(mapped).ece).toBeLessThan(reliability(pairs).ece / 2);
    for (let i = 1; i < map.length; i++) {
      expect(map[i]![0]).toBeGreaterThan(map[i - 1]![0]);
      expect(map[i]![1]).toBeGreaterThanOrEqual(map[i - 1]![1]);
    }
  });

  it('draws straight lines between knots and is flat beyond the ends', () => {
    const map: [number, number][] = [[0.2, 0.1], [0.6, 0.5], [0.9, 0.95]];
    expect(applyMonotoneMap(map, 0.05)).toBe(0.1);
    expect(applyMonotoneMap(map, 0.4)).toBeCloseTo(0.3);
    expect(applyMonotoneMap(map, 0.75)).toBeCloseTo(0.725);
    expect(applyMonotoneMap(map, 0.99)).toBe(0.95);
  });

  it('is refused when it is not monotone or not made of probabilities', () => {
    const committed = calibrationData as unknown as Calibration;
    expect(committed.confidenceMap?.length).toBeGreaterThan(5);
    for (const confidenceMap of [[], [[0.5, 0.6], [0.4, 0.7]], [[0.2, 0.6], [0.4, 0.5]], [[0.2, 1.5]], [[0.2]]]) {
      expect(() => checkCalibration({ ...committed, confidenceMap } as Calibration), JSON.stringify(confidenceMap)).toThrow(/confidenceMap/);
    }
  });
});
