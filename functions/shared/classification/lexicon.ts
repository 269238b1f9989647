/**
 * The curated bilingual lexicon (model/lexicon.json) compiled into matchers. English phrases match as
 * whole words, case-insensitively; Chinese phrases match as substrings of the Simplified-folded text.
 */
import lexiconData from './model/lexicon.json' with { type: 'json' };
import { toSimplified } from './features.ts';

/** Phrases in both languages, as stored. */
export interface PhraseList {
  en: string[];
  zh: string[];
}

/** A compiled phrase list: `find` returns the phrases present in a text (for reasons). */
export interface CueMatcher {
  find(lowerText: string, simplifiedText: string): string[];
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Compile one phrase list into a matcher. */
export function compilePhrases(list: PhraseList): CueMatcher {
  const en = list.en.map((p) => ({ phrase: p, re: new RegExp(`(?:^|[^a-z0-9])${escapeRe(p.toLowerCase())}(?![a-z0-9])`) }));
  const enAny = list.en.length ? new RegExp(list.en.map((p) => escapeRe(p.toLowerCase())).join('|')) : null;
  const zh = list.zh.map((p) => toSimplified(p.toLowerCase()));
  return {
    find(lowerText, simplifiedText) {
      const hits: string[] = [];
      // One cheap alternation first: most texts hit nothing.
      if (enAny && enAny.test(lowerText)) for (const { phrase, re } of en) if (re.test(lowerText)) hits.push(phrase);
      for (const p of zh) if (simplifiedText.includes(p)) hits.push(p);
      return hits;
    },
  };
}

interface LexiconFile {
  category: Record<string, PhraseList & { boost: number }>;
  kind: Record<string, PhraseList>;
  severity: Record<string, PhraseList>;
}

const data = lexiconData as unknown as LexiconFile;

/** Category cues with the log-odds boost each category gets when one of its cues is present. */
export const CATEGORY_CUES: { category: string; boost: number; matcher: CueMatcher }[] = Object.entries(data.category).map(
  ([category, list]) => ({ category, boost: list.boost, matcher: compilePhrases(list) }),
);

/** Kind cues: explicit complaints, praise, suggestions. */
export const KIND_CUES: Record<'complaint' | 'praise' | 'suggestion', CueMatcher> = {
  complaint: compilePhrases(data.kind.complaint ?? { en: [], zh: [] }),
  praise: compilePhrases(data.kind.praise ?? { en: [], zh: [] }),
  suggestion: compilePhrases(data.kind.suggestion ?? { en: [], zh: [] }),
};

/** Severity cues: money lost, vulnerable customer, threats to go to the regulator / press / court, urgency. */
export const SEVERITY_CUES: Record<'moneyLost' | 'vulnerable' | 'escalationThreat' | 'urgent', CueMatcher> = {
  moneyLost: compilePhrases(data.severity.moneyLost ?? { en: [], zh: [] }),
  vulnerable: compilePhrases(data.severity.vulnerable ?? { en: [], zh: [] }),
  escalationThreat: compilePhrases(data.severity.escalationThreat ?? { en: [], zh: [] }),
  urgent: compilePhrases(data.severity.urgent ?? { en: [], zh: [] }),
};
