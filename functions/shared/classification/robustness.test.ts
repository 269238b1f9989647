import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stripNoise, viewText } from './features.ts';
import { classifyText } from './local-classifier.ts';

/**
 * Random reference codes: 4–12 letters and digits with at least two of each ("k3x9q2", "A1B2C3"; not an
 * amount with a unit such as "100usd"), in the
 * shapes customers paste them (bare, in brackets, after "ref", after #).
 */
const referenceCode = fc
  .array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split('')), { minLength: 4, maxLength: 12 })
  .map((cs) => cs.join(''))
  .filter((s) => /[a-z].*[a-z]/i.test(s) && /\d.*\d/.test(s) && !/^\d+[a-z]+$/i.test(s));
const suffix = fc.tuple(referenceCode, fc.constantFrom(' ', ' (', ' #', ' [', '  ')).map(([code, open]) => {
  const close = open.includes('(') ? ')' : open.includes('[') ? ']' : '';
  return `${open}${code}${close}`;
});

/** Messages whose kind is clear, with the kind a handler would give them. */
const CLEAR: [string, 'complaint' | 'inquiry' | 'praise' | 'suggestion'][] = [
  ['Complaint: your online banking has been down all day and I missed an urgent payment. I demand compensation.', 'complaint'],
  ['My new debit card has still not arrived after three weeks and I was charged for it. I want this fixed now.', 'complaint'],
  ['I want to complain: the branch staff were rude', 'complaint'],
  ['I want to make a formal complaint about the way my mortgage application was handled.', 'complaint'],
  ['This is unacceptable, the cash machine kept my card and nobody has called me back.', 'complaint'],
  ['我要投诉，你们网点的工作人员态度很差', 'complaint'],
  ['对你们的服务强烈不满，转账三天了还没到账', 'complaint'],
  ['非常不满意，信用卡年费莫名其妙扣了两次', 'complaint'],
  ['How do I activate my new card?', 'inquiry'],
  ['Can I top up my account with a cheque?', 'inquiry'],
  ['What is the daily limit for transfers abroad?', 'inquiry'],
  ['信用卡账单日可以修改吗？', 'inquiry'],
  ['请问怎么开通手机银行？', 'inquiry'],
  ['请问境外取现的手续费是多少？', 'inquiry'],
  ['Thank you so much, the branch staff were wonderful and very helpful today.', 'praise'],
  ['客服小姐姐很耐心，问题很快就解决了，点赞！', 'praise'],
  ['It would be great if the app could show pending card payments. Please add it.', 'suggestion'],
  ['建议手机银行增加一个夜间模式，希望能早日上线', 'suggestion'],
];

describe('classification is robust to appended reference codes', () => {
  it.each(CLEAR)('%s → %s, with or without a random suffix', (text, expectedKind) => {
    // Prepare
    const plain = classifyText({ text });
    // Assess the message itself first: the property below is only meaningful for a correct answer.
    expect(plain.kind).toBe(expectedKind);
    fc.assert(
      fc.property(suffix, (sfx) => {
        // Act
        const noisy = classifyText({ text: text + sfx });
        // Assess
        expect(noisy.kind).toBe(expectedKind);
        expect(noisy.category).toBe(plain.category);
      }),
      { numRuns: 60 },
    );
  });

  it('decides explicit complaints with high confidence and names the cue', () => {
    // Act
    const en = classifyText({ text: 'My new debit card has still not arrived after three weeks and I was charged for it. I want this fixed now. (k3x9q2)' });
    const zh = classifyText({ text: '强烈不满！信用卡账单错了一个月都没人管 A1B2C3' });
    // Assess
    expect(en.kind).toBe('complaint');
    expect(en.reasons.some((r) => r.startsWith('kind complaint') && r.includes('want this fixed'))).toBe(true);
    expect(zh.kind).toBe('complaint');
    expect(zh.reasons.some((r) => r.startsWith('kind complaint') && r.includes('强烈不满'))).toBe(true);
  });

  it('does not treat a question about how to complain as a complaint by itself', () => {
    expect(classifyText({ text: '请问信用卡中心的投诉电话是多少？' }).kind).toBe('inquiry');
  });

  it('keeps a neutral Chinese question an inquiry, in either script', () => {
    for (const text of ['信用卡账单日可以修改吗？', '請問怎麼開通手機銀行？', '借记卡可以在境外取现吗']) expect(classifyText({ text }).kind, text).toBe('inquiry');
  });
});

describe('stripNoise', () => {
  it('removes mixed letter-and-digit codes and vowel-less strings, keeps words, amounts and redactions', () => {
    // Act
    const out = stripNoise('ref k3x9q2: paid 100usd on the 2nd at 10am, xxxx (zzqxv) card 1234');
    // Assess
    expect(out).toBe('ref: paid 100usd on the 2nd at 10am, xxxx card 1234');
  });

  it('gives a text with an appended code the same view as without it', () => {
    fc.assert(
      fc.property(suffix, fc.constantFrom('My card was declined', '转账失败了', 'Why was I charged a fee?'), (sfx, text) => {
        expect(viewText(text + sfx)).toEqual(viewText(text));
      }),
    );
  });
});
