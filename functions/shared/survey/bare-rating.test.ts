import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bareRating } from './bare-rating.ts';

describe('bareRating', () => {
  it.each([
    ['5', 5],
    ['1', 1],
    ['５', 5],
    ['３', 3],
    ['  4 ', 4],
    ['\u30004\u3000', 4],
    ['5.', 5],
    ['5!', 5],
    ['5！', 5],
    ['5。', 5],
    ['4~', 4],
    ['5分', 5],
    ['5 分', 5],
    ['５分', 5],
    ['4星', 4],
    ['3颗星', 3],
    ['5 stars', 5],
    ['1 star', 1],
    ['5 Stars!', 5],
    ['4 points', 4],
    ['5/5', 5],
    ['4 / 5', 4],
    ['４／５', 4],
    ['五星', 5],
    ['三分', 3],
    ['二颗星', 2],
  ])('%j is a rating of %i', (text, score) => {
    expect(bareRating(text)).toBe(score);
  });

  it.each([
    '0',
    '6',
    '10',
    '55',
    '4.5',
    '5.0',
    '1-5',
    '#5',
    '5%',
    '5元',
    '5 yuan',
    '5分钟',
    '5 minutes',
    '一',
    '五',
    '五星好评',
    '⭐⭐⭐⭐⭐',
    '5 but the app still fails',
    '我给5分但是问题没解决',
    'five',
    '3/10',
    '',
    '   ',
    '5\n\n我还有一个问题',
  ])('%j is not a rating', (text) => {
    expect(bareRating(text)).toBeUndefined();
  });

  it('answers only 1 to 5 or undefined, for any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        const score = bareRating(text);
        return score === undefined || (Number.isInteger(score) && score >= 1 && score <= 5);
      }),
    );
  });

  it('a message with more than a few characters of words is never a rating', () => {
    fc.assert(fc.property(fc.string({ minLength: 33, maxLength: 200 }), (text) => bareRating(text) === undefined));
  });
});
