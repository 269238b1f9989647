import { describe, expect, it } from 'vitest';
import { CATEGORIES, KINDS, SEVERITIES } from '../../../schemas/feedback.ts';
import { OPINION_LABELS, REGISTER_LABELS, prepareHeads } from './heads.ts';
import { encodeVarints, packWeights, type StoredHead, type StoredModel } from './model.ts';

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
/** A one-bucket head with the given labels. */
const head = (labels: readonly string[]): StoredHead => ({ labels: [...labels], scale: 1, bits: 4, buckets: b64(encodeVarints([7])), weights: b64(packWeights(new Int8Array(labels.length), 4)) });
const model = (extra: Record<string, StoredHead> = {}): StoredModel => ({
  format: 2,
  hashBits: 18,
  heads: { category_en: head(CATEGORIES), category_zh: head(CATEGORIES), kind: head(KINDS), polarity: head(OPINION_LABELS), ...extra },
  meta: {},
});

describe('prepareHeads', () => {
  it('loads a model without the customer and severity heads (an older model file): they are absent, not an error', () => {
    const heads = prepareHeads(model());
    expect(heads.customerCategory).toBeNull();
    expect(heads.customerKind).toBeNull();
    expect(heads.severity).toBeNull();
  });

  it('loads the customer and severity heads when present', () => {
    const heads = prepareHeads(model({ customer_category: head(CATEGORIES), customer_kind: head(KINDS), severity: head(SEVERITIES) }));
    expect(heads.customerCategory?.labels).toEqual([...CATEGORIES]);
    expect(heads.customerKind?.labels).toEqual([...KINDS]);
    expect(heads.severity?.labels).toEqual([...SEVERITIES]);
  });

  it('refuses a customer or severity head whose labels differ from the schema', () => {
    expect(() => prepareHeads(model({ severity: head(['low', 'high']) }))).toThrow(/head severity has unexpected labels/);
    expect(() => prepareHeads(model({ customer_kind: head(['complaint']) }))).toThrow(/head customer_kind has unexpected labels/);
  });

  it('loads the register head when present, refuses one with other labels, and does without it', () => {
    expect(prepareHeads(model()).register).toBeNull();
    expect(prepareHeads(model({ register: head(REGISTER_LABELS) })).register?.labels).toEqual(['public', 'customer']);
    expect(() => prepareHeads(model({ register: head(['customer', 'public']) }))).toThrow(/head register has unexpected labels/);
  });
});
