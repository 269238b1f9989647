/**
 * The linear model's file format and scorer. The weights live in `model/model.json`, written by
 * scripts/train-classifier.ts: a sorted list of hash buckets (delta-encoded varints, base64) and, per
 * output head, one signed byte per (bucket, label) with a per-head scale. Small enough for the Lambda
 * bundle, and decoded in well under a millisecond at cold start.
 */

/** One output head as stored: labels, the scale that turns int8 weights back into floats, the weights. */
export interface StoredHead {
  labels: string[];
  scale: number;
  /** base64 of int8[buckets × labels], row-major by bucket. */
  weights: string;
}

/** The model file. */
export interface StoredModel {
  format: 1;
  hashBits: number;
  /** base64 of LEB128 varints: the first bucket id, then the gaps between consecutive sorted ids. */
  buckets: string;
  heads: Record<string, StoredHead>;
  /** Free-form provenance: training sets, split, date, figures. */
  meta?: Record<string, unknown>;
}

/** A head ready to score. */
export interface LoadedHead {
  labels: string[];
  scale: number;
  weights: Int8Array;
}

/** A decoded model: bucket id → row, and the heads. */
export interface LoadedModel {
  rows: Map<number, number>;
  heads: Record<string, LoadedHead>;
}

/** Decode base64 without relying on Buffer (works in any JS runtime). */
function fromBase64(b64: string): Uint8Array {
  if (typeof Buffer !== 'undefined') return new Uint8Array(Buffer.from(b64, 'base64'));
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Decode LEB128 varints. */
export function decodeVarints(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const b of bytes) {
    value += (b & 0x7f) * 2 ** shift;
    if (b & 0x80) shift += 7;
    else {
      out.push(value);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

/** Encode non-negative integers as LEB128 varints. */
export function encodeVarints(values: number[]): Uint8Array {
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

/** Turn the stored model into lookup tables. */
export function loadModel(stored: StoredModel): LoadedModel {
  const gaps = decodeVarints(fromBase64(stored.buckets));
  const rows = new Map<number, number>();
  let id = 0;
  gaps.forEach((gap, i) => {
    id += gap;
    rows.set(id, i);
  });
  const heads: Record<string, LoadedHead> = {};
  for (const [name, h] of Object.entries(stored.heads)) {
    const bytes = fromBase64(h.weights);
    heads[name] = { labels: h.labels, scale: h.scale, weights: new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length) };
  }
  return { rows, heads };
}

/**
 * Raw scores of one head for a text's features. Features are scaled by 1/sqrt(count) (as in training) so
 * long narratives and one-line messages score on the same footing.
 */
export function scoreHead(model: LoadedModel, head: LoadedHead, features: number[]): Float64Array {
  const n = head.labels.length;
  const acc = new Float64Array(n);
  for (const f of features) {
    const row = model.rows.get(f);
    if (row === undefined) continue;
    const base = row * n;
    for (let l = 0; l < n; l++) acc[l]! += head.weights[base + l]!;
  }
  const k = head.scale / Math.sqrt(Math.max(1, features.length));
  for (let l = 0; l < n; l++) acc[l]! *= k;
  return acc;
}

/** Softmax of scores (numerically stable). */
export function softmax(scores: Float64Array): Float64Array {
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  const out = new Float64Array(scores.length);
  let sum = 0;
  for (let i = 0; i < scores.length; i++) {
    out[i] = Math.exp(scores[i]! - max);
    sum += out[i]!;
  }
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
}
