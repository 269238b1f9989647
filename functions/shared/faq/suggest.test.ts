import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildFaqIndex } from './faq-index.ts';
import { suggest } from './suggest.ts';
import { CHINESE_FAQ, ENGLISH_FAQ } from './test-entries.ts';

const zhOnly = buildFaqIndex(CHINESE_FAQ);
const enOnly = buildFaqIndex(ENGLISH_FAQ);
const top = (index: typeof zhOnly, q: string) => suggest(index, q)[0];

describe('suggest', () => {
  it('finds the Chinese entry for a Chinese paraphrase, with the shared phrase as cue', () => {
    const s = top(zhOnly, '请问信用卡的年费是怎么收的');
    expect(s?.faqId).toBe('annual-fee');
    expect(s?.cues[0]).toBe('信用卡');
    expect(s?.cues).toContain('年费');
  });

  it('finds a Chinese entry for an English question through the lexicon, and says so in the cue', () => {
    const s = top(zhOnly, 'what is the annual fee on my credit card?');
    expect(s?.faqId).toBe('annual-fee');
    expect(s?.cues).toContain('annual fee ↔ 年费');
  });

  it('finds an English entry for a Chinese question through the lexicon', () => {
    expect(top(enOnly, '我的卡丢了要挂失')?.faqId).toBe('lost-card-en');
    expect(top(enOnly, '跨行转账多久到账')?.faqId).toBe('transfer-time-en');
  });

  it('treats within-language synonyms as the same thing (网银 / 网上银行)', () => {
    const s = top(zhOnly, '网银怎么开通');
    expect(s?.faqId).toBe('online-banking');
    expect(s?.cues).toContain('网银 ↔ 网上银行');
  });

  it('returns at most `limit` suggestions, best first, scores never rising', () => {
    const all = suggest(zhOnly, '信用卡年费 挂失 转账', { limit: 3 });
    expect(all.length).toBe(3);
    for (let i = 1; i < all.length; i++) expect(all[i]!.score).toBeLessThanOrEqual(all[i - 1]!.score);
  });

  it('leaves out suggestions below minScore', () => {
    expect(suggest(zhOnly, 'completely unrelated gardening question', { minScore: 0.5 })).toEqual([]);
  });

  it('gives a lower score to a weak partial match than to a close paraphrase', () => {
    const close = top(zhOnly, '信用卡年费怎么收取')!.score;
    const weak = top(zhOnly, '信用卡')!.score;
    expect(close).toBeGreaterThan(weak);
  });

  it('answers any text with at most three suggestions scored in [0, 1], never throwing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const s = suggest(zhOnly, text);
        return s.length <= 3 && s.every((x) => x.score >= 0 && x.score <= 1 && x.cues.length <= 6);
      }),
    );
  });

  it('reads the cues off the answer when only the answer matched', () => {
    const index = buildFaqIndex([{ id: 'ukey', question: '证书过期怎么办？', answer: '请携带U盾到网点更新数字证书。', language: 'zh' }]);
    expect(suggest(index, 'U盾')[0]?.cues).toEqual(['u盾']);
  });

  it('suggests nothing from an empty FAQ', () => {
    expect(suggest(buildFaqIndex([]), '年费')).toEqual([]);
  });
});
