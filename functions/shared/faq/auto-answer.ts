/**
 * What the reply path needs from the FAQ, as pure decisions (the reply path itself sends):
 * - `decideFaqAutoAnswer`: whether an item is answered automatically (`REDRESS_FAQ_AUTOREPLY`): inquiries
 *   only, never complaints or items in triage, only when the best suggestion reaches the threshold, and
 *   once (an item already answered by `actor: "faq"` is not answered again);
 * - `resolveFaqReply`: the text a handler's `POST /admin/feedback/{id}/replies {faqId, message?}` sends:
 *   the edited `message` when given, else the entry's answer in the item's language.
 */
import type { FeedbackItem } from '../../../schemas/feedback.ts';
import { FaqInvalidError } from './errors.ts';
import type { FaqEntry, FaqLanguage } from './entry.ts';
import { ConfigurationError } from '../config.ts';

/** The actor the reply path records for an automatic answer (timeline, `Reply.*` events). */
export const FAQ_ACTOR = 'faq';

/**
 * `REDRESS_FAQ_AUTOREPLY`: the minimum calibrated score for an automatic answer, or null (unset or empty:
 * off). A value that is not a number above 0 and at most 1 fails the cold start rather than answering
 * customers on a misread setting. (The README's recommended value is 0.75, from the evaluation.)
 */
export function parseFaqAutoReplyThreshold(value: string | undefined): number | null {
  const raw = value?.trim();
  if (!raw) return null;
  const threshold = Number(raw);
  if (!Number.isFinite(threshold) || threshold <= 0 || threshold > 1) throw new ConfigurationError(`REDRESS_FAQ_AUTOREPLY must be a score above 0 and at most 1, e.g. 0.75 (got "${raw}"); leave it empty to turn automatic answers off`);
  return threshold;
}

/** What the decision reads of an item (`triage` is set by the triage of uncertain classifications). */
export type AutoAnswerItem = Pick<FeedbackItem, 'kind' | 'language' | 'timeline' | 'suggestions'> & { triage?: unknown };

export type FaqAutoAnswerDecision =
  | { answer: true; faqId: string; score: number; text: string; language: FaqLanguage }
  | { answer: false; reason: 'off' | 'not_inquiry' | 'triaged' | 'already_answered' | 'no_suggestion' | 'below_threshold' | 'entry_gone' };

/**
 * Whether to answer `item` automatically with its best suggestion, against the FAQ as it is now
 * (`entries`; an entry removed since the item was processed is not sent). Checked in this order, so the
 * reason names the first rule that says no.
 */
export function decideFaqAutoAnswer(item: AutoAnswerItem, entries: readonly FaqEntry[], threshold: number | null): FaqAutoAnswerDecision {
  if (threshold === null) return { answer: false, reason: 'off' };
  if (item.kind !== 'inquiry') return { answer: false, reason: 'not_inquiry' };
  if (item.triage !== undefined && item.triage !== null) return { answer: false, reason: 'triaged' };
  if (item.timeline.some((e) => e.actor === FAQ_ACTOR)) return { answer: false, reason: 'already_answered' };
  const best = item.suggestions?.[0];
  if (!best) return { answer: false, reason: 'no_suggestion' };
  if (best.score < threshold) return { answer: false, reason: 'below_threshold' };
  const resolved = answerInLanguage(entries, best.faqId, item.language);
  if (!resolved) return { answer: false, reason: 'entry_gone' };
  return { answer: true, faqId: best.faqId, score: best.score, ...resolved };
}

/** A handler's FAQ reply request (`POST /admin/feedback/{id}/replies`). */
export interface FaqReplyRequest {
  faqId: string;
  /** The answer as the handler edited it; absent: the entry's answer as it is. */
  message?: string;
}

/** The text a FAQ reply sends and where it came from. */
export interface ResolvedFaqReply {
  faqId: string;
  text: string;
  /** The language of the entry whose answer is sent (the item's, where the FAQ has it). */
  language: FaqLanguage;
  edited: boolean;
}

/**
 * The text of a FAQ reply: `message` (trimmed) when given, else the answer of entry `faqId` in the
 * item's language (its `-zh` / `-en` counterpart when the entry is in the other one and the counterpart
 * exists, else the entry's own answer). An unknown `faqId` or an empty `message` is a 400 naming it.
 */
export function resolveFaqReply(entries: readonly FaqEntry[], request: FaqReplyRequest, itemLanguage: string): ResolvedFaqReply {
  const resolved = answerInLanguage(entries, request.faqId, itemLanguage);
  if (!resolved) throw new FaqInvalidError(`No FAQ entry "${request.faqId.slice(0, 64)}".`, [{ field: 'faqId', message: 'not an entry of the current FAQ' }]);
  if (request.message === undefined) return { faqId: request.faqId, ...resolved, edited: false };
  const text = request.message.trim();
  if (!text) throw new FaqInvalidError('The edited answer is empty.', [{ field: 'message', message: 'must not be empty' }]);
  return { faqId: request.faqId, text, language: resolved.language, edited: text !== resolved.text };
}

/** `zh` for `zh`, `zh-CN`, `zh-Hant`…; `en` for `en`, `en-GB`…; else null (the entry's own language is used). */
export function faqLanguageOf(language: string): FaqLanguage | null {
  const primary = language.trim().toLowerCase().split(/[-_]/)[0];
  return primary === 'zh' || primary === 'en' ? primary : null;
}

/** The same question's entry in `language` by the id convention `<topic>-zh` / `<topic>-en`, if any. */
export function counterpartId(id: string, language: FaqLanguage): string | null {
  const m = /^(.*)-(zh|en)$/.exec(id);
  return m && m[2] !== language ? `${m[1]}-${language}` : null;
}

function answerInLanguage(entries: readonly FaqEntry[], faqId: string, itemLanguage: string): { text: string; language: FaqLanguage } | null {
  const byId = (id: string) => entries.find((e) => e.id === id);
  const entry = byId(faqId);
  if (!entry) return null;
  const wanted = faqLanguageOf(itemLanguage);
  if (wanted && entry.language !== wanted) {
    const otherId = counterpartId(entry.id, wanted);
    const other = otherId ? byId(otherId) : undefined;
    if (other && other.language === wanted) return { text: other.answer, language: other.language };
  }
  return { text: entry.answer, language: entry.language };
}
