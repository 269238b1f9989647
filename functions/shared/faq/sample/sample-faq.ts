/**
 * The sample FAQ `npm start` loads. With ../shared/datasets present: the UnionPay FAQ's and the Jining KB's
 * canonical questions and answers (read from the files at start-up, never committed), plus the small
 * bilingual FAQ written for Redress (builtin-faq.json), so English questions have English answers too.
 * Without the datasets: the bilingual FAQ alone.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FaqEntry } from '../entry.ts';
import builtinData from './builtin-faq.json' with { type: 'json' };
import { readJiningFaq, readUnionpayFaq } from './dataset-formats.ts';

/** The bilingual FAQ written for Redress (26 entries, 13 topics in Chinese and English). */
export const BUILTIN_FAQ: readonly FaqEntry[] = builtinData.entries as FaqEntry[];

/** Which sample was loaded, and its entries. */
export interface SampleFaq {
  source: 'datasets' | 'builtin';
  entries: FaqEntry[];
}

/** The sample FAQ from a datasets folder (null or incomplete: the builtin one). */
export function loadSampleFaq(datasetsDir: string | null): SampleFaq {
  const unionpay = datasetsDir && join(datasetsDir, 'unionpay_faq_zh', 'data.txt');
  const jining = datasetsDir && join(datasetsDir, 'jining_bank_faq_zh', 'origin_quest_label.txt');
  if (!unionpay || !jining || !existsSync(unionpay) || !existsSync(jining)) return { source: 'builtin', entries: [...BUILTIN_FAQ] };
  const entries = [...readUnionpayFaq(readFileSync(unionpay, 'utf8')).entries, ...readJiningFaq(readFileSync(jining, 'utf8')).entries, ...BUILTIN_FAQ];
  return { source: 'datasets', entries };
}
