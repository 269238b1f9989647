/**
 * A bare "reply 1–5" on a messaging platform inside the survey window is the customer's rating, not new
 * feedback. The pointer written at resolution (ports/rating-pointer-store.ts) names the
 * complaint and resolution; the rating goes through the lifecycle's `rate` (`source: "customer"`, actor
 * `customer`) in one conditional write with its Complaint.Rated event, like an answer through the link.
 *
 * Conservative: anything that is not plainly a rating (survey/bare-rating.ts), or a customer with no open
 * survey (none, expired, already rated, reopened, or a newer resolution than the pointer's), is feedback
 * as usual. Safe to repeat: the rating records the message id (`ref`), so a redelivered "5" finds its
 * rating and changes nothing.
 */
import type { FeedbackMessage } from '../../../schemas/feedback.ts';
import { applyCommand } from '../lifecycle/state-machine.ts';
import { VersionConflictError, type FeedbackRepository, type StoredFeedback } from '../ports/feedback-repository.ts';
import type { RatingPointerStore } from '../ports/rating-pointer-store.ts';
import { bareRating } from '../survey/bare-rating.ts';
import { openSurvey } from '../survey/flow.ts';
import { acceptsBareRating } from '../survey/rating-request.ts';
import { outboxOf } from './outbox.ts';

export interface BareRatingDeps {
  pointers: RatingPointerStore;
  /** REDRESS_SURVEY_TTL in ms: the survey window after a resolution. */
  ttlMs: number;
  now?: () => Date;
}

const MAX_ATTEMPTS = 4;

/**
 * Records `message` as the rating of its customer's open survey when it is a bare rating; resolves the
 * rated complaint as stored (its outbox still to carry out), or undefined when the message is feedback.
 */
export async function recordBareRating(message: FeedbackMessage, repository: FeedbackRepository, deps: BareRatingDeps): Promise<StoredFeedback | undefined> {
  const customerId = message.customer?.id;
  if (!customerId || !acceptsBareRating(message.source)) return undefined;
  const score = bareRating(message.text);
  if (score === undefined) return undefined;
  const now = (deps.now ?? (() => new Date()))();
  const pointer = await deps.pointers.get(message.source, customerId, now);
  if (!pointer) return undefined;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const stored = await repository.get(pointer.feedbackId);
    if (!stored) return undefined;
    // A redelivery of the message that already rated it: nothing more to do than what its outbox owes.
    if (stored.item.timeline.some((e) => e.type === 'satisfaction' && (e.data as { ref?: string } | undefined)?.ref === message.id)) return stored;
    const window = openSurvey(stored.item, now.getTime(), deps.ttlMs);
    if (!window || Date.parse(window.resolvedAt) !== Date.parse(pointer.resolvedAt)) return undefined;
    const change = applyCommand(stored.item, { type: 'rate', source: 'customer', score, ref: message.id }, { actor: 'customer', at: now.toISOString() });
    try {
      return await repository.replace(change.item, stored.item.version, { ...stored.outbox, ...outboxOf(change.outbox) });
    } catch (err) {
      if (!(err instanceof VersionConflictError)) throw err;
    }
  }
  // Still changing under us: a transient failure, so the queue retries the message.
  throw new VersionConflictError(pointer.feedbackId, -1);
}
