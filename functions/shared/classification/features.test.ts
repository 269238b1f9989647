import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { countScripts, extractFeatures, HASH_BITS, hashFeature, normaliseText, termCounts, toSimplified, viewText, words } from './features.ts';

describe('features', () => {
  it('folds Traditional characters onto Simplified ones', () => {
    expect(toSimplified('銀行帳戶被凍結')).toBe('银行账户被冻结');
    expect(toSimplified('plain English')).toBe('plain English');
  });

  it('counts scripts for the language call', () => {
    const c = countScripts('我的帳戶 ATM');
    expect(c).toMatchObject({ han: 4, latin: 3 });
    expect(c.traditional).toBeGreaterThan(c.simplified);
  });

  it('gives Traditional and Simplified spellings the same features', () => {
    expect(new Set(extractFeatures('信用卡被盜刷了'))).toEqual(new Set(extractFeatures('信用卡被盗刷了')));
  });

  it('counts words and bigrams for the long-account head, hashed as the binary features are', () => {
    // Act
    const counts = termCounts(viewText('The FEE, the fee and the late fee on XX/XX/2019.'));
    // Assess
    expect(counts.get(hashFeature('wfee'))).toBe(3);
    expect(counts.get(hashFeature('wthe'))).toBe(3);
    expect(counts.get(hashFeature('bthe fee'))).toBe(2);
    expect(counts.get(hashFeature('bon xxxx'))).toBe(1);
    const binary = new Set(extractFeatures('The FEE, the fee and the late fee on XX/XX/2019.'));
    for (const id of counts.keys()) expect(binary.has(id)).toBe(true);
  });

  it('collapses numbers, redactions and placeholders into single tokens', () => {
    expect(words(normaliseText('Paid $1,234.56 on XX/XX/2019 to XXXX from [CARD]'))).toEqual(['paid', '#', 'on', 'xxxx', 'to', 'xxxx', 'from', '[card]']);
  });

  it('hashes into the bucket range, the same way every time', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const h = hashFeature(s);
        return h === hashFeature(s) && h >= 0 && h < 2 ** HASH_BITS && Number.isInteger(h);
      }),
    );
  });

  it('adds named extra signals as features', () => {
    const base = extractFeatures('good');
    const withSignal = extractFeatures('good', ['L:pos']);
    expect(withSignal).toContain(hashFeature('L:pos'));
    expect(base).not.toContain(hashFeature('L:pos'));
  });

  it('hashes each feature as the hash of its string (word, bigram, 4-gram and Han n-grams), each once, in first-seen order', () => {
    // The features as strings, the way they are defined (the extractor hashes them without building them).
    const byString = (text: string): number[] => {
      const norm = normaliseText(text);
      const out = ['bias'];
      let prev = '<s>';
      const ws = words(norm).slice(0, 600);
      for (const w of ws) {
        out.push('w' + w, 'b' + prev + ' ' + w);
        if (w.length > 3 && !w.startsWith('[')) for (let i = 0; i + 4 <= w.length + 2; i++) out.push('g' + ('<' + w + '>').slice(i, i + 4));
        prev = w;
      }
      if (ws.length) out.push('b' + prev + ' </s>');
      for (const [run] of norm.matchAll(/[\u3400-\u9fff\uf900-\ufaff]+/g)) for (let i = 0; i < run.length; i++) out.push(...[1, 2, 3].filter((n) => i + n <= run.length).map((n) => 'c' + run.slice(i, i + n)));
      return [...new Set(out.map(hashFeature))];
    };
    const texts = fc.oneof(fc.string(), fc.stringMatching(/^[a-zA-Z' ]{0,40}$/), fc.constantFrom('Charged twice for one transfer!', '我的信用卡被盗刷了，盗刷盗刷', "can't log in, the [CARD] app's broken"));
    fc.assert(
      fc.property(texts, (text) => {
        const ids = extractFeatures(text);
        // Prefix: the string-defined features in the same order; then only the punctuation and length markers.
        expect(ids.slice(0, byString(text).length)).toEqual(byString(text));
        expect(new Set(ids).size).toBe(ids.length);
      }),
    );
  });
});
