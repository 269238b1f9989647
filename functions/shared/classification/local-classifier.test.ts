import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Classification, SEVERITIES } from '../../../schemas/feedback.ts';
import { classifyText, createLocalClassifier, detectLanguage } from './local-classifier.ts';

const rank = (s: string): number => SEVERITIES.indexOf(s as (typeof SEVERITIES)[number]);

describe('detectLanguage', () => {
  it('detects English, Simplified and Traditional Chinese', () => {
    expect(detectLanguage('Why was I charged twice for one coffee?')).toEqual({ language: 'en', detected: true });
    expect(detectLanguage('我的信用卡被盗刷了')).toMatchObject({ language: 'zh', script: 'Hans', detected: true });
    expect(detectLanguage('我的信用卡被盜刷了，銀行電話一直打不通')).toMatchObject({ language: 'zh', script: 'Hant', detected: true });
  });

  it('treats Chinese with a few English words (APP, ATM) as Chinese', () => {
    expect(detectLanguage('手机银行APP登录不上，ATM也取不了钱').language).toBe('zh');
  });

  it('keeps the language a channel declares, reduced to its base', () => {
    expect(detectLanguage('hello', 'zh-TW')).toEqual({ language: 'zh', script: 'Hant', detected: false });
    expect(detectLanguage('bonjour', 'fr')).toMatchObject({ language: 'fr', detected: false });
  });
});

describe('classifyText: category and kind', () => {
  it.each([
    ['Someone used my card in another country, I did not make these payments', 'en', 'fraud_security'],
    ['我的银行卡昨晚被盗刷了三笔，我人在家里卡也在身上', 'zh', 'fraud_security'],
    ['我的銀行卡昨晚被盜刷了三筆，卡一直在我身上', 'zh', 'fraud_security'],
    ['Why did you charge me a fee for withdrawing cash at the ATM abroad?', 'en', 'fees_pricing'],
    ['My transfer to my landlord has been pending for three days and has not arrived', 'en', 'transfers_payments'],
    ['The debt collector keeps calling my workplace about a debt that is not mine', 'en', 'debt_collection'],
  ])('%s → %s / %s', (text, language, category) => {
    // Act
    const c = classifyText({ text });
    // Assess
    expect(c.language).toBe(language);
    expect(c.category).toBe(category);
  });

  it('keeps how-to questions as inquiries', () => {
    for (const text of ['How do I activate my new card?', 'Can I top up my account with a cheque?', '信用卡怎么激活？']) {
      expect(classifyText({ text }).kind, text).toBe('inquiry');
    }
  });

  it('recognises explicit complaints in English and Chinese', () => {
    expect(classifyText({ text: 'I want to make a formal complaint: your staff were rude and nothing has been done for three weeks.' }).kind).toBe('complaint');
    expect(classifyText({ text: '我要投诉你们网点的工作人员，态度恶劣，问题拖了一个月没人处理！' }).kind).toBe('complaint');
  });

  it('recognises praise and suggestions', () => {
    expect(classifyText({ text: 'Thank you so much, the branch staff were wonderful and very helpful today.' }).kind).toBe('praise');
    expect(classifyText({ text: '客服小姐姐很耐心，问题很快就解决了，点赞！' }).kind).toBe('praise');
    expect(classifyText({ text: 'It would be great if the app could show pending card payments. Please add it.' }).kind).toBe('suggestion');
    expect(classifyText({ text: '建议手机银行增加一个夜间模式，希望能早日上线' }).kind).toBe('suggestion');
  });

  it('explains its decisions with the cues it found', () => {
    const c = classifyText({ text: '我的银行卡被盗刷了' });
    expect(c.reasons.some((r) => r.includes('盗刷'))).toBe(true);
    expect(c.reasons.some((r) => r.startsWith('language zh (Simplified'))).toBe(true);
    const t = classifyText({ text: '我的銀行卡被盜刷了' });
    expect(t.reasons.some((r) => r.startsWith('language zh (Traditional'))).toBe(true);
  });
});

describe('classifyText: severity rules', () => {
  it('rates fraud and lost or stolen cards high or critical', () => {
    for (const text of ['My card was stolen yesterday and there are payments I do not recognise', '信用卡丢了，还被人盗刷了两千块']) {
      expect(rank(classifyText({ text }).severity), text).toBeGreaterThanOrEqual(rank('high'));
    }
  });

  it('raises severity when money was lost', () => {
    const base = classifyText({ text: 'The app keeps logging me out and it is annoying, this is a complaint.' });
    const lost = classifyText({ text: 'The app keeps logging me out and I lost money because a payment failed, this is a complaint.' });
    expect(rank(lost.severity)).toBeGreaterThan(rank(base.severity));
    expect(rank(lost.severity)).toBeGreaterThanOrEqual(rank('high'));
  });

  it('raises severity for a vulnerable customer and for threats to go to the regulator or press', () => {
    const text = 'I am complaining because my transfer failed twice and nobody called me back.';
    const base = classifyText({ text });
    const vulnerable = classifyText({ text: `${text} I am 84 and my husband is in hospital.` });
    const threat = classifyText({ text: `${text} If this is not fixed I will go to the regulator and the newspaper.` });
    expect(rank(vulnerable.severity)).toBeGreaterThan(rank(base.severity));
    expect(rank(threat.severity)).toBeGreaterThan(rank(base.severity));
    const zhThreat = classifyText({ text: '我要投诉，转账失败三次没人管，再不处理我就向银保监投诉并找媒体曝光' });
    expect(rank(zhThreat.severity)).toBeGreaterThanOrEqual(rank('high'));
    expect(zhThreat.reasons.some((r) => r.includes('regulator'))).toBe(true);
  });

  it('keeps a how-to question low', () => {
    expect(classifyText({ text: 'What currencies can I hold in my account?' }).severity).toBe('low');
  });
});

describe('classifyText: contract', () => {
  it('fills JR/T 0169 codes from the channel and category', () => {
    const c = classifyText({ text: 'My card was stolen', channel: 'hotline' });
    expect(c.codes.jrt0169.channel).toContain('电话');
    expect(c.codes.jrt0169.reason).toContain('资金安全');
  });

  it('reads a low rating as a complaint signal', () => {
    const text = 'The transfer took two days.';
    const low = classifyText({ text, rating: 1 });
    expect(low.kind).toBe('complaint');
  });

  it('is deterministic and always returns a valid classification', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.array(fc.constantFrom('我的', '卡', '被盗刷', '投诉', 'card', 'stolen', 'fee', '?', '！', '謝謝', '[CARD]', 'XXXX', ' '), { maxLength: 30 }).map((a) => a.join('')),
    );
    fc.assert(
      fc.property(text, (t) => {
        const a = classifyText({ text: t });
        const b = classifyText({ text: t });
        expect(b).toEqual(a);
        expect(Classification.safeParse(a).success).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('classifies a 5,000-character narrative quickly', () => {
    const text = 'I disputed the account on my credit report with the bureau many times and XXXX still reports it. '.repeat(52).slice(0, 5000);
    const start = performance.now();
    const c = classifyText({ text });
    expect(performance.now() - start).toBeLessThan(50);
    expect(c.kind).toBe('complaint');
  });

  it('serves the classifier port with the same answer', async () => {
    const input = { text: 'Why was my card declined at the supermarket?', channel: 'mobile' as const };
    await expect(createLocalClassifier().classify(input)).resolves.toEqual(classifyText(input));
  });
});

describe('classifyText: fraud with money lost', () => {
  it('is critical when a fraud complaint says the money is gone', () => {
    const c = classifyText({ text: 'This is a complaint: my card was stolen and they emptied my account, I lost money I need for rent.' });
    expect(c.category).toBe('fraud_security');
    expect(c.severity).toBe('critical');
  });
});
