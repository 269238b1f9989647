import { createRequire } from 'node:module';
import { marshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DYNAMO_ITEM_LIMIT_BYTES, dynamoItemSize, dynamoNumberSize, dynamoValueSize } from './dynamo-item-size.ts';

/** dynalite's own size function (it counts UTF-16 units where DynamoDB counts UTF-8 bytes). */
const dynalite = createRequire(import.meta.url)('dynalite/db') as { itemSize: (item: Record<string, unknown>) => number };
const dynaliteSize = (item: Record<string, unknown>) => dynalite.itemSize(marshall(item, { removeUndefinedValues: true }));

describe('dynamoItemSize: the documented rules', () => {
  it('counts a string attribute as the UTF-8 bytes of its name and value', () => {
    expect(dynamoItemSize({ note: 'abc' })).toBe(4 + 3);
  });

  it('counts Chinese text three bytes a character and an emoji four, as DynamoDB does', () => {
    expect(dynamoItemSize({ t: '手机银行' })).toBe(1 + 12);
    expect(dynamoItemSize({ t: '😀' })).toBe(1 + 4);
    expect(dynamoItemSize({ 名: 'x' })).toBe(3 + 1);
  });

  it('is larger than dynalite counts for multi-byte text (dynalite counts UTF-16 units)', () => {
    const item = { timeline: [{ text: '转账失败'.repeat(1000) }] };
    expect(dynamoItemSize(item)).toBe(dynaliteSize(item) + 2 * 4000);
  });

  it('counts 3 bytes for a list or map and 1 more for each element, and map keys by their bytes', () => {
    expect(dynamoItemSize({ l: [] })).toBe(1 + 3);
    expect(dynamoItemSize({ l: ['a', 'b'] })).toBe(1 + 3 + (1 + 1) * 2);
    expect(dynamoItemSize({ m: { k: 'v' } })).toBe(1 + 3 + 1 + 1 + 1);
  });

  it('counts null and booleans one byte, binary by its raw bytes, and drops undefined as the marshaller does', () => {
    expect(dynamoItemSize({ a: null, b: true, c: new Uint8Array(10), d: undefined })).toBe(1 + 1 + 1 + 1 + 1 + 10);
    expect(dynamoValueSize([undefined, 'x'])).toBe(3 + 1 + 1);
  });

  it('counts numbers by their significant digits in base-100 pairs', () => {
    expect(dynamoNumberSize(0)).toBe(1);
    expect(dynamoNumberSize(7)).toBe(2);
    expect(dynamoNumberSize(123)).toBe(3);
    expect(dynamoNumberSize(1200)).toBe(2);
    expect(dynamoNumberSize(-123)).toBe(4);
    expect(dynamoNumberSize(0.5)).toBe(2);
  });

  it('states the limit in DynamoDB units (1 KB = 1,024 bytes)', () => {
    expect(DYNAMO_ITEM_LIMIT_BYTES).toBe(409_600);
  });
});

/**
 * Names the SDK's marshaller can take: it reads `constructor` off a map to tell plain objects from class
 * instances, so such keys are refused before they are stored (the ingest validation's business, not sizing).
 */
const storableName = (name: string) => name.length > 0 && !(name in Object.prototype);

/** JSON-like values as items hold them: strings (any Unicode), numbers, booleans, null, lists, maps. */
const jsonValue = (text: fc.Arbitrary<string>) =>
  fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      text,
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(text.filter(storableName), tie('value'), { maxKeys: 4 }),
    ),
  })).value;
const item = (text: fc.Arbitrary<string>) => fc.dictionary(text.filter(storableName), jsonValue(text), { minKeys: 1, maxKeys: 6 });

describe('dynamoItemSize against dynalite (generated items)', () => {
  it('equals dynalite for ASCII items, numbers included (one byte a character either way)', () => {
    fc.assert(fc.property(item(fc.string({ unit: 'binary-ascii', maxLength: 20 })), (it) => dynamoItemSize(it) === dynaliteSize(it)));
  });

  it('is never below dynalite for any Unicode text, so what fits here fits locally', () => {
    fc.assert(fc.property(item(fc.string({ unit: 'grapheme', maxLength: 20 })), (it) => dynamoItemSize(it) >= dynaliteSize(it)));
  });

  it('exceeds dynalite by exactly the UTF-8 bytes beyond the UTF-16 units of every name and string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).filter(storableName), fc.string({ unit: 'grapheme', maxLength: 200 }), (name, text) => {
        const extra = Buffer.byteLength(name) - name.length + Buffer.byteLength(text) - text.length;
        return dynamoItemSize({ [name]: text }) === dynaliteSize({ [name]: text }) + extra;
      }),
    );
  });
});
