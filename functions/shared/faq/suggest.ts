/**
 * `suggest(index, question)`: the entries most likely to answer a question, each with a calibrated
 * probability and the cues that matched (the words and phrases the question and the entry share).
 */
import { analyse, termKind, type Analysis } from './analyse.ts';
import { calibrate, DEFAULT_CALIBRATION, type CalibrationModel } from './calibration.ts';
import type { FaqLanguage } from './entry.ts';
import { QUESTION_FIELD, type FaqIndex } from './faq-index.ts';
import { rankEntries, type Candidate } from './rank.ts';
import type { TermOccurrence } from './text.ts';

/** One suggested answer, as the item view and `GET /admin/feedback/{id}/suggestions` show it. */
export interface Suggestion {
  faqId: string;
  /** Probability (0–1, three decimals) that the entry answers the question. */
  score: number;
  question: string;
  answer: string;
  language: FaqLanguage;
  category?: string;
  /** What both share, most telling first: "年费", "annual fee ↔ 年费" (a lexicon match across wordings). */
  cues: string[];
}

export interface SuggestOptions {
  /** How many suggestions at most (default 3). */
  limit?: number;
  /** Suggestions below this probability are left out (default 0: the top `limit`, however weak). */
  minScore?: number;
  calibration?: CalibrationModel;
}

/** The longest question considered: longer messages are cut (a complaint narrative is not an FAQ question). */
export const MAX_QUESTION_CHARS = 1000;
const MAX_CUES = 6;

/** A candidate with its probability, for `suggest` and for the evaluation (which also reads the features). */
export interface ScoredCandidate {
  c: Candidate;
  p: number;
}

/**
 * The top candidates in BM25's order, each with its calibrated probability. The order stays BM25's (on the
 * tuning fold, re-ranking by the probability lost top-1 accuracy: it favours short entries), and a
 * probability is never shown above the one of a suggestion ranked higher (a running minimum).
 */
export function scoreCandidates(index: FaqIndex, question: string, depth: number, calibration: CalibrationModel = DEFAULT_CALIBRATION): { analysis: Analysis; scored: ScoredCandidate[] } {
  const text = Array.from(question).slice(0, MAX_QUESTION_CHARS).join('');
  const { analysis, candidates } = rankEntries(index, text, depth);
  let ceiling = 1;
  const scored = candidates.map((c) => {
    ceiling = Math.min(ceiling, calibrate(c.features, calibration));
    return { c, p: ceiling };
  });
  return { analysis, scored };
}

/** The best entries for a question, best first, each with its probability and cues. */
export function suggest(index: FaqIndex, question: string, options: SuggestOptions = {}): Suggestion[] {
  const limit = Math.max(0, Math.min(options.limit ?? 3, 20));
  if (limit === 0 || index.entries.length === 0) return [];
  const { analysis, scored } = scoreCandidates(index, question, limit, options.calibration);
  return scored
    .filter(({ p }) => p >= (options.minScore ?? 0))
    .map(({ c, p }) => {
      const e = index.entries[c.entry]!;
      const docText = phrasingText(index, c.doc);
      return {
        faqId: e.id,
        score: Math.round(p * 1000) / 1000,
        question: e.question,
        answer: e.answer,
        language: e.language,
        ...(e.category ? { category: e.category } : {}),
        // An entry found through its answer alone shows what the question shares with the answer.
        cues: orElse(matchCues(index, analysis.normalised, analysis.occurrences, docText), () => matchCues(index, analysis.normalised, analysis.occurrences, e.answer)),
      };
    });
}

const orElse = (cues: string[], fallback: () => string[]): string[] => (cues.length ? cues : fallback());

/** The text of a question-field document (the entry's question or one of its phrasings, in build order). */
function phrasingText(index: FaqIndex, doc: number): string {
  const entry = index.docEntry[doc]!;
  let first = doc;
  while (first > 0 && index.docEntry[first - 1] === entry && index.docField[first - 1] === QUESTION_FIELD) first--;
  const e = index.entries[entry]!;
  return [...new Set([e.question, ...(e.phrasings ?? [])])][doc - first] ?? e.question;
}

/**
 * The cues of one match, read off the question: maximal runs of Chinese characters covered by shared
 * bigrams ("信用卡年费"), runs of shared English words ("annual fee"), and concepts both mention in
 * different words ("annual fee ↔ 年费"). Sorted by weight (idf), at most six.
 */
export function matchCues(index: FaqIndex, normalised: string, occurrences: readonly TermOccurrence[], entryText: string): string[] {
  const entry = analyse(entryText, index.lexicon);
  const entryTerms = new Set(entry.occurrences.map((o) => o.term));
  const weight = (term: string): number => {
    const id = index.termIds.get(term);
    return id === undefined ? 0 : index.idf[QUESTION_FIELD]![id]! * index.params.weights[termKind(term)];
  };
  const shared = occurrences.filter((o) => entryTerms.has(o.term));
  const cues = new Map<string, number>();
  const add = (cue: string, w: number): void => {
    if (cue.trim()) cues.set(cue, Math.max(cues.get(cue) ?? 0, w));
  };
  for (const kind of ['han2', 'word'] as const) {
    const spans = shared.filter((o) => o.kind === kind).sort((a, b) => a.start - b.start);
    let run: { start: number; end: number; w: number } | null = null;
    for (const o of spans) {
      const joins = run && (kind === 'han2' ? o.start < run.end : /^\s*$/.test(normalised.slice(run.end, o.start)));
      if (run && joins) (run.end = Math.max(run.end, o.end)), (run.w += weight(o.term));
      else {
        if (run) add(normalised.slice(run.start, run.end), run.w);
        run = { start: o.start, end: o.end, w: weight(o.term) };
      }
    }
    if (run) add(normalised.slice(run.start, run.end), run.w);
  }
  // A concept both mention: shown as "question's words ↔ entry's words" unless the words are already a cue.
  const literal = [...cues.keys()].join('\u0000');
  for (const o of shared.filter((s) => s.kind === 'concept')) {
    const mine = normalised.slice(o.start, o.end);
    if (literal.includes(mine)) continue;
    const theirs = entry.occurrences.find((e) => e.term === o.term);
    const theirText = theirs ? entry.normalised.slice(theirs.start, theirs.end) : mine;
    add(theirText === mine ? mine : `${mine} ↔ ${theirText}`, weight(o.term));
  }
  return [...cues].sort((a, b) => b[1] - a[1]).slice(0, MAX_CUES).map(([c]) => c);
}
