import { describe, expect, it } from 'vitest';
import { DEFAULT_LEXICON } from './faq-index.ts';
import { compileLexicon, matchConcepts, mergeLexicons, validateLexicon, type Lexicon } from './lexicon.ts';
import { normaliseFaqText, wordTokens } from './text.ts';

const lexicon: Lexicon = {
  concepts: [
    { id: 'annual_fee', zh: ['年费'], en: ['annual fee', 'yearly fee'] },
    { id: 'fee', zh: ['费', '手续费'], en: ['fee'] },
    { id: 'online_banking', zh: ['网银', '网上银行'], en: ['online banking'] },
    { id: 'bank', zh: ['银行'], en: ['bank'] },
    { id: 'mobile_banking', zh: ['手机银行'] },
    { id: 'bank_card', zh: ['银行卡'], en: ['bank card'] },
    { id: 'lost_card', en: ['lost card', 'card lost'] },
  ],
};
const compiled = compileLexicon(lexicon);
const concepts = (text: string) => {
  const n = normaliseFaqText(text);
  return matchConcepts(n, wordTokens(n), compiled).map((o) => o.term).sort();
};

describe('synonym lexicon', () => {
  it('gives a Chinese wording and its English one the same concept', () => {
    expect(concepts('信用卡年费')).toEqual(['#annual_fee']);
    expect(concepts('What is the Annual Fees?')).toEqual(['#annual_fee']);
  });

  it('gives two Chinese wordings of one thing the same concept', () => {
    expect(concepts('网银')).toEqual(concepts('网上银行'));
  });

  it('matches English wordings on stems over content words', () => {
    expect(concepts('I lost my cards')).toEqual(['#lost_card']);
  });

  it('drops a match that lies inside a longer one, keeps overlapping ones', () => {
    expect(concepts('网上银行')).toEqual(['#online_banking']);
    expect(concepts('手机银行卡')).toEqual(['#bank_card', '#mobile_banking']);
  });

  it('reports duplicate ids and wordings that are only stop words', () => {
    const result = validateLexicon({ concepts: [{ id: 'a', en: ['how do i'] }, { id: 'a', zh: ['年费'] }] });
    expect(result).toEqual({ errors: ['concepts.0.en.0: "how do i" has only stop words', 'concepts.1.id: "a" is used twice'] });
  });

  it('rejects a concept without wordings and a malformed id', () => {
    const result = validateLexicon({ concepts: [{ id: 'Bad Id' }] });
    expect('errors' in result && result.errors.some((e) => e.startsWith('concepts.0.id'))).toBe(true);
  });

  it('merges a bank extension: new wordings on known ids, new concepts appended', () => {
    const merged = mergeLexicons(lexicon, { concepts: [{ id: 'annual_fee', zh: ['年费', '年度费用'] }, { id: 'ukey', zh: ['U盾'], en: ['usb key'] }] });
    expect(merged.concepts.find((c) => c.id === 'annual_fee')).toEqual({ id: 'annual_fee', zh: ['年费', '年度费用'], en: ['annual fee', 'yearly fee'] });
    expect(merged.concepts.at(-1)).toEqual({ id: 'ukey', zh: ['U盾'], en: ['usb key'] });
  });

  it('ships a valid default lexicon', () => {
    expect(validateLexicon(DEFAULT_LEXICON)).toEqual({ lexicon: DEFAULT_LEXICON });
  });
});
