/**
 * Whether a resolution's rating request can go to the customer now, and how: the admin side decides it
 * before the resolution is written (as it plans a handler's reply), so the request is recorded as a reply
 * in the same write, or as not sent. Apart from rating-request.ts so the functions that only read
 * ratings do not bundle the reply router.
 */
import type { FeedbackItem } from '../../../schemas/feedback.ts';
import { replyWindowFor } from '../channels/reply-router.ts';
import type { ReplyPlan } from '../lifecycle/state-machine.ts';
import type { ReplyRouter } from '../ports/reply-sender.ts';

/**
 * How a resolution's rating request reaches the customer: as a reply planned like a handler's (its id,
 * and the mode and window close the platform allows), or not at all, with the reason code
 * (`reply_channel_not_configured`, or the closed window's rule) that `Complaint.SatisfactionRequested`
 * carries as `notSent`.
 */
export type RatingRequestDelivery = ReplyPlan | { notSent: string };

/**
 * Plans the rating request's reply for `item` at `now` (pure): the same checks as a handler's reply
 * through the channel (credentials for the source, then the platform's window), but a refusal does not
 * fail the resolution: the request is recorded as not sent and the survey link stays usable.
 */
export function planRatingRequestReply(item: Pick<FeedbackItem, 'source' | 'occurredAt' | 'receivedAt' | 'platform'>, replyId: string, now: Date, router: ReplyRouter | undefined): RatingRequestDelivery {
  if (!router || !router.configured(item.source)) return { notSent: 'reply_channel_not_configured' };
  const window = replyWindowFor(item, now, router);
  if (!window.allowed) return { notSent: window.rule };
  return { replyId, mode: window.mode, ...(window.closesAt ? { windowClosesAt: window.closesAt } : {}) };
}
