import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeGaps16, decodeVarints, encodeGaps16, encodeVarints, loadModel, packModel, packWeights, scoreHead, scoreTfIdf, softmax, unpackModel, unpackWeights, type StoredModel } from './model.ts';

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

describe('model encoding', () => {
  it('round-trips varints', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 31 })), (xs) => decodeVarints(encodeVarints(xs)).join() === xs.join()));
  });

  it('round-trips sorted ids through uint16 gaps, splitting gaps of 65,535 and more', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 2 ** 24 }), { maxLength: 60 }), (xs) => {
        const ids = [...xs].sort((a, b) => a - b);
        return Array.from(decodeGaps16(encodeGaps16(ids))).join() === ids.join();
      }),
    );
    expect(Array.from(encodeGaps16([5, 65_540, 200_000]))).toEqual([5, 0, 0xff, 0xff, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x3e, 0x0d]); // 5; 65,535 + 0; 65,535 + 65,535 + 3,390
    // Read in place when aligned, copied when not: the same ids either way.
    const bytes = encodeGaps16([1, 2, 300]);
    const odd = new Uint8Array(bytes.length + 1);
    odd.set(bytes, 1);
    expect(Array.from(decodeGaps16(odd.subarray(1)))).toEqual([1, 2, 300]);
    expect(() => encodeGaps16([3, 3])).toThrow(/sorted and distinct/);
  });

  it('round-trips 4-bit and 8-bit weights', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -8, max: 7 }), { maxLength: 50 }), (xs) => {
        const q = Int8Array.from(xs);
        return Array.from(unpackWeights(packWeights(q, 4), 4, q.length)).join() === xs.join();
      }),
    );
    const q8 = Int8Array.from([-127, 0, 5, 127]);
    expect(Array.from(unpackWeights(packWeights(q8, 8), 8, 4))).toEqual([-127, 0, 5, 127]);
  });
});

describe('scoreHead', () => {
  // Prepare: two buckets (3 and 10), two labels; bucket 3 votes for label 0, bucket 10 for label 1.
  const stored: StoredModel = {
    format: 2,
    hashBits: 20,
    heads: {
      demo: { labels: ['a', 'b'], scale: 0.5, bits: 4, buckets: b64(encodeVarints([3, 7])), weights: b64(packWeights(Int8Array.from([4, -2, -1, 6]), 4)) },
    },
  };
  const head = loadModel(stored).heads.demo!;

  it('sums the weights of known features, scaled by 1/sqrt(count)', () => {
    // Act
    const one = scoreHead(head, [3, 999]);
    const both = scoreHead(head, [3, 10]);
    // Assess
    expect(Array.from(one)).toEqual([2, -1]);
    expect(both[0]).toBeCloseTo((0.5 * 3) / Math.SQRT2);
    expect(both[1]).toBeCloseTo((0.5 * 4) / Math.SQRT2);
  });

  it('scores TF-IDF: sublinear counts times idf, scaled to unit length, then the weights', () => {
    // Prepare: the idf table shares the head's buckets (3 and 10): idf 1 and 0.5.
    const idf = loadModel({ format: 2, hashBits: 20, heads: { idf: { labels: ['idf'], scale: 0.5, bits: 8, buckets: b64(encodeVarints([3, 7])), weights: b64(packWeights(Int8Array.from([2, 1]), 8)) } } }).heads.idf!;
    // Act: bucket 3 once, bucket 10 twice, an unknown bucket many times (ignored, also in the length).
    const s = scoreTfIdf(head, idf, new Map([[3, 1], [10, 2], [999, 9]]));
    // Assess
    const x3 = 1;
    const x10 = (1 + Math.log(2)) * 0.5;
    const norm = Math.hypot(x3, x10);
    expect(s[0]).toBeCloseTo((0.5 * (4 * x3 - 1 * x10)) / norm);
    expect(s[1]).toBeCloseTo((0.5 * (-2 * x3 + 6 * x10)) / norm);
    expect(Array.from(scoreTfIdf(head, idf, new Map([[999, 1]])))).toEqual([0, 0]);
  });

  it('scores heads that share the feature table from whichever feature list it is given', () => {
    // Prepare: a second head knowing bucket 10 only; feature lists alternate between heads, and ids outside the table are unknown.
    const model = loadModel({ ...stored, heads: { ...stored.heads, other: { labels: ['x'], scale: 1, bits: 8, buckets: b64(encodeVarints([10])), weights: b64(packWeights(Int8Array.from([5]), 8)) } } });
    const [demo, other] = [model.heads.demo!, model.heads.other!];
    // Act / Assess
    expect(Array.from(scoreHead(demo, [3, 2 ** 21, -1]))).toEqual([2, -1]);
    expect(Array.from(scoreHead(other, [3, 10]))).toEqual([5]);
    expect(Array.from(scoreHead(demo, [10]))).toEqual([-0.5, 3]);
    expect(Array.from(scoreHead(other, [3]))).toEqual([0]);
    // A bucket id beyond the model's hash range is a broken file, refused when the head is first scored.
    expect(() => scoreHead(loadModel({ ...stored, hashBits: 3 }).heads.demo!, [3])).toThrow(/bucket id 10 is outside the model's 8 hash buckets/);
  });

  it('sums exactly however many features a text has and whatever the weights (three labels, 300 rows of extreme weights)', () => {
    // Prepare: weights at the int8 extremes and random, over more rows than one fill of the paired lanes.
    const ids = Array.from({ length: 300 }, (_, i) => i * 3 + 1);
    const weights = Int8Array.from({ length: 300 * 3 }, (_, i) => (i % 7 === 0 ? 127 : i % 5 === 0 ? -128 : ((i * 37) % 255) - 127));
    const head = loadModel({ format: 2, hashBits: 20, heads: { big: { labels: ['a', 'b', 'c'], scale: 1, bits: 8, buckets: b64(encodeVarints(ids.map((id, i) => id - (i ? ids[i - 1]! : 0)))), weights: b64(packWeights(weights, 8)) } } }).heads.big!;
    // Act
    const scores = scoreHead(head, ids);
    // Assess: the plain sum per label, scaled by 1/sqrt(300).
    for (let l = 0; l < 3; l++) {
      const sum = ids.reduce((s, _, row) => s + weights[row * 3 + l]!, 0);
      expect(scores[l]).toBe(sum * (1 / Math.sqrt(300)));
    }
  });

  it('turns scores into probabilities', () => {
    const p = softmax(Float64Array.from([1000, 1000]));
    expect(Array.from(p)).toEqual([0.5, 0.5]);
  });
});

describe('packed model file', () => {
  const stored: StoredModel = {
    format: 2,
    hashBits: 20,
    heads: {
      first: { labels: ['a', 'b'], scale: 0.5, bits: 4, buckets: b64(encodeVarints([3, 7, 100])), weights: b64(packWeights(Int8Array.from([4, -2, -1, 6, 0, 0]), 4)) },
      second: { labels: ['x', 'y', 'z'], scale: 0.25, bits: 8, buckets: b64(encodeVarints([5])), weights: b64(packWeights(Int8Array.from([-127, 0, 127]), 8)) },
    },
    meta: { trainedAt: '2026-11-29' },
  };

  it('round-trips every head and the provenance through one compressed blob', () => {
    const packed = packModel(stored);
    expect(packed.format).toBe(5);
    expect(unpackModel(packed)).toEqual(stored);
    // The loader takes either form and scores them the same.
    expect(Array.from(scoreHead(loadModel(packed).heads.first!, [3, 10]))).toEqual(Array.from(scoreHead(loadModel(stored).heads.first!, [3, 10])));
  });

  it('refuses a blob that does not match its heads', () => {
    const packed = packModel(stored);
    expect(() => unpackModel({ ...packed, heads: { ...packed.heads, second: { ...packed.heads.second!, weightBytes: 99 } } })).toThrow(/shorter/);
    expect(() => unpackModel({ ...packed, heads: { first: packed.heads.first! } })).toThrow(/longer/);
    expect(() => loadModel({ ...packed, format: 3 } as never)).toThrow(/format 3 is not 5/);
    expect(() => loadModel({ ...packed, format: 4 } as never)).toThrow(/format 4 is not 5/);
    // Lengths that still add up to the blob but shift bytes from one head to the next.
    const shifted = { ...packed, heads: { first: { ...packed.heads.first!, weightBytes: packed.heads.first!.weightBytes - 2 }, second: { ...packed.heads.second!, weightBytes: packed.heads.second!.weightBytes + 2 } } };
    expect(() => loadModel(shifted)).toThrow(/head first has 4 weight bytes, expected 6/);
    const odd = { ...packed, heads: { first: { ...packed.heads.first!, bucketBytes: packed.heads.first!.bucketBytes - 1, weightBytes: packed.heads.first!.weightBytes + 1 }, second: packed.heads.second! } };
    expect(() => loadModel(odd)).toThrow(/odd number of gap bytes/);
  });

  it('lays out all heads\' gaps before all heads\' weights, so each head\'s gaps sit at an even offset', () => {
    const packed = packModel(stored);
    const blob = inflateRawSync(Buffer.from(packed.blob, 'base64'));
    // first: ids 3, 10, 110 → gaps 3, 7, 100; second: id 5; then the weights, first's then second's.
    expect(Array.from(blob)).toEqual([3, 0, 7, 0, 100, 0, 5, 0, 4, 0xfe, 0xff, 6, 0, 0, 0x81, 0, 0x7f]);
  });
});
