/** Figures of the FAQ evaluation: rank accuracy, calibration (reliability table, ECE), confident-wrong shares. */

/** Rank of the right entry per question (0 = first; -1 = not among those returned). */
export interface RankFigures {
  n: number;
  top1: number;
  top3: number;
  mrr: number;
}

/** Top-1, top-3 and mean reciprocal rank (over the ranks returned; a miss counts 0). */
export function rankFigures(ranks: readonly number[]): RankFigures {
  const n = ranks.length;
  if (n === 0) return { n, top1: NaN, top3: NaN, mrr: NaN };
  let top1 = 0;
  let top3 = 0;
  let mrr = 0;
  for (const r of ranks) {
    if (r === 0) top1++;
    if (r >= 0 && r < 3) top3++;
    if (r >= 0) mrr += 1 / (r + 1);
  }
  return { n, top1: top1 / n, top3: top3 / n, mrr: mrr / n };
}

/** A scored prediction: the probability given, and whether it was right. */
export interface Scored {
  p: number;
  correct: boolean;
}

/** One bin of a reliability table. */
export interface ReliabilityBin {
  from: number;
  to: number;
  n: number;
  meanScore: number;
  accuracy: number;
}

/** Equal-width reliability table over [0, 1] (the last bin includes 1). */
export function reliabilityTable(scored: readonly Scored[], bins = 10): ReliabilityBin[] {
  const out = Array.from({ length: bins }, (_, i) => ({ from: i / bins, to: (i + 1) / bins, n: 0, sumP: 0, hits: 0 }));
  for (const s of scored) {
    const b = out[Math.min(bins - 1, Math.max(0, Math.floor(s.p * bins)))]!;
    b.n++;
    b.sumP += s.p;
    if (s.correct) b.hits++;
  }
  return out.map((b) => ({ from: b.from, to: b.to, n: b.n, meanScore: b.n ? b.sumP / b.n : NaN, accuracy: b.n ? b.hits / b.n : NaN }));
}

/** Expected calibration error: the bins' |accuracy − mean score|, weighted by their share. */
export function expectedCalibrationError(scored: readonly Scored[], bins = 10): number {
  const total = scored.length;
  if (!total) return NaN;
  return reliabilityTable(scored, bins).reduce((sum, b) => (b.n ? sum + (b.n / total) * Math.abs(b.accuracy - b.meanScore) : sum), 0);
}

/** Share of values at or above a threshold. */
export function shareAtLeast(values: readonly number[], threshold: number): number {
  return values.length ? values.filter((v) => v >= threshold).length / values.length : NaN;
}

/**
 * The lowest threshold (on a 0.05 grid) at which, on the data given, at most `maxOutOfFaq` of out-of-FAQ
 * questions and at most `maxWrong` of confident in-FAQ answers would be wrong; null when none qualifies.
 */
export function chooseThreshold(inFaqTop1: readonly Scored[], outOfFaqTop1: readonly number[], maxOutOfFaq = 0.05, maxWrong = 0.1): number | null {
  for (let t = 0.3; t <= 0.951; t += 0.05) {
    const th = Math.round(t * 100) / 100;
    const confident = inFaqTop1.filter((s) => s.p >= th);
    const wrong = confident.length ? confident.filter((s) => !s.correct).length / confident.length : 0;
    if (shareAtLeast(outOfFaqTop1, th) <= maxOutOfFaq && wrong <= maxWrong) return th;
  }
  return null;
}
