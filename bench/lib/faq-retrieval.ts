/**
 * FAQ retrieval speed for `npm run bench`: index build, encode and load of the sample FAQ `npm start` uses
 * (the datasets' canonical entries when ../shared/datasets is there, else the bilingual sample), and
 * suggestions per second on one core for short bilingual questions.
 */
import { buildFaqIndex } from '../../functions/shared/faq/faq-index.ts';
import { decodeFaqIndex, encodeFaqIndex } from '../../functions/shared/faq/index-codec.ts';
import checkSet from '../../functions/shared/faq/sample/cross-language-check.json' with { type: 'json' };
import { loadSampleFaq } from '../../functions/shared/faq/sample/sample-faq.ts';
import { suggest } from '../../functions/shared/faq/suggest.ts';
import { datasetsDir } from '../../scripts/lib/datasets.ts';

export interface FaqRetrievalBench {
  source: 'datasets' | 'builtin';
  entries: number;
  buildMs: number;
  encodeMs: number;
  snapshotBytes: number;
  loadMs: number;
  questionsPerSecond: number;
  questions: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = (f: () => void): number => {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
};

/** Measures build (median of `runs`), encode, load (decode + derive, median) and suggest throughput for `seconds`. */
export function measureFaqRetrieval(seconds: number, runs = 3): FaqRetrievalBench {
  const sample = loadSampleFaq(datasetsDir());
  let index = buildFaqIndex(sample.entries);
  const buildMs = median(Array.from({ length: runs }, () => time(() => (index = buildFaqIndex(sample.entries)))));
  let bytes = encodeFaqIndex(index);
  const encodeMs = time(() => (bytes = encodeFaqIndex(index)));
  const loadMs = median(Array.from({ length: runs }, () => time(() => decodeFaqIndex(bytes))));
  const questions = [...checkSet.questions.map((q) => q.text), '信用卡年费怎么收取？', '手机银行登录不了怎么办', 'how do I raise my card limit?', '跨行转账手续费是多少'];
  for (let i = 0; i < 200; i++) suggest(index, questions[i % questions.length]!); // warm up
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) for (const q of questions) (suggest(index, q), n++);
  return { source: sample.source, entries: sample.entries.length, buildMs, encodeMs, snapshotBytes: bytes.length, loadMs, questionsPerSecond: n / ((performance.now() - t0) / 1000), questions: n };
}
