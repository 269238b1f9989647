/**
 * Text analysis for FAQ retrieval, the same for entries (at index time) and questions (at query time):
 * NFKC, lower case, Traditional → Simplified; Chinese as character unigrams and bigrams over Han runs (no
 * segmenter: a dictionary big enough to segment well would not fit a Lambda bundle, and character bigrams
 * retrieve short questions about as well); English as Porter stems with stop words dropped; numbers as
 * they are. Question framing that says nothing about the topic ("请问", "介绍一下", "how do I") is dropped
 * first, so a templated paraphrase does not match an entry because both say "介绍一下".
 */
import { stemmer } from 'stemmer';
import { toSimplified } from '../classification/features.ts';

/** The kinds of term, weighted differently in scoring. */
export type TermKind = 'han1' | 'han2' | 'word' | 'concept';

/** One occurrence of a term in the normalised text, with where it is (for cues). */
export interface TermOccurrence {
  term: string;
  kind: TermKind;
  start: number;
  end: number;
}

/** A word of Latin script or digits: its stem (the term) and its place in the normalised text. */
export interface WordToken {
  stem: string;
  start: number;
  end: number;
}

/** NFKC (full-width → ASCII), lower case, Traditional → Simplified: the text every matcher reads. */
export function normaliseFaqText(text: string): string {
  return toSimplified(text.normalize('NFKC').toLowerCase());
}

/**
 * Chinese framing: politeness, question words and the templates paraphrase generators use. Matched
 * longest first; each becomes a break in the Han run. Words that carry a topic (为什么 "why", 能否
 * "whether one can") are kept, since FAQ questions differ by them.
 */
const ZH_FRAMING = [
  '请问一下', '请问', '您好', '你好', '麻烦', '谢谢', '帮我', '帮忙', '给我', '告诉我', '跟我', '和我',
  '为什么', '为啥', '介绍一下', '介绍下', '介绍', '说一下', '说说', '讲讲', '讲一下', '想知道', '想了解', '想问一下', '想问', '了解一下', '了解', '知道',
  '我想', '我要', '一下', '怎么办', '怎么样', '怎么', '怎样', '如何', '咋办', '咋', '什么样', '什么', '啥', '哪些', '吗', '呢', '吧', '啊', '呀', '嘛', '哦',
  '的', '了', '我们', '我', '你们', '你', '您', '是不是', '是否', '是', '请', '可以', '能不能', '能否', '有没有', '应该', '需要',
].sort((a, b) => b.length - a.length);
const ZH_FRAMING_RE = new RegExp(ZH_FRAMING.join('|'), 'g');

/** English stop words: function words and question framing; negations are kept ("card not working"). */
const EN_STOP = new Set(
  ('a an the and or but if of to in on at by for from with about as into over under up down out off than then so too very ' +
    'i me my mine we us our you your yours he she it its they them their this that these those there here ' +
    'is am are was were be been being do does did doing done have has had having can could will would shall should may might must ' +
    'how what why when where which who whom whose please hi hello hey thanks thank dear tell know want wanted like would just also ' +
    'get got any some much many more most own same other such only again ever anyone someone something anything ' +
    "i'm i've it's i'd you're").split(' '),
);
const HAN_RUN = /[\u3400-\u9fff\uf900-\ufaff]+/g;
const WORD_RE = /[a-z0-9]+(?:'[a-z]+)?(?:\.\d+)?/g;
const MIXED = /^(?=.*\d)(?=.*[a-z])/;
const PARTS = /[a-z]+|\d+(?:\.\d+)?/g;

/** Negations stay, as one word: "don't recognise" meets "not recognised". */
const NEGATION = /^(?:don't|doesn't|didn't|can't|cannot|won't|isn't|aren't|wasn't|haven't|hasn't|never|no)$/;

/** Latin words and numbers of a normalised text, stemmed, stop words dropped (in order, with positions). */
export function wordTokens(normalised: string): WordToken[] {
  const out: WordToken[] = [];
  for (const m of normalised.matchAll(WORD_RE)) {
    const w = m[0].replace(/'s$/, '');
    if (!MIXED.test(w)) {
      if (!EN_STOP.has(w) && (w.length > 1 || /\d/.test(w))) out.push({ stem: NEGATION.test(w) ? 'not' : /\d/.test(w) ? w : stemmer(w), start: m.index, end: m.index + w.length });
      continue;
    }
    // A code that mixes letters and digits ("10000z6", "62ic") is kept whole, and its parts too ("62", "ic").
    out.push({ stem: w, start: m.index, end: m.index + w.length });
    for (const p of w.matchAll(PARTS)) {
      const part = p[0];
      if (!EN_STOP.has(part) && part.length > 1) out.push({ stem: /\d/.test(part) ? part : stemmer(part), start: m.index + p.index, end: m.index + p.index + part.length });
    }
  }
  return out;
}

/** Han segments of a normalised text after framing words are cut out: [start, end) pairs. */
export function hanSegments(normalised: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const run of normalised.matchAll(HAN_RUN)) {
    let from = run.index;
    for (const cut of run[0].matchAll(ZH_FRAMING_RE)) {
      const at = run.index + cut.index;
      if (at > from) out.push([from, at]);
      from = at + cut[0].length;
    }
    if (run.index + run[0].length > from) out.push([from, run.index + run[0].length]);
  }
  return out;
}

/** Character unigrams and bigrams of the Han segments, and the words (not yet concepts: see the lexicon). */
export function surfaceTerms(normalised: string): TermOccurrence[] {
  const out: TermOccurrence[] = [];
  for (const [s, e] of hanSegments(normalised)) {
    for (let i = s; i < e; i++) {
      out.push({ term: normalised[i]!, kind: 'han1', start: i, end: i + 1 });
      if (i + 1 < e) out.push({ term: normalised.slice(i, i + 2), kind: 'han2', start: i, end: i + 2 });
    }
  }
  for (const w of wordTokens(normalised)) out.push({ term: w.stem, kind: 'word', start: w.start, end: w.end });
  return out;
}
