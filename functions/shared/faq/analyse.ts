/** One text read for retrieval: its normalised form and every term occurrence (surface and concept). */
import { matchConcepts, type CompiledLexicon } from './lexicon.ts';
import { normaliseFaqText, surfaceTerms, wordTokens, type TermKind, type TermOccurrence } from './text.ts';

export interface Analysis {
  normalised: string;
  occurrences: TermOccurrence[];
}

/** Reads a text: normalise, cut framing, n-grams and stems, then the lexicon's concepts. */
export function analyse(text: string, lexicon: CompiledLexicon): Analysis {
  const normalised = normaliseFaqText(text);
  const occurrences = surfaceTerms(normalised);
  occurrences.push(...matchConcepts(normalised, wordTokens(normalised), lexicon));
  return { normalised, occurrences };
}

/** Term → how often it occurs. */
export function termCounts(occurrences: readonly TermOccurrence[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const o of occurrences) counts.set(o.term, (counts.get(o.term) ?? 0) + 1);
  return counts;
}

const HAN = /^[\u3400-\u9fff\uf900-\ufaff]+$/;

/** The kind of a term, from its spelling (so the index stores terms only). */
export function termKind(term: string): TermKind {
  if (term.startsWith('#')) return 'concept';
  if (HAN.test(term)) return term.length === 1 ? 'han1' : 'han2';
  return 'word';
}
