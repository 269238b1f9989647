import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from '../errors.ts';
import { parseSurveyAnswer, surveyAnswerProblem, SURVEY_BODY_LIMIT } from './answer.ts';

const FORM = 'application/x-www-form-urlencoded';
const form = (text: string) => parseSurveyAnswer(FORM, Buffer.from(text));
const json = (value: unknown) => parseSurveyAnswer('application/json; charset=utf-8', Buffer.from(JSON.stringify(value)));
const fields = (r: ReturnType<typeof form>) => (r.ok ? [] : r.errors.map((e) => e.field));

describe('parseSurveyAnswer', () => {
  it('reads the form: score and a URL-encoded Chinese comment', () => {
    const comment = '处理得很快，谢谢';
    expect(form(`score=5&comment=${encodeURIComponent(comment)}`)).toEqual({ ok: true, format: 'form', answer: { score: 5, comment } });
  });

  it('reads JSON {score, comment?}', () => {
    expect(json({ score: 2 })).toEqual({ ok: true, format: 'json', answer: { score: 2 } });
    expect(json({ score: 4, comment: '  fine  ' })).toEqual({ ok: true, format: 'json', answer: { score: 4, comment: 'fine' } });
    expect(json({ score: 4, comment: null })).toEqual({ ok: true, format: 'json', answer: { score: 4 } });
  });

  it('an empty comment is no comment', () => {
    expect(form('score=3&comment=+++')).toEqual({ ok: true, format: 'form', answer: { score: 3 } });
  });

  it('names score when it is missing, out of range or not a whole number', () => {
    for (const text of ['', 'comment=hi', 'score=0', 'score=6', 'score=4.5', 'score=five', 'score=', 'score=1&score=2']) expect(fields(form(text))).toContain('score');
    for (const value of [{}, { score: 0 }, { score: 6 }, { score: 2.5 }, { score: '5' }, { score: null }]) expect(fields(json(value))).toEqual(['score']);
  });

  it('names comment when it is over 2,000 characters, and keeps the score to show again', () => {
    const r = form(`score=4&comment=${'a'.repeat(2001)}`);
    expect(fields(r)).toEqual(['comment']);
    expect(!r.ok && r.values.score).toBe(4);
  });

  it('names the body when JSON does not parse', () => {
    expect(fields(parseSurveyAnswer('application/json', Buffer.from('{score:')))).toEqual(['(body)']);
  });

  it('refuses other content types with 415 and large bodies with 413', () => {
    expect(() => parseSurveyAnswer('text/plain', Buffer.from('5'))).toThrow(UnsupportedMediaTypeError);
    expect(() => parseSurveyAnswer(undefined, Buffer.from('5'))).toThrow(UnsupportedMediaTypeError);
    expect(() => form('score=5&comment=' + 'x'.repeat(SURVEY_BODY_LIMIT))).toThrow(PayloadTooLargeError);
  });

  it('takes 2,000 Chinese characters, form-encoded, within the limit', () => {
    expect(form(`score=1&comment=${encodeURIComponent('慢'.repeat(2000))}`).ok).toBe(true);
  });

  it('the problem for a JSON client names each field once', () => {
    const problem = surveyAnswerProblem([{ field: 'score', message: 'a' }, { field: 'score', message: 'b' }]);
    expect(problem.status).toBe(400);
    expect(problem.detail).toBe('Invalid survey answer: score.');
  });

  it('no body, form or JSON, makes it throw', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), fc.constantFrom(FORM, 'application/json'), (text, type) => {
        const r = parseSurveyAnswer(type, Buffer.from(text));
        return r.ok ? r.answer.score >= 1 && r.answer.score <= 5 : r.errors.length > 0;
      }),
    );
  });
});
