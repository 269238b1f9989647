/**
 * `npm run eval:faq`: how well the FAQ retrieval finds the entry that answers a question, and how honest its
 * score is. Reads ../shared/datasets at run time (never copied): the UnionPay FAQ's paraphrased questions
 * against its canonical entries, the Jining KB's extended questions against its answers, and out-of-FAQ
 * questions (CCF negative comments, BANKING77 inquiries on topics neither FAQ has). Skips those cleanly
 * when the folder is absent. Always runs the cross-language check set written for Redress.
 *
 * Two ways a bank can fill its FAQ, both measured:
 * - canonical: each entry is the set's canonical question and answer (what `npm start` loads);
 * - with phrasings: each entry also carries the tuning fold's paraphrases of it as `phrasings`.
 *
 * The locked fold (fold 0 of the project's fixed hash split, scripts/lib/faq-datasets.ts) is only ever
 * scored. `--fit` refits the calibration on the tuning fold (folds 1–4; for "with phrasings" cross-fitted:
 * questions of fold k against phrasings from the other tuning folds) and writes calibration.json.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FaqEntry } from '../functions/shared/faq/entry.ts';
import { buildFaqIndex, type FaqIndex } from '../functions/shared/faq/faq-index.ts';
import { DEFAULT_CALIBRATION, fitCalibration, type CalibrationExample, type CalibrationModel } from '../functions/shared/faq/calibration.ts';
import { scoreCandidates } from '../functions/shared/faq/suggest.ts';
import { BUILTIN_FAQ } from '../functions/shared/faq/sample/sample-faq.ts';
import checkSet from '../functions/shared/faq/sample/cross-language-check.json' with { type: 'json' };
import { foldOf } from './lib/datasets.ts';
import { datasetsDir, loadJining, loadOutOfFaq, loadUnionpay, type EvalQuestion } from './lib/faq-datasets.ts';
import { chooseThreshold, expectedCalibrationError, rankFigures, reliabilityTable, shareAtLeast, type Scored } from './lib/faq-metrics.ts';

const FIT = process.argv.includes('--fit');
const CALIBRATION_FILE = fileURLToPath(new URL('../functions/shared/faq/calibration.json', import.meta.url));
/** Candidates per question the calibration is fitted on (the three shown). */
const FIT_DEPTH = 3;
/** At most this many questions per source and configuration go into the fit (Jining has 12,000). */
const FIT_CAP = 3000;
const log = (s: string) => process.stderr.write(`${s}\n`);
const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)} %` : 'n/a');
const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');

/** What one question got: the rank of the right entry (-1: not in the ten), and the top candidates scored. */
interface Outcome {
  q: EvalQuestion;
  rank: number;
  top: Scored[];
}

/** Scores questions against an index with a calibration. */
function run(index: FaqIndex, questions: readonly EvalQuestion[], calibration: CalibrationModel): Outcome[] {
  return questions.map((q) => {
    const { scored } = scoreCandidates(index, q.text, 10, calibration);
    const ids = scored.map((s) => index.entries[s.c.entry]!.id);
    return { q, rank: q.faqId ? ids.indexOf(q.faqId) : -1, top: scored.slice(0, 3).map((s, i) => ({ p: s.p, correct: ids[i] === q.faqId })) };
  });
}

/** The entries with extra phrasings: the given questions, each added to the entry it belongs to. */
function withPhrasings(entries: readonly FaqEntry[], questions: readonly EvalQuestion[]): FaqEntry[] {
  const extra = new Map<string, string[]>();
  for (const q of questions) if (q.faqId) extra.set(q.faqId, [...(extra.get(q.faqId) ?? []), q.text]);
  return entries.map((e) => (extra.has(e.id) ? { ...e, phrasings: [...(e.phrasings ?? []), ...extra.get(e.id)!] } : e));
}

/** A deterministic subsample (every n-th) so the fit sees every source without Jining swamping it. */
const cap = <T>(xs: readonly T[], n: number): T[] => (xs.length <= n ? [...xs] : xs.filter((_, i) => i % Math.ceil(xs.length / n) === 0));

/** Training examples for the calibration: BM25's top candidates of each question, right or wrong. */
function examples(index: FaqIndex, questions: readonly EvalQuestion[]): CalibrationExample[] {
  const out: CalibrationExample[] = [];
  for (const q of questions) {
    for (const s of scoreCandidates(index, q.text, FIT_DEPTH).scored) out.push({ features: s.c.features, correct: index.entries[s.c.entry]!.id === q.faqId });
  }
  return out;
}

interface Source {
  name: string;
  src: 'unionpay' | 'jining';
  entries: FaqEntry[];
  questions: EvalQuestion[];
}

/**
 * Refits the calibration on the tuning fold only and writes it. Each FAQ sees as many out-of-FAQ questions as
 * paraphrases (a prior of one inquiry in two answerable from the FAQ), every shown candidate of each.
 */
function fit(sources: readonly Source[], outOfFaq: readonly EvalQuestion[]): CalibrationModel {
  const train: CalibrationExample[] = [];
  const negatives = outOfFaq.filter((q) => !q.locked);
  for (const s of sources) {
    const tuning = cap(s.questions.filter((q) => !q.locked), FIT_CAP);
    const canonical = buildFaqIndex(s.entries);
    train.push(...examples(canonical, tuning), ...examples(canonical, cap(negatives, tuning.length)));
    for (let k = 1; k <= 4; k++) {
      const held = tuning.filter((q) => foldOf(s.src, q.text.trim()) === k);
      const index = buildFaqIndex(withPhrasings(s.entries, s.questions.filter((q) => !q.locked && foldOf(s.src, q.text.trim()) !== k)));
      train.push(...examples(index, held), ...examples(index, cap(negatives, held.length)));
    }
  }
  log(`fitting the calibration on ${train.length} candidates (${train.filter((e) => e.correct).length} right)…`);
  const model = fitCalibration(train);
  writeFileSync(CALIBRATION_FILE, `${JSON.stringify(model, null, 2)}\n`);
  log(`written ${CALIBRATION_FILE}`);
  return model;
}

function datasetReport(dir: string, out: string[]): void {
  const sources: Source[] = [
    { name: 'UnionPay', src: 'unionpay', ...loadUnionpay(dir) },
    { name: 'Jining', src: 'jining', ...loadJining(dir) },
  ];
  const outOfFaq = loadOutOfFaq(dir);
  const calibration = FIT ? fit(sources, outOfFaq) : DEFAULT_CALIBRATION;

  // Every (source, configuration): locked paraphrases, and the tuning fold for comparison.
  const inFaqTop1: { tuning: Scored[]; locked: Scored[] } = { tuning: [], locked: [] };
  const allLocked: Scored[] = [];
  out.push('## Retrieval (paraphrases never in the FAQ)', '', '| FAQ | fill | entries | fold | questions | top-1 | top-3 | MRR@10 | ECE (top-3 scores) |', '|---|---|---|---|---|---|---|---|---|');
  const indexes: Array<{ name: string; index: FaqIndex }> = [];
  for (const s of sources) {
    const tuning = s.questions.filter((q) => !q.locked);
    const locked = s.questions.filter((q) => q.locked);
    const canonical = buildFaqIndex(s.entries);
    const phrased = buildFaqIndex(withPhrasings(s.entries, tuning));
    indexes.push({ name: `${s.name} (canonical)`, index: canonical }, { name: `${s.name} (with phrasings)`, index: phrased });
    const rows: Array<[string, FaqIndex, string, EvalQuestion[]]> = [
      ['canonical', canonical, 'tuning', tuning],
      ['canonical', canonical, 'locked', locked],
      ['with phrasings', phrased, 'locked', locked],
    ];
    for (const [fill, index, fold, qs] of rows) {
      const o = run(index, qs, calibration);
      const r = rankFigures(o.map((x) => x.rank));
      const scored = o.flatMap((x) => x.top);
      out.push(`| ${s.name} | ${fill} | ${index.entries.length} | ${fold} | ${r.n} | ${f3(r.top1)} | ${f3(r.top3)} | ${f3(r.mrr)} | ${f3(expectedCalibrationError(scored))} |`);
      const top1 = o.map((x) => x.top[0]).filter((x): x is Scored => !!x);
      (fold === 'locked' ? inFaqTop1.locked : inFaqTop1.tuning).push(...top1);
      if (fold === 'locked') allLocked.push(...scored);
    }
  }

  // Out-of-FAQ questions against every FAQ, and the whole sample FAQ of `npm start`.
  const sample = buildFaqIndex([...sources.flatMap((s) => s.entries), ...BUILTIN_FAQ]);
  indexes.push({ name: 'sample FAQ of npm start (UnionPay + Jining + bilingual)', index: sample });
  const oofTuning = outOfFaq.filter((q) => !q.locked);
  const oofLocked = outOfFaq.filter((q) => q.locked);
  const oofBest = (index: FaqIndex, qs: EvalQuestion[]) => run(index, qs, calibration).map((o) => o.top[0]?.p ?? 0);
  const tuningOof = indexes.flatMap(({ index }) => oofBest(index, oofTuning));
  const threshold = chooseThreshold(inFaqTop1.tuning, tuningOof, 0.05, 0.05) ?? 0.9;
  out.push('', `Recommended confidence / autoreply threshold (the lowest on a 0.05 grid at which, on the tuning fold, ≤ 5 % of out-of-FAQ questions get a confident suggestion and ≤ 5 % of confident top suggestions are wrong): **${threshold}**.`, '');
  out.push('| threshold | locked in-FAQ questions with a confident top suggestion | of which right | locked out-of-FAQ questions with one (all FAQs) |', '|---|---|---|---|');
  const oofLockedAll = indexes.flatMap(({ index }) => oofBest(index, outOfFaq.filter((q) => q.locked)));
  for (const t of [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]) {
    const conf = inFaqTop1.locked.filter((s) => s.p >= t);
    out.push(`| ${t} | ${pct(conf.length / inFaqTop1.locked.length)} | ${pct(conf.filter((s) => s.correct).length / Math.max(1, conf.length))} | ${pct(shareAtLeast(oofLockedAll, t))} |`);
  }
  out.push('');
  out.push('## Out-of-FAQ questions (locked fold) that get a confident suggestion', '', `| FAQ | ${[...new Set(outOfFaq.map((q) => q.source))].map((s) => `${s} (n)`).join(' | ')} |`, `|---|${[...new Set(outOfFaq.map((q) => q.source))].map(() => '---').join('|')}|`);
  for (const { name, index } of indexes) {
    const cells = [...new Set(outOfFaq.map((q) => q.source))].map((src) => {
      const qs = oofLocked.filter((q) => q.source === src);
      return `${pct(shareAtLeast(oofBest(index, qs), threshold))} (${qs.length})`;
    });
    out.push(`| ${name} | ${cells.join(' | ')} |`);
  }
  const lockedConfident = inFaqTop1.locked.filter((s) => s.p >= threshold);
  out.push('', `At ${threshold}, on the locked paraphrases of all rows above: ${pct(lockedConfident.length / inFaqTop1.locked.length)} of questions get a confident top suggestion, and ${pct(lockedConfident.filter((s) => s.correct).length / Math.max(1, lockedConfident.length))} of those are right.`, '');
  out.push('## Calibration (locked fold: every shown suggestion, in-FAQ rows above and out-of-FAQ questions against each FAQ)', '', '| score | suggestions | mean score | share right |', '|---|---|---|---|');
  const perSource = indexes.filter((x) => x.index !== sample);
  const oofScored = perSource.flatMap(({ index }) => run(index, oofLocked, calibration).flatMap((o) => o.top));
  const pooled = [...allLocked, ...oofScored];
  for (const b of reliabilityTable(pooled)) if (b.n) out.push(`| ${b.from.toFixed(1)}–${b.to.toFixed(1)} | ${b.n} | ${f3(b.meanScore)} | ${f3(b.accuracy)} |`);
  out.push('', `ECE ${f3(expectedCalibrationError(pooled))} over ${pooled.length} scores (in-FAQ suggestions alone: ${f3(expectedCalibrationError(allLocked))}).`, '');
}

/** The cross-language check set: English questions against the Chinese entries only, and the reverse. */
function crossLanguageReport(out: string[]): void {
  const builtin = [...BUILTIN_FAQ];
  const only = { zh: buildFaqIndex(builtin.filter((e) => e.language === 'zh')), en: buildFaqIndex(builtin.filter((e) => e.language === 'en')) };
  const both = buildFaqIndex(builtin);
  out.push('## Cross-language check (bilingual sample FAQ, questions written for Redress)', '', '| questions | asked of | n | top-1 | top-3 | mean score of the right top-1 |', '|---|---|---|---|---|---|');
  for (const lang of ['en', 'zh'] as const) {
    const other = lang === 'en' ? 'zh' : 'en';
    const qs = checkSet.questions.filter((q) => q.language === lang);
    for (const [label, index, want] of [[`${other} entries only`, only[other], other], ['both languages', both, lang]] as const) {
      const o = qs.map((q) => {
        const { scored } = scoreCandidates(index, q.text, 10);
        const ids = scored.map((s) => index.entries[s.c.entry]!.id);
        const rank = ids.indexOf(`sample-${q.topic}-${want}`);
        return { rank, p: rank === 0 ? scored[0]!.p : NaN };
      });
      const r = rankFigures(o.map((x) => x.rank));
      const right = o.filter((x) => x.rank === 0);
      out.push(`| ${lang} | ${label} | ${r.n} | ${f3(r.top1)} | ${f3(r.top3)} | ${f3(right.reduce((s, x) => s + x.p, 0) / Math.max(1, right.length))} |`);
    }
  }
  out.push('', '"both languages" counts a hit only for the entry in the question\'s own language.', '');
}

function main(): void {
  const out: string[] = ['# FAQ retrieval evaluation', ''];
  const dir = datasetsDir();
  if (dir) datasetReport(dir, out);
  else out.push('Datasets folder not found (../shared/datasets or $REDRESS_DATASETS_DIR): dataset figures skipped.', '');
  crossLanguageReport(out);
  process.stdout.write(`${out.join('\n')}\n`);
}

main();
