/**
 * Evaluate the local classifier honestly (scripts/lib/evaluation.ts has the protocol):
 *
 *   npm run eval:classifier                          locked fold beside five-fold cross-validation, calibration,
 *                                                    triage load, the realistic customer-message set, size, speed
 *   npm run eval:classifier -- --trained --dev-only  also score the customer set with the model this run trained
 *                                                    outside the locked fold, its dev half only (experiments)
 *   npm run eval:classifier -- --from-overrides FILE score the committed model on the bank's own labels
 *                                                    (exported overrides, scripts/lib/overrides.ts)
 *
 * The locked fold (a fifth of every source, by its own hash) is scored with a model trained on every other
 * row and the calibration fitted on the cross-validation's out-of-fold answers, exactly as the shipped
 * model's calibration is fitted; its rows are never listed. "blind-weighted" pools fraud as the acceptance
 * check's held-back data would (each source weighted to its held-back size: BANKING77 3,080, NLU++ 699,
 * CFPB 819), since the development data has three times more BANKING77 rows per CFPB row than that.
 *
 * Scoring follows ../shared/acceptance/acceptance.mjs (classifyScore). The datasets are read in place from
 * ../shared/datasets (REDRESS_DATASETS_DIR overrides); without them the dataset part says it skipped.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Classification } from '../schemas/feedback.ts';
import { reliability } from '../functions/shared/classification/calibration.ts';
import { classifyText, createTextClassifier, DEFAULT_TRIAGE_THRESHOLD } from '../functions/shared/classification/local-classifier.ts';
import type { StoredModel } from '../functions/shared/classification/model.ts';
import type { Calibration } from '../functions/shared/classification/calibration.ts';
import { customerFigures, readCustomerMessages, type CustomerFigures, type CustomerMessage } from './lib/customer-messages.ts';
import { datasetsDir, type LabelledRow, type SourceName } from './lib/datasets.ts';
import { readWrittenHoldout, trainingRows } from './lib/written-messages.ts';
import { crossValidationAnswers, detailRows, figures, fitCalibration, goldComplaint, lockedRows, recalibrate, trainCached, triageLoad, unlockedRows, type Figures } from './lib/evaluation.ts';
import { readOverrides } from './lib/overrides.ts';
import { trainModel } from './train-classifier.ts';
import { createDetailedClassifier } from '../functions/shared/classification/local-classifier.ts';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const MODEL_DIR = join(projectRoot, 'functions', 'shared', 'classification', 'model');

const pct = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '  -  ');
const share = <T>(xs: T[], f: (x: T) => boolean): number => (xs.length ? xs.filter(f).length / xs.length : NaN);
type Answered = { row: LabelledRow; c: Classification };

/** Sizes of the acceptance check's held-back sets, for the blind-weighted fraud figures. */
const BLIND_SIZES: Partial<Record<SourceName, number>> = { b77: 3080, nlupp: 699, cfpb: 819 };

/** Fraud recall and precision pooled with each source weighted to its held-back size. */
function blindWeightedFraud(rows: Answered[]): { recall: number; precision: number } {
  let hit = 0, gold = 0, predicted = 0, right = 0;
  for (const src of Object.keys(BLIND_SIZES) as SourceName[]) {
    const rs = rows.filter((r) => r.row.src === src && r.row.gold.cats);
    if (!rs.length) continue;
    const w = BLIND_SIZES[src]! / rows.filter((r) => r.row.src === src).length;
    const g = rs.filter((r) => r.row.gold.cats![0] === 'fraud_security');
    const p = rs.filter((r) => r.c.category === 'fraud_security');
    hit += w * g.filter((r) => r.row.gold.cats!.includes(r.c.category)).length;
    gold += w * g.length;
    predicted += w * p.length;
    right += w * p.filter((r) => r.row.gold.cats!.includes('fraud_security')).length;
  }
  return { recall: hit / gold, precision: right / predicted };
}

const TARGETS: Partial<Record<keyof Figures, string>> = { b77Cat: '≥ 0.96', b77Kind: '≥ 0.90', cfpbCat: '≥ 0.58', cfpbComplaint: '≥ 0.97', ccfKind: '≥ 0.90', fraudRecall: '≥ 0.93', fraudPrecision: '≥ 0.85', lang: '≥ 0.995' };
const NAMES: Record<keyof Figures, string> = {
  b77Cat: 'BANKING77 category', b77Kind: 'BANKING77 kind', nluppCat: 'NLU++ category', cfpbCat: 'CFPB category', cfpbBankCat: 'CFPB category, bank-only',
  cfpbComplaint: 'CFPB complaint share', ccfKind: 'CCF kind (0→complaint, 1→praise)', ccfQuestionInquiry: 'CCF class-2 questions → inquiry', fraudRecall: 'fraud recall (pooled as in dev)', fraudPrecision: 'fraud precision (pooled as in dev)', lang: 'language',
  writtenKind: 'written messages kind', writtenCat: 'written messages category', writtenSeverity: 'written messages severity floor',
};

function printReliability(title: string, pairs: { p: number; y: number }[]): number {
  const { table, ece } = reliability(pairs);
  console.log(`\n  reliability: ${title} (ECE ${ece.toFixed(3)}, ${pairs.length} rows)`);
  console.log('    bin        n      predicted  observed');
  for (const b of table) if (b.n) console.log(`    ${b.from.toFixed(1)}–${b.to.toFixed(1)}  ${String(b.n).padStart(6)}  ${b.predicted.toFixed(3).padStart(9)}  ${b.observed.toFixed(3).padStart(8)}`);
  return ece;
}

const complaintPairs = (rows: Answered[]): { p: number; y: number }[] => rows.flatMap((r) => {
  const y = goldComplaint(r.row);
  return y === null || !r.c.probabilities ? [] : [{ p: r.c.probabilities.complaint, y: y ? 1 : 0 }];
});
const categoryPairs = (rows: Answered[]): { p: number; y: number }[] => rows.filter((r) => r.row.gold.cats).map((r) => ({ p: r.c.confidence, y: r.row.gold.cats!.includes(r.c.category) ? 1 : 0 }));

/** The dataset part: cross-validation beside the locked fold, calibration and triage. */
function evaluateDatasets(dir: string): { model: StoredModel; calibration: Calibration } {
  const rows = trainingRows(dir);
  const train = (trainRows: LabelledRow[], split: string): StoredModel => trainModel(trainRows, { split });
  console.log(`classifier evaluation on ${dir} (${rows.length} rows; locked fold ${lockedRows(rows).length})`);
  const { oof, perFold } = crossValidationAnswers(rows, train, (line) => console.log(line));
  const calibration = fitCalibration(oof);
  const folds = perFold.map((f) => recalibrate(f, calibration));
  const cv = folds.map((f) => figures(f));
  const lockedModel = trainCached(unlockedRows(rows), 'every row outside the locked fold', train, (line) => console.log(line));
  // `--dev-only`: an experiment; the locked fold is neither classified nor shown.
  const devOnly = process.argv.includes('--dev-only');
  const locked = devOnly ? [] : recalibrate(detailRows(lockedRows(rows), createDetailedClassifier(lockedModel, calibration)), calibration);
  const lockedFig = figures(locked);
  const mean = (k: keyof Figures): number => cv.reduce((a, f) => a + f[k], 0) / cv.length;
  const worst = (k: keyof Figures): number => Math.min(...cv.map((f) => f[k]));

  console.log('\n  figure                              target    CV mean (worst fold)   locked fold');
  for (const k of Object.keys(NAMES) as (keyof Figures)[]) {
    console.log(`  ${NAMES[k].padEnd(36)}${(TARGETS[k] ?? '').padEnd(10)}${`${pct(mean(k))} (${pct(worst(k))})`.padEnd(23)}${pct(lockedFig[k])}`);
  }
  const cvBlind = folds.map(blindWeightedFraud);
  const lockedBlind = blindWeightedFraud(locked);
  console.log(`  ${'fraud recall, blind-weighted'.padEnd(36)}${'≥ 0.93'.padEnd(10)}${`${pct(cvBlind.reduce((a, b) => a + b.recall, 0) / 5)} (${pct(Math.min(...cvBlind.map((b) => b.recall)))})`.padEnd(23)}${pct(lockedBlind.recall)}`);
  console.log(`  ${'fraud precision, blind-weighted'.padEnd(36)}${'≥ 0.85'.padEnd(10)}${`${pct(cvBlind.reduce((a, b) => a + b.precision, 0) / 5)} (${pct(Math.min(...cvBlind.map((b) => b.precision)))})`.padEnd(23)}${pct(lockedBlind.precision)}`);

  const oofAnswered = folds.flat();
  console.log(`\n  calibration (fitted on the CV out-of-fold answers; the locked fold never sees it)`);
  const cvComplaintEce = reliability(complaintPairs(oofAnswered)).ece;
  const cvCategoryEce = reliability(categoryPairs(oofAnswered)).ece;
  const lockedComplaintEce = printReliability('complaint probability, locked fold', complaintPairs(locked));
  const lockedCategoryEce = printReliability('confidence (category right), locked fold', categoryPairs(locked));
  console.log(`\n  ECE: complaint probability CV ${cvComplaintEce.toFixed(3)}, locked ${lockedComplaintEce.toFixed(3)}; confidence CV ${cvCategoryEce.toFixed(3)}, locked ${lockedCategoryEce.toFixed(3)} (target ≤ 0.05)`);

  const threshold = calibration.triageThreshold;
  console.log(`\n  triage (threshold ${threshold} on the complaint probability, negative from opinion ${calibration.negativeOpinion}; chosen on CV)`);
  console.log('    source     CV coverage  CV load   locked coverage  locked load');
  for (const src of ['b77', 'nlupp', 'cfpb', 'ccf', 'unionpay', 'jining', 'bank', 'written', 'all'] as const) {
    const pick = (rs: Answered[]): Answered[] => (src === 'all' ? rs : rs.filter((r) => r.row.src === src));
    if (!pick(oofAnswered).length) continue;
    const a = triageLoad(pick(oofAnswered), threshold);
    const b = triageLoad(pick(locked), threshold);
    console.log(`    ${src.padEnd(10)} ${pct(a.coverage).padStart(11)}  ${pct(a.load).padStart(7)}   ${pct(b.coverage).padStart(15)}  ${pct(b.load).padStart(11)}`);
  }
  console.log('    (coverage: gold complaints classified as complaints or triaged, target ≥ 0.99; load: gold non-complaints triaged, target ≤ 0.08)');
  return { model: lockedModel, calibration };
}

function printCustomerFigures(title: string, f: CustomerFigures): void {
  console.log(`  ${title.padEnd(8)} ${String(f.n).padStart(4)}  caught ${pct(f.complaintsCaught)}  as praise ${f.complaintsAsPraise}  kind ${pct(f.kind)}  category ${pct(f.category)}  severity ${pct(f.severity)}  fraud ${pct(f.fraud)}  language ${pct(f.language)}  triage load ${pct(f.triageLoad)}`);
}

/** Classify a message set with the committed model, or with the model this run trained outside the locked fold. */
function classifyMessages(messages: CustomerMessage[], trained?: { model: StoredModel; calibration: Calibration }): { scored: { m: CustomerMessage; c: Classification }[]; threshold: number; by: string } {
  const classify = trained ? createTextClassifier(trained.model, trained.calibration) : classifyText;
  return {
    scored: messages.map((m) => ({ m, c: classify({ text: m.text }) })),
    threshold: trained ? trained.calibration.triageThreshold : DEFAULT_TRIAGE_THRESHOLD,
    by: trained ? 'the model trained outside the locked fold' : 'committed model',
  };
}

/**
 * The realistic set, scored with the committed model, or with the model this run trained outside the locked
 * fold (neither ever trains on the set). `--dev-only` leaves the locked half out: for experiments, so that
 * trying things never shows its figures.
 */
function evaluateCustomerMessages(trained?: { model: StoredModel; calibration: Calibration }): void {
  const { scored, threshold, by } = classifyMessages(readCustomerMessages(), trained);
  console.log(`\ncustomer messages (test/fixtures/customer-messages, ${by}, triage threshold ${threshold})`);
  console.log('  targets: caught ≥ 0.97, as praise 0, kind ≥ 0.85, category ≥ 0.80, severity ≥ 0.85, fraud ≥ 0.90');
  if (!process.argv.includes('--dev-only')) printCustomerFigures('locked', customerFigures(scored.filter((s) => s.m.locked), threshold));
  printCustomerFigures('dev', customerFigures(scored.filter((s) => !s.m.locked), threshold));
  if (process.argv.includes('--show-dev')) {
    for (const { m, c } of scored.filter((s) => !s.m.locked)) {
      if (c.kind !== m.kind || c.category !== m.category) console.log(`    ${m.kind}/${m.category} → ${c.kind}/${c.category} ${c.severity}: ${m.text}`);
    }
  }
}

/**
 * The written hold-out (test/fixtures/written-holdout): messages written like the training messages, by
 * other writers, never trained on (its README says why). Scored whole, by the committed model or the model
 * this run trained outside the locked fold; neither has seen it.
 */
function evaluateWrittenHoldout(trained?: { model: StoredModel; calibration: Calibration }): void {
  const messages = readWrittenHoldout();
  // Experiments (`--dev-only`) never see it, so that no choice is made on it.
  if (!messages.length || process.argv.includes('--dev-only')) return;
  const { scored, threshold, by } = classifyMessages(messages, trained);
  console.log(`\nwritten hold-out (test/fixtures/written-holdout, never trained on, ${by}, triage threshold ${threshold})`);
  printCustomerFigures('all', customerFigures(scored, threshold));
  for (const variety of ['en', 'zh-Hans', 'zh-Hant', 'yue'] as const) printCustomerFigures(variety, customerFigures(scored.filter((s) => s.m.variety === variety), threshold));
}

/** The committed model on the bank's own labels. */
function evaluateOverrides(file: string): void {
  const rows = readOverrides(file);
  const scored = rows.map((row) => ({ row, c: classifyText({ text: row.text }) }));
  const withCat = scored.filter((s) => s.row.gold.cats);
  const withSev = scored.filter((s) => s.row.gold.severity);
  const complaints = scored.filter((s) => s.row.gold.kinds![0] === 'complaint');
  console.log(`overrides in ${file}: ${rows.length} labelled items`);
  console.log(`  kind ${pct(share(scored, (s) => s.row.gold.kinds!.includes(s.c.kind)))} (${scored.length})`);
  console.log(`  category ${pct(share(withCat, (s) => s.row.gold.cats!.includes(s.c.category)))} (${withCat.length})`);
  console.log(`  severity ${pct(share(withSev, (s) => s.c.severity === s.row.gold.severity))} (${withSev.length})`);
  console.log(`  complaints classified as complaints ${pct(share(complaints, (s) => s.c.kind === 'complaint'))}, or triaged ${pct(share(complaints, (s) => s.c.kind === 'complaint' || (s.c.probabilities?.complaint ?? 0) >= DEFAULT_TRIAGE_THRESHOLD || s.c.negative === true))} (${complaints.length})`);
}

/** Model size, cold decode and throughput of the committed model. */
function sizeAndSpeed(): void {
  const kb = (f: string): number => statSync(join(MODEL_DIR, f)).size / 1024;
  const files = ['model.json', 'lexicon.json', 'jrt0169.json', 'calibration.json', 't2s.json', 't2s-bank.json'];
  console.log(`\n  model data: ${files.map((f) => `${f} ${kb(f).toFixed(1)} KB`).join(' + ')} = ${files.reduce((a, f) => a + kb(f), 0).toFixed(1)} KB`);
  const d0 = process.hrtime.bigint();
  createTextClassifier(JSON.parse(readFileSync(join(MODEL_DIR, 'model.json'), 'utf8')) as StoredModel);
  console.log(`  cold start: parsing and decoding model.json takes ${(Number(process.hrtime.bigint() - d0) / 1e6).toFixed(1)} ms (throughput: npm run bench)`);
}

async function main(): Promise<void> {
  const overridesAt = process.argv.indexOf('--from-overrides');
  if (overridesAt >= 0) {
    const file = process.argv[overridesAt + 1];
    if (!file) throw new Error('usage: npm run eval:classifier -- --from-overrides FILE');
    evaluateOverrides(file);
    return;
  }
  const dir = datasetsDir(projectRoot);
  const trained = dir ? evaluateDatasets(dir) : undefined;
  if (!dir) console.log('skipped the datasets: ../shared/datasets not found (set REDRESS_DATASETS_DIR to evaluate on them)');
  if (trained && process.argv.includes('--trained')) evaluateCustomerMessages(trained);
  evaluateCustomerMessages();
  if (trained && process.argv.includes('--trained')) evaluateWrittenHoldout(trained);
  evaluateWrittenHoldout();
  sizeAndSpeed();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
