/**
 * The model heads the classifier reads, loaded from a model file and checked against the schema's labels.
 */
import type { Category } from '../../../schemas/feedback.ts';
import { CATEGORIES, KINDS, SEVERITIES } from '../../../schemas/feedback.ts';
import { loadModel, type LoadedHead, type PackedModel, type StoredModel } from './model.ts';

/** The opinion head's labels, in its order. */
export const OPINION_LABELS = ['negative', 'positive', 'none'] as const;
export const OPINION_NEGATIVE = 0;
export const OPINION_POSITIVE = 1;
export const OPINION_NONE = 2;

/** The heads of one model, ready to score. */
export interface ClassifierHeads {
  categoryEn: LoadedHead;
  categoryZh: LoadedHead;
  kind: LoadedHead;
  /** Negative / positive / no opinion (`OPINION_*`). */
  opinion: LoadedHead;
  /** English category over fine labels (`card_issues/activate_my_card`), with each label's category index. */
  categoryEnFine: { head: LoadedHead; categoryOf: Int32Array } | null;
  /** Chinese opinion, negative / positive (CCF classes 0 and 1). */
  sentimentZh: LoadedHead | null;
  /** English category of long accounts over TF-IDF word and bigram weights, with its idf table (same buckets). */
  categoryEnLong: { head: LoadedHead; idf: LoadedHead } | null;
  /** The least severity the bank's policy sets, read from the text (low / medium / high / critical). */
  severity: LoadedHead | null;
  /** Category and kind as customers write them (trained on the written messages; both languages). */
  customerCategory: LoadedHead | null;
  customerKind: LoadedHead | null;
  /** Public source's text or a customer's message to the bank (`REGISTER_*`): how much the customer heads count. */
  register: LoadedHead | null;
}

/** The register head's labels, in its order. */
export const REGISTER_LABELS = ['public', 'customer'] as const;
export const REGISTER_CUSTOMER = 1;

/** Decode a model file and check every head the classifier needs against the schema's labels. */
export function prepareHeads(stored: StoredModel | PackedModel): ClassifierHeads {
  const model = loadModel(stored);
  const head = (name: string, labels: readonly string[]): LoadedHead => {
    const h = model.heads[name];
    if (!h || h.labels.join() !== labels.join()) throw new Error(`model: head ${name} is missing or its labels differ from the schema`);
    return h;
  };
  // Optional heads (a model without them still loads): fine English category and Chinese negative / positive.
  const fine = model.heads.category_en_fine;
  let categoryEnFine: ClassifierHeads['categoryEnFine'] = null;
  if (fine) {
    const categoryOf = Int32Array.from(fine.labels, (l) => CATEGORIES.indexOf(l.split('/')[0] as Category));
    if (categoryOf.some((i) => i < 0)) throw new Error('model: a category_en_fine label does not start with a category');
    categoryEnFine = { head: fine, categoryOf };
  }
  const sentimentZh = model.heads.sentiment_zh;
  if (sentimentZh && sentimentZh.labels.join() !== 'negative,positive') throw new Error('model: head sentiment_zh has unexpected labels');
  const long = model.heads.category_en_long;
  const idf = model.heads.category_en_long_idf;
  if (long && !(idf && long.labels.join() === CATEGORIES.join() && idf.buckets.length === long.buckets.length)) throw new Error('model: head category_en_long has unexpected labels or no idf table');
  const optional = (name: string, labels: readonly string[]): LoadedHead | null => {
    const h = model.heads[name];
    if (h && h.labels.join() !== labels.join()) throw new Error(`model: head ${name} has unexpected labels`);
    return h ?? null;
  };
  return {
    severity: optional('severity', SEVERITIES),
    customerCategory: optional('customer_category', CATEGORIES),
    customerKind: optional('customer_kind', KINDS),
    register: optional('register', REGISTER_LABELS),
    categoryEnLong: long && idf ? { head: long, idf } : null,
    sentimentZh: sentimentZh ?? null,
    categoryEnFine,
    categoryEn: head('category_en', CATEGORIES),
    categoryZh: head('category_zh', CATEGORIES),
    kind: head('kind', KINDS),
    opinion: head('polarity', OPINION_LABELS),
  };
}
