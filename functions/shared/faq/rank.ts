/**
 * Ranking: BM25 of a question against every entry (best phrasing + weighted answer), and the features the
 * calibration turns into a probability. Pure and allocation-light: one pass over the question's postings.
 */
import { analyse, termCounts, termKind, type Analysis } from './analyse.ts';
import { ANSWER_FIELD, ENTRY_FIELD, QUESTION_FIELD, type FaqIndex } from './faq-index.ts';

/** What the calibration reads about one candidate (all 0–1 except `units`). */
export interface CandidateFeatures {
  /** Share of the question's weight the entry's best phrasing explains (unknown words count in full). */
  questionCoverage: number;
  /** The same, counting only words some entry has (a question in another language is not punished for its own words). */
  knownCoverage: number;
  /** Share of the best phrasing's own weight that the question shares. */
  entryCoverage: number;
  /** Score relative to the best candidate's. */
  relative: number;
  /** Lead over the next candidate, relative to this one's score. */
  lead: number;
  /** ln(1 + weighted number of distinct question terms): short questions match by chance more easily. */
  units: number;
  /** 1 for the best candidate, 0 for the others (the right entry is far likelier first than second). */
  first: number;
}

/** One ranked entry, before calibration. */
export interface Candidate {
  entry: number;
  /** The question-field document that matched best (for cues). */
  doc: number;
  score: number;
  features: CandidateFeatures;
}

/** A question read against an index: its analysis and the entries that match, best first. */
export interface Ranking {
  analysis: Analysis;
  candidates: Candidate[];
}

/** Ranks the entries for a question; `depth` candidates are returned (features need one more). */
export function rankEntries(index: FaqIndex, question: string, depth: number): Ranking {
  const analysis = analyse(question, index.lexicon);
  const { weights } = index.params;
  const query = [...termCounts(analysis.occurrences)].map(([t, n]) => ({ id: index.termIds.get(t), w: weights[termKind(t)] * Math.min(n, 3) }));
  const scratch = scratchOf(index);
  const { ideal, idealKnown, queryWeight, touched } = scoreDocuments(index, query, scratch);
  const ranked = topEntries(index, scratch, touched, depth + 1, questionLanguage(analysis.normalised));
  const top = ranked[0]?.score ?? 0;
  const units = Math.log(1 + query.reduce((s, q) => s + q.w, 0));
  const candidates = ranked.slice(0, depth).map((r, i) => {
    const doc = r.doc >= 0 ? r.doc : firstQuestionDoc(index, r.entry);
    const next = ranked[i + 1]?.score ?? 0;
    return {
      entry: r.entry,
      doc,
      score: r.score,
      features: {
        questionCoverage: clamp01(r.q / (ideal || 1)),
        knownCoverage: clamp01(r.q / (idealKnown || 1)),
        entryCoverage: entryCoverage(index, doc, queryWeight),
        relative: top > 0 ? r.score / top : 0,
        lead: r.score > 0 ? (r.score - next) / r.score : 0,
        units,
        first: i === 0 ? 1 : 0,
      },
    };
  });
  return { analysis, candidates };
}

/**
 * BM25 of every document sharing a term with the question, into the scratch buffer; also the question's
 * ideal score (every term matched; unknown terms at the highest idf) for the coverage features.
 */
function scoreDocuments(index: FaqIndex, query: ReadonlyArray<{ id: number | undefined; w: number }>, scratch: Scratch) {
  const { docScore, touchedDocs } = scratch;
  const { postingStart, postingDocs, postingImpact } = index;
  let ideal = 0;
  let idealKnown = 0;
  let touched = 0;
  const queryWeight = new Map<number, number>();
  for (const { id, w } of query) {
    if (id === undefined) {
      ideal += w * index.unknownIdf;
      continue;
    }
    const idf0 = index.idf[QUESTION_FIELD]![id]!;
    ideal += w * idf0;
    // A term only the answers have is unknown to the questions (its idf there is the unknown one).
    if (idf0 < index.unknownIdf) idealKnown += w * idf0;
    queryWeight.set(id, w);
    for (let k = postingStart[id]!, end = postingStart[id + 1]!; k < end; k++) {
      const d = postingDocs[k]!;
      if (docScore[d] === 0) touchedDocs[touched++] = d;
      docScore[d]! += w * postingImpact[k]!;
    }
  }
  return { ideal, idealKnown, queryWeight, touched };
}

/**
 * Folds document scores into entry scores (best phrasing + weighted answer and entry fields, lifted for
 * the question's language) and keeps the best `keep` by insertion; the scratch buffers are zeroed again.
 */
function topEntries(index: FaqIndex, scratch: Scratch, touched: number, keep: number, language: 'zh' | 'en') {
  const { docScore, touchedDocs, qScore, aScore, uScore, bestDoc, touchedEntries } = scratch;
  const { answerWeight, entryWeight, sameLanguageBonus } = index.params;
  let nEntries = 0;
  for (let i = 0; i < touched; i++) {
    const d = touchedDocs[i]!;
    const s = docScore[d]!;
    docScore[d] = 0;
    const e = index.docEntry[d]!;
    if (bestDoc[e] === -2) (touchedEntries[nEntries++] = e), (bestDoc[e] = -1);
    const f = index.docField[d];
    if (f === ANSWER_FIELD) aScore[e] = s;
    else if (f === ENTRY_FIELD) uScore[e] = s;
    else if (s > qScore[e]! || bestDoc[e]! < 0) (qScore[e] = s), (bestDoc[e] = d);
  }
  const ranked: Array<{ entry: number; doc: number; q: number; score: number }> = [];
  const before = (score: number, e: number, r: { score: number; entry: number }) => score > r.score || (score === r.score && e < r.entry);
  for (let i = 0; i < nEntries; i++) {
    const e = touchedEntries[i]!;
    const lift = index.entries[e]!.language === language ? 1 + sameLanguageBonus : 1;
    const score = (qScore[e]! + answerWeight * aScore[e]! + entryWeight * uScore[e]!) * lift;
    if (ranked.length < keep || before(score, e, ranked[ranked.length - 1]!)) {
      let at = ranked.length;
      while (at > 0 && before(score, e, ranked[at - 1]!)) at--;
      ranked.splice(at, 0, { entry: e, doc: bestDoc[e]!, q: qScore[e]!, score });
      if (ranked.length > keep) ranked.pop();
    }
    qScore[e] = aScore[e] = uScore[e] = 0;
    bestDoc[e] = -2;
  }
  return ranked;
}

/** Per-index scratch buffers (one query at a time: JavaScript runs one on a thread), zeroed after use. */
interface Scratch {
  docScore: Float64Array;
  touchedDocs: Uint32Array;
  qScore: Float64Array;
  aScore: Float64Array;
  uScore: Float64Array;
  /** -2: entry not touched yet; -1: touched, no phrasing matched; else its best phrasing. */
  bestDoc: Int32Array;
  touchedEntries: Uint32Array;
}
const scratches = new WeakMap<FaqIndex, Scratch>();
function scratchOf(index: FaqIndex): Scratch {
  let s = scratches.get(index);
  if (!s) {
    const n = index.entries.length;
    s = { docScore: new Float64Array(index.docEntry.length), touchedDocs: new Uint32Array(index.docEntry.length), qScore: new Float64Array(n), aScore: new Float64Array(n), uScore: new Float64Array(n), bestDoc: new Int32Array(n).fill(-2), touchedEntries: new Uint32Array(n) };
    scratches.set(index, s);
  }
  return s;
}

/** The language of a question by its script: Chinese if it has as many Han characters as Latin words. */
export function questionLanguage(normalised: string): 'zh' | 'en' {
  const han = normalised.match(/[\u3400-\u9fff\uf900-\ufaff]/g)?.length ?? 0;
  const words = normalised.match(/[a-z]{2,}/g)?.length ?? 0;
  return han > 0 && han >= words ? 'zh' : 'en';
}

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

function firstQuestionDoc(index: FaqIndex, entry: number): number {
  for (let d = 0; d < index.docEntry.length; d++) if (index.docEntry[d] === entry && index.docField[d] === QUESTION_FIELD) return d;
  return 0;
}

/** Share of a phrasing's weight (kind weight × idf, per distinct term) that the question also has. */
function entryCoverage(index: FaqIndex, doc: number, queryWeight: ReadonlyMap<number, number>): number {
  if (doc < 0 || doc >= index.docEntry.length) return 0;
  let all = 0;
  let shared = 0;
  for (let k = index.docStart[doc]!; k < index.docStart[doc + 1]!; k++) {
    const t = index.docTerms[k]!;
    const w = index.params.weights[termKind(index.terms[t]!)] * index.idf[QUESTION_FIELD]![t]!;
    all += w;
    if (queryWeight.has(t)) shared += w;
  }
  return all > 0 ? shared / all : 0;
}
