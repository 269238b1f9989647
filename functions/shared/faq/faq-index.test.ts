import { describe, expect, it } from 'vitest';
import { buildFaqIndex, DEFAULT_RETRIEVAL_PARAMS, QUESTION_FIELD } from './faq-index.ts';
import { rankEntries } from './rank.ts';
import { entry } from './test-entries.ts';

const ids = (index: ReturnType<typeof buildFaqIndex>, q: string) => rankEntries(index, q, 5).candidates.map((c) => index.entries[c.entry]!.id);
const scoreOf = (index: ReturnType<typeof buildFaqIndex>, q: string, id: string) => rankEntries(index, q, 10).candidates.find((c) => index.entries[c.entry]!.id === id)?.score ?? 0;

describe('FAQ index and BM25 ranking', () => {
  it('weighs a rare shared word above a common one', () => {
    const index = buildFaqIndex([entry('a', 'card fee'), entry('b', 'card limit'), entry('c', 'card pin'), entry('d', 'statement')].map((e) => ({ ...e, language: 'en' as const })));
    // "card" is in three entries, "limit" in one: the entry sharing the rare word wins.
    expect(ids(index, 'card limit')[0]).toBe('b');
    expect(index.idf[QUESTION_FIELD]![index.termIds.get('limit')!]!).toBeGreaterThan(index.idf[QUESTION_FIELD]![index.termIds.get('card')!]!);
  });

  it('saturates repeated words (BM25 k1): twenty repeats add little over ten', () => {
    const faq = (n: number) => buildFaqIndex([entry('a', Array(n).fill('fee').join(' '), 'en'), entry('b', 'other words here', 'en')]);
    const one = scoreOf(faq(1), 'fee', 'a');
    const ten = scoreOf(faq(10), 'fee', 'a');
    const twenty = scoreOf(faq(20), 'fee', 'a');
    expect(ten).toBeGreaterThan(one);
    expect(twenty - ten).toBeLessThan(0.1 * ten);
  });

  it('prefers the shorter of two phrasings with the same match (length normalisation)', () => {
    const index = buildFaqIndex([entry('short', 'annual fee', 'en'), entry('long', 'annual fee for the platinum travel rewards business card account', 'en')]);
    expect(ids(index, 'annual fee')[0]).toBe('short');
  });

  it('scores an entry by its best phrasing', () => {
    const index = buildFaqIndex([entry('a', '信用卡年费', 'zh', { phrasings: ['年费怎么免'] }), entry('b', '转账限额')]);
    expect(ids(index, '年费怎么免')[0]).toBe('a');
  });

  it('counts document frequency per entry, not per phrasing', () => {
    const index = buildFaqIndex([entry('a', '年费', 'zh', { phrasings: ['年费多少', '年费收取', '免年费'] }), entry('b', '转账')]);
    const id = index.termIds.get('年费')!;
    expect(index.idf[QUESTION_FIELD]![id]).toBeCloseTo(Math.log(1 + (2 - 1 + 0.5) / (1 + 0.5)));
  });

  it('finds nothing for a question that shares nothing', () => {
    const index = buildFaqIndex([entry('a', '信用卡年费')]);
    expect(rankEntries(index, 'zzz qqq', 3).candidates).toEqual([]);
  });

  it('lifts the entry in the question\'s language over its twin in the other language', () => {
    const index = buildFaqIndex([entry('zh', '年费 annual fee', 'zh'), entry('en', '年费 annual fee', 'en')]);
    expect(ids(index, 'annual fee')[0]).toBe('en');
    expect(ids(index, '年费')[0]).toBe('zh');
  });

  it('keeps the parameters it was built with', () => {
    const params = { ...DEFAULT_RETRIEVAL_PARAMS, k1: 2 };
    expect(buildFaqIndex([entry('a', 'x')], { params }).params).toEqual(params);
  });
});
