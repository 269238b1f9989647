import { describe, expect, it } from 'vitest';
import { SOURCES } from '../../../schemas/feedback.ts';
import { acceptsBareRating, ratingRequestMessage } from './rating-request.ts';
import { surveyLanguage } from './messages.ts';

const URL = 'https://feedback.example-bank.com/';

describe('the rating request', () => {
  it('in Chinese on WeChat: the link and "reply 1–5"', () => {
    expect(ratingRequestMessage({ language: 'zh', source: 'wechat' }, URL, 'tok')).toBe(
      '您的投诉已处理完毕。请为我们的服务评分：https://feedback.example-bank.com/survey/tok\n您也可以直接回复数字 1–5（1 = 非常不满意，5 = 非常满意）。',
    );
  });

  it('in English on the web: the link only', () => {
    expect(ratingRequestMessage({ language: 'en', source: 'web' }, URL, 'tok')).toBe('Your complaint has been resolved. Please rate our service: https://feedback.example-bank.com/survey/tok');
  });

  it('asks for a bare reply exactly on the messaging sources', () => {
    expect(SOURCES.filter(acceptsBareRating)).toEqual(['messenger', 'instagram', 'whatsapp', 'x', 'wechat']);
    expect(ratingRequestMessage({ language: 'en', source: 'whatsapp' }, URL, 't')).toContain('reply with a number from 1 to 5');
    expect(ratingRequestMessage({ language: 'en', source: 'twilio' }, URL, 't')).not.toContain('reply');
  });

  it('other languages get English; every Chinese tag gets Chinese', () => {
    expect(surveyLanguage('fr')).toBe('en');
    expect(surveyLanguage(undefined)).toBe('en');
    expect(surveyLanguage('zh-Hans')).toBe('zh');
    expect(surveyLanguage('ZH')).toBe('zh');
    expect(surveyLanguage('zhx')).toBe('en');
  });
});
