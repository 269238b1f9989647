/**
 * Calibration: turning the decisions' raw scores into probabilities that mean what they say. Two small
 * logistic models, fitted by scripts/train-classifier.ts on the cross-validation folds' out-of-fold answers
 * (never the locked fold) and stored in model/calibration.json:
 *
 * - **complaint**: P(the message is a complaint), from the kind decision's final log-odds, the kind it chose,
 *   the opinion head and the message's shape. The other kinds share the rest in proportion to their raw
 *   probabilities, so `probabilities` sums to 1.
 * - **category**: P(the chosen category is right), from the category probabilities' top two and the
 *   message's shape: this is `confidence`.
 *
 * Plus the triage threshold on the complaint probability and the opinion level from which a message reads
 * negative, both chosen on the same out-of-fold answers (scripts/eval-classifier.ts reports the locked fold).
 */
import type { Kind, KindProbabilities } from '../../../schemas/feedback.ts';
import { KINDS } from '../../../schemas/feedback.ts';

/** The stored calibration (model/calibration.json). */
export interface Calibration {
  /** Names of the complaint model's inputs, in `complaintWeights` order (checked at load). */
  complaintFeatures: string[];
  complaintWeights: number[];
  categoryFeatures: string[];
  categoryWeights: number[];
  /** Opinion head's negative probability from which a message reads negative. */
  negativeOpinion: number;
  /** Default `REDRESS_TRIAGE_THRESHOLD`: complaint probability from which a non-complaint goes to triage. */
  triageThreshold: number;
  /** Provenance: what the calibration was fitted on, and its figures there. */
  meta?: Record<string, unknown>;
}

/** The complaint model's inputs, by name. Changing them needs a new calibration (train:classifier). */
export const COMPLAINT_FEATURES = ['bias', 'score:complaint', 'score:inquiry', 'score:suggestion', 'score:praise', 'is:complaint', 'is:inquiry', 'is:suggestion', 'is:praise', 'opinion:negative', 'opinion:positive', 'zh', 'long', 'question', 'unsupported', 'zh:margin', 'words:negative', 'asks:why'] as const;
/** The category model's inputs, by name. */
export const CATEGORY_FEATURES = ['bias', 'log:top', 'log:second', 'zh', 'long', 'cue'] as const;

/** Scores beyond this many log-odds say nothing more (a rule's decisive +12 or +100): clipped, then scaled. */
const SCORE_CLIP = 15;
const SCORE_SCALE = 5;

/** What the complaint model reads from one classification. */
export interface KindEvidence {
  scores: Float64Array;
  kind: Kind;
  opinionNegative: number;
  opinionPositive: number;
  zh: boolean;
  long: boolean;
  question: boolean;
  unsupported: boolean;
  /** Chinese positive-minus-negative margin (0 for other languages). */
  zhMargin: number;
  /** The lexicon's opinion words lean negative. */
  negativeWords: boolean;
  /** The message asks why ("why was I charged…", 为什么, 点解): often a complaint put as a question. */
  asksWhy: boolean;
}

/** What the category model reads from one classification. */
export interface CategoryEvidence {
  probabilities: Float64Array;
  zh: boolean;
  long: boolean;
  /** A lexicon cue of the chosen category was found. */
  cue: boolean;
}

const clipScore = (x: number): number => Math.max(-SCORE_CLIP, Math.min(SCORE_CLIP, x)) / SCORE_SCALE;
const flag = (b: boolean): number => (b ? 1 : 0);

/** The complaint model's input vector (COMPLAINT_FEATURES order). */
export function complaintInputs(e: KindEvidence): number[] {
  // Written out rather than spread: this runs for every message (throughput).
  const max = maxOf(e.scores);
  const x = [1];
  for (let i = 0; i < e.scores.length; i++) x.push(clipScore(e.scores[i]! - max));
  for (const k of KINDS) x.push(flag(e.kind === k));
  x.push(e.opinionNegative, e.opinionPositive, flag(e.zh), flag(e.long), flag(e.question), flag(e.unsupported), clipScore(e.zhMargin), flag(e.negativeWords), flag(e.asksWhy));
  return x;
}

function maxOf(xs: Float64Array): number {
  let m = -Infinity;
  for (let i = 0; i < xs.length; i++) if (xs[i]! > m) m = xs[i]!;
  return m;
}

/** The category model's input vector (CATEGORY_FEATURES order). */
export function categoryInputs(e: CategoryEvidence): number[] {
  let top = 0, second = 0;
  for (let i = 0; i < e.probabilities.length; i++) {
    const p = e.probabilities[i]!;
    if (p > top) [top, second] = [p, top];
    else if (p > second) second = p;
  }
  return [1, Math.log(Math.max(top, 1e-9)), Math.log(Math.max(second, 1e-9)), flag(e.zh), flag(e.long), flag(e.cue)];
}

const COMPLAINT_INDEX = KINDS.indexOf('complaint');
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
function dot(w: readonly number[], x: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < w.length; i++) sum += w[i]! * x[i]!;
  return sum;
}

/** Check a stored calibration against the inputs this code computes (a stale file fails at load). */
export function checkCalibration(c: Calibration): Calibration {
  if (c.complaintFeatures.join() !== COMPLAINT_FEATURES.join() || c.complaintWeights.length !== COMPLAINT_FEATURES.length) throw new Error('calibration: complaint features differ from the code; retrain (npm run train:classifier)');
  if (c.categoryFeatures.join() !== CATEGORY_FEATURES.join() || c.categoryWeights.length !== CATEGORY_FEATURES.length) throw new Error('calibration: category features differ from the code; retrain (npm run train:classifier)');
  return c;
}

/**
 * Calibrated kind probabilities: the complaint model's P(complaint); the other kinds share the rest in
 * proportion to the kind decision's own probabilities.
 */
export function kindProbabilities(c: Calibration, e: KindEvidence): KindProbabilities {
  const complaint = sigmoid(dot(c.complaintWeights, complaintInputs(e)));
  const max = maxOf(e.scores);
  // Loops rather than Array.from and reduce with closures: this runs for every message (throughput).
  const raw = new Float64Array(e.scores.length);
  let others = 0;
  for (let i = 0; i < raw.length; i++) {
    raw[i] = Math.exp(e.scores[i]! - max);
    if (i !== COMPLAINT_INDEX) others += raw[i]!;
  }
  const share = (k: Kind): number => (others > 0 ? (raw[KINDS.indexOf(k)]! / others) * (1 - complaint) : (1 - complaint) / 3);
  return { complaint, inquiry: share('inquiry'), suggestion: share('suggestion'), praise: share('praise') };
}

/** Calibrated probability that the chosen category is right. */
export function categoryConfidence(c: Calibration, e: CategoryEvidence): number {
  return sigmoid(dot(c.categoryWeights, categoryInputs(e)));
}

/**
 * Fit a logistic model by full-batch gradient descent (deterministic: same rows, same weights), with a
 * little L2 so rare inputs do not run off. Rows are (inputs, label 0/1, weight).
 */
export function fitLogistic(rows: { x: number[]; y: number; w?: number }[], iterations = 400, l2 = 1e-3): number[] {
  const n = rows[0]?.x.length ?? 0;
  const w = new Array<number>(n).fill(0);
  const g2 = new Array<number>(n).fill(0);
  const total = rows.reduce((s, r) => s + (r.w ?? 1), 0) || 1;
  for (let it = 0; it < iterations; it++) {
    const grad = new Array<number>(n).fill(0);
    for (const r of rows) {
      const err = (sigmoid(dot(w, r.x)) - r.y) * (r.w ?? 1);
      for (let i = 0; i < n; i++) grad[i]! += err * r.x[i]!;
    }
    for (let i = 0; i < n; i++) {
      const g = grad[i]! / total + (i === 0 ? 0 : l2 * w[i]!);
      g2[i]! += g * g;
      w[i]! -= (0.5 * g) / (Math.sqrt(g2[i]!) + 1e-8);
    }
  }
  return w.map((x) => Number(x.toPrecision(6)));
}

/** One bin of a reliability table: mean predicted probability against the observed share. */
export interface ReliabilityBin {
  from: number;
  to: number;
  n: number;
  predicted: number;
  observed: number;
}

/** Reliability table (ten equal-width bins) and expected calibration error of probabilities against outcomes. */
export function reliability(pairs: { p: number; y: number }[], bins = 10): { table: ReliabilityBin[]; ece: number } {
  const table: ReliabilityBin[] = Array.from({ length: bins }, (_, i) => ({ from: i / bins, to: (i + 1) / bins, n: 0, predicted: 0, observed: 0 }));
  for (const { p, y } of pairs) {
    const b = table[Math.min(bins - 1, Math.floor(p * bins))]!;
    b.n++;
    b.predicted += p;
    b.observed += y;
  }
  let ece = 0;
  for (const b of table) {
    if (!b.n) continue;
    ece += (b.n / pairs.length) * Math.abs(b.predicted / b.n - b.observed / b.n);
    b.predicted /= b.n;
    b.observed /= b.n;
  }
  return { table, ece };
}
