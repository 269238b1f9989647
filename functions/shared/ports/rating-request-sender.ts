/**
 * Port: sending the customer the rating request a resolution owes (issue 16) through the reply path:
 * the survey link and, on messaging channels, "reply 1–5". The request is decided with the resolution
 * (lifecycle `ratingRequest`), published as `Complaint.SatisfactionRequested`, and, where a sender is
 * wired, carried out from the complaint's outbox (`{kind: 'ratingRequest'}`) like its events: stored in
 * the same write as the resolution, removed once sent, so a crash never loses nor doubles it (the id is
 * the event's).
 *
 * An implementation sends `message` to the complaint's customer as an `OutboundReply`
 * (ports/reply-sender.ts) by `source` (reply-router.ts). A send that may work later should throw (the
 * entry stays owed and is retried); one that never will should resolve (the event stays the record).
 */
import type { Source } from '../../../schemas/feedback.ts';

/** What the customer is sent after a resolution. No PII: ids, the link, and the text in the item's language. */
export interface RatingRequest {
  /** The event id of `Complaint.SatisfactionRequested`: one request per resolution, idempotent. */
  requestId?: string;
  feedbackId: string;
  source: Source;
  /** `zh` or `en`: the language of `message`. */
  language: 'zh' | 'en';
  /** `{REDRESS_PUBLIC_URL}/survey/{token}`. */
  surveyUrl: string;
  /** When the link (and the "reply 1–5" window) closes. */
  expiresAt: string;
  /** The resolution rated (its `resolved` timeline entry's `at`). */
  resolvedAt: string;
  /** True on messaging channels: a bare 1–5 reply inside the window is taken as the rating. */
  replyWithRating: boolean;
  /** The text to send, link (and invitation to reply 1–5) included. */
  message: string;
}

export interface RatingRequestSender {
  send(request: RatingRequest): Promise<void>;
}
