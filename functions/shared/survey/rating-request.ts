/**
 * The rating request Redress sends through the reply path when a complaint is resolved: the survey link
 * and, where the customer writes on a messaging platform, an invitation to reply with a bare 1–5
 * (recognised by bare-rating.ts inside the survey window). It is decided with the resolution (the
 * lifecycle's `ratingRequest`, published as `Complaint.SatisfactionRequested`) and, where the channel
 * can take it now (rating-request-reply.ts), recorded in the same write as a reply on the item
 * (`purpose: ratingRequest`, actor `system`) that the reply path carries out like a handler's.
 */
import type { FeedbackItem, Source } from '../../../schemas/feedback.ts';
import { surveyUrl, type SurveyConfig } from './config.ts';
import { SURVEY_STRINGS, surveyLanguage } from './messages.ts';

/** What the customer is asked after a resolution. No PII: ids, the link, and the text in the item's language. */
export interface RatingRequest {
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

/**
 * Sources where the customer's next message reaches Redress on the same conversation, so "reply 1–5"
 * can be recorded. Web, mobile and the call centre's back ends show the link; Twilio is left out until
 * inbound SMS is routed to Redress (today it sends transcriptions only), so no one is asked to reply
 * where a reply would be lost.
 */
export const MESSAGING_SOURCES: readonly Source[] = ['messenger', 'instagram', 'whatsapp', 'x', 'wechat'];

/** True when a bare "1"–"5" reply on this source can be taken as the rating. */
export function acceptsBareRating(source: Source): boolean {
  return MESSAGING_SOURCES.includes(source);
}

/**
 * The text of the rating request for a complaint, in its language (zh or en).
 * @param publicUrl `REDRESS_PUBLIC_URL` (survey/config.ts `publicBaseUrl`).
 */
export function ratingRequestMessage(complaint: { language?: string; source: Source }, publicUrl: string, token: string): string {
  const strings = SURVEY_STRINGS[surveyLanguage(complaint.language)];
  const link = strings.request.replace('{url}', surveyUrl(publicUrl, token));
  return acceptsBareRating(complaint.source) ? `${link}\n${strings.requestReply}` : link;
}

/**
 * The rating request for a complaint resolved at `resolvedAt` (the lifecycle's `ratingRequest`), or
 * undefined when no public URL is configured (no link could reach the customer).
 */
export function ratingRequestFor(config: Pick<SurveyConfig, 'tokens' | 'publicUrl'>): (item: Pick<FeedbackItem, 'id' | 'language' | 'source'>, resolvedAt: string) => RatingRequest | undefined {
  return (item, resolvedAt) => {
    if (!config.publicUrl) return undefined;
    const { token, expiresAt } = config.tokens.issue(item.id, resolvedAt);
    return {
      feedbackId: item.id,
      source: item.source,
      language: surveyLanguage(item.language),
      surveyUrl: surveyUrl(config.publicUrl, token),
      expiresAt,
      resolvedAt,
      replyWithRating: acceptsBareRating(item.source),
      message: ratingRequestMessage(item, config.publicUrl, token),
    };
  };
}
