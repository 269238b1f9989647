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
 * The words of a text, in both readings of an apostrophe: dropped ("can't" → cant, as phrases are keyed) and
 * a break ("ATM's" → atm). One pass over the runs of letters, digits and apostrophes.
 */
function textWordsOf(lower: string): Set<string> {
  const words = new Set<string>();
  for (const [run] of lower.matchAll(/[a-z0-9']+/g)) {
    if (!run.includes("'")) {
      words.add(run);
      continue;
    }
    const joined = run.replace(/'/g, '');
    if (joined) words.add(joined);
    for (const part of run.split("'")) if (part) words.add(part);
  }
  return words;
}

/** One compiled phrase: its matcher, its place in the matcher's list, and for English its whole-word regex. */
interface PhraseEntry {
  matcher: number;
  at: number;
  phrase: string;
  re: RegExp | null;
}

/**
 * Every matcher's phrases filed under their first word (English) or first UTF-16 unit (Chinese, Simplified-
 * folded). A phrase can only be in a text whose words include its first word, or whose units include its
 * first unit, so a text's candidates are gathered once for all matchers from its own words and characters
 * (some thirty matchers read each message) and each matcher tests only its candidates.
 */
const EN_BY_FIRST = new Map<string, PhraseEntry[]>();
const ZH_BY_FIRST = new Map<number, PhraseEntry[]>();
/** English phrases without a word (such as "$"): tested in every text with Latin letters. */
const EN_ALWAYS: PhraseEntry[] = [];
let matcherCount = 0;

/** Append `value` to the list under `key`. */
function addTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** A text's candidate phrases, per matcher id. */
type Candidates = (PhraseEntry[] | undefined)[];

/**
 * The candidates of the last texts read: a message is read as a whole and as its statements, by some thirty
 * matchers in turn (and a Traditional one as the features fold it, `modelFeatures`), so three entries hold
 * them all. Text views are never changed once made.
 */
const RECENT: { text: TextView; found: { en: Candidates; zh: Candidates } }[] = [];

/** A text's candidate phrases per matcher id (Chinese and English apart), gathered once per text. */
function candidatesOf(text: TextView): { en: Candidates; zh: Candidates } {
  for (const r of RECENT) if (r.text === text) return r.found;
  const found: { en: Candidates; zh: Candidates } = { en: [], zh: [] };
  const file = (into: Candidates, entries: readonly PhraseEntry[] | undefined): void => {
    if (entries) for (const e of entries) (into[e.matcher] ??= []).push(e);
  };
  if (text.hasLatin) {
    for (const word of textWordsOf(text.lower)) file(found.en, EN_BY_FIRST.get(word));
    file(found.en, EN_ALWAYS);
  }
  if (text.hasHan) {
    const s = text.simplified;
    const filed = new Set<number>();
    for (let i = 0; i < s.length; i++) {
      const code = s.charCodeAt(i);
      const entries = ZH_BY_FIRST.get(code);
      if (entries && !filed.has(code)) {
        filed.add(code);
        file(found.zh, entries);
      }
    }
  }
  RECENT.unshift({ text, found });
  RECENT.length = Math.min(RECENT.length, 3);
  return found;
}

/** File Chinese phrases (already folded) under matcher `id` (a new one unless given), for `zhCandidates`; returns the id. */
function fileChinese(phrases: readonly string[], id = matcherCount++): number {
  phrases.forEach((phrase, at) => {
    if (!phrase) throw new Error('lexicon.json: an empty Chinese phrase would match every text');
    addTo(ZH_BY_FIRST, phrase.charCodeAt(0), { matcher: id, at, phrase, re: null });
  });
  return id;
}

/** The phrases of matcher `id` whose first character a Chinese text has (the only ones it can contain), in list order. */
function zhCandidates(text: TextView, id: number): string[] {
  const entries = text.hasHan ? candidatesOf(text).zh[id] : undefined;
  return entries ? inListOrder(entries).map((e) => e.phrase) : [];
}

/** Candidates in their list's order (gathered in the text's order). */
function inListOrder(entries: PhraseEntry[]): PhraseEntry[] {
  for (let i = 1; i < entries.length; i++) if (entries[i - 1]!.at > entries[i]!.at) return entries.sort((a, b) => a.at - b.at);
  return entries;
}

/** Compile one phrase list into a matcher. */
export function compilePhrases(list: PhraseList): CueMatcher {
  const id = matcherCount++;
  // Customers drop apostrophes ("cant", "didnt", "wont"): a phrase with one also matches without it.
  const pattern = (p: string): string => escapeRe(p.toLowerCase()).replace(/'/g, "'?");
  list.en.forEach((phrase, at) => {
    const entry: PhraseEntry = { matcher: id, at, phrase, re: new RegExp(`(?:^|[^a-z0-9])${pattern(phrase)}(?![a-z0-9])`) };
    const first = wordsOf(phrase.toLowerCase())[0];
    if (first === undefined) EN_ALWAYS.push(entry);
    else addTo(EN_BY_FIRST, first, entry);
  });
  fileChinese(list.zh.map((p) => toSimplified(p.toLowerCase())), id);
  // Numbers in the Chinese lists (hotlines such as 12378, "315") match only as whole numbers, not inside 3150元.
  const wholeNumber = new Map(list.zh.filter((p) => /^\d+$/.test(p)).map((p) => [p, new RegExp(`(?<!\\d)${p}(?!\\d)`)]));
  return {
    find(text) {
      const hits: string[] = [];
      if (!text.hasLatin && !text.hasHan) return hits;
      const { en, zh } = candidatesOf(text);
      const enHere = en[id];
      if (enHere) for (const e of inListOrder(enHere)) if (e.re!.test(text.lower)) hits.push(e.phrase);
      const zhHere = zh[id];
      if (zhHere) for (const e of inListOrder(zhHere)) if (text.simplified.includes(e.phrase) && (wholeNumber.get(e.phrase)?.test(text.simplified) ?? true)) hits.push(e.phrase);
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
  patterns: { fraudWording: { en: string; zh: string }; sarcasmZh: string; threatIntent: { en: string; zh: string } };
}

const data = lexiconData as unknown as LexiconFile;

/**
 * The lexicon's regular expressions (lexicon.json `patterns`), compiled once: wording a phrase list cannot hold
 * (words with others between them). English ones read the lower-cased text, Chinese ones the Simplified one.
 */
export const PATTERNS = {
  fraudWording: { en: new RegExp(data.patterns.fraudWording.en), zh: new RegExp(data.patterns.fraudWording.zh) },
  sarcasmZh: new RegExp(data.patterns.sarcasmZh),
  threatIntent: { en: new RegExp(data.patterns.threatIntent.en), zh: new RegExp(data.patterns.threatIntent.zh) },
};

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
const POSITIVE_ZH_ID = fileChinese(POSITIVE_ZH);
const NEGATIVE_ZH_ID = fileChinese(NEGATIVE_ZH);
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
  // Only phrases whose first character the text has can occur in it (most texts have few of the lists' characters).
  const negativeHere = zhCandidates(text, NEGATIVE_ZH_ID);
  const positiveHere = zhCandidates(text, POSITIVE_ZH_ID);
  if (text.hasHan) for (const n of negativeHere) for (let at = simplifiedText.indexOf(n); at >= 0; at = simplifiedText.indexOf(n, at + n.length)) insideNegative.push([at, at + n.length]);
  if (text.hasHan) for (const p of positiveHere) {
    let at = simplifiedText.indexOf(p);
    while (at >= 0) {
      if (insideNegative.some(([from, to]) => at >= from && at + p.length <= to)) {
        // counted once already, as the negative phrase
      } else if (ZH_NEGATORS.test(simplifiedText.slice(Math.max(0, at - 3), at))) neg++;
      // "好焦虑" is "so anxious": a positive word right before a negative one only intensifies it.
      else if (!negativeHere.some((n) => simplifiedText.startsWith(n, at + p.length))) pos++;
      at = simplifiedText.indexOf(p, at + p.length);
    }
  }
  if (text.hasHan) for (const p of negativeHere) if (simplifiedText.includes(p)) neg++;
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
  const read = typeof text === 'string' ? viewText(text) : text;
  // The heads were trained on the bank's own folding (`featureText`): their input reads that, and the opinion
  // signals of a Traditional text folded otherwise are read again on it.
  const view = read.featureText === read.simplified ? read : { ...read, simplified: read.featureText };
  const opinion = (view === read ? signals : undefined) ?? sentimentSignals(view);
  const topics = topicSignals(view);
  return extractFeatures(view, topics.length ? [...opinion, ...topics] : opinion);
}
