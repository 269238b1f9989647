import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Suggestion } from '../../../schemas/faq.ts';
import { FaqInvalidError } from './errors.ts';
import { counterpartId, decideFaqAutoAnswer, faqLanguageOf, parseFaqAutoReplyThreshold, resolveFaqReply, type AutoAnswerItem } from './auto-answer.ts';
import type { FaqEntry } from './entry.ts';

const FAQ: FaqEntry[] = [
  { id: 'lost-card-zh', question: '银行卡丢了怎么挂失？', answer: '请拨打客服热线挂失。', language: 'zh' },
  { id: 'lost-card-en', question: 'How do I report a lost card?', answer: 'Call our hotline to report it.', language: 'en' },
  { id: 'branch-hours', question: 'When are branches open?', answer: 'Monday to Saturday.', language: 'en' },
];
const suggestion = (faqId: string, score: number): Suggestion => ({ faqId, score, question: 'q', answer: 'a', language: 'en', cues: ['lost card'] });
const inquiry = (overrides: Partial<AutoAnswerItem> = {}): AutoAnswerItem => ({
  kind: 'inquiry',
  language: 'en',
  timeline: [{ at: '2026-03-02T09:00:00.000Z', type: 'received', actor: 'channel:web' }],
  suggestions: [suggestion('lost-card-en', 0.86), suggestion('branch-hours', 0.1)],
  ...overrides,
});

describe('decideFaqAutoAnswer', () => {
  it('answers an inquiry whose best suggestion reaches the threshold, with the entry answer', () => {
    expect(decideFaqAutoAnswer(inquiry(), FAQ, 0.75)).toEqual({ answer: true, faqId: 'lost-card-en', score: 0.86, text: 'Call our hotline to report it.', language: 'en' });
  });

  it.each([
    ['off', inquiry(), null],
    ['not_inquiry', inquiry({ kind: 'complaint' }), 0.5],
    ['triaged', inquiry({ triage: { reason: 'complaint_probability', dueAt: '2026-03-02T13:00:00.000Z' } }), 0.5],
    ['already_answered', inquiry({ timeline: [{ at: '2026-03-02T09:00:01.000Z', type: 'reply', actor: 'faq' }] }), 0.5],
    ['no_suggestion', inquiry({ suggestions: [] }), 0.5],
    ['below_threshold', inquiry(), 0.9],
    ['entry_gone', inquiry({ suggestions: [suggestion('removed-entry', 0.95)] }), 0.5],
  ] as const)('does not answer: %s', (reason, item, threshold) => {
    expect(decideFaqAutoAnswer(item, FAQ, threshold)).toEqual({ answer: false, reason });
  });

  it('answers in the item language where the FAQ has the counterpart entry', () => {
    const decision = decideFaqAutoAnswer(inquiry({ language: 'zh-CN' }), FAQ, 0.75);
    expect(decision).toMatchObject({ answer: true, faqId: 'lost-card-en', text: '请拨打客服热线挂失。', language: 'zh' });
  });

  it('never answers a complaint, whatever its suggestions and the threshold', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (threshold, score) => {
        const item = inquiry({ kind: 'complaint', suggestions: [suggestion('lost-card-en', score)] });
        expect(decideFaqAutoAnswer(item, FAQ, threshold).answer).toBe(false);
      }),
    );
  });
});

describe('resolveFaqReply', () => {
  it('sends the entry answer as it is', () => {
    expect(resolveFaqReply(FAQ, { faqId: 'branch-hours' }, 'en')).toEqual({ faqId: 'branch-hours', text: 'Monday to Saturday.', language: 'en', edited: false });
  });

  it('sends the handler edited message instead, trimmed', () => {
    expect(resolveFaqReply(FAQ, { faqId: 'branch-hours', message: '  Monday to Saturday, 9 to 5.  ' }, 'en')).toEqual({ faqId: 'branch-hours', text: 'Monday to Saturday, 9 to 5.', language: 'en', edited: true });
  });

  it('picks the counterpart in the item language, and keeps the entry own answer where there is none', () => {
    expect(resolveFaqReply(FAQ, { faqId: 'lost-card-en' }, 'zh')).toMatchObject({ text: '请拨打客服热线挂失。', language: 'zh' });
    expect(resolveFaqReply(FAQ, { faqId: 'branch-hours' }, 'zh')).toMatchObject({ text: 'Monday to Saturday.', language: 'en' });
  });

  it('answers 400 naming faqId for an unknown entry, and message for an empty edit', () => {
    expect(() => resolveFaqReply(FAQ, { faqId: 'nope' }, 'en')).toThrow(FaqInvalidError);
    try {
      resolveFaqReply(FAQ, { faqId: 'branch-hours', message: '   ' }, 'en');
      expect.unreachable();
    } catch (err) {
      expect((err as FaqInvalidError).errors).toEqual([{ field: 'message', message: 'must not be empty' }]);
    }
  });
});

describe('helpers', () => {
  it('reads the FAQ language of an item language tag', () => {
    expect([faqLanguageOf('zh-Hant'), faqLanguageOf('EN_gb'), faqLanguageOf('fr'), faqLanguageOf('')]).toEqual(['zh', 'en', null, null]);
  });

  it('names the counterpart id only across languages', () => {
    expect([counterpartId('a-en', 'zh'), counterpartId('a-zh', 'zh'), counterpartId('a', 'zh')]).toEqual(['a-zh', null, null]);
  });

  it('parses REDRESS_FAQ_AUTOREPLY: empty is off, a score in (0, 1] is the threshold, anything else fails loudly', () => {
    expect([parseFaqAutoReplyThreshold(undefined), parseFaqAutoReplyThreshold(' '), parseFaqAutoReplyThreshold('0.85')]).toEqual([null, null, 0.85]);
    for (const bad of ['0', '1.5', 'yes', '-0.2']) expect(() => parseFaqAutoReplyThreshold(bad)).toThrow(/REDRESS_FAQ_AUTOREPLY/);
  });
});
