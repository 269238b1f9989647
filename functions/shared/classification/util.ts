/** Small numeric and wording helpers the decisions share. */

/** Round to three decimals (for reasons and outputs). */
export const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Index of the largest value (the first one on ties). */
export function argmax(xs: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i]! > xs[best]!) best = i;
  return best;
}

/** Up to four cues, quoted, for a reason. */
export const quote = (cues: readonly string[]): string => cues.slice(0, 4).map((c) => `"${c}"`).join(', ');

/**
 * Add another head's vote to a decision's log-odds: `weight` × the log of its probabilities, each floored at
 * `floor` so that a head that barely knows a label cannot veto what the lexicon's cues lift.
 */
export function addLogProbabilities(scores: Float64Array, probabilities: ArrayLike<number>, weight: number, floor: number): void {
  for (let i = 0; i < probabilities.length; i++) scores[i]! += weight * Math.log(Math.max(probabilities[i]!, floor));
}

/** `base` moved towards a larger `target` by `share` (0 to 1); a target below the base leaves it as it is. */
export function towards(base: number, target: number, share: number): number {
  return base + share * Math.max(0, target - base);
}
