/**
 * One message prepared once for every decision: the normalised views of its text, its length, whether it
 * asks rather than states, the lexicon's opinion signals and the model's features.
 */
import type { ClassifyInput } from '../ports/classifier.ts';
import { foldViews, toSimplified, viewText, type TextView } from './features.ts';
import { KIND_CUES, modelFeatures, sentimentSignals } from './lexicon.ts';
import { LONG_ACCOUNT_CHARS } from './tuning.ts';

/** Chinese question markers (as in the dataset mapping: ？ 吗 怎么 如何 为什么 能不能 请问 …). */
// Cantonese question words too (点样 how, 点解 why, 几多/几钱 how much, 系咪 is it, 可唔可以 can, 有冇 is there).
const ZH_QUESTION = /[?？]|吗|怎么|如何|为什么|能不能|请问|点样|點樣|点解|點解|几多|幾多|几钱|幾錢|系咪|係咪|可唔可以|有冇/;
/** An English question: a question mark, or a sentence opening the way questions do. */
const EN_QUESTION = /\?|^(?:how|what|why|when|where|which|who|whom|whose|can|could|do|does|did|is|are|was|were|will|would|should|shall|may|might|am|have|has|i need to know|i'd like to know|i would like to know|tell me|please (?:tell|explain|help))\b/;
/** A sentence anywhere in the text that starts as EN_QUESTION does (a cheap test that a text may ask). */
const EN_QUESTION_ANYWHERE = new RegExp(`(?:^|[.!?。！？\\n;；])\\s*${EN_QUESTION.source.replace(/^\\\?\|\^/, '')}`);

/** A message as the decisions read it. */
export interface MessageView {
  /** Subject and text, as given (already PII-masked). */
  text: string;
  view: TextView;
  /** Characters of the noise-free text: an appended reference code cannot move a message across a length threshold. */
  length: number;
  /** A long written account (CFPB-style narrative): the model has plenty to go on and topics come up in passing. */
  long: boolean;
  /** Whether the text asks (a question mark or a question word), read in each language's way. */
  zhQuestion: boolean;
  enQuestion: boolean;
  /**
   * The message's statements only: its sentences (Chinese: clauses) that do not ask. "I sent £450 on Monday
   * and it still hasn't arrived. Where is my money?" states a fault before it asks; the fault rules read this.
   */
  statements: TextView;
  /** Fault-report cues (lexicon `kind.malfunction`) in the whole text, and in its statements only. */
  faults: string[];
  statedFaults: string[];
  /** The lexicon's opinion signals (`L:pos`, `L:neg`, `L:net+` …), shared by the model's features and the kind rules. */
  signals: string[];
  /** The model's hashed features. */
  features: number[];
}

/** Sentences, and for Chinese also clauses (a comma often separates a statement from a question). */
const SENTENCE = /[^.!?。！？\n;；]+[.!?。！？]*/g;
const CLAUSE = /[^.!?。！？\n;；,，]+[.!?。！？]*/g;

/** The sentences of a text that are statements, as a view of their own. */
function statementsOf(view: TextView): TextView {
  const parts = view.hasHan ? view.lower.match(CLAUSE) ?? [] : view.lower.match(SENTENCE) ?? [];
  const asks = (part: string): boolean => /[?？]/.test(part) || (view.hasHan ? ZH_QUESTION.test(toSimplified(part)) : EN_QUESTION.test(part.trim()));
  const lower = parts.filter((part) => !asks(part)).join(' 。');
  return { lower, ...foldViews(lower), hasHan: view.hasHan && /[\u3400-\u9fff]/.test(lower), hasLatin: /[a-z]/.test(lower) };
}

/** The number of code points of a text (a surrogate pair is one, as `Array.from` counts). */
function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i + 1 < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) (n--, i++);
    }
  }
  return n;
}

/** Read a message once: views, length, questions, opinion signals and features. */
export function readMessage(input: ClassifyInput): MessageView {
  const text = input.subject ? `${input.subject}\n${input.text}` : input.text;
  const view = viewText(text);
  const signals = sentimentSignals(view);
  const length = codePoints(view.lower.trim());
  // Most messages ask nothing: their statements are the whole text, read once.
  const mayAsk = /[?？]/.test(view.lower) || ZH_QUESTION.test(view.simplified) || EN_QUESTION_ANYWHERE.test(view.lower);
  const statements = mayAsk ? statementsOf(view) : view;
  const faults = KIND_CUES.malfunction.find(view);
  return {
    text,
    view,
    length,
    long: length >= LONG_ACCOUNT_CHARS,
    zhQuestion: ZH_QUESTION.test(view.simplified),
    enQuestion: EN_QUESTION.test(view.lower.trim()),
    statements,
    faults,
    statedFaults: mayAsk ? KIND_CUES.malfunction.find(statements) : faults,
    signals,
    features: modelFeatures(view, signals),
  };
}
