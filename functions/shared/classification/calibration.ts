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
  /**
   * A monotone map applied to the category model's probability (knots [p, confidence], p increasing,
   * confidence non-decreasing; straight lines between them, flat beyond the ends): a logistic on these few
   * inputs cannot follow the reliability curve's bends, the map can. Optional: without it the logistic's
   * probability is the confidence.
   */
  confidenceMap?: [number, number][];
  /** Opinion head's negative probability from which a message reads negative. */
  negativeOpinion: number;
  /** Default `REDRESS_TRIAGE_THRESHOLD`: complaint probability from which a non-complaint goes to triage. */
  triageThreshold: number;
  /** Provenance: what the calibration was fitted on, and its figures there. */
  meta?: Record<string, unknown>;
}

/** The complaint model's inputs, by name. Changing them needs a new calibration (train:classifier). */
export const COMPLAINT_FEATURES = ['bias', 'score:complaint', 'score:inquiry', 'score:suggestion', 'score:praise', 'is:complaint', 'is:inquiry', 'is:suggestion', 'is:praise', 'opinion:negative', 'opinion:positive', 'zh', 'long', 'question', 'unsupported', 'zh:margin', 'words:negative', 'asks:why', 'customer:complaint'] as const;
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
  /**
   * The customer kind head's own P(complaint) (trained on messages as customers write them, complaints put
   * as questions among them), apart from its share in `scores`; 0 without the head. Read only for a message
   * not taken as a complaint (the complaints triage must catch): a complaint decided by the rules ("formal
   * complaint") keeps the probability the other inputs give it, whatever this head thinks.
   */
  customerComplaint: number;
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
/** A probability's log-odds, clipped and scaled like the scores (0 for no head: p 0 reads as "no evidence"). */
const logOdds = (p: number): number => (p > 0 ? clipScore(Math.log(p / Math.max(1 - p, 1e-9))) : 0);

/** The complaint model's input vector (COMPLAINT_FEATURES order). */
export function complaintInputs(e: KindEvidence): number[] {
  // Written out rather than spread: this runs for every message (throughput).
  const max = maxOf(e.scores);
  const x = [1];
  for (let i = 0; i < e.scores.length; i++) x.push(clipScore(e.scores[i]! - max));
  for (const k of KINDS) x.push(flag(e.kind === k));
  x.push(e.opinionNegative, e.opinionPositive, flag(e.zh), flag(e.long), flag(e.question), flag(e.unsupported), clipScore(e.zhMargin), flag(e.negativeWords), flag(e.asksWhy), logOdds(e.kind === 'complaint' ? 0 : e.customerComplaint));
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

/** A fitted logistic model's probability for inputs `x` (as `fitLogistic` fits it). */
export const logisticProbability = (w: readonly number[], x: readonly number[]): number => sigmoid(dot(w, x));
function dot(w: readonly number[], x: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < w.length; i++) sum += w[i]! * x[i]!;
  return sum;
}

/** Check a stored calibration against the inputs this code computes (a stale file fails at load). */
export function checkCalibration(c: Calibration): Calibration {
  if (c.complaintFeatures.join() !== COMPLAINT_FEATURES.join() || c.complaintWeights.length !== COMPLAINT_FEATURES.length) throw new Error('calibration: complaint features differ from the code; retrain (npm run train:classifier)');
  if (c.categoryFeatures.join() !== CATEGORY_FEATURES.join() || c.categoryWeights.length !== CATEGORY_FEATURES.length) throw new Error('calibration: category features differ from the code; retrain (npm run train:classifier)');
  const map = c.confidenceMap;
  if (map !== undefined) {
    const knots = Array.isArray(map) && map.length > 0 && map.every((k) => Array.isArray(k) && k.length === 2 && k.every((v) => typeof v === 'number' && v >= 0 && v <= 1));
    const monotone = knots && map.every((k, i) => i === 0 || (k[0] > map[i - 1]![0] && k[1] >= map[i - 1]![1]));
    if (!monotone) throw new Error('calibration: confidenceMap must be knots [p, confidence] in [0, 1], p increasing and confidence non-decreasing; retrain (npm run train:classifier)');
  }
  return c;
}

/**
 * Calibrated kind probabilities: the complaint model's P(complaint); the other kinds share the rest in
 * proportion to the kind decision's own probabilities.
 */
export function kindProbabilities(c: Calibration, e: KindEvidence): KindProbabilities {
  const complaint = logisticProbability(c.complaintWeights, complaintInputs(e));
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
  const p = logisticProbability(c.categoryWeights, categoryInputs(e));
  return c.confidenceMap ? applyMonotoneMap(c.confidenceMap, p) : p;
}

/** A monotone map's value at `p`: straight lines between knots, the end knots' values beyond them. */
export function applyMonotoneMap(map: readonly (readonly [number, number])[], p: number): number {
  if (p <= map[0]![0]) return map[0]![1];
  for (let i = 1; i < map.length; i++) {
    const [x1, y1] = map[i]!;
    if (p <= x1) {
      const [x0, y0] = map[i - 1]!;
      return y0 + ((y1 - y0) * (p - x0)) / (x1 - x0);
    }
  }
  return map[map.length - 1]![1];
}

/**
 * Fit a monotone map from predicted probabilities to observed rates (histogram binning, then isotonic
 * regression over the bins): the pairs are sorted by `p` and cut into `bins` bins of equal count; adjacent
 * bins whose observed rates fall as `p` rises are pooled (pool-adjacent-violators, weighted by size) until
 * the rates rise; each pool is a knot at its mean `p` and its observed rate.
 */
export function fitMonotoneMap(pairs: readonly { p: number; y: number }[], bins = 20): [number, number][] {
  const sorted = [...pairs].sort((a, b) => a.p - b.p);
  const pools: { n: number; p: number; y: number }[] = [];
  for (let b = 0; b < bins; b++) {
    const part = sorted.slice(Math.floor((b * sorted.length) / bins), Math.floor(((b + 1) * sorted.length) / bins));
    if (!part.length) continue;
    pools.push({ n: part.length, p: part.reduce((s, r) => s + r.p, 0) / part.length, y: part.reduce((s, r) => s + r.y, 0) / part.length });
    // Pool while the last two violate monotonicity.
    while (pools.length > 1 && pools[pools.length - 2]!.y >= pools[pools.length - 1]!.y) {
      const b2 = pools.pop()!;
      const a = pools.pop()!;
      const n = a.n + b2.n;
      pools.push({ n, p: (a.p * a.n + b2.p * b2.n) / n, y: (a.y * a.n + b2.y * b2.n) / n });
    }
  }
  const knots: [number, number][] = [];
  for (const q of pools) {
    const knot: [number, number] = [Number(q.p.toFixed(4)), Number(q.y.toFixed(4))];
    // Two pools whose mean p rounds alike become one knot (the later, higher rate).
    if (knots.length && knots[knots.length - 1]![0] === knot[0]) knots[knots.length - 1] = knot;
    else knots.push(knot);
  }
  return knots;
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
      const err = (logisticProbability(w, r.x) - r.y) * (r.w ?? 1);
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
