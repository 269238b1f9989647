/**
 * How the admin API shows a stored item: the customer's platform identity masked (social and Twilio
 * sources carry a platform user id or phone number in `customer.id`), `contact` masked again (it is
 * masked at ingest; this keeps older or hand-written items safe too), clocks evaluated now (a running
 * clock past due shows breached), and internal records (`clockPlans`) dropped. A paused clock (China:
 * external appraisal) shows `paused: true` with `pausedAt` and `pauseReason` (its state stays `running`,
 * frozen at the pause: it neither warns nor breaches until resumed); an extended clock lists the
 * extensions applied (`extensions`).
 */
import type { FeedbackView } from '../../schemas/admin.ts';
import { PLATFORM_SOURCES, type CustomerRef, type FeedbackItem, type Source } from '../../schemas/feedback.ts';
import type { Clock } from '../../schemas/feedback.ts';
import { clockRecords, itemClockViews } from '../shared/clocks/complaint-clocks.ts';
import type { WindowDecision } from '../shared/channels/reply-window.ts';
import type { FaqEntry } from '../shared/faq/entry.ts';
import type { Suggestion } from '../../schemas/faq.ts';

/** Sources whose customer id is the person's identity on another platform (PSID, WhatsApp number, X id, OpenID, caller number). */
const PLATFORM_ID_SOURCES: ReadonlySet<Source> = new Set(PLATFORM_SOURCES);

/** Keeps the last `keep` characters and hides the rest (at least three mask characters, so length leaks little). */
export function maskValue(value: string, keep = 2): string {
  const chars = [...value];
  const shown = chars.length > keep * 2 ? chars.slice(-keep).join('') : '';
  return `***${shown}`;
}

/** An already-masked value (contains a run of mask characters) stays as it is. */
const looksMasked = (value: string) => /\*{3,}|•{3,}|\[[A-Z_]+\]/.test(value);

/** The customer reference as handlers see it. */
export function maskCustomer(customer: CustomerRef, source: Source): CustomerRef {
  const out: CustomerRef = { ...customer };
  if (out.id !== undefined && PLATFORM_ID_SOURCES.has(source)) out.id = maskValue(out.id, 4);
  if (out.contact !== undefined && !looksMasked(out.contact)) out.contact = maskValue(out.contact);
  return out;
}

/** The clocks a handler sees at `now`: the evaluated view plus pause and extension facts from the records. */
export function handlerClockViews(item: FeedbackItem, now: string): Clock[] {
  const records = new Map(clockRecords(item).map((r) => [r.name, r]));
  return itemClockViews(item, now).map((clock) => {
    const record = records.get(clock.name);
    if (!record) return clock;
    return {
      ...clock,
      ...(record.pausedAt && !record.stoppedAt ? { paused: true, pausedAt: record.pausedAt, ...(record.pauseReason ? { pauseReason: record.pauseReason } : {}) } : {}),
      ...(record.extensions.length ? { extensions: [...record.extensions] } : {}),
    };
  });
}

/** An FAQ entry by id, as the FAQ is now (absent: no FAQ, or it could not be read). */
export type FaqLookup = (faqId: string) => FaqEntry | undefined;

/**
 * The item's suggestions as the API shows them: a stored `{faqId, score, cues}` with its entry's
 * question, answer, language and category from the FAQ as it is now (left out when the entry is gone or
 * the FAQ cannot be read); a whole suggestion stored before 2026-12-06 as it was stored.
 */
export function suggestionViews(suggestions: NonNullable<FeedbackItem['suggestions']>, faq: FaqLookup | undefined): Suggestion[] {
  return suggestions.flatMap((s) => {
    const e = 'answer' in s ? s : faq?.(s.faqId);
    // (An entry without a category leaves it undefined: absent from the JSON answer.)
    return e ? [{ faqId: s.faqId, score: s.score, question: e.question, answer: e.answer, language: e.language, category: e.category, cues: s.cues }] : [];
  });
}

/** The admin view of a stored item at `now` (`faq`: the entries its stored suggestions name). */
export function toView(item: FeedbackItem, now: string, faq?: FaqLookup): FeedbackView {
  const { clockPlans: _internal, suggestions, ...rest } = item;
  const customer = { ...maskCustomer(item.customer ?? {}, item.source), ...(item.customerKey ? { history: `/admin/customers/${item.customerKey}` } : {}) };
  const needsAction = replyNeedsAction(item);
  return { ...rest, ...(suggestions ? { suggestions: suggestionViews(suggestions, faq) } : {}), customer, clocks: handlerClockViews(item, now), ...(needsAction ? { needsAction } : {}) } as FeedbackView;
}

/**
 * The bank's latest answer (a handler's or an automatic one; rating requests apart) failed and nothing
 * later was sent, on an item not yet resolved: the queue shows it as needing a person.
 */
export function replyNeedsAction(item: Pick<FeedbackItem, 'status' | 'replies'>): FeedbackView['needsAction'] {
  if (item.status === 'resolved') return undefined;
  const answers = (item.replies ?? []).filter((r) => (r.purpose ?? 'response') === 'response');
  const last = answers.at(-1);
  if (last?.status !== 'failed') return undefined;
  return { reason: 'reply_failed', replyId: last.id, at: last.failedAt ?? last.at, ...(last.error ? { code: last.error.code } : {}) };
}

/**
 * The item's reply window as handlers need it: whether a reply through its channel is allowed now, in
 * which mode and until when, or, once closed, the rule and what is still allowed (`via` phone, letter…).
 */
export function replyWindowView(decision: WindowDecision): NonNullable<FeedbackView['replyWindow']> {
  if (decision.allowed) return { allowed: true, mode: decision.mode, ...(decision.modeEndsAt ? { modeEndsAt: decision.modeEndsAt } : {}), ...(decision.closesAt ? { closesAt: decision.closesAt } : {}) };
  return { allowed: false, rule: decision.rule, closedAt: decision.closedAt, stillAllowed: [...decision.stillAllowed] };
}
