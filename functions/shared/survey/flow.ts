/**
 * What a survey request meets: the token's verdict and the complaint's current state decide between the
 * form, "already answered" (409), "expired" (410) and "not found" (404). Pure, so `GET`/`POST
 * /survey/{token}` stay thin: verify the token, read the complaint, decide here, render or record.
 *
 * A token rates one resolution (its `resolvedAt` is the `resolved` timeline entry's `at`):
 * - no such resolution on the complaint (or no such complaint): 404, like a forged token;
 * - rated since that resolution (a `satisfaction` entry after it, or `satisfaction.at` at or after it): 409;
 * - reopened since (the resolution no longer stands; a new resolution sends a new link), or past the
 *   expiry: 410;
 * - otherwise the customer may answer.
 */
import type { FeedbackItem } from '../../../schemas/feedback.ts';
import { ConflictError, NotFoundError, ProblemError } from '../errors.ts';
import type { HttpResult } from '../http.ts';
import { surveyLanguage, type SurveyLanguage } from './messages.ts';
import { languageFromAcceptLanguage, surveyAnsweredPage, surveyExpiredPage, surveyFormPage, surveyNotFoundPage } from './pages.ts';
import type { SurveyClaims, SurveyTokenCheck } from './token.ts';

/** The attributes of a complaint the survey reads. */
export type SurveyItem = Pick<FeedbackItem, 'id' | 'kind' | 'language' | 'timeline' | 'satisfaction'>;

/** Timeline entry types that record a rating (the lifecycle's `rate` writes `satisfaction`). */
export const RATING_ENTRY_TYPES: readonly string[] = ['satisfaction'];

export type SurveyState =
  | { state: 'not_found' }
  | { state: 'answered'; language: SurveyLanguage }
  | { state: 'expired'; language: SurveyLanguage; reason: 'expired' | 'reopened' }
  | { state: 'open'; language: SurveyLanguage; claims: SurveyClaims };

const ms = (iso: string) => Date.parse(iso);

/** Whether the item has been rated since the resolution at timeline index `index` (made at `resolvedAt`). */
function ratedSince(item: SurveyItem, index: number, resolvedAt: string): boolean {
  if (item.satisfaction && ms(item.satisfaction.at) >= ms(resolvedAt)) return true;
  return item.timeline.slice(index + 1).some((e) => RATING_ENTRY_TYPES.includes(e.type));
}

/** The state of the survey a token opens, given the complaint it names as read now (undefined: none). */
export function surveyState(check: SurveyTokenCheck, item: SurveyItem | undefined): SurveyState {
  if (check.status === 'forged' || !item || item.id !== check.feedbackId || item.kind !== 'complaint') return { state: 'not_found' };
  const index = item.timeline.findLastIndex((e) => e.type === 'resolved' && ms(e.at) === ms(check.resolvedAt));
  if (index < 0) return { state: 'not_found' };
  const language = surveyLanguage(item.language);
  if (ratedSince(item, index, check.resolvedAt)) return { state: 'answered', language };
  if (item.timeline.slice(index + 1).some((e) => e.type === 'reopened')) return { state: 'expired', language, reason: 'reopened' };
  if (check.status === 'expired') return { state: 'expired', language, reason: 'expired' };
  const { status: _status, ...claims } = check;
  return { state: 'open', language, claims };
}

/**
 * The survey window for a bare "1"–"5" reply on a messaging channel: the complaint's latest resolution,
 * when it still stands, is not rated yet, and was made less than `ttlMs` before `now`.
 */
export function openSurvey(item: SurveyItem & Pick<FeedbackItem, 'status'>, now: string | number, ttlMs: number): { resolvedAt: string; expiresAt: string } | undefined {
  if (item.kind !== 'complaint' || item.status !== 'resolved') return undefined;
  const index = item.timeline.findLastIndex((e) => e.type === 'resolved');
  if (index < 0) return undefined;
  const resolvedAt = item.timeline[index]!.at;
  if (ratedSince(item, index, resolvedAt)) return undefined;
  const expiresMs = ms(resolvedAt) + ttlMs;
  const nowMs = typeof now === 'number' ? now : ms(now);
  return nowMs < expiresMs ? { resolvedAt, expiresAt: new Date(expiresMs).toISOString() } : undefined;
}

/** The page `GET /survey/{token}` answers in each state (`acceptLanguage` picks the 404 page's language). */
export function surveyPageFor(state: SurveyState, acceptLanguage: string | undefined): HttpResult {
  switch (state.state) {
    case 'not_found':
      return surveyNotFoundPage(languageFromAcceptLanguage(acceptLanguage));
    case 'answered':
      return surveyAnsweredPage(state.language);
    case 'expired':
      return surveyExpiredPage(state.language);
    case 'open':
      return surveyFormPage(state.language);
  }
}

/** For a JSON client: the problem a state that cannot take an answer is (404, 409, 410), or undefined when open. */
export function surveyProblemFor(state: SurveyState): ProblemError | undefined {
  switch (state.state) {
    case 'not_found':
      return new NotFoundError('No such survey.');
    case 'answered':
      return new ConflictError('This resolution has already been rated.');
    case 'expired':
      return new ProblemError(410, 'Gone', state.reason === 'reopened' ? 'The complaint was reopened; this survey has closed.' : 'This survey link has expired.');
    case 'open':
      return undefined;
  }
}
