/**
 * Calibration: a logistic model from a candidate's features to the probability that the entry answers
 * the question. Fitted on the tuning fold of the development data (scripts/eval-faq.ts --fit), with the
 * coverage weights held non-negative so that matching more of the question never lowers the score.
 */
import type { CandidateFeatures } from './rank.ts';
import calibrationData from './calibration.json' with { type: 'json' };

/** The features the model reads, in order. */
export const FEATURE_NAMES = ['questionCoverage', 'knownCoverage', 'entryCoverage', 'relative', 'lead', 'units', 'first'] as const satisfies ReadonlyArray<keyof CandidateFeatures>;
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
 * Fits the model by Newton's method on the log loss (a small ridge keeps it stable), with an active set for
 * the monotone weights: one that comes out negative is pinned at 0 and the rest refitted.
 */
export function fitCalibration(examples: readonly CalibrationExample[], options: { ridge?: number; iterations?: number } = {}): CalibrationModel {
  const ridge = options.ridge ?? 1e-3;
  const xs = examples.map((e) => [1, ...FEATURE_NAMES.map((f) => e.features[f])]);
  const ys = examples.map((e) => (e.correct ? 1 : 0));
  const pinned = new Set<number>();
  let w = new Array<number>(FEATURE_NAMES.length + 1).fill(0);
  for (let round = 0; round <= FEATURE_NAMES.length; round++) {
    const free = w.map((_, j) => j).filter((j) => !pinned.has(j));
    w = newtonFit(xs, ys, free, ridge, options.iterations ?? 25);
    const negative = free.filter((j) => j > 0 && MONOTONE.has(FEATURE_NAMES[j - 1]!) && w[j]! < 0);
    if (!negative.length) break;
    for (const j of negative) pinned.add(j);
  }
  return { bias: w[0]!, weights: Object.fromEntries(FEATURE_NAMES.map((f, j) => [f, w[j + 1]!])) as CalibrationModel['weights'] };
}

/** Logistic regression over the `free` coordinates (the others stay 0) by Newton–Raphson. */
function newtonFit(xs: readonly number[][], ys: readonly number[], free: readonly number[], ridge: number, iterations: number): number[] {
  const dim = xs[0]?.length ?? FEATURE_NAMES.length + 1;
  const w = new Array<number>(dim).fill(0);
  const k = free.length;
  for (let it = 0; it < iterations; it++) {
    const g = new Array<number>(k).fill(0);
    const h = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i]!;
      let z = 0;
      for (const j of free) z += w[j]! * x[j]!;
      const p = sigmoid(z);
      const r = p * (1 - p);
      for (let a = 0; a < k; a++) {
        const xa = x[free[a]!]!;
        g[a]! += (p - ys[i]!) * xa;
        for (let b = a; b < k; b++) h[a]![b]! += r * xa * x[free[b]!]!;
      }
    }
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < a; b++) h[a]![b] = h[b]![a]!;
      h[a]![a]! += ridge * xs.length;
      g[a]! += ridge * xs.length * w[free[a]!]!;
    }
    const step = solve(h, g);
    let size = 0;
    for (let a = 0; a < k; a++) {
      w[free[a]!]! -= step[a]!;
      size = Math.max(size, Math.abs(step[a]!));
    }
    if (size < 1e-9) break;
  }
  return w;
}

/** Solves h·x = g by Gaussian elimination with partial pivoting (h is small and positive definite). */
function solve(h: number[][], g: number[]): number[] {
  const n = g.length;
  const m = h.map((row, i) => [...row, g[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const piv = m[c]![c]! || 1e-12;
    for (let r = c + 1; r < n; r++) {
      const f = m[r]![c]! / piv;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= m[r]![k]! * x[k]!;
    x[r] = s / (m[r]![r]! || 1e-12);
  }
  return x;
}
