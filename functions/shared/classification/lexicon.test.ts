import { describe, expect, it } from 'vitest';
import { viewText } from './features.ts';
import { CATEGORY_CUES, compilePhrases, sentimentSignals } from './lexicon.ts';

describe('lexicon', () => {
  it('matches English phrases as whole words and Chinese as substrings, either script', () => {
    // Prepare
    const m = compilePhrases({ en: ['fee', 'on hold'], zh: ['手续费'] });
    // Act / Assess
    expect(m.find(viewText('Thanks for the feedback'))).toEqual([]);
    expect(m.find(viewText('A FEE again, and I was on hold.'))).toEqual(['fee', 'on hold']);
    expect(m.find(viewText('跨行转账手續費太高'))).toEqual(['手续费']);
  });

  it('has cues for every category but other', () => {
    const names = CATEGORY_CUES.map((c) => c.category).sort();
    expect(names).toEqual(['card_issues', 'debt_collection', 'digital_banking', 'fees_pricing', 'fraud_security', 'misselling_disclosure', 'resolution_efficiency', 'service_attitude', 'transfers_payments', 'waiting_time']);
  });

  it('reads opinion words with negation', () => {
    expect(sentimentSignals(viewText('服务很好，很满意'))).toContain('L:net+');
    expect(sentimentSignals(viewText('服务不好'))).toContain('L:net-');
    expect(sentimentSignals(viewText('The staff were not helpful')).includes('L:net+')).toBe(false);
    expect(sentimentSignals(viewText('Great service, thank you'))).toContain('L:net+');
  });
});
