/**
 * The curated bilingual lexicon (model/lexicon.json) compiled into matchers. English phrases match as
 * whole words, case-insensitively; Chinese phrases match as substrings of the Simplified-folded text.
 */
import type { Category } from '../../../schemas/feedback.ts';
import { CATEGORIES } from '../../../schemas/feedback.ts';
import lexiconData from './model/lexicon.json' with { type: 'json' };
import { extractFeatures, toSimplified, viewText, type TextView } from './features.ts';

/** Phrases in both languages, as stored. */
export interface PhraseList {
  en: string[];
  zh: string[];
}

/** A compiled phrase list: `find` returns the phrases present in a text (for reasons). */
export interface CueMatcher {
  find(text: TextView): string[];
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A text's or a phrase's English words, apostrophes dropped ("can't" and "cant" are one word). */
const wordsOf = (lower: string): string[] => lower.replace(/'/g, '').split(/[^a-z0-9]+/).filter(Boolean);

/**
 * The words of each text a matcher has read, computed once per text: every matcher tests a phrase's regex
 * only when the phrase's first word is among them (some thirty matchers read each message).
 */
const TEXT_WORDS = new WeakMap<TextView, ReadonlySet<string>>();
function textWords(text: TextView): ReadonlySet<string> {
  let words = TEXT_WORDS.get(text);
  // Both readings of an apostrophe: dropped ("can't" → cant, as phrases are keyed) and a break ("ATM's" → atm).
  if (!words) TEXT_WORDS.set(text, (words = new Set([...wordsOf(text.lower), ...text.lower.split(/[^a-z0-9]+/)])));
  return words;
}

/** Compile one phrase list into a matcher. */
export function compilePhrases(list: PhraseList): CueMatcher {
  // Customers drop apostrophes ("cant", "didnt", "wont"): a phrase with one also matches without it.
  const pattern = (p: string): string => escapeRe(p.toLowerCase()).replace(/'/g, "'?");
  // A whole-word match starts with the phrase's first word as a word of the text (a phrase without a word,
  // such as "$", is always tested).
  const en = list.en.map((p) => ({ phrase: p, first: wordsOf(p.toLowerCase())[0], re: new RegExp(`(?:^|[^a-z0-9])${pattern(p)}(?![a-z0-9])`) }));
  const zh = list.zh.map((p) => toSimplified(p.toLowerCase()));
  // Numbers in the Chinese lists (hotlines such as 12378, "315") match only as whole numbers, not inside 3150元.
  const wholeNumber = new Map(zh.filter((p) => /^\d+$/.test(p)).map((p) => [p, new RegExp(`(?<!\\d)${p}(?!\\d)`)]));
  return {
    find(text) {
      const hits: string[] = [];
      if (text.hasLatin && en.length) {
        const words = textWords(text);
        for (const { phrase, first, re } of en) if ((first === undefined || words.has(first)) && re.test(text.lower)) hits.push(phrase);
      }
      if (text.hasHan) for (const p of zh) if (text.simplified.includes(p) && (wholeNumber.get(p)?.test(text.simplified) ?? true)) hits.push(p);
      return hits;
    },
  };
}

/** Log-odds a category's cues add, per language. */
export interface CueBoost {
  en: number;
  zh: number;
}

interface LexiconFile {
  category: Record<string, PhraseList & { boost: CueBoost; strong?: PhraseList & { boost: CueBoost } }>;
  kind: Record<string, PhraseList>;
  severity: Record<string, PhraseList>;
}

const data = lexiconData as unknown as LexiconFile;

/** One category's cues, compiled. */
export interface CategoryCues {
  category: Category;
  /** What any of `matcher`'s phrases adds. */
  boost: CueBoost;
  matcher: CueMatcher;
  /**
   * Phrases that name the category beyond doubt ("rude", "on hold", "online banking is down"), with their own
   * larger boost, added instead of `boost`. For categories the English training data barely covers, where the
   * model's log-odds would otherwise outvote an ordinary cue.
   */
  strong: { boost: CueBoost; matcher: CueMatcher } | null;
}

/** A lexicon category name, checked against the schema's list (a misspelt category fails at load, not silently). */
function asCategory(name: string): Category {
  if (!(CATEGORIES as readonly string[]).includes(name)) throw new Error(`lexicon.json: category ${name} is not one of the schema's categories`);
  return name as Category;
}

/** Category cues with the log-odds boost (per language) each category gets when one of its cues is present. */
export const CATEGORY_CUES: CategoryCues[] = Object.entries(data.category).map(([category, list]) => ({
  category: asCategory(category),
  boost: list.boost,
  matcher: compilePhrases(list),
  strong: list.strong ? { boost: list.strong.boost, matcher: compilePhrases(list.strong) } : null,
}));

/**
 * Kind cues: complaint words (count towards a complaint), explicit complaint words (decide it: "formal
 * complaint", "demand compensation", 投诉, 强烈不满), questions about how to complain (which neutralise the
 * explicit words they contain), praise, suggestions, and reports of something not working (`malfunction`).
 */
export const KIND_CUES: Record<'complaint' | 'complaintExplicit' | 'complaintProcess' | 'praise' | 'suggestion' | 'malfunction', CueMatcher> = {
  complaint: compilePhrases(data.kind.complaint ?? { en: [], zh: [] }),
  complaintExplicit: compilePhrases(data.kind.complaintExplicit ?? { en: [], zh: [] }),
  complaintProcess: compilePhrases(data.kind.complaintProcess ?? { en: [], zh: [] }),
  praise: compilePhrases(data.kind.praise ?? { en: [], zh: [] }),
  suggestion: compilePhrases(data.kind.suggestion ?? { en: [], zh: [] }),
  // "The app logs me out", "my card is not working": a statement of something broken reports a problem.
  malfunction: compilePhrases(data.kind.malfunction ?? { en: [], zh: [] }),
};

/** Severity cues: money lost, vulnerable customer, threats to go to the regulator / press / court, urgency. */
export const SEVERITY_CUES: Record<'moneyLost' | 'vulnerable' | 'escalationThreat' | 'urgent', CueMatcher> = {
  moneyLost: compilePhrases(data.severity.moneyLost ?? { en: [], zh: [] }),
  vulnerable: compilePhrases(data.severity.vulnerable ?? { en: [], zh: [] }),
  escalationThreat: compilePhrases(data.severity.escalationThreat ?? { en: [], zh: [] }),
  urgent: compilePhrases(data.severity.urgent ?? { en: [], zh: [] }),
};

interface SentimentLists {
  positive: PhraseList;
  negative: PhraseList;
}
const sentimentData = (lexiconData as unknown as { sentiment: SentimentLists }).sentiment;
const negators = (lexiconData as unknown as { negators: PhraseList }).negators;
const POSITIVE_ZH = sentimentData.positive.zh.map((p) => toSimplified(p));
const NEGATIVE_ZH = sentimentData.negative.zh.map((p) => toSimplified(p));
/** A negator just before a Chinese opinion word ("不好", "没满意") flips it. */
const ZH_NEGATORS = new RegExp(`(?:${negators.zh.map((n) => escapeRe(toSimplified(n))).join('|')})$`);
const enWordSet = (list: string[]): Set<string> => new Set(list.filter((p) => !p.includes(' ')).map((p) => p.toLowerCase()));
const POSITIVE_EN = enWordSet(sentimentData.positive.en);
const NEGATIVE_EN = enWordSet(sentimentData.negative.en);
const POSITIVE_EN_PHRASES = compilePhrases({ en: sentimentData.positive.en.filter((p) => p.includes(' ')), zh: [] });
const NEGATIVE_EN_PHRASES = compilePhrases({ en: sentimentData.negative.en.filter((p) => p.includes(' ')), zh: [] });
const EN_NEGATORS = new Set(negators.en.map((n) => n.toLowerCase()));

/**
 * Opinion signals from the sentiment lexicon, as extra model features: how many positive and negative
 * opinion words a text has, with negation flipping a positive word ("不好", "not helpful"). The model
 * learns how much each signal counts; the lexicon decides what counts as an opinion word.
 */
export function sentimentSignals(text: TextView): string[] {
  const lowerText = text.lower;
  const simplifiedText = text.simplified;
  let pos = 0;
  let neg = 0;
  // A positive word inside a negative phrase ("没处理好", "未解决好") is part of that phrase, not praise.
  const insideNegative: Array<[number, number]> = [];
  if (text.hasHan) for (const n of NEGATIVE_ZH) for (let at = simplifiedText.indexOf(n); at >= 0; at = simplifiedText.indexOf(n, at + n.length)) insideNegative.push([at, at + n.length]);
  if (text.hasHan) for (const p of POSITIVE_ZH) {
    let at = simplifiedText.indexOf(p);
    while (at >= 0) {
      if (insideNegative.some(([from, to]) => at >= from && at + p.length <= to)) {
        // counted once already, as the negative phrase
      } else if (ZH_NEGATORS.test(simplifiedText.slice(Math.max(0, at - 3), at))) neg++;
      // "好焦虑" is "so anxious": a positive word right before a negative one only intensifies it.
      else if (!NEGATIVE_ZH.some((n) => simplifiedText.startsWith(n, at + p.length))) pos++;
      at = simplifiedText.indexOf(p, at + p.length);
    }
  }
  if (text.hasHan) for (const p of NEGATIVE_ZH) if (simplifiedText.includes(p)) neg++;
  if (text.hasLatin) {
    const ws = lowerText.match(/[a-z]+(?:'[a-z]+)?/g) ?? [];
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i]!;
      if (POSITIVE_EN.has(w)) {
        if (EN_NEGATORS.has(ws[i - 1] ?? '') || EN_NEGATORS.has(ws[i - 2] ?? '')) neg++;
        else pos++;
      } else if (NEGATIVE_EN.has(w)) neg++;
    }
    pos += POSITIVE_EN_PHRASES.find(text).length;
    neg += NEGATIVE_EN_PHRASES.find(text).length;
  }
  const out: string[] = [];
  if (pos) out.push('L:pos', pos >= 2 ? 'L:pos2' : 'L:pos1');
  if (neg) out.push('L:neg', neg >= 2 ? 'L:neg2' : 'L:neg1');
  out.push(pos > neg ? 'L:net+' : neg > pos ? 'L:net-' : 'L:net0');
  return out;
}

const topicData = (lexiconData as unknown as { topics?: Record<string, string[] | string> }).topics ?? {};
/** The topic cues (lexicon.json `topics`), compiled once. */
const TOPICS: { name: string; matcher: CueMatcher }[] = Object.entries(topicData)
  .filter((e): e is [string, string[]] => Array.isArray(e[1]))
  .map(([name, en]) => ({ name, matcher: compilePhrases({ en, zh: [] }) }));
/** Texts from this many characters on are long written accounts, for which topic cues become features. */
export const TOPIC_MIN_LENGTH = 200;
/**
 * How many features one topic present adds. A 5,000-character narrative has a thousand n-gram features, each
 * scaled by 1/sqrt(count); several copies let a topic the bank named weigh like the handful of words it is.
 */
export const TOPIC_COPIES = 4;

/**
 * Topic signals of a long English text (lexicon.json `topics`): for each topic present, TOPIC_COPIES named
 * features, plus one more when two or more of its phrases occur. Short texts and Chinese get none (their
 * n-grams say enough, and short messages stay fast).
 */
export function topicSignals(text: TextView): string[] {
  if (!text.hasLatin || text.lower.trim().length < TOPIC_MIN_LENGTH) return [];
  const out: string[] = [];
  for (const { name, matcher } of TOPICS) {
    const hits = matcher.find(text);
    if (!hits.length) continue;
    for (let i = 0; i < TOPIC_COPIES; i++) out.push(`K${i}:${name}`);
    if (hits.length >= 2) out.push(`K+:${name}`);
  }
  return out;
}

/**
 * The model's input for a text: n-gram features plus the lexicon's opinion and topic signals (trainer and
 * classifier share it). A caller that needs the opinion signals itself passes them in, so the lexicon is
 * scanned once.
 */
export function modelFeatures(text: string | TextView, signals?: string[]): number[] {
  const view = typeof text === 'string' ? viewText(text) : text;
  const opinion = signals ?? sentimentSignals(view);
  const topics = topicSignals(view);
  return extractFeatures(view, topics.length ? [...opinion, ...topics] : opinion);
}
