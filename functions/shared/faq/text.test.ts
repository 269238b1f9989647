import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hanSegments, normaliseFaqText, surfaceTerms, wordTokens } from './text.ts';

const stems = (s: string) => wordTokens(normaliseFaqText(s)).map((w) => w.stem);
const segments = (s: string) => {
  const n = normaliseFaqText(s);
  return hanSegments(n).map(([a, b]) => n.slice(a, b));
};

describe('FAQ text analysis', () => {
  it('folds full-width letters, case and Traditional characters', () => {
    expect(normaliseFaqText('ＡＴＭ 信用卡帳戶')).toBe('atm 信用卡账户');
  });

  it('cuts question framing out of Chinese runs', () => {
    expect(segments('请问一下信用卡年费怎么收取呢')).toEqual(['信用卡年费', '收取']);
    expect(segments('给我介绍一下儒商卡')).toEqual(['儒商卡']);
  });

  it('reads Chinese as character unigrams and bigrams within a segment', () => {
    const terms = surfaceTerms(normaliseFaqText('年费'));
    expect(terms.map((t) => `${t.kind}:${t.term}`)).toEqual(['han1:年', 'han2:年费', 'han1:费']);
  });

  it('never makes a bigram across a cut', () => {
    const bigrams = surfaceTerms(normaliseFaqText('转账如何到账')).filter((t) => t.kind === 'han2').map((t) => t.term);
    expect(bigrams).toEqual(['转账', '到账']);
  });

  it('stems English words and drops stop words', () => {
    expect(stems('How do I report my lost cards?')).toEqual(['report', 'lost', 'card']);
  });

  it('keeps negations as one word', () => {
    expect(stems("I don't recognise this")).toEqual(['not', 'recognis']);
  });

  it('keeps codes that mix letters and digits whole, and their parts', () => {
    expect(stems('error 10000Z6 on 62IC')).toEqual(['error', '10000z6', '10000', '62ic', '62', 'ic']);
  });

  it('places every term inside the normalised text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        const n = normaliseFaqText(s);
        return surfaceTerms(n).every((t) => t.start >= 0 && t.end <= n.length && t.start < t.end);
      }),
    );
  });
});
