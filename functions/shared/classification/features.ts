/**
 * Text features shared by the trainer (scripts/train-classifier.ts) and the classifier at run time: the two
 * must hash the same strings the same way, so both import this file.
 *
 * English: lower-cased word unigrams and bigrams plus character 4-grams of longer words (numbers collapse to `#`, CFPB's `XXXX` redactions and
 * PII placeholders become one token each). Chinese: character unigrams, bigrams and trigrams over Han runs,
 * after folding Traditional characters onto Simplified ones, so one model serves both scripts.
 */
import openccTable from './model/t2s.json' with { type: 'json' };
import bankTable from './model/t2s-bank.json' with { type: 'json' };

/** Read two-character pairs into `map` (a pair of one character twice is skipped). */
function addPairs(map: Map<string, string>, pairs: string): Map<string, string> {
  const chars = Array.from(pairs);
  for (let i = 0; i + 1 < chars.length; i += 2) if (chars[i] !== chars[i + 1]) map.set(chars[i]!, chars[i + 1]!);
  return map;
}

/**
 * The bank's own Traditional → Simplified pairs (model/t2s-bank.json) for the characters that matter in bank
 * feedback (money, cards, accounts, service, complaints): data a bank can extend. They take precedence over
 * OpenCC's table (model/t2s.json, 2,906 pairs), which folds everything else (建議 → 建议, 貴行 → 贵行), and
 * they alone say which characters are Simplified-only for telling the scripts apart.
 */
const BANK_PAIRS: ReadonlyMap<string, string> = addPairs(new Map(), bankTable.pairs);
const TRAD_TO_SIMP: ReadonlyMap<string, string> = addPairs(addPairs(new Map(), openccTable.pairs), bankTable.pairs);
const SIMPLIFIED_ONLY: ReadonlySet<string> = new Set([...BANK_PAIRS.values()]);

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
const HAN_RUN = /[\u3400-\u9fff\uf900-\ufaff]+/g;
const WORD = /\[(?:card|id|account|phone|email)\]|[a-z]+(?:'[a-z]+)?|\d+(?:[.,]\d+)*/g;

/** How many Han characters, Latin letters, and Traditional-only / Simplified-only characters a text has. */
export interface ScriptCounts {
  han: number;
  latin: number;
  traditional: number;
  simplified: number;
}

/** Count the scripts in a text (for language detection and the Simplified/Traditional call). */
export function countScripts(text: string): ScriptCounts {
  const counts: ScriptCounts = { han: 0, latin: 0, traditional: 0, simplified: 0 };
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122)) counts.latin++;
    else if (code >= 0x3400 && HAN.test(ch)) {
      counts.han++;
      if (TRAD_TO_SIMP.has(ch)) counts.traditional++;
      else if (SIMPLIFIED_ONLY.has(ch)) counts.simplified++;
    }
  }
  return counts;
}

const MAYBE_TRADITIONAL = /[\u3400-\u9fff\uf900-\ufaff]/;

/**
 * Fold a text both ways in one pass: by the whole table (`simplified`, what the lexicon's cues match) and by
 * the bank's pairs alone (`featureText`, what the model's features hash). Text with no Han passes through.
 */
export function foldViews(text: string): { simplified: string; featureText: string } {
  if (!MAYBE_TRADITIONAL.test(text)) return { simplified: text, featureText: text };
  let simplified = '';
  let featureText = '';
  for (const ch of text) {
    simplified += TRAD_TO_SIMP.get(ch) ?? ch;
    featureText += BANK_PAIRS.get(ch) ?? ch;
  }
  return { simplified, featureText };
}

/** Fold Traditional characters onto Simplified ones: OpenCC's table with the bank's pairs over it. */
export function toSimplified(text: string): string {
  if (!MAYBE_TRADITIONAL.test(text)) return text;
  let out = '';
  for (const ch of text) out += TRAD_TO_SIMP.get(ch) ?? ch;
  return out;
}

/** A text prepared once for every matcher and the feature extractor. */
export interface TextView {
  /** NFKC, lower case. */
  lower: string;
  /** `lower` with Traditional characters folded onto Simplified ones (what the lexicon's cues match). */
  simplified: string;
  /**
   * `lower` folded by the bank's own pairs only: what the model's features hash. The heads were trained on
   * that folding; with OpenCC's whole table the five folds lost CCF kind (0.902 → 0.901) and Chinese fraud
   * (290 → 281 of 431) for written kind (0.809 → 0.817), so the features keep it until a retraining gains.
   */
  featureText: string;
  hasHan: boolean;
  hasLatin: boolean;
}

/**
 * Noise tokens: reference codes and random strings that carry no meaning for kind or category but would
 * otherwise add word, bigram and character n-gram features (and shift length markers) at random. Two shapes:
 * a run of 3+ letters and digits that mixes both ("k3x9q2", "a1b2c3", "8f3k2"), except ordinals, times
 * and amounts with a unit ("2nd", "10am", "24h", "5k", "100usd"); and a letter run with no vowel at all of 5+
 * letters ("zzqxv") or any letter run of 25+ letters. An optional bracket or `#` around the token goes with it.
 */
const NOISE_TOKEN = /[ \t]*[(\[{<#]?(?<![a-z0-9])(?:(?=[a-z]*\d)(?=\d*[a-z])[a-z0-9]{3,}|[b-df-hj-np-tv-xz]{5,}|[a-z]{25,})(?![a-z0-9])[)\]}>]?/g;
const KEEP_MIXED = /^\d+(?:st|nd|rd|th|am|pm|s|k|m|g|w|x|h|d|hrs?|mins?|yrs?|days?|usd|gbp|eur|cny|rmb|yuan)$/;
/** Runs of x only are CFPB redactions (`XXXX`), which the features keep as one token. */
const ONLY_X = /^[\s(\[{<#]*x+[)\]}>]?$/;

/** Remove noise tokens (see NOISE_TOKEN) from a lower-cased text, and the trailing blanks they leave. */
export function stripNoise(lower: string): string {
  if (!/[a-z]/.test(lower)) return lower;
  return lower
    .replace(NOISE_TOKEN, (m) => {
      const core = m.replace(/^[\s(\[{<#]+|[)\]}>]+$/g, '');
      return KEEP_MIXED.test(core) || ONLY_X.test(m) ? m : '';
    })
    .trimEnd();
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** Prepare a text: NFKC, lower case, noise tokens removed, Simplified folding, and which scripts it contains. */
export function viewText(text: string): TextView {
  // NFKC leaves ASCII as it is: most English messages skip the normalisation.
  const lower = stripNoise((ASCII_ONLY.test(text) ? text : text.normalize('NFKC')).toLowerCase());
  const { simplified, featureText } = foldViews(lower);
  return { lower, simplified, featureText, hasHan: HAN.test(simplified), hasLatin: /[a-z]/.test(lower) };
}

const REDACTION = /\bx{2,}(?:\/x{2,})*(?:\/\d{2,4})?\b/g;

/** NFKC (full-width → ASCII), lower case, Traditional → Simplified, CFPB `XXXX` redactions → one token. */
export function normaliseText(text: string): string {
  return viewText(text).featureText.replace(REDACTION, ' xxxx ');
}

/** Number of hash buckets (2^20); the trained model keeps a small subset of them. */
export const HASH_BITS = 20;
const HASH_MASK = (1 << HASH_BITS) - 1;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a state `h` continued over `s`'s UTF-16 code units from `from` to `to`. */
function fnvOver(h: number, s: string, from = 0, to = s.length): number {
  for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/** FNV-1a state `h` continued over one UTF-16 code unit. */
const fnvUnit = (h: number, code: number): number => Math.imul(h ^ code, FNV_PRIME);

/** Fold an FNV-1a state to HASH_BITS. */
const foldHash = (h: number): number => ((h >>> HASH_BITS) ^ h) & HASH_MASK;

/** FNV-1a over UTF-16 code units, folded to HASH_BITS. */
export function hashFeature(feature: string): number {
  return feature ? foldHash(fnvOver(FNV_OFFSET, feature)) : foldHash(FNV_OFFSET);
}

// The features' prefixes hashed once: a feature is hashed as its prefix's state continued over its text,
// which is the hash of the concatenated string without building it (a message has a few hundred features).
const H_WORD = fnvOver(FNV_OFFSET, 'w');
const H_BIGRAM = fnvOver(FNV_OFFSET, 'b');
const H_GRAM = fnvOver(FNV_OFFSET, 'g');
const H_HAN = fnvOver(FNV_OFFSET, 'c');
/**
 * Bucket ids in first-seen order, without repeats: a stamp per bucket (the call's number) says whether this
 * call has seen it, which is several times faster than a Set for the few hundred ids of a message. The stamps
 * (2 MB) are shared by every call; extraction is synchronous, so calls never interleave.
 */
const STAMPS = new Uint16Array(2 ** HASH_BITS);
let stamp = 0;
function distinctIds(): { ids: number[]; add(id: number): void } {
  if (++stamp > 0xffff) {
    STAMPS.fill(0);
    stamp = 1;
  }
  const current = stamp;
  const ids: number[] = [];
  return {
    ids,
    add(id) {
      if (STAMPS[id] === current) return;
      STAMPS[id] = current;
      ids.push(id);
    },
  };
}

const SPACE = 32;
const LT = 60;
const GT = 62;

/** The words of a normalised text (English tokens and PII placeholders; numbers collapse to `#`). */
export function words(normalised: string): string[] {
  const out: string[] = [];
  for (const m of normalised.matchAll(WORD)) {
    const w = m[0];
    out.push(w.charCodeAt(0) >= 48 && w.charCodeAt(0) <= 57 ? '#' : w);
  }
  return out;
}

/**
 * The hashed features of a text: distinct bucket ids (sorted is not required). Long texts are capped at
 * the first 600 words so a 5,000-character narrative stays fast to classify. `extra` adds named signals
 * (the lexicon's opinion counts) as features of their own.
 */
export function extractFeatures(text: string | TextView, extra: readonly string[] = []): number[] {
  const view = typeof text === 'string' ? viewText(text) : text;
  const norm = view.hasLatin ? view.featureText.replace(REDACTION, ' xxxx ') : view.featureText;
  const seen = distinctIds();
  const add = (f: string): void => {
    seen.add(hashFeature(f));
  };
  add('bias');
  for (const f of extra) add(f);
  const ws = words(norm).slice(0, 600);
  let prev = '<s>';
  for (const w of ws) {
    // 'w' + w, and 'b' + prev + ' ' + w
    seen.add(foldHash(fnvOver(H_WORD, w)));
    seen.add(foldHash(fnvOver(fnvUnit(fnvOver(H_BIGRAM, prev), SPACE), w)));
    // Character 4-grams of longer words: typos and word forms (charged / charges / chargeback) share them.
    // They are 'g' + a 4-character slice of '<' + w + '>', hashed from w's code units with the brackets.
    if (w.length > 3 && w.charCodeAt(0) !== 91) {
      const last = w.length - 1;
      seen.add(foldHash(fnvOver(fnvUnit(H_GRAM, LT), w, 0, 3)));
      for (let i = 0; i + 4 <= w.length; i++) seen.add(foldHash(fnvOver(H_GRAM, w, i, i + 4)));
      seen.add(foldHash(fnvUnit(fnvOver(H_GRAM, w, last - 2, last + 1), GT)));
    }
    prev = w;
  }
  if (ws.length) add('b' + prev + ' </s>');
  let hanTotal = 0;
  if (view.hasHan) for (const m of norm.matchAll(HAN_RUN)) {
    const run = m[0];
    if (hanTotal > 1500) break;
    hanTotal += run.length;
    // 'c' + each character, bigram and trigram of the run.
    for (let i = 0; i < run.length; i++) {
      const one = fnvOver(H_HAN, run, i, i + 1);
      seen.add(foldHash(one));
      if (i + 1 < run.length) {
        const two = fnvUnit(one, run.charCodeAt(i + 1));
        seen.add(foldHash(two));
        if (i + 2 < run.length) seen.add(foldHash(fnvUnit(two, run.charCodeAt(i + 2))));
      }
    }
  }
  if (/[?？]/.test(norm)) add('p?');
  if (/[!！]/.test(norm)) add('p!');
  const len = norm.length;
  add(len < 30 ? 'len:xs' : len < 80 ? 'len:s' : len < 250 ? 'len:m' : len < 800 ? 'len:l' : 'len:xl');
  return seen.ids;
}

/**
 * Word unigram and bigram counts of an English text (first 1,000 words), hashed as `extractFeatures` hashes
 * them: the input of the long-narrative TF-IDF head, which weighs how often a word recurs in an account.
 */
export function termCounts(view: TextView): Map<number, number> {
  const counts = new Map<number, number>();
  const add = (f: string): void => {
    const id = hashFeature(f);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  };
  let prev = '<s>';
  for (const w of words(view.featureText.replace(REDACTION, ' xxxx ')).slice(0, 1000)) {
    add('w' + w);
    add('b' + prev + ' ' + w);
    prev = w;
  }
  return counts;
}
