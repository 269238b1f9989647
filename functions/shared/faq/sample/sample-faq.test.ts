import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FaqEntrySchema } from '../entry.ts';
import { buildFaqIndex } from '../faq-index.ts';
import { suggest } from '../suggest.ts';
import checkSet from './cross-language-check.json' with { type: 'json' };
import { readJiningFaq, readUnionpayFaq } from './dataset-formats.ts';
import { BUILTIN_FAQ, loadSampleFaq } from './sample-faq.ts';

// Files in the two datasets' formats, with text written for this test.
const UNIONPAY = ['entry {', '    question ID:0', '    question :\uFEFF年费怎么交', '    answer ID:0', '    answer :按年收取。', '    label ID:7', '    label :信用卡年费如何收取？', '    subject ID:0', '    subject:银联二期_基本业务_综合篇_FAQ', '}',
  'entry {', '    question ID:1', '    question :信用卡年费如何收取？', '    answer ID:0', '    answer :按年收取。', '    label ID:7', '    label :信用卡年费如何收取？', '    subject ID:0', '    subject:银联二期_基本业务_综合篇_FAQ', '}', '####question total:2####'].join('\n');
const JINING_ORIGIN = '问题\t答案\n我的账户\t101000\n如何挂失\t请到网点办理挂失。\n卡丢了怎么办\t请到网点办理挂失。\n';
const JINING_ALL = '问题\t答案\n扩展问题\t答案\n如何挂失\t请到网点办理挂失。\n介绍一下挂失\t请到网点办理挂失。\n看看账户\t101000\n';

describe('sample FAQ', () => {
  it('reads the UnionPay format: one entry per label, other questions as paraphrases', () => {
    const set = readUnionpayFaq(UNIONPAY);
    expect(set.entries).toEqual([{ id: 'unionpay-7', question: '信用卡年费如何收取？', answer: '按年收取。', language: 'zh', category: '基本业务_综合篇' }]);
    expect(set.paraphrases).toEqual([{ text: '年费怎么交', faqId: 'unionpay-7' }]);
  });

  it('reads the Jining format: one entry per text answer, other canonical questions as phrasings, codes left out', () => {
    const set = readJiningFaq(JINING_ORIGIN, JINING_ALL);
    expect(set.entries).toEqual([{ id: 'jining-1', question: '如何挂失', answer: '请到网点办理挂失。', language: 'zh', phrasings: ['卡丢了怎么办'] }]);
    expect(set.paraphrases).toEqual([{ text: '介绍一下挂失', faqId: 'jining-1' }]);
  });

  it('falls back to the bilingual FAQ without the datasets', () => {
    expect(loadSampleFaq(null)).toEqual({ source: 'builtin', entries: [...BUILTIN_FAQ] });
    expect(loadSampleFaq('/nonexistent').source).toBe('builtin');
  });

  it('adds the bilingual FAQ to the datasets\' entries when they are there', () => {
    const dir = mkdtempSync(join(tmpdir(), 'faq-sample-'));
    mkdirSync(join(dir, 'unionpay_faq_zh'));
    mkdirSync(join(dir, 'jining_bank_faq_zh'));
    writeFileSync(join(dir, 'unionpay_faq_zh', 'data.txt'), UNIONPAY);
    writeFileSync(join(dir, 'jining_bank_faq_zh', 'origin_quest_label.txt'), JINING_ORIGIN);
    const sample = loadSampleFaq(dir);
    expect(sample.source).toBe('datasets');
    expect(sample.entries.map((e) => e.id)).toEqual(['unionpay-7', 'jining-1', ...BUILTIN_FAQ.map((e) => e.id)]);
  });

  it('ships valid bilingual entries, each topic in both languages', () => {
    for (const e of BUILTIN_FAQ) expect(FaqEntrySchema.safeParse(e).success).toBe(true);
    const topics = (lang: string) => BUILTIN_FAQ.filter((e) => e.language === lang).map((e) => e.id.replace(/-(zh|en)$/, ''));
    expect(topics('zh')).toEqual(topics('en'));
  });

  it('answers most check questions across languages from the other language\'s entries', () => {
    const only = { zh: buildFaqIndex(BUILTIN_FAQ.filter((e) => e.language === 'zh')), en: buildFaqIndex(BUILTIN_FAQ.filter((e) => e.language === 'en')) };
    const hits = checkSet.questions.filter((q) => {
      const other = q.language === 'en' ? 'zh' : 'en';
      return suggest(only[other], q.text).some((s) => s.faqId === `sample-${q.topic}-${other}`);
    });
    expect(hits.length / checkSet.questions.length).toBeGreaterThanOrEqual(0.85);
  });
});
