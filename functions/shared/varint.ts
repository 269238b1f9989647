/**
 * LEB128 varints of non-negative integers (up to 2^53): the compact integer lists the classifier model's
 * bucket gaps and the FAQ index's postings are stored as.
 */

/** Encodes non-negative integers as LEB128 varints. */
export function encodeVarints(values: readonly number[]): Uint8Array {
  const out: number[] = [];
  for (let v of values) {
    do {
      let b = v & 0x7f;
      v = Math.floor(v / 128);
      if (v > 0) b |= 0x80;
      out.push(b);
    } while (v > 0);
  }
  return Uint8Array.from(out);
}

/** Reads LEB128 varints into a typed array (no per-value allocation: this is most of an index's load). */
export function decodeVarintArray(bytes: Uint8Array): Float64Array {
  const out = new Float64Array(bytes.length);
  let n = 0;
  let value = 0;
  let scale = 1;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    value += (b & 0x7f) * scale;
    if (b & 0x80) scale *= 128;
    else {
      out[n++] = value;
      value = 0;
      scale = 1;
    }
  }
  return out.subarray(0, n);
}

/** Reads LEB128 varints. */
export function decodeVarints(bytes: Uint8Array): number[] {
  return Array.from(decodeVarintArray(bytes));
}
