import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildFaqIndex } from './faq-index.ts';
import { decodeFaqIndex, decodeVarints, encodeFaqIndex, encodeVarints, FaqIndexFormatError } from './index-codec.ts';
import { suggest } from './suggest.ts';
import { CHINESE_FAQ, ENGLISH_FAQ } from './test-entries.ts';

describe('index codec', () => {
  it('round-trips an index: same entries, same suggestions', () => {
    const index = buildFaqIndex([...CHINESE_FAQ, ...ENGLISH_FAQ]);
    const back = decodeFaqIndex(encodeFaqIndex(index));
    expect(back.entries).toEqual(index.entries);
    for (const q of ['信用卡年费', 'lost my card', '网银怎么开通']) expect(suggest(back, q)).toEqual(suggest(index, q));
  });

  it('keeps the lexicon the index was built with', () => {
    const lexicon = { concepts: [{ id: 'ukey', zh: ['U盾'], en: ['usb key'] }] };
    const back = decodeFaqIndex(encodeFaqIndex(buildFaqIndex([{ id: 'k', question: 'U盾丢了', answer: 'x', language: 'zh' }], { lexicon })));
    expect(back.lexicon.source).toEqual(lexicon);
    expect(suggest(back, 'lost my usb key')[0]?.faqId).toBe('k');
  });

  it('refuses bytes that are not an index', () => {
    expect(() => decodeFaqIndex(Buffer.from('not brotli'))).toThrow(FaqIndexFormatError);
  });

  it('round-trips varints', () => {
    fc.assert(
      fc.property(fc.array(fc.nat()), (xs) => {
        expect(decodeVarints(encodeVarints(xs))).toEqual(xs);
      }),
    );
  });
});
