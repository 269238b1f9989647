/**
 * Calibration: a logistic model from a candidate's features to the probability that the entry answers
 * the question. Fitted on the tuning fold of the development data (scripts/eval-faq.ts --fit), with the
 * coverage weights held non-negative so that matching more of the question never lowers the score.
 */
import type { CandidateFeatures } from './rank.ts';
import calibrationData from './calibration.json' with { type: 'json' };

/** The features the model reads, in order. */
export const FEATURE_NAMES = ['questionCoverage', 'knownCoverage', 'entryCoverage', 'relative', 'lead', 'units'] as const satisfies ReadonlyArray<keyof CandidateFeatures>;
/** Features whose weight must not be negative (more of the question or entry matched → not less likely). */
const MONOTONE = new Set<string>(['questionCoverage', 'knownCoverage', 'entryCoverage', 'relative']);

export interface CalibrationModel {
  bias: number;
  weights: Record<(typeof FEATURE_NAMES)[number], number>;
}

/** The committed model (calibration.json), fitted by `npm run eval:faq -- --fit`. */
export const DEFAULT_CALIBRATION: CalibrationModel = calibrationData as CalibrationModel;

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** The calibrated probability of one candidate. */
export function calibrate(features: CandidateFeatures, model: CalibrationModel = DEFAULT_CALIBRATION): number {
  let z = model.bias;
  for (const name of FEATURE_NAMES) z += model.weights[name] * features[name];
  return sigmoid(z);
}

/** One training example: a candidate's features and whether it was the right entry. */
export interface CalibrationExample {
  features: CandidateFeatures;
  correct: boolean;
}

/**
 * Fits the model by full-batch gradient descent on the log loss with a small L2 penalty (Newton steps are
 * not worth their code for six features), projecting the monotone weights back to ≥ 0 after each step.
 */
export function fitCalibration(examples: readonly CalibrationExample[], options: { iterations?: number; rate?: number; l2?: number } = {}): CalibrationModel {
  const iterations = options.iterations ?? 3000;
  const rate = options.rate ?? 0.5;
  const l2 = options.l2 ?? 1e-4;
  const n = FEATURE_NAMES.length;
  const w = new Float64Array(n);
  let bias = 0;
  const xs = examples.map((e) => FEATURE_NAMES.map((f) => e.features[f]));
  const ys = examples.map((e) => (e.correct ? 1 : 0));
  for (let it = 0; it < iterations; it++) {
    const g = new Float64Array(n);
    let gb = 0;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i]!;
      let z = bias;
      for (let j = 0; j < n; j++) z += w[j]! * x[j]!;
      const err = sigmoid(z) - ys[i]!;
      gb += err;
      for (let j = 0; j < n; j++) g[j]! += err * x[j]!;
    }
    const m = Math.max(1, xs.length);
    bias -= (rate * gb) / m;
    for (let j = 0; j < n; j++) {
      w[j]! -= rate * (g[j]! / m + l2 * w[j]!);
      if (MONOTONE.has(FEATURE_NAMES[j]!) && w[j]! < 0) w[j] = 0;
    }
  }
  return { bias, weights: Object.fromEntries(FEATURE_NAMES.map((f, j) => [f, w[j]!])) as CalibrationModel['weights'] };
}
