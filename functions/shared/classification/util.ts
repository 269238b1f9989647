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
