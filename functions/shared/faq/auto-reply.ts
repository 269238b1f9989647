/**
 * Automatic FAQ answers in processing (`REDRESS_FAQ_AUTOREPLY`), wired to the reply path:
 *
 * - `planFaqAutoReply` (pure): on a new item, before its one conditional put, whether it is answered
 *   (`decideFaqAutoAnswer`: inquiries only, not in triage, best suggestion at the threshold, once) and
 *   whether the channel lets it be (reply credentials, the platform's window). If so, the item gains the
 *   reply (`actor: "faq"`, `faqId`) and the `reply_queued` timeline entry, and the outbox the `sendReply`
 *   entry, so the answer is stored in the same write as the item: a redelivered message finds the item
 *   and never makes a second answer.
 * - `queueFaqAutoReplies`: after the put (first delivery or redelivery), the send of a stored automatic
 *   answer that is still owed goes to the replies queue, where the reply function carries it out (its
 *   claim makes a repeated job harmless). A failure to queue fails the message, whose retry queues it.
 *
 * No credentials or a closed window: no automatic answer, and nothing fails (a handler can still reply).
 */
import { createHash } from 'node:crypto';
import type { FeedbackItem } from '../../../schemas/feedback.ts';
import { replyWindowFor } from '../channels/reply-router.ts';
import type { OutboxEntry, StoredFeedback } from '../ports/feedback-repository.ts';
import type { ReplyQueue } from '../ports/reply-queue.ts';
import type { ReplyMode, ReplyRouter } from '../ports/reply-sender.ts';
import { acceptReply, replyOutboxKey } from '../replies/reply-lifecycle.ts';
import { decideFaqAutoAnswer, FAQ_ACTOR, type FaqAutoAnswerDecision } from './auto-answer.ts';
import type { FaqEntry } from './entry.ts';

/** What processing needs to answer automatically. */
export interface FaqAutoReplyDeps {
  /** `REDRESS_FAQ_AUTOREPLY` (parseFaqAutoReplyThreshold): the minimum score; null is off. */
  threshold: number | null;
  /** The FAQ as it is now (the suggestions' source), or null when there is none or it cannot be read. */
  entries: () => Promise<readonly FaqEntry[] | null>;
  /** Which sources have reply credentials here, and whether WhatsApp has a template (the window rules). */
  router: Pick<ReplyRouter, 'configured' | 'whatsappTemplateConfigured'>;
  /** The replies queue the reply function consumes. */
  queue: ReplyQueue;
}

/** The ways a platform lets software answer on its own (not `human_agent`, not a `template` in place of the answer). */
const AUTOMATIC_MODES: ReadonlySet<ReplyMode> = new Set<ReplyMode>(['response', 'private_reply', 'free_form', 'unrestricted']);

/** Why an item was not answered automatically: the decision's reason, or the channel's. */
export type FaqAutoReplyOutcome =
  | { answered: true; replyId: string; faqId: string; score: number }
  | { answered: false; reason: Extract<FaqAutoAnswerDecision, { answer: false }>['reason'] | 'reply_channel_not_configured' | 'window_closed' };

/**
 * The id of an item's automatic answer: derived from the item's id, so a retried attempt at the same
 * message records the same reply (and the Standard Webhooks receiver sees the same `webhook-id`).
 */
export function faqAutoReplyId(feedbackId: string): string {
  return `rp_faq${createHash('sha256').update(feedbackId).digest('hex').slice(0, 26)}`;
}

/**
 * The new item with its automatic answer accepted, and the outbox entry that sends it (pure). `item` is
 * the item about to be created (version 1): the reply belongs to that first write, so no version bump.
 */
export function planFaqAutoReply(
  item: FeedbackItem,
  entries: readonly FaqEntry[],
  threshold: number | null,
  router: Pick<ReplyRouter, 'configured' | 'whatsappTemplateConfigured'>,
  now: Date,
): { outcome: FaqAutoReplyOutcome; item: FeedbackItem; outbox: OutboxEntry[] } {
  const decision = decideFaqAutoAnswer(item, entries, threshold);
  if (!decision.answer) return { outcome: { answered: false, reason: decision.reason }, item, outbox: [] };
  if (!router.configured(item.source)) return { outcome: { answered: false, reason: 'reply_channel_not_configured' }, item, outbox: [] };
  const window = replyWindowFor(item, now, router);
  // Meta's HUMAN_AGENT tag is for a person's replies only, and a WhatsApp template is not the answer: past the platform's automated window, a handler answers.
  if (!window.allowed || !AUTOMATIC_MODES.has(window.mode)) return { outcome: { answered: false, reason: 'window_closed' }, item, outbox: [] };
  const replyId = faqAutoReplyId(item.id);
  const accepted = acceptReply(item, {
    replyId,
    message: decision.text,
    via: 'channel',
    actor: FAQ_ACTOR,
    at: now.toISOString(),
    faqId: decision.faqId,
    mode: window.mode,
    ...(window.closesAt ? { windowClosesAt: window.closesAt } : {}),
  });
  const answered: FeedbackItem = { ...accepted.item, timeline: [...accepted.item.timeline, ...accepted.entries] };
  return { outcome: { answered: true, replyId, faqId: decision.faqId, score: decision.score }, item: answered, outbox: accepted.outbox };
}

/** The automatic answers of a stored item whose send is still owed (at most one). */
export function owedFaqAutoReplies(stored: StoredFeedback): string[] {
  return (stored.item.replies ?? []).filter((r) => r.actor === FAQ_ACTOR && stored.outbox[replyOutboxKey(r.id)]?.kind === 'sendReply').map((r) => r.id);
}

/** Queues the send of each owed automatic answer now (the reply function claims it; a repeat is harmless). */
export async function queueFaqAutoReplies(stored: StoredFeedback, queue: ReplyQueue): Promise<string[]> {
  const owed = owedFaqAutoReplies(stored);
  for (const replyId of owed) await queue.enqueue({ feedbackId: stored.item.id, replyId }, 0);
  return owed;
}
