import { describe, expect, it } from 'vitest';
import { hashFeature, viewText } from './features.ts';
import { CATEGORY_CUES, compilePhrases, KIND_CUES, modelFeatures, sentimentSignals, TOPIC_COPIES, TOPIC_MIN_LENGTH, topicSignals } from './lexicon.ts';

describe('lexicon', () => {
  it('matches English phrases as whole words and Chinese as substrings, either script', () => {
    // Prepare
    const m = compilePhrases({ en: ['fee', 'on hold'], zh: ['手续费'] });
    // Act / Assess
    expect(m.find(viewText('Thanks for the feedback'))).toEqual([]);
    expect(m.find(viewText('A FEE again, and I was on hold.'))).toEqual(['fee', 'on hold']);
    expect(m.find(viewText('跨行转账手續費太高'))).toEqual(['手续费']);
  });

  it('reports hits in the list\'s order, whatever their order in the text, and reads apostrophes both ways', () => {
    // Prepare
    const m = compilePhrases({ en: ['on hold', "can't log in", 'atm', 'fee'], zh: ['年费', '扣款', '12378'] });
    // Act / Assess
    expect(m.find(viewText('A fee, then the ATM, then on hold'))).toEqual(['on hold', 'atm', 'fee']);
    expect(m.find(viewText("cant log in at the ATM's screen"))).toEqual(["can't log in", 'atm']);
    expect(m.find(viewText('扣款又扣款，年费也扣了'))).toEqual(['年费', '扣款']);
    // A number matches only as a whole number.
    expect(m.find(viewText('我打了12378'))).toEqual(['12378']);
    expect(m.find(viewText('扣了123789元'))).toEqual([]);
  });

  it('finds the same phrases however many matchers read one text, and in a text read before', () => {
    // Prepare: two matchers reading the same two texts alternately (the classifier reads a message and its statements).
    const a = compilePhrases({ en: ['late fee'], zh: ['手续费'] });
    const b = compilePhrases({ en: ['fee'], zh: ['费'] });
    const first = viewText('A late fee again 手续费');
    const second = viewText('No fee here');
    // Act / Assess
    expect([a.find(first), b.find(second), a.find(second), b.find(first), a.find(first)]).toEqual([['late fee', '手续费'], ['fee'], [], ['fee', '费'], ['late fee', '手续费']]);
  });

  it('has cues for every category but other', () => {
    const names = CATEGORY_CUES.map((c) => c.category).sort();
    expect(names).toEqual(['card_issues', 'debt_collection', 'digital_banking', 'fees_pricing', 'fraud_security', 'misselling_disclosure', 'resolution_efficiency', 'service_attitude', 'transfers_payments', 'waiting_time']);
  });

  it('has strong cues, with a larger boost, for the service categories English training data barely covers', () => {
    // Prepare
    const strongOf = (category: string) => CATEGORY_CUES.find((c) => c.category === category)!;
    // Act / Assess
    for (const category of ['service_attitude', 'waiting_time', 'digital_banking']) {
      const cues = strongOf(category);
      expect(cues.strong, category).not.toBeNull();
      expect(cues.strong!.boost.en, category).toBeGreaterThan(cues.boost.en);
    }
    expect(strongOf('service_attitude').strong!.matcher.find(viewText('The staff were rude to me'))).toContain('rude');
    expect(strongOf('waiting_time').strong!.matcher.find(viewText('I was on hold for 40 minutes'))).toEqual(['on hold']);
    expect(strongOf('digital_banking').strong!.matcher.find(viewText('Online banking is down again'))).toContain('online banking is down');
    expect(strongOf('digital_banking').strong!.matcher.find(viewText('How do I download statements online?'))).toEqual([]);
  });

  it('finds reports of something not working', () => {
    expect(KIND_CUES.malfunction.find(viewText('The app logs me out all the time'))).toContain('logs me out');
    expect(KIND_CUES.malfunction.find(viewText('My card does not work abroad'))).toContain('does not work');
    expect(KIND_CUES.malfunction.find(viewText('How do I order a new card?'))).toEqual([]);
  });

  it('reads opinion words with negation', () => {
    expect(sentimentSignals(viewText('服务很好，很满意'))).toContain('L:net+');
    expect(sentimentSignals(viewText('服务不好'))).toContain('L:net-');
    expect(sentimentSignals(viewText('The staff were not helpful')).includes('L:net+')).toBe(false);
    expect(sentimentSignals(viewText('Great service, thank you'))).toContain('L:net+');
  });

  it('reads a positive word right before a negative one as an intensifier, not praise', () => {
    // "好" is "good" on its own and "so" in "好焦虑" (so anxious): the message is negative, not mixed.
    expect(sentimentSignals(viewText('等了一个月，好焦虑'))).toEqual(expect.arrayContaining(['L:neg', 'L:net-']));
    expect(sentimentSignals(viewText('等了一个月，好焦虑')).includes('L:pos')).toBe(false);
    expect(sentimentSignals(viewText('客服态度好'))).toContain('L:net+');
  });

  it('turns topic cues of long English accounts into model features, and leaves short messages alone', () => {
    // Prepare
    const long = 'I disputed an account on my credit report with Equifax because it is not mine. '.repeat(4);
    const short = 'Equifax shows an account that is not mine';
    // Act
    const topics = topicSignals(viewText(long));
    // Assess
    expect(long.length).toBeGreaterThanOrEqual(TOPIC_MIN_LENGTH);
    expect(topics.filter((t) => t.endsWith(':credit_bureau'))).toHaveLength(TOPIC_COPIES);
    expect(topics).toContain('K0:not_mine');
    expect(topics).toContain('K0:dispute');
    expect(topicSignals(viewText(short))).toEqual([]);
    expect(modelFeatures(long)).toContain(hashFeature('K0:credit_bureau'));
    expect(modelFeatures(short)).not.toContain(hashFeature('K0:credit_bureau'));
  });

  it('keeps explicit complaint words and questions about how to complain apart', () => {
    expect(KIND_CUES.complaintExplicit.find(viewText('I demand compensation, this is unacceptable'))).toEqual(expect.arrayContaining(['i demand', 'unacceptable']));
    expect(KIND_CUES.complaintExplicit.find(viewText('对这次服务强烈不满'))).toContain('强烈不满');
    expect(KIND_CUES.complaintProcess.find(viewText('信用卡投诉电话是多少'))).toContain('投诉电话');
    expect(KIND_CUES.complaintExplicit.find(viewText('How do I activate my card?'))).toEqual([]);
  });
});
