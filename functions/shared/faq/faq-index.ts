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

/** A document's terms, sorted by term id, with their counts. */
export interface DocTerms {
  terms: Uint32Array;
  tfs: Uint16Array;
}

/** The index in memory. */
export interface FaqIndex {
  readonly params: RetrievalParams;
  readonly lexicon: CompiledLexicon;
  readonly entries: readonly FaqEntry[];
  /** Term spelling → id, and back. */
  readonly termIds: ReadonlyMap<string, number>;
  readonly terms: readonly string[];
  /** Per document: its entry, its field, its terms. */
  readonly docEntry: Uint32Array;
  readonly docField: Uint8Array;
  readonly docs: readonly DocTerms[];
  /** Derived on build and on decode: lengths, idf per field, postings. */
  readonly docLength: Float64Array;
  readonly avgLength: readonly number[];
  readonly idf: readonly Float64Array[];
  /** idf of a term no entry has (the most a term can weigh): unknown question terms count at this. */
  readonly unknownIdf: number;
  /** Per term: the documents that have it and, for each, idf × BM25's saturated term frequency. */
  readonly postings: ReadonlyArray<{ docs: Uint32Array; impact: Float32Array }>;
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
  const docs: DocTerms[] = [];
  const add = (entry: number, field: number, text: string): void => {
    const counts = [...termCounts(analyse(text, lexicon).occurrences)].map(([t, n]) => [idOf(t), Math.min(n, 65535)] as const).sort((a, b) => a[0] - b[0]);
    docEntry.push(entry);
    docField.push(field);
    docs.push({ terms: Uint32Array.from(counts, (c) => c[0]), tfs: Uint16Array.from(counts, (c) => c[1]) });
  };
  entries.forEach((e, i) => {
    const phrasings = [...new Set([e.question, ...(e.phrasings ?? [])])];
    for (const q of phrasings) add(i, QUESTION_FIELD, q);
    add(i, ANSWER_FIELD, e.answer);
    add(i, ENTRY_FIELD, phrasings.join('\n'));
  });
  return assembleIndex({ params: options.params ?? DEFAULT_RETRIEVAL_PARAMS, lexicon, entries, terms, docEntry: Uint32Array.from(docEntry), docField: Uint8Array.from(docField), docs });
}

/** What is stored; everything else is derived by `assembleIndex`. */
export type IndexCore = Pick<FaqIndex, 'params' | 'lexicon' | 'entries' | 'terms' | 'docEntry' | 'docField' | 'docs'>;

/**
 * Derives lengths, idf and postings from the stored core. Document frequency counts entries, not
 * phrasings, so an entry with many phrasings does not make its own words look common.
 */
export function assembleIndex(core: IndexCore): FaqIndex {
  const { params, terms, docEntry, docField, docs } = core;
  const nTerms = terms.length;
  const nEntries = core.entries.length;
  const kindWeight = terms.map((t) => params.weights[termKind(t)]);
  const docLength = new Float64Array(docs.length);
  const sums = new Array<number>(FIELDS).fill(0);
  const counts = new Array<number>(FIELDS).fill(0);
  const df = Array.from({ length: FIELDS }, () => new Uint32Array(nTerms));
  const lastEntry = Array.from({ length: FIELDS }, () => new Int32Array(nTerms).fill(-1));
  const postingCount = new Uint32Array(nTerms);
  docs.forEach((d, i) => {
    const f = docField[i]!;
    let len = 0;
    for (let k = 0; k < d.terms.length; k++) {
      const t = d.terms[k]!;
      len += d.tfs[k]! * kindWeight[t]!;
      postingCount[t]!++;
      if (lastEntry[f]![t] !== docEntry[i]) {
        lastEntry[f]![t] = docEntry[i]!;
        df[f]![t]!++;
      }
    }
    docLength[i] = len;
    sums[f]! += len;
    counts[f]!++;
  });
  const idfOf = (n: number): number => Math.log(1 + (nEntries - n + 0.5) / (n + 0.5));
  const idf = df.map((d) => Float64Array.from(d, idfOf));
  const avgLength = sums.map((sum, f) => sum / Math.max(1, counts[f]!));
  const postings = Array.from(postingCount, (n) => ({ docs: new Uint32Array(n), impact: new Float32Array(n) }));
  const fill = new Uint32Array(nTerms);
  const { k1, b } = params;
  docs.forEach((d, i) => {
    const f = docField[i]!;
    const norm = k1 * (1 - b + (b * docLength[i]!) / (avgLength[f] || 1));
    for (let k = 0; k < d.terms.length; k++) {
      const t = d.terms[k]!;
      const tf = d.tfs[k]!;
      postings[t]!.docs[fill[t]!] = i;
      postings[t]!.impact[fill[t]!++] = (idf[f]![t]! * tf * (k1 + 1)) / (tf + norm);
    }
  });
  return {
    ...core,
    termIds: new Map(terms.map((t, i) => [t, i])),
    docLength,
    avgLength,
    idf,
    unknownIdf: idfOf(0),
    postings,
  };
}
