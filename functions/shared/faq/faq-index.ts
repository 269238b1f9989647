/**
 * The retrieval index of a FAQ: BM25 over two fields, the questions (each phrasing of an entry is its own
 * document, and an entry scores as its best phrasing) and the answers (one document per entry, weighted
 * lower: an answer says much that a question never asks). Built when the FAQ changes, serialised with
 * `encodeFaqIndex`, read back by the functions with `decodeFaqIndex`.
 */
import type { FaqEntry } from './entry.ts';
import { analyse, termCounts, termKind } from './analyse.ts';
import { compileLexicon, type CompiledLexicon, type Lexicon } from './lexicon.ts';
import type { TermKind } from './text.ts';
import defaultLexiconData from './lexicon.json' with { type: 'json' };

/** Scoring parameters, kept in the index so a stored index always scores the way it was tuned. */
export interface RetrievalParams {
  /** BM25 term-frequency saturation. */
  k1: number;
  /** BM25 length normalisation (short FAQ questions: lower than the usual 0.75). */
  b: number;
  /** Query-side weight of each kind of term. */
  weights: Record<TermKind, number>;
  /** Weight of the answer field next to the best question phrasing. */
  answerWeight: number;
  /** Weight of the entry field (question and every phrasing as one document) next to the best phrasing. */
  entryWeight: number;
  /** Relative lift of entries in the question's language: the answer should be in the customer's language. */
  sameLanguageBonus: number;
}

/** The parameters chosen on the tuning fold (scripts/eval-faq.ts, README "Suggested answers"). */
export const DEFAULT_RETRIEVAL_PARAMS: RetrievalParams = {
  k1: 1.2,
  b: 0.5,
  weights: { han1: 0.3, han2: 1, word: 1, concept: 1 },
  answerWeight: 0.15,
  entryWeight: 1,
  sameLanguageBonus: 0.1,
};

/** The lexicon shipped with Redress (functions/shared/faq/lexicon.json). */
export const DEFAULT_LEXICON: Lexicon = defaultLexiconData as Lexicon;

/** Field of a document: 0 = a question phrasing, 1 = an answer, 2 = all of an entry's phrasings together. */
export const QUESTION_FIELD = 0;
export const ANSWER_FIELD = 1;
export const ENTRY_FIELD = 2;
const FIELDS = 3;

/** The index in memory. */
export interface FaqIndex {
  readonly params: RetrievalParams;
  readonly lexicon: CompiledLexicon;
  readonly entries: readonly FaqEntry[];
  /** Term spelling → id, and back. */
  readonly termIds: ReadonlyMap<string, number>;
  readonly terms: readonly string[];
  /** Per document: its entry, its field, and its terms (sorted ids, with counts) at docStart[d]…docStart[d + 1]. */
  readonly docEntry: Uint32Array;
  readonly docField: Uint8Array;
  readonly docStart: Uint32Array;
  readonly docTerms: Uint32Array;
  readonly docTfs: Uint16Array;
  /** Derived on build and on decode: lengths, idf per field, postings. */
  readonly docLength: Float64Array;
  readonly avgLength: readonly number[];
  readonly idf: readonly Float64Array[];
  /** idf of a term no entry has (the most a term can weigh): unknown question terms count at this. */
  readonly unknownIdf: number;
  /**
   * Per term, at postingStart[t]…postingStart[t + 1]: the documents that have it and, for each, idf × BM25's
   * saturated term frequency. Flat arrays (not one pair per term) so loading allocates a handful of arrays.
   */
  readonly postingStart: Uint32Array;
  readonly postingDocs: Uint32Array;
  readonly postingImpact: Float32Array;
}

/** Options of `buildFaqIndex`. */
export interface BuildOptions {
  lexicon?: Lexicon;
  params?: RetrievalParams;
}

/** Builds the index of a FAQ (entries as validated by the upload, in the order given). */
export function buildFaqIndex(entries: readonly FaqEntry[], options: BuildOptions = {}): FaqIndex {
  const lexicon = compileLexicon(options.lexicon ?? DEFAULT_LEXICON);
  const termIds = new Map<string, number>();
  const terms: string[] = [];
  const idOf = (t: string): number => {
    let id = termIds.get(t);
    if (id === undefined) {
      id = terms.length;
      termIds.set(t, id);
      terms.push(t);
    }
    return id;
  };
  const docEntry: number[] = [];
  const docField: number[] = [];
  const docStart: number[] = [0];
  const docTerms: number[] = [];
  const docTfs: number[] = [];
  const add = (entry: number, field: number, text: string): void => {
    const counts = [...termCounts(analyse(text, lexicon).occurrences)].map(([t, n]) => [idOf(t), Math.min(n, 65535)] as const).sort((a, b) => a[0] - b[0]);
    docEntry.push(entry);
    docField.push(field);
    for (const [t, n] of counts) docTerms.push(t), docTfs.push(n);
    docStart.push(docTerms.length);
  };
  entries.forEach((e, i) => {
    const phrasings = [...new Set([e.question, ...(e.phrasings ?? [])])];
    for (const q of phrasings) add(i, QUESTION_FIELD, q);
    add(i, ANSWER_FIELD, e.answer);
    add(i, ENTRY_FIELD, phrasings.join('\n'));
  });
  return assembleIndex({
    params: options.params ?? DEFAULT_RETRIEVAL_PARAMS,
    lexicon,
    entries,
    terms,
    docEntry: Uint32Array.from(docEntry),
    docField: Uint8Array.from(docField),
    docStart: Uint32Array.from(docStart),
    docTerms: Uint32Array.from(docTerms),
    docTfs: Uint16Array.from(docTfs),
  });
}

/** What is stored; everything else is derived by `assembleIndex`. */
export type IndexCore = Pick<FaqIndex, 'params' | 'lexicon' | 'entries' | 'terms' | 'docEntry' | 'docField' | 'docStart' | 'docTerms' | 'docTfs'>;

/**
 * Derives lengths, idf and postings from the stored core. Document frequency counts entries, not
 * phrasings, so an entry with many phrasings does not make its own words look common.
 */
export function assembleIndex(core: IndexCore): FaqIndex {
  const { params, terms, docEntry, docField, docStart, docTerms, docTfs } = core;
  const nTerms = terms.length;
  const nDocs = docEntry.length;
  const nEntries = core.entries.length;
  const kindWeight = Float64Array.from(terms, (t) => params.weights[termKind(t)]);
  const docLength = new Float64Array(nDocs);
  const sums = new Array<number>(FIELDS).fill(0);
  const counts = new Array<number>(FIELDS).fill(0);
  const df = Array.from({ length: FIELDS }, () => new Uint32Array(nTerms));
  const lastEntry = Array.from({ length: FIELDS }, () => new Int32Array(nTerms).fill(-1));
  const postingStart = new Uint32Array(nTerms + 1);
  for (let d = 0; d < nDocs; d++) {
    const f = docField[d]!;
    let len = 0;
    for (let k = docStart[d]!; k < docStart[d + 1]!; k++) {
      const t = docTerms[k]!;
      len += docTfs[k]! * kindWeight[t]!;
      postingStart[t + 1]!++;
      if (lastEntry[f]![t] !== docEntry[d]) {
        lastEntry[f]![t] = docEntry[d]!;
        df[f]![t]!++;
      }
    }
    docLength[d] = len;
    sums[f]! += len;
    counts[f]!++;
  }
  for (let t = 0; t < nTerms; t++) postingStart[t + 1]! += postingStart[t]!;
  const idfOf = (n: number): number => Math.log(1 + (nEntries - n + 0.5) / (n + 0.5));
  const idf = df.map((d) => Float64Array.from(d, idfOf));
  const avgLength = sums.map((sum, f) => sum / Math.max(1, counts[f]!));
  const postingDocs = new Uint32Array(docTerms.length);
  const postingImpact = new Float32Array(docTerms.length);
  const fill = postingStart.slice(0, nTerms);
  const { k1, b } = params;
  for (let d = 0; d < nDocs; d++) {
    const f = docField[d]!;
    const norm = k1 * (1 - b + (b * docLength[d]!) / (avgLength[f] || 1));
    for (let k = docStart[d]!; k < docStart[d + 1]!; k++) {
      const t = docTerms[k]!;
      const tf = docTfs[k]!;
      const at = fill[t]!++;
      postingDocs[at] = d;
      postingImpact[at] = (idf[f]![t]! * tf * (k1 + 1)) / (tf + norm);
    }
  }
  return {
    ...core,
    termIds: new Map(terms.map((t, i) => [t, i])),
    docLength,
    avgLength,
    idf,
    unknownIdf: idfOf(0),
    postingStart,
    postingDocs,
    postingImpact,
  };
}
