/**
 * Processing one queued message: classify, write once, then complete whatever effects are still owed.
 * Safe to run any number of times for the same message (SQS redelivery, a crash mid-way): the
 * conditional put makes one item, and the item's effect bookkeeping makes each event go out once.
 */
import { FeedbackMessage } from '../../../schemas/feedback.ts';
import type { Classifier } from '../classification/classifier.ts';
import { openComplaintClocks } from '../clocks/complaint-clocks.ts';
import type { ClockPolicy } from '../clocks/policy.ts';
import type { ClockTimer } from '../ports/clock-timer.ts';
import type { EventBus } from '../ports/event-bus.ts';
import type { FeedbackRepository, OutboxEntry } from '../ports/feedback-repository.ts';
import { questionOf, wantsSuggestions, type SuggestionSource } from '../faq/suggestion-source.ts';
import { buildFeedbackItem, initialOutbox } from './feedback-item.ts';
import { flushOutbox } from './outbox.ts';

export interface ProcessDeps {
  repository: FeedbackRepository;
  eventBus: EventBus;
  classifier: Classifier;
  clockTimer?: ClockTimer;
  /** Which clocks complaints get; without it complaints open with no clocks. */
  clockPolicy?: ClockPolicy;
  /** The bank's FAQ: inquiries are stored with their suggested answers (absent: no suggestions). */
  suggestions?: SuggestionSource;
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
  /** Outbox entries carried out by this attempt. */
  completed: string[];
}

/** Processes one message end to end (see the module comment for the guarantees). */
export async function processFeedbackMessage(message: FeedbackMessage, deps: ProcessDeps): Promise<ProcessResult> {
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
  let item = buildFeedbackItem(message, classification);
  if (deps.suggestions && wantsSuggestions(item)) {
    const suggestions = await deps.suggestions.suggestionsFor(questionOf(item));
    if (suggestions) item = { ...item, suggestions };
  }
  const outbox: OutboxEntry[] = initialOutbox(item);
  if (item.kind === 'complaint' && deps.clockPolicy) {
    const opened = openComplaintClocks(item, deps.clockPolicy);
    item = opened.item;
    outbox.push(...opened.timers.map((timer): OutboxEntry => ({ kind: 'startTimer', timer })));
  }
  const { created, stored } = await deps.repository.createIfAbsent(item, outbox);
  // A fresh item owes its events; a redelivered one owes whatever a crash left in its outbox (often nothing).
  const completed = await flushOutbox(stored, deps);
  return { id: message.id, created, completed };
}
