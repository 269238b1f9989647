/**
 * Reading `POST /survey/{token}`: the page's form (`application/x-www-form-urlencoded`, fields `score`
 * and `comment`) or JSON `{score, comment?}` from an app. Validation errors name the field, so the page
 * can show them beside it and an API client gets problem+json naming it.
 *
 * The comment is the customer's own words: whoever records it masks PII in it first (as the lifecycle's
 * `rate` does), and it is never logged.
 */
import { SatisfactionBody } from '../../../schemas/admin.ts';
import { assertBodyWithin, BadRequestError, UnsupportedMediaTypeError, type FieldError } from '../errors.ts';
import { mediaType } from '../http.ts';
import { zodFieldErrors } from '../validation.ts';

/**
 * Largest body read: 2,000 Chinese characters form-encoded take 18,000 bytes (%XX for each of 3 UTF-8
 * bytes), with room for the score and field names.
 */
export const SURVEY_BODY_LIMIT = 32 * 1024;
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

export interface SurveyAnswer {
  score: number;
  /** Trimmed; absent when empty. */
  comment?: string;
}

export type SurveyAnswerFormat = 'form' | 'json';

/** The answer, or the fields that are wrong (with what the customer typed, to show it again). */
export type ParsedSurveyAnswer =
  | { ok: true; format: SurveyAnswerFormat; answer: SurveyAnswer }
  | { ok: false; format: SurveyAnswerFormat; errors: FieldError[]; values: { score?: number; comment?: string } };

/** Form fields as the JSON shape: the score as a number when it is a digit 1–5, else as typed (so validation names it). */
function fromForm(text: string): { value: Record<string, unknown>; errors: FieldError[] } {
  const params = new URLSearchParams(text);
  const scores = params.getAll('score');
  const comments = params.getAll('comment');
  const errors: FieldError[] = [];
  if (scores.length > 1) errors.push({ field: 'score', message: 'give one score' });
  if (comments.length > 1) errors.push({ field: 'comment', message: 'give one comment' });
  const rawScore = scores[0]?.trim();
  const value: Record<string, unknown> = {};
  if (rawScore !== undefined && rawScore !== '') value.score = /^[1-5]$/.test(rawScore) ? Number(rawScore) : rawScore;
  if (comments[0] !== undefined) value.comment = comments[0];
  return { value, errors };
}

/**
 * Parses and validates a survey answer.
 * @throws UnsupportedMediaTypeError (415) for another content type.
 * @throws PayloadTooLargeError (413) over SURVEY_BODY_LIMIT bytes.
 */
export function parseSurveyAnswer(contentType: string | undefined, body: Buffer): ParsedSurveyAnswer {
  const type = mediaType(contentType);
  if (type !== FORM && type !== JSON_TYPE) throw new UnsupportedMediaTypeError(contentType, `${FORM} or ${JSON_TYPE}`);
  assertBodyWithin(body, SURVEY_BODY_LIMIT);
  const format: SurveyAnswerFormat = type === FORM ? 'form' : 'json';
  let value: unknown;
  const errors: FieldError[] = [];
  if (format === 'form') {
    const form = fromForm(body.toString('utf8'));
    value = form.value;
    errors.push(...form.errors);
  } else {
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch {
      return { ok: false, format, errors: [{ field: '(body)', message: 'the body is not valid JSON' }], values: {} };
    }
    // A null comment from an app means "no comment".
    if (value && typeof value === 'object' && !Array.isArray(value) && (value as Record<string, unknown>).comment === null) {
      const { comment: _dropped, ...rest } = value as Record<string, unknown>;
      value = rest;
    }
  }
  const record = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const typed = {
    ...(typeof record.score === 'number' ? { score: record.score } : {}),
    ...(typeof record.comment === 'string' ? { comment: record.comment } : {}),
  };
  const parsed = SatisfactionBody.safeParse(value);
  if (!parsed.success || errors.length > 0) {
    const all = [...errors, ...(parsed.success ? [] : zodFieldErrors(parsed.error))];
    return { ok: false, format, errors: all, values: typed };
  }
  const comment = parsed.data.comment?.trim();
  return { ok: true, format, answer: { score: parsed.data.score, ...(comment ? { comment } : {}) } };
}

/** The 400 an API client gets for an answer that does not validate (problem+json naming each field). */
export function surveyAnswerProblem(errors: FieldError[]): BadRequestError {
  return new BadRequestError(`Invalid survey answer: ${[...new Set(errors.map((e) => e.field))].join(', ')}.`, errors);
}
