/**
 * The linear model's file format and scorer. The weights live in `model/model.json`, written by
 * scripts/train-classifier.ts. Each output head keeps its own small set of hash buckets (the features
 * that matter for it), stored as a sorted list of ids, and one signed 4-bit or 8-bit weight per (bucket,
 * label) with a per-head scale. On disk (format 5) every head's bytes sit in one DEFLATE-compressed blob:
 * most quantised weights are zero or small, so it compresses to under half and the Lambda bundle that
 * carries the model shrinks by as much. DEFLATE rather than Brotli (format 4): the blob is inflated at every
 * cold start, and for this 1.2 MB blob inflating takes about 5 ms where Brotli took 10, for a file 16 %
 * larger. Decoded once per container, in a few milliseconds: the bucket ids
 * are fixed-width 16-bit gaps rather than varints because this decode runs once, cold, in V8's interpreter,
 * where a varint loop over 36 KB took 6–12 ms and a gap sum over 23,000 uint16s takes about 2.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { decodeVarints, encodeVarints } from '../varint.ts';

/** One output head as stored. */
export interface StoredHead {
  labels: string[];
  /** Multiply a stored integer weight by this to get the trained float weight. */
  scale: number;
  /** 4: two weights per byte (low nibble first, two's complement -8..7); 8: one int8 per weight. */
  bits: 4 | 8;
  /** base64 of LEB128 varints: the first bucket id, then the gaps between consecutive sorted ids. */
  buckets: string;
  /** base64 of the packed weights, row-major by bucket. */
  weights: string;
}

/** The model file. */
export interface StoredModel {
  format: 2;
  hashBits: number;
  heads: Record<string, StoredHead>;
  /** Provenance: training sets, split, date, figures. */
  meta?: Record<string, unknown>;
}

/** One head's description in a packed model file: its bytes are two slices of the shared blob. */
export interface PackedHead {
  labels: string[];
  scale: number;
  bits: 4 | 8;
  /** Byte lengths of the head's bucket gaps (uint16 little-endian, see `encodeGaps16`) and its weights (one int8 each). */
  bucketBytes: number;
  weightBytes: number;
}

/** The model file as committed: heads' metadata plus one DEFLATE-compressed, base64 blob of all their bytes. */
export interface PackedModel {
  format: 5;
  hashBits: number;
  heads: Record<string, PackedHead>;
  /**
   * base64 of raw DEFLATE(every head's bucket gaps, in `heads` order, then every head's weights, in the same
   * order). Gaps first keeps each head's uint16s at an even offset, so they are read in place.
   */
  blob: string;
  meta?: Record<string, unknown>;
}

/** A gap this large adds 65,535 to the running id and ends no id, so any gap fits in uint16s. */
const GAP_CONTINUES = 0xffff;

/** Sorted ids as uint16 gaps from 0 (little-endian bytes); a gap of 65,535 or more is split with GAP_CONTINUES. */
export function encodeGaps16(ids: ArrayLike<number>): Uint8Array {
  const gaps: number[] = [];
  let previous = 0;
  for (let i = 0; i < ids.length; i++) {
    let gap = ids[i]! - previous;
    if (gap < 0 || (i > 0 && gap === 0)) throw new Error('model: bucket ids must be sorted and distinct');
    for (; gap >= GAP_CONTINUES; gap -= GAP_CONTINUES) gaps.push(GAP_CONTINUES);
    gaps.push(gap);
    previous = ids[i]!;
  }
  const out = new Uint8Array(gaps.length * 2);
  gaps.forEach((g, i) => ((out[2 * i] = g & 0xff), (out[2 * i + 1] = g >> 8)));
  return out;
}

/** True on little-endian hosts (every Lambda architecture), where uint16 gaps can be viewed in place. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Sorted ids from `encodeGaps16` bytes: one pass of additions over a Uint16Array view (a copy where unaligned). */
export function decodeGaps16(bytes: Uint8Array): Uint32Array {
  const n = bytes.length >> 1;
  let gaps: Uint16Array;
  if (LITTLE_ENDIAN && bytes.byteOffset % 2 === 0) gaps = new Uint16Array(bytes.buffer, bytes.byteOffset, n);
  else {
    gaps = new Uint16Array(n);
    for (let i = 0; i < n; i++) gaps[i] = bytes[2 * i]! | (bytes[2 * i + 1]! << 8);
  }
  const ids = new Uint32Array(n);
  let id = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const gap = gaps[i]!;
    id += gap;
    if (gap !== GAP_CONTINUES) ids[k++] = id;
  }
  return k === n ? ids : ids.slice(0, k);
}

/** Pack a model for the file: one compressed blob instead of a base64 string per head. */
export function packModel(stored: StoredModel): PackedModel {
  const heads: Record<string, PackedHead> = {};
  const bucketParts: Uint8Array[] = [];
  const weightParts: Uint8Array[] = [];
  for (const [name, h] of Object.entries(stored.heads)) {
    const ids = decodeBucketIds(fromBase64(h.buckets));
    const buckets = encodeGaps16(ids);
    // Weights go into the blob one signed byte each, whatever their quantisation: the compressor squeezes the
    // unused high bits out and the loader can then use the bytes as they are.
    const int8 = unpackWeights(fromBase64(h.weights), h.bits, ids.length * h.labels.length);
    const weights = new Uint8Array(int8.buffer, int8.byteOffset, int8.length);
    heads[name] = { labels: h.labels, scale: h.scale, bits: h.bits, bucketBytes: buckets.length, weightBytes: weights.length };
    bucketParts.push(buckets);
    weightParts.push(weights);
  }
  const blob = deflateRawSync(Buffer.concat([...bucketParts, ...weightParts]), { level: 9, memLevel: 9 });
  return { format: 5, hashBits: stored.hashBits, heads, blob: blob.toString('base64'), ...(stored.meta ? { meta: stored.meta } : {}) };
}

/** Each head's bucket and weight bytes, sliced out of a packed model's decompressed blob. */
function headBytes(packed: PackedModel): Map<string, { buckets: Uint8Array; weights: Uint8Array }> {
  if (packed.format !== 5) throw new Error(`model: file format ${String(packed.format)} is not 5; retrain with scripts/train-classifier.ts`);
  const bytes = inflateRawSync(Buffer.from(packed.blob, 'base64'));
  let at = 0;
  const take = (n: number): Uint8Array => {
    if (at + n > bytes.length) throw new Error('model: the blob is shorter than its heads say');
    at += n;
    return bytes.subarray(at - n, at);
  };
  const heads = Object.entries(packed.heads);
  for (const [name, h] of heads) if (h.bucketBytes % 2 !== 0) throw new Error(`model: head ${name} has an odd number of gap bytes`);
  const buckets = heads.map(([, h]) => take(h.bucketBytes));
  const out = new Map<string, { buckets: Uint8Array; weights: Uint8Array }>();
  heads.forEach(([name, h], i) => out.set(name, { buckets: buckets[i]!, weights: take(h.weightBytes) }));
  if (at !== bytes.length) throw new Error('model: the blob is longer than its heads say');
  return out;
}

/** Undo `packModel`: the per-head form the trainer writes in memory. */
export function unpackModel(packed: PackedModel): StoredModel {
  const bytes = headBytes(packed);
  const heads: Record<string, StoredHead> = {};
  for (const [name, h] of Object.entries(packed.heads)) {
    const b = bytes.get(name)!;
    const int8 = new Int8Array(b.weights.buffer, b.weights.byteOffset, b.weights.length);
    const ids = decodeGaps16(b.buckets);
    const varints = encodeVarints(Array.from(ids, (id, i) => id - (i ? ids[i - 1]! : 0)));
    heads[name] = { labels: h.labels, scale: h.scale, bits: h.bits, buckets: Buffer.from(varints).toString('base64'), weights: Buffer.from(packWeights(int8, h.bits)).toString('base64') };
  }
  return { format: 2, hashBits: packed.hashBits, heads, ...(packed.meta ? { meta: packed.meta } : {}) };
}

/**
 * Every scored head's bucket ids in one table, so that a message's features are looked up once whatever the
 * number of heads that score them (a message is scored by up to eight), not once per head by binary search.
 * A head joins the table when it is first scored: decoding stays as cheap as it was at cold start, and heads
 * read another way (the TF-IDF head and its idf table) never join.
 */
export interface FeatureIndex {
  /** Feature id → 1 + its slot among the ids the joined heads know; 0 when none knows it (made at the first join). */
  slotOf: Int32Array | null;
  /** Table size: 2^hashBits. */
  size: number;
  /** Slots given so far, and the most there can be (every head's bucket count together). */
  slots: number;
  capacity: number;
  /**
   * The last feature list looked up and its known slots: the heads score one message's list one after the
   * other, so it is resolved once. Feature lists are never changed once made (`extractFeatures` makes a new
   * one); a head joining forgets it, as the list may hold ids only the new head knows.
   */
  last: { features: readonly number[]; slots: Int32Array } | null;
}

/** A head ready to score: bucket id → row, and the unpacked weights. */
export interface LoadedHead {
  labels: string[];
  scale: number;
  /** The head's bucket ids, sorted: a feature's row is its index here. */
  buckets: Uint32Array;
  weights: Int8Array;
  /** The model's shared feature table, and what the head has once it has joined it (`joinedForm`). */
  index: FeatureIndex;
  joined: JoinedHead | null;
}

/** A head's form for scoring, made when it joins the feature table. */
interface JoinedHead {
  /** 1 + the head's row for each slot (0: not this head's). */
  rowOfSlot: Int32Array;
  /**
   * The weights two labels to a 32-bit word: (w + 128) in bits 0–14 and 15–29, so one integer addition adds two
   * labels' weights. A lane holds 128 rows' sums (≤ 255 × 128) before it must be emptied; the sum never
   * reaches the sign bit, so additions stay small integers. Scoring is 2× fewer additions, with exact sums.
   */
  pairs: Int32Array;
}

/** Rows summed into the paired lanes before they are emptied (see `JoinedHead.pairs`). */
const ROWS_PER_LANE_FILL = 128;
const LANE_BITS = 15;
const LANE_MASK = (1 << LANE_BITS) - 1;
const WEIGHT_BIAS = 128;

/** A decoded model. */
export interface LoadedModel {
  heads: Record<string, LoadedHead>;
}

function fromBase64(b64: string): Uint8Array {
  return new Uint8Array(Buffer.from(b64, 'base64'));
}


export { decodeVarints, encodeVarints };

/** Pack integer weights (-8..7 for 4 bits, -127..127 for 8 bits) into bytes. */
export function packWeights(values: Int8Array, bits: 4 | 8): Uint8Array {
  if (bits === 8) return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.length));
  const out = new Uint8Array(Math.ceil(values.length / 2));
  for (let i = 0; i < values.length; i++) out[i >> 1]! |= (values[i]! & 0x0f) << ((i & 1) * 4);
  return out;
}

/** Unpack weights stored by `packWeights`. */
export function unpackWeights(bytes: Uint8Array, bits: 4 | 8, count: number): Int8Array {
  if (bits === 8) return new Int8Array(bytes.buffer, bytes.byteOffset, count);
  const out = new Int8Array(count);
  for (let i = 0; i < count; i++) {
    const nibble = (bytes[i >> 1]! >> ((i & 1) * 4)) & 0x0f;
    out[i] = nibble >= 8 ? nibble - 16 : nibble;
  }
  return out;
}

/** Turn the stored (or packed) model into lookup tables. */
export function loadModel(model: StoredModel | PackedModel): LoadedModel {
  // A packed model is decoded straight from its blob's bytes (no detour through base64 per head).
  const packedBytes = model.format === 2 ? null : headBytes(model);
  const decoded: Record<string, Omit<LoadedHead, 'index' | 'joined'>> = {};
  for (const [name, h] of Object.entries(model.heads)) {
    const bytes = packedBytes?.get(name);
    const stored = h as StoredHead;
    const buckets = bytes ? decodeGaps16(bytes.buckets) : decodeBucketIds(fromBase64(stored.buckets));
    const count = buckets.length * h.labels.length;
    // A packed head's byte counts must agree with its bucket and label counts, or heads would read each other's weights.
    if (bytes && bytes.weights.length !== count) throw new Error(`model: head ${name} has ${bytes.weights.length} weight bytes, expected ${count}`);
    const weights = bytes ? new Int8Array(bytes.weights.buffer, bytes.weights.byteOffset, count) : unpackWeights(fromBase64(stored.weights), h.bits, count);
    if (weights.length !== count) throw new Error(`model: head ${name} has ${weights.length} weights, expected ${count}`);
    decoded[name] = { labels: h.labels, scale: h.scale, buckets, weights };
  }
  return { heads: withFeatureIndex(decoded, model.hashBits) };
}

/** Give decoded heads one shared feature table (`FeatureIndex`), which each joins when first scored. */
function withFeatureIndex(decoded: Record<string, Omit<LoadedHead, 'index' | 'joined'>>, hashBits: number): Record<string, LoadedHead> {
  const capacity = Object.values(decoded).reduce((n, h) => n + h.buckets.length, 0);
  const index: FeatureIndex = { slotOf: null, size: 2 ** hashBits, slots: 0, capacity, last: null };
  const heads: Record<string, LoadedHead> = {};
  for (const [name, h] of Object.entries(decoded)) heads[name] = { ...h, index, joined: null };
  return heads;
}

/** A head's scoring form, joining it to the feature table on its first score. */
function joinedForm(head: LoadedHead): JoinedHead {
  if (head.joined) return head.joined;
  const index = head.index;
  const slotOf = (index.slotOf ??= new Int32Array(index.size));
  const rowOfSlot = new Int32Array(index.capacity);
  const buckets = head.buckets;
  for (let row = 0; row < buckets.length; row++) {
    const id = buckets[row]!;
    if (id >= index.size) throw new Error(`model: bucket id ${id} is outside the model's ${index.size} hash buckets`);
    let slot = slotOf[id]!;
    if (!slot) slotOf[id] = slot = ++index.slots;
    rowOfSlot[slot - 1] = row + 1;
  }
  index.last = null;
  const n = head.labels.length;
  const lanes = (n + 1) >> 1;
  const pairs = new Int32Array(buckets.length * lanes);
  const w = head.weights;
  for (let row = 0; row < buckets.length; row++) {
    for (let j = 0; j < lanes; j++) {
      const l = row * n + 2 * j;
      // An odd label count leaves the last high lane at the bias: a zero weight.
      const high = 2 * j + 1 < n ? w[l + 1]! : 0;
      pairs[row * lanes + j] = (w[l]! + WEIGHT_BIAS) | ((high + WEIGHT_BIAS) << LANE_BITS);
    }
  }
  return (head.joined = { rowOfSlot, pairs });
}

/** Move the paired lanes' sums of `rows` rows into the per-label sums, and empty the lanes. */
function emptyLanes(lanes: Int32Array, sums: Int32Array, rows: number): void {
  const bias = WEIGHT_BIAS * rows;
  for (let j = 0; j < lanes.length; j++) {
    const v = lanes[j]!;
    sums[2 * j]! += (v & LANE_MASK) - bias;
    if (2 * j + 1 < sums.length) sums[2 * j + 1]! += (v >>> LANE_BITS) - bias;
    lanes[j] = 0;
  }
}

/** The slots of the features any head knows, in the features' order (cached per feature list). */
function knownSlots(index: FeatureIndex, features: readonly number[]): Int32Array {
  if (index.last?.features === features) return index.last.slots;
  const slotOf = index.slotOf!;
  const known = new Int32Array(features.length);
  let count = 0;
  // An id outside the table reads undefined, an unknown id 0: neither is a slot.
  for (const f of features) {
    const slot = slotOf[f];
    if (slot) known[count++] = slot - 1;
  }
  const slots = known.subarray(0, count);
  index.last = { features, slots };
  return slots;
}

/** Sorted bucket ids from their varint gaps (the trainer's in-memory form), straight into a typed array. */
function decodeBucketIds(bytes: Uint8Array): Uint32Array {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) if (!(bytes[i]! & 0x80)) n++;
  const ids = new Uint32Array(n);
  let id = 0;
  let value = 0;
  let shift = 0;
  let k = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    value += (b & 0x7f) * 2 ** shift;
    if (b & 0x80) shift += 7;
    else {
      id += value;
      ids[k++] = id;
      value = 0;
      shift = 0;
    }
  }
  return ids;
}

/** Index of `id` in the sorted `buckets`, or -1. */
function rowOf(buckets: Uint32Array, id: number): number {
  let lo = 0;
  let hi = buckets.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = buckets[mid]!;
    if (v === id) return mid;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * Raw scores (log-odds) of one head for a text's features. The features the head knows are scaled by
 * 1/sqrt(their count), as in training, so long narratives and one-line messages score on the same footing.
 */
export function scoreHead(head: LoadedHead, features: readonly number[]): Float64Array {
  const n = head.labels.length;
  const { rowOfSlot, pairs } = joinedForm(head);
  const width = (n + 1) >> 1;
  const lanes = new Int32Array(width);
  // Integer weights summed as integers, two labels per addition (exact, and faster than a double per label).
  const sums = new Int32Array(n);
  let found = 0;
  let inLanes = 0;
  for (const slot of knownSlots(head.index, features)) {
    const row = rowOfSlot[slot]!;
    if (!row) continue;
    found++;
    const base = (row - 1) * width;
    for (let j = 0; j < width; j++) lanes[j]! += pairs[base + j]!;
    if (++inLanes === ROWS_PER_LANE_FILL) {
      emptyLanes(lanes, sums, inLanes);
      inLanes = 0;
    }
  }
  emptyLanes(lanes, sums, inLanes);
  const k = head.scale / Math.sqrt(Math.max(1, found));
  const acc = new Float64Array(n);
  for (let l = 0; l < n; l++) acc[l] = sums[l]! * k;
  return acc;
}

/**
 * Raw scores of a TF-IDF head: each known term weighs (1 + ln count) × its idf (the `idf` head, one label,
 * same buckets), the vector is scaled to unit length, then multiplied by the head's weights.
 */
export function scoreTfIdf(head: LoadedHead, idf: LoadedHead, counts: Map<number, number>): Float64Array {
  const n = head.labels.length;
  const acc = new Float64Array(n);
  let norm = 0;
  for (const [f, c] of counts) {
    const row = rowOf(idf.buckets, f);
    if (row < 0) continue;
    const x = (1 + Math.log(c)) * idf.weights[row]! * idf.scale;
    norm += x * x;
    const base = row * n;
    for (let l = 0; l < n; l++) acc[l]! += head.weights[base + l]! * x;
  }
  const k = norm > 0 ? head.scale / Math.sqrt(norm) : 0;
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
