/** Small FAQs written for the tests (not from any dataset). */
import type { FaqEntry } from './entry.ts';

export const entry = (id: string, question: string, language: 'zh' | 'en' = 'zh', extra: Partial<FaqEntry> = {}): FaqEntry => ({ id, question, answer: `Answer of ${id}.`, language, ...extra });

/** A FAQ with one entry per topic, Chinese only. */
export const CHINESE_FAQ: FaqEntry[] = [
  entry('annual-fee', '信用卡年费怎么收取？'),
  entry('lost-card', '银行卡丢失了如何挂失？'),
  entry('transfer-time', '跨行转账多久到账？'),
  entry('online-banking', '如何开通网上银行？'),
  entry('pin-reset', '忘记密码怎么办？'),
];

/** The same topics in English. */
export const ENGLISH_FAQ: FaqEntry[] = [
  entry('annual-fee-en', 'How is the credit card annual fee charged?', 'en'),
  entry('lost-card-en', 'How do I report a lost card?', 'en'),
  entry('transfer-time-en', 'How long does a transfer to another bank take?', 'en'),
  entry('online-banking-en', 'How do I open online banking?', 'en'),
  entry('pin-reset-en', 'I forgot my password, what can I do?', 'en'),
];
