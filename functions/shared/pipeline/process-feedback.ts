/**
 * Processing one queued message: classify, write once, then complete whatever effects are still owed.
 * Safe to run any number of times for the same message (SQS redelivery, a crash mid-way): the
 * conditional put makes one item, and the item's effect bookkeeping makes each event go out once.
 */
import { FeedbackMessage, type FeedbackItem } from '../../../schemas/feedback.ts';
import type { FaqEntry } from '../faq/entry.ts';
import { errorFields, type Logger } from '../logger.ts';
import type { Classifier } from '../ports/classifier.ts';
import { openComplaintClocks } from '../clocks/complaint-clocks.ts';
import type { ClockPolicy } from '../clocks/policy.ts';
import type { ClockTimer } from '../ports/clock-timer.ts';
import type { CustomerLinks } from '../ports/customer-links.ts';
import { pairOf } from '../customers/link-closure.ts';
import type { EventBus } from '../ports/event-bus.ts';
import type { FeedbackRepository, OutboxEntry } from '../ports/feedback-repository.ts';
import { DEFAULT_TRIAGE_POLICY, triageFor, type TriagePolicy } from '../triage/triage-policy.ts';
import { questionOf, wantsSuggestions, type SuggestionSource } from '../faq/suggestion-source.ts';
import { storedSuggestion } from '../../../schemas/faq.ts';
import { buildFeedbackItem, initialOutbox } from './feedback-item.ts';
import { flushOutbox } from './outbox.ts';
import { recordBareRating, type BareRatingDeps } from './bare-rating-reply.ts';
import { planFaqAutoReply, queueFaqAutoReplies, type FaqAutoReplyDeps } from '../faq/auto-reply.ts';

export interface ProcessDeps {
  repository: FeedbackRepository;
  eventBus: EventBus;
  classifier: Classifier;
  clockTimer?: ClockTimer;
  /** Which clocks complaints get; without it complaints open with no clocks. */
  clockPolicy?: ClockPolicy;
  /** Which items wait in triage, and for how long (default: the shipped threshold and PT4H). */
  triagePolicy?: TriagePolicy;
  /** Records a key rotation's aliases as links (an item keyed under two secrets); without it they stay on the item only. */
  customerLinks?: Pick<CustomerLinks, 'link'>;
  /** Bare "reply 1–5" ratings inside the survey window; without it every message is feedback. */
  ratings?: BareRatingDeps;
  /** The bank's FAQ: inquiries are stored with their suggested answers (absent: no suggestions). */
  suggestions?: SuggestionSource;
  /**
   * `REDRESS_FAQ_AUTOREPLY`: an inquiry whose best suggestion reaches the threshold is answered with the
   * FAQ answer through the reply path, stored in the item's one conditional put (faq/auto-reply.ts).
   * Absent (or threshold null): off.
   */
  faqAutoReply?: FaqAutoReplyDeps & { now?: () => Date; logger?: Pick<Logger, 'info' | 'warn'> };
}

/** A message that can never be processed (not our shape): it is reported failed and ends in the DLQ. */
export class PoisonMessageError extends Error {
  override name = 'PoisonMessageError';
}

/** Parses a queue message body into a FeedbackMessage, or throws PoisonMessageError. */
export function parseQueuedMessage(body: string): FeedbackMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    throw new PoisonMessageError('queue message is not JSON');
  }
  const parsed = FeedbackMessage.safeParse(raw);
  if (!parsed.success) throw new PoisonMessageError(`queue message is not a FeedbackMessage: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  return parsed.data;
}

/** Outcome of one message, for logs and tests. */
export interface ProcessResult {
  id: string;
  created: boolean;
  /** The stored item's kind (absent when the message rated a complaint instead of becoming an item). */
  kind?: FeedbackItem['kind'];
  /** Outbox entries carried out by this attempt. */
  completed: string[];
}

/** Processes one message end to end (see the module comment for the guarantees). */
export async function processFeedbackMessage(message: FeedbackMessage, deps: ProcessDeps): Promise<ProcessResult> {
  // A bare rating inside the survey window rates the resolved complaint instead of becoming feedback.
  const rated = deps.ratings ? await recordBareRating(message, deps.repository, deps.ratings) : undefined;
  if (rated) return { id: message.id, created: false, completed: await flushOutbox(rated, deps) };
  // Classify first and let the conditional put decide: a redelivery costs one classification (cheap,
  // in-process) instead of an extra read on every first delivery.
  const classification = await deps.classifier.classify({
    text: message.text,
    ...(message.language ? { language: message.language } : {}),
    ...(message.subject ? { subject: message.subject } : {}),
    ...(message.rating !== undefined ? { rating: message.rating } : {}),
    channel: message.channel,
    source: message.source,
  });
  // The safety net is on whatever the wiring: an uncertain item with no policy given is triaged by the defaults.
  const triage = triageFor(classification, message.receivedAt, deps.triagePolicy ?? DEFAULT_TRIAGE_POLICY);
  let item = buildFeedbackItem(message, classification, triage);
  if (deps.suggestions && wantsSuggestions(item)) {
    // Stored as {faqId, score, cues}: the entries' text stays in the FAQ (the admin API shows it from there).
    const suggestions = await deps.suggestions.suggestionsFor(questionOf(item));
    if (suggestions) item = { ...item, suggestions: suggestions.map(storedSuggestion) };
  }
  const autoReply = await planAutoReply(item, deps);
  item = autoReply.item;
  const outbox: OutboxEntry[] = [...initialOutbox(item), ...autoReply.outbox];
  if (item.kind === 'complaint' && deps.clockPolicy) {
    const opened = openComplaintClocks(item, deps.clockPolicy);
    item = opened.item;
    outbox.push(...opened.timers.map((timer): OutboxEntry => ({ kind: 'startTimer', timer })));
  }
  const { created, stored } = await deps.repository.createIfAbsent(item, outbox);
  await linkRotationAliases(stored.item, deps);
  // The automatic answer's send, on the first delivery and on any redelivery while it is still owed.
  if (deps.faqAutoReply) await queueFaqAutoReplies(stored, deps.faqAutoReply.queue);
  // A fresh item owes its events; a redelivered one owes whatever a crash left in its outbox (often nothing).
  const completed = await flushOutbox(stored, deps);
  return { id: message.id, created, kind: stored.item.kind, completed };
}

/**
 * The item with its automatic FAQ answer, when it gets one. A FAQ that cannot be read now means no
 * automatic answer (a handler still sees the suggestions), never a failed message.
 */
async function planAutoReply(item: FeedbackItem, deps: ProcessDeps): Promise<{ item: FeedbackItem; outbox: OutboxEntry[] }> {
  const auto = deps.faqAutoReply;
  if (!auto || auto.threshold === null || !item.suggestions?.length) return { item, outbox: [] };
  let entries: readonly FaqEntry[] | null;
  try {
    entries = await auto.entries();
  } catch (err) {
    auto.logger?.warn('FAQ unreadable; no automatic answer', { id: item.id, ...errorFields(err) });
    return { item, outbox: [] };
  }
  if (!entries) return { item, outbox: [] };
  const plan = planFaqAutoReply(item, entries, auto.threshold, auto.router, (auto.now ?? (() => new Date()))());
  // Ids, score and reason only: the answer is the bank's text, the question the customer's.
  auto.logger?.info('FAQ automatic answer', { id: item.id, ...plan.outcome });
  return { item: plan.item, outbox: plan.outbox };
}

/**
 * During a key rotation an item carries its key under the new secret and aliases under the old ones:
 * each alias becomes a link (one conditional put, a no-op once it exists), so the customer's history
 * under the old key and the new follow each other after the old secret is retired. A redelivery repeats
 * the puts harmlessly; a failure fails the message, and its retry does them again.
 */
async function linkRotationAliases(item: Pick<FeedbackItem, 'customerKey' | 'customerAliases' | 'receivedAt'>, deps: ProcessDeps): Promise<void> {
  if (!deps.customerLinks || !item.customerKey || !item.customerAliases?.length) return;
  for (const alias of item.customerAliases) {
    if (alias === item.customerKey) continue;
    await deps.customerLinks.link({ ...pairOf(item.customerKey, alias), linkedBy: 'system:key-rotation', linkedAt: item.receivedAt, reason: 'key-rotation' });
  }
}
