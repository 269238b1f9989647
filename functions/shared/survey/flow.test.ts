import { describe, expect, it } from 'vitest';
import type { FeedbackItem } from '../../../schemas/feedback.ts';
import { complaintFixture } from '../../admin/test-fixtures.ts';
import { applyCommand } from '../lifecycle/state-machine.ts';
import { openSurvey, surveyPageFor, surveyProblemFor, surveyState } from './flow.ts';
import { createSurveyTokens } from './token.ts';

const DAY = 86_400_000;
const tokens = createSurveyTokens(['flow-secret'], 14 * DAY);
const RESOLVED = '2027-03-10T08:00:00.000Z';
const act = (item: FeedbackItem, command: Parameters<typeof applyCommand>[1], at: string) => applyCommand(item, command, { actor: 'sup-1', at }).item;
const resolve = (item: FeedbackItem, at = RESOLVED) => act(item, { type: 'resolve', outcome: 'upheld', summary: 'Refunded.' }, at);
const resolved = (overrides: Partial<FeedbackItem> = {}) => resolve(complaintFixture({ receivedAt: '2027-03-09T08:00:00.000Z', ...overrides }));
const check = (item: FeedbackItem, at = RESOLVED, now = '2027-03-11T00:00:00.000Z') => tokens.verify(tokens.issue(item.id, at).token, now);

describe('surveyState', () => {
  it('a valid token for a standing, unrated resolution opens the form in the complaint language', () => {
    const item = resolved({ language: 'zh' });
    expect(surveyState(check(item), item)).toMatchObject({ state: 'open', language: 'zh', claims: { feedbackId: item.id, resolvedAt: RESOLVED } });
  });

  it('a forged token, another complaint, or a resolution the complaint never had is not found', () => {
    const item = resolved();
    expect(surveyState({ status: 'forged' }, item)).toEqual({ state: 'not_found' });
    expect(surveyState(check(item), undefined)).toEqual({ state: 'not_found' });
    expect(surveyState(check(item), resolved())).toEqual({ state: 'not_found' });
    expect(surveyState(check(item, '2027-03-10T09:00:00.000Z'), item)).toEqual({ state: 'not_found' });
  });

  it('a rated resolution is answered (409), even after the link expired', () => {
    const item = act(resolved(), { type: 'rate', score: 5 }, '2027-03-10T09:00:00.000Z');
    expect(surveyState(check(item), item)).toMatchObject({ state: 'answered' });
    expect(surveyState(check(item, RESOLVED, '2027-05-01T00:00:00.000Z'), item)).toMatchObject({ state: 'answered' });
  });

  it('an expired link is expired (410)', () => {
    const item = resolved();
    expect(surveyState(check(item, RESOLVED, '2027-03-24T08:00:00.000Z'), item)).toMatchObject({ state: 'expired', reason: 'expired' });
  });

  it('a reopened resolution is closed (410); the next resolution has its own open survey', () => {
    const reopened = act(resolved(), { type: 'reopen', reason: 'Not refunded.' }, '2027-03-11T00:00:00.000Z');
    expect(surveyState(check(reopened), reopened)).toMatchObject({ state: 'expired', reason: 'reopened' });
    const again = resolve(reopened, '2027-03-12T00:00:00.000Z');
    expect(surveyState(check(again, '2027-03-12T00:00:00.000Z', '2027-03-12T01:00:00.000Z'), again)).toMatchObject({ state: 'open' });
  });

  it('maps each state to its page and its problem', () => {
    const item = resolved();
    expect(surveyPageFor(surveyState(check(item), item), undefined).statusCode).toBe(200);
    expect(surveyPageFor({ state: 'not_found' }, 'zh-CN').body).toContain('lang="zh-CN"');
    expect(surveyPageFor({ state: 'answered', language: 'en' }, undefined).statusCode).toBe(409);
    expect(surveyPageFor({ state: 'expired', language: 'en', reason: 'expired' }, undefined).statusCode).toBe(410);
    expect(surveyProblemFor({ state: 'not_found' })?.status).toBe(404);
    expect(surveyProblemFor({ state: 'answered', language: 'en' })?.status).toBe(409);
    expect(surveyProblemFor({ state: 'expired', language: 'en', reason: 'reopened' })?.status).toBe(410);
    expect(surveyProblemFor(surveyState(check(item), item))).toBeUndefined();
  });
});

describe('openSurvey (the window for a bare rating)', () => {
  it('is open after a resolution until the TTL, and closed once rated', () => {
    const item = resolved();
    expect(openSurvey(item, '2027-03-11T00:00:00.000Z', 14 * DAY)).toEqual({ resolvedAt: RESOLVED, expiresAt: '2027-03-24T08:00:00.000Z' });
    expect(openSurvey(item, '2027-03-24T08:00:00.000Z', 14 * DAY)).toBeUndefined();
    expect(openSurvey(act(item, { type: 'rate', score: 3 }, '2027-03-10T10:00:00.000Z'), '2027-03-11T00:00:00.000Z', 14 * DAY)).toBeUndefined();
  });

  it('is closed for an open complaint and for other kinds', () => {
    expect(openSurvey(complaintFixture(), '2027-03-11T00:00:00.000Z', 14 * DAY)).toBeUndefined();
    expect(openSurvey(complaintFixture({ kind: 'inquiry', status: 'received' }), '2027-03-11T00:00:00.000Z', 14 * DAY)).toBeUndefined();
  });
});
