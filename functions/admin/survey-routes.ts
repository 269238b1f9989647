/**
 * `GET /survey/{token}` and `POST /survey/{token}`: the customer rates a resolution through the
 * link the rating request carried. Public (no login: the signed token is the authority), served by the
 * admin function beside GET /openapi.json. The survey module decides; this reads and writes:
 *
 * - GET: the accessible page in the complaint's language (the form, or "already answered" 409, "expired"
 *   410, "not found" 404 for a forged token or an unknown complaint).
 * - POST (form or JSON `{score, comment?}`): records `satisfaction {score, comment (PII-masked), source:
 *   "customer"}` through the lifecycle's `rate` (actor `customer`), once per resolution, in one
 *   conditional write with its `Complaint.Rated` event. A form gets a page back (400 with the form and
 *   its errors), a JSON client problem+json (or 201 with the recorded score).
 *
 * A race with another answer (or any change) is decided again on the fresh item: the second answer
 * finds the resolution rated and gets its 409.
 */
import type { FeedbackItem } from '../../schemas/feedback.ts';
import { MethodNotAllowedError } from '../shared/errors.ts';
import { json, lowerHeaders, rawBody, type HttpEvent, type HttpResult } from '../shared/http.ts';
import type { Logger } from '../shared/logger.ts';
import { applyCommand } from '../shared/lifecycle/state-machine.ts';
import { flushOutbox, outboxOf } from '../shared/pipeline/outbox.ts';
import type { ClockTimer } from '../shared/ports/clock-timer.ts';
import type { EventBus } from '../shared/ports/event-bus.ts';
import { VersionConflictError, type FeedbackRepository } from '../shared/ports/feedback-repository.ts';
import { parseSurveyAnswer, surveyAnswerProblem } from '../shared/survey/answer.ts';
import type { SurveyConfig } from '../shared/survey/config.ts';
import { surveyPageFor, surveyProblemFor, surveyState } from '../shared/survey/flow.ts';
import { surveyFormPage, surveyThanksPage } from '../shared/survey/pages.ts';

export const SURVEY_PATH = /^\/survey\/([^/]{1,512})$/;
const MAX_ATTEMPTS = 4;

export interface SurveyDeps {
  repository: FeedbackRepository;
  eventBus: EventBus;
  clockTimer?: ClockTimer;
  survey: SurveyConfig;
  logger: Logger;
  now: () => Date;
}

/** The complaint a token names, read now (undefined: none, or not a feedback id at all). */
async function itemOf(deps: SurveyDeps, id: string | undefined): Promise<FeedbackItem | undefined> {
  if (!id) return undefined;
  return (await deps.repository.get(id))?.item;
}

/** Answers GET or POST /survey/{token}; anything else on the path is a 405. */
export async function answerSurvey(deps: SurveyDeps, event: HttpEvent, token: string): Promise<HttpResult> {
  const method = (event.requestContext?.http?.method ?? 'GET').toUpperCase();
  const headers = lowerHeaders(event.headers);
  if (method === 'GET' || method === 'HEAD') {
    const check = deps.survey.tokens.verify(token, deps.now().getTime());
    const item = await itemOf(deps, check.status === 'forged' ? undefined : check.feedbackId);
    return surveyPageFor(surveyState(check, item), headers['accept-language']);
  }
  if (method !== 'POST') throw new MethodNotAllowedError('/survey/{token} answers GET and POST.', ['GET', 'HEAD', 'POST']);
  return record(deps, event, token, headers);
}

async function record(deps: SurveyDeps, event: HttpEvent, token: string, headers: Record<string, string>): Promise<HttpResult> {
  const parsed = parseSurveyAnswer(headers['content-type'], rawBody(event));
  for (let attempt = 1; ; attempt++) {
    const at = deps.now();
    const check = deps.survey.tokens.verify(token, at.getTime());
    const stored = check.status === 'forged' ? undefined : await deps.repository.get(check.feedbackId);
    const state = surveyState(check, stored?.item);
    if (state.state !== 'open' || !stored) {
      if (parsed.format === 'form') return surveyPageFor(state, headers['accept-language']);
      throw surveyProblemFor(state)!;
    }
    if (!parsed.ok) {
      if (parsed.format === 'form') return surveyFormPage(state.language, { errors: parsed.errors, values: parsed.values });
      throw surveyAnswerProblem(parsed.errors);
    }
    const change = applyCommand(stored.item, { type: 'rate', source: 'customer', score: parsed.answer.score, ...(parsed.answer.comment ? { comment: parsed.answer.comment } : {}) }, { actor: 'customer', at: at.toISOString() });
    let written;
    try {
      written = await deps.repository.replace(change.item, stored.item.version, { ...stored.outbox, ...outboxOf(change.outbox) });
    } catch (err) {
      if (!(err instanceof VersionConflictError) || attempt >= MAX_ATTEMPTS) throw err;
      continue; // decided again on the fresh item: a rating that got there first makes this one a 409
    }
    try {
      await flushOutbox(written, deps);
    } catch (err) {
      deps.logger.warn('outbox not flushed', { id: written.item.id, error: (err as Error).name });
    }
    deps.logger.info('customer rated', { id: written.item.id, score: parsed.answer.score });
    if (parsed.format === 'form') return surveyThanksPage(state.language);
    return json(201, { feedbackId: written.item.id, satisfaction: { score: written.item.satisfaction!.score, at: written.item.satisfaction!.at, source: 'customer' } });
  }
}
