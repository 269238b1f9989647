/**
 * Language: the channel's declaration when given, else detected from the script. The classifier reads
 * English and Chinese (Simplified, Traditional, Cantonese); anything else is named as well as it can be
 * (`vi`, `ja`, `ko`, or `und`) and marked unsupported, so it is never passed off as English or Chinese.
 */
import { countScripts, stripNoise, type TextView } from './features.ts';

/** The languages the classifier's models and lexicon read. */
export const SUPPORTED_LANGUAGES: readonly string[] = ['en', 'zh'];

/** What `detectLanguage` decides. */
export interface LanguageCall {
  language: string;
  /** For Chinese: Simplified (`Hans`) or Traditional (`Hant`) script. */
  script?: 'Hans' | 'Hant';
  detected: boolean;
}

/** Hiragana and katakana: Japanese writes them between its kanji, Chinese never does. */
const KANA = /[\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f]/g;
/** Hangul syllables and jamo. */
const HANGUL = /[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]/g;
/**
 * Letters only Vietnamese uses among Latin-script languages (ơ, ư, đ, ă, and vowels carrying the dot below
 * or hook above): one is enough to tell Vietnamese from English.
 */
const VIETNAMESE = /[ơưđăạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/;
/** Latin letters with diacritics (French, Spanish, German, Portuguese …); English text has next to none. */
const ACCENTED_LATIN = /[à-öø-ÿœ]/g;
/** The commonest English function words: any real English sentence has some. */
const ENGLISH_WORD = /\b(?:the|a|an|and|or|to|of|in|on|for|my|i|you|your|is|was|it|not|no|with|have|has|me|this|that|from|at|be|are|can|do|why|how|what|when|card|account|money|bank|please)\b/;
/** Any kana or Hangul (the ranges KANA and HANGUL count). */
const EAST_ASIAN_NOT_HAN = /[\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]/;

/**
 * The message's language: the channel's declaration when given (`zh-TW` → `zh`), else detected from the
 * script. Han text is Chinese unless kana say Japanese; Hangul is Korean; Latin text is English unless
 * Vietnamese letters, or accented letters without English function words, say otherwise (`und`). Chinese
 * texts also get their script (Traditional when Traditional-only characters outnumber Simplified-only ones).
 */
export function detectLanguage(text: string, declared?: string): LanguageCall {
  // Reference codes and random strings ("k3x9q2") are not English: leave them out of the count.
  return detectInStripped(stripNoise(text.normalize('NFKC').toLowerCase()), declared);
}

/** `detectLanguage` on text already NFKC-folded, lower-cased and stripped of noise (a `TextView`'s `lower`). */
function detectInStripped(stripped: string, declared?: string): LanguageCall {
  const counts = countScripts(stripped);
  const script = counts.han > 0 ? (counts.traditional > counts.simplified ? 'Hant' : 'Hans') : undefined;
  const declaredBase = declared?.trim().toLowerCase().split(/[-_]/)[0];
  if (declaredBase) {
    const declaredScript = /hant|tw|hk|mo/i.test(declared ?? '') ? 'Hant' : /hans|cn|sg/i.test(declared ?? '') ? 'Hans' : script;
    return { language: declaredBase, script: declaredBase === 'zh' ? declaredScript : undefined, detected: false };
  }
  // Counted only when the text has any East Asian character outside Han (most messages have none).
  const eastAsian = EAST_ASIAN_NOT_HAN.test(stripped);
  const kana = eastAsian ? (stripped.match(KANA)?.length ?? 0) : 0;
  const hangul = eastAsian ? (stripped.match(HANGUL)?.length ?? 0) : 0;
  if (hangul >= 2 && hangul * 2 >= counts.han + kana) return { language: 'ko', detected: true };
  // A stray の or a katakana brand name in Chinese text is not Japanese; a third of the East Asian
  // characters in kana is (Japanese sentences, even kanji-heavy ones, carry more).
  if (kana >= 2 && kana * 3 >= counts.han + kana) return { language: 'ja', detected: true };
  // Han characters carry far more information per character than Latin letters: a handful decide.
  if (counts.han >= 2 || (counts.han === 1 && counts.latin <= 12) || (counts.han > 0 && counts.han * 4 >= counts.latin)) return { language: 'zh', script, detected: true };
  if (VIETNAMESE.test(stripped)) return { language: 'vi', detected: true };
  const accented = stripped.match(ACCENTED_LATIN)?.length ?? 0;
  if (accented >= 2 && !ENGLISH_WORD.test(stripped)) return { language: 'und', detected: true };
  if (hangul > 0 || kana > 0) return { language: hangul > 0 ? 'ko' : 'ja', detected: true };
  if (counts.latin === 0 && /\p{L}/u.test(stripped)) return { language: 'und', detected: true };
  return { language: 'en', detected: true };
}

/** The language decision: the call, whether the classifier reads it, and the reason in words. */
export interface LanguageDecision extends LanguageCall {
  supported: boolean;
  reason: string;
}

/**
 * Decide the language of a message and say why (and, when unsupported, that it is outside the classifier's
 * languages). `view` is the message's `viewText`, when the caller has it (it saves folding the text again).
 */
export function decideLanguage(text: string, declared?: string, view?: Pick<TextView, 'lower'>): LanguageDecision {
  const call = view ? detectInStripped(view.lower, declared) : detectLanguage(text, declared);
  const supported = SUPPORTED_LANGUAGES.includes(call.language);
  const scriptName = call.script ? ` (${call.script === 'Hant' ? 'Traditional' : 'Simplified'} Chinese script)` : '';
  const how = call.detected ? 'detected from the text' : 'as declared by the channel';
  const outside = supported ? '' : `; outside the classifier's languages (${SUPPORTED_LANGUAGES.join(', ')}): read as English at best, for a person to check`;
  return { ...call, supported, reason: `language ${call.language}${scriptName}, ${how}${outside}` };
}
