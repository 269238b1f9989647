/**
 * Evaluate the local classifier on the held-out part of ../shared/datasets (REDRESS_DATASETS_DIR
 * overrides): per-source category accuracy, macro-F1, kind agreement, severity agreement, language
 * accuracy, pooled fraud precision / recall, a confusion table, plus model size and throughput.
 *
 *   npm run eval:classifier            (tsx scripts/eval-classifier.ts)
 *   tsx scripts/eval-classifier.ts [--split train|all|heldout] [--committed] [--cv]
 *
 * The committed model is trained on every row (`train-classifier.ts --all`); for the held-out figures this
 * script retrains the same recipe in memory on the training part only (about 20 s) and scores the
 * held-out fifth. `--committed` scores the committed model as it is instead. `--cv` runs five-fold
 * cross-validation of the recipe instead (about two minutes) and prints each fold, the mean and the spread.
 *
 * Scoring follows ../shared/acceptance/acceptance.mjs (classifyScore): texts are PII-masked first, as at
 * ingest; no language is passed; a prediction inside a row's accepted set counts as that label; CCF kind is
 * scored on classes 0 and 1 only; fraud recall and precision pool BANKING77, NLU++ and CFPB. Prints a clear
 * "skipped" line and exits 0 when the datasets folder is absent.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATEGORIES } from '../schemas/feedback.ts';
import { maskPii } from '../functions/shared/pii/mask.ts';
import { datasetsDir, loadAll, type LabelledRow, type SourceName } from './lib/datasets.ts';
import { ALL_ROWS_SPLIT, trainModel } from './train-classifier.ts';
import type { StoredModel } from '../functions/shared/classification/model.ts';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** One row with what the classifier said about it. */
export interface Scored {
  row: LabelledRow;
  category: string;
  kind: string;
  severity: string;
  language: string;
}

const pct = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '  -  ');
const share = <T>(xs: T[], f: (x: T) => boolean): number => (xs.length ? xs.filter(f).length / xs.length : NaN);

/** Macro-F1 over the gold categories present (a prediction inside the accepted set counts as that label). */
export function macroF1(rows: Scored[]): number {
  const eff = rows.filter((r) => r.row.gold.cats).map((r) => ({ g: r.row.gold.cats!.includes(r.category as never) ? r.category : r.row.gold.cats![0]!, p: r.category }));
  const labels = [...new Set(eff.map((e) => e.g))];
  const f1s = labels.map((l) => {
    const tp = eff.filter((e) => e.g === l && e.p === l).length;
    const fp = eff.filter((e) => e.p === l && e.g !== l).length;
    const fn = eff.filter((e) => e.g === l && e.p !== l).length;
    return tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
  });
  return f1s.length ? f1s.reduce((a, b) => a + b, 0) / f1s.length : NaN;
}

function confusion(rows: Scored[], title: string): void {
  const short = (c: string): string => c.split('_').map((w) => w.slice(0, 4)).join('_').slice(0, 9);
  const used = CATEGORIES.filter((c) => rows.some((r) => r.row.gold.cats?.[0] === c || r.category === c));
  console.log(`\n  confusion (${title}; rows = gold, columns = predicted)`);
  console.log('  ' + ''.padEnd(12) + used.map((c) => short(c).padStart(10)).join(''));
  for (const g of used) {
    const line = used.map((p) => String(rows.filter((r) => r.row.gold.cats?.[0] === g && r.category === p).length).padStart(10)).join('');
    console.log('  ' + short(g).padEnd(12) + line);
  }
}

/** The figures the acceptance check thresholds, for one set of scored rows. */
export interface Figures {
  b77Cat: number;
  b77Kind: number;
  cfpbCat: number;
  cfpbComplaint: number;
  ccfKind: number;
  /** CCF class-2 questions classified as inquiries (agreement; the acceptance reports it, not thresholds it). */
  ccfQuestionInquiry: number;
  fraudRecall: number;
  fraudPrecision: number;
  lang: number;
}

/** Compute the thresholded figures as ../shared/acceptance/acceptance.mjs (classifyScore) does. */
export function figures(scored: Scored[]): Figures {
  const of = (src: SourceName): Scored[] => scored.filter((r) => r.row.src === src);
  const pooled = scored.filter((r) => ['b77', 'nlupp', 'cfpb'].includes(r.row.src) && r.row.gold.cats);
  const fraudGold = pooled.filter((r) => r.row.gold.cats![0] === 'fraud_security');
  const fraudPred = pooled.filter((r) => r.category === 'fraud_security');
  const inCats = (r: Scored): boolean => r.row.gold.cats!.includes(r.category as never);
  const inKinds = (r: Scored): boolean => r.row.gold.kinds!.includes(r.kind as never);
  return {
    b77Cat: share(of('b77').filter((r) => r.row.gold.cats), inCats),
    b77Kind: share(of('b77').filter((r) => r.row.gold.kinds), inKinds),
    cfpbCat: share(of('cfpb').filter((r) => r.row.gold.cats), inCats),
    cfpbComplaint: share(of('cfpb'), (r) => r.kind === 'complaint'),
    ccfKind: share(of('ccf').filter((r) => r.row.gold.kinds && r.row.gold.cls !== '2'), inKinds),
    ccfQuestionInquiry: share(of('ccf').filter((r) => r.row.gold.cls === '2' && r.row.gold.kinds), (r) => r.kind === 'inquiry'),
    fraudRecall: share(fraudGold, inCats),
    fraudPrecision: share(fraudPred, (r) => r.row.gold.cats!.includes('fraud_security')),
    lang: share(scored.filter((r) => ['b77', 'nlupp', 'cfpb', 'ccf'].includes(r.row.src)), (r) => r.language === r.row.gold.lang),
  };
}

/** Classify rows as the acceptance check does: PII-masked text, no language, no subject. */
export function scoreRows(rows: LabelledRow[], classify: (input: { text: string }) => { category: string; kind: string; severity: string; language: string }): Scored[] {
  return rows.map((row) => {
    const c = classify({ text: maskPii(row.text) });
    return { row, category: c.category, kind: c.kind, severity: c.severity, language: c.language };
  });
}

/**
 * Five-fold cross-validation of the training recipe: for each fold, train without it and score it. Prints
 * each fold's figures and their mean and spread (the single held-out fold is small for CFPB: about 150 rows).
 */
async function crossValidate(everything: LabelledRow[]): Promise<void> {
  const { createTextClassifier } = await import('../functions/shared/classification/local-classifier.ts');
  const perFold: Figures[] = [];
  const keys: (keyof Figures)[] = ['b77Cat', 'b77Kind', 'cfpbCat', 'cfpbComplaint', 'ccfKind', 'ccfQuestionInquiry', 'fraudRecall', 'fraudPrecision', 'lang'];
  console.log(`5-fold cross-validation (${new Date().toISOString().slice(0, 10)}): train on four folds, score the fifth`);
  console.log('  fold  ' + keys.map((k) => k.padStart(9).slice(-9)).join(' '));
  for (let fold = 0; fold < 5; fold++) {
    const classify = createTextClassifier(trainModel(everything.filter((r) => !r.locked && r.fold !== fold), { split: `cv fold ${fold}` }));
    const f = figures(scoreRows(everything.filter((r) => r.fold === fold), classify));
    perFold.push(f);
    console.log(`  ${String(fold).padEnd(5)} ` + keys.map((k) => pct(f[k]).padStart(9)).join(' '));
  }
  const mean = (k: keyof Figures): number => perFold.reduce((a, f) => a + f[k], 0) / perFold.length;
  const sd = (k: keyof Figures): number => Math.sqrt(perFold.reduce((a, f) => a + (f[k] - mean(k)) ** 2, 0) / (perFold.length - 1));
  console.log('  mean  ' + keys.map((k) => pct(mean(k)).padStart(9)).join(' '));
  console.log('  sd    ' + keys.map((k) => pct(sd(k)).padStart(9)).join(' '));
  console.log('  min   ' + keys.map((k) => pct(Math.min(...perFold.map((f) => f[k]))).padStart(9)).join(' '));
}

async function main(): Promise<void> {
  const dir = datasetsDir(projectRoot);
  if (!dir) {
    console.log('skipped: ../shared/datasets not found (set REDRESS_DATASETS_DIR to evaluate the classifier)');
    return;
  }
  const splitArg = process.argv.includes('--split') ? process.argv[process.argv.indexOf('--split') + 1] : 'heldout';
  const { classifyText: committedClassify, createTextClassifier } = await import('../functions/shared/classification/local-classifier.ts');
  const modelPath = join(projectRoot, 'functions', 'shared', 'classification', 'model', 'model.json');
  const meta = (JSON.parse(readFileSync(modelPath, 'utf8')) as StoredModel).meta as { split?: string } | undefined;
  const everything = loadAll(dir);
  if (process.argv.includes('--cv')) {
    await crossValidate(everything);
    return;
  }
  const rows = everything.filter((r) => (splitArg === 'all' ? true : splitArg === 'train' ? !r.locked : r.locked));
  console.log(`classifier evaluation on ${splitArg === 'heldout' ? 'the held-out fifth' : splitArg} of ${dir} (${new Date().toISOString().slice(0, 10)})`);
  let classifyText = committedClassify;
  if (meta?.split === ALL_ROWS_SPLIT && splitArg === 'heldout' && !process.argv.includes('--committed')) {
    // The committed model saw every row; measure the same recipe trained without the held-out part.
    const t0 = Date.now();
    classifyText = createTextClassifier(trainModel(everything.filter((r) => !r.locked), { split: 'outside the locked fold' }));
    console.log(`committed model was trained on all rows: retrained the same recipe on the training part for this measurement (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  } else {
    console.log(`model: committed model.json (${meta?.split ?? 'split unknown'})`);
    if (meta?.split === ALL_ROWS_SPLIT && splitArg !== 'train') console.log('warning: this model was trained on these rows too; the figures below are not held-out figures');
  }

  // The acceptance check keeps only some CCF neutral rows; kind is scored on classes 0 and 1 either way.
  const scored = scoreRows(rows, classifyText);
  const f = figures(scored);

  const sources: SourceName[] = ['b77', 'nlupp', 'cfpb', 'ccf', 'unionpay', 'jining'];
  console.log('\n  source    n      cat-acc  macro-F1  kind     severity  lang     fraud-recall (n)');
  const fig: Record<string, number> = {};
  for (const src of sources) {
    const rs = scored.filter((r) => r.row.src === src);
    if (!rs.length) continue;
    const cat = rs.filter((r) => r.row.gold.cats);
    const kindRows = rs.filter((r) => r.row.gold.kinds && (src !== 'ccf' || r.row.gold.cls !== '2'));
    const fraud = rs.filter((r) => r.row.gold.cats?.[0] === 'fraud_security');
    const catAcc = share(cat, (r) => r.row.gold.cats!.includes(r.category as never));
    const kind = share(kindRows, (r) => r.row.gold.kinds!.includes(r.kind as never));
    const sev = share(rs.filter((r) => r.row.gold.severity), (r) => r.severity === r.row.gold.severity);
    const lang = share(rs, (r) => r.language === r.row.gold.lang);
    const fr = share(fraud, (r) => r.row.gold.cats!.includes(r.category as never));
    fig[`${src}.cat`] = catAcc;
    fig[`${src}.kind`] = kind;
    let kindLabel = pct(kind);
    if (src === 'cfpb') kindLabel = `complaint ${pct(share(rs, (r) => r.kind === 'complaint'))}`;
    console.log(`  ${src.padEnd(9)} ${String(rs.length).padEnd(6)} ${pct(catAcc).padEnd(8)} ${pct(macroF1(cat)).padEnd(9)} ${kindLabel.padEnd(8)} ${pct(sev).padEnd(9)} ${pct(lang).padEnd(8)} ${fraud.length ? `${pct(fr)} (${fraud.length})` : '-'}`);
  }
  const cfpb = scored.filter((r) => r.row.src === 'cfpb' && r.row.gold.cats);
  const pooled = scored.filter((r) => ['b77', 'nlupp', 'cfpb'].includes(r.row.src) && r.row.gold.cats);
  const fraudGold = pooled.filter((r) => r.row.gold.cats![0] === 'fraud_security');
  const fraudPred = pooled.filter((r) => r.category === 'fraud_security');
  const recall = share(fraudGold, (r) => r.row.gold.cats!.includes(r.category as never));
  const precision = share(fraudPred, (r) => r.row.gold.cats!.includes('fraud_security'));
  const ccfSent = scored.filter((r) => r.row.src === 'ccf' && r.row.gold.cls !== '2');
  console.log(`\n  cfpb bank-only cat-acc ${pct(share(cfpb.filter((r) => r.row.gold.cats![0] !== 'other'), (r) => r.row.gold.cats!.includes(r.category as never)))}; cfpb complaint share ${pct(share(scored.filter((r) => r.row.src === 'cfpb'), (r) => r.kind === 'complaint'))}`);
  console.log(`  ccf kind (class 0 → complaint, 1 → praise): ${pct(share(ccfSent, (r) => r.row.gold.kinds!.includes(r.kind as never)))} on ${ccfSent.length} rows; class-2 questions → inquiry ${pct(f.ccfQuestionInquiry)}`);
  console.log(`  fraud_security pooled over b77+nlupp+cfpb: recall ${pct(recall)} (${fraudGold.length}), precision ${pct(precision)} (${fraudPred.length})`);
  const acc = scored.filter((r) => ['b77', 'nlupp', 'cfpb', 'ccf'].includes(r.row.src));
  console.log(`  language accuracy (b77, nlupp, cfpb, ccf): ${pct(share(acc, (r) => r.language === r.row.gold.lang))}`);
  confusion(scored.filter((r) => r.row.src === 'b77'), 'BANKING77');
  confusion(cfpb, 'CFPB');

  // Size and speed (of the committed model, the one that ships).
  const modelKb = statSync(modelPath).size / 1024;
  const lexKb = statSync(join(dirname(modelPath), 'lexicon.json')).size / 1024;
  const jrtKb = statSync(join(dirname(modelPath), 'jrt0169.json')).size / 1024;
  const short = scored.filter((r) => r.row.src === 'b77' || r.row.src === 'ccf' || r.row.src === 'nlupp').map((r) => r.row.text);
  let n = 0;
  const t0 = process.hrtime.bigint();
  while (Number(process.hrtime.bigint() - t0) < 1.5e9) for (const t of short) { committedClassify({ text: t }); n++; }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const committedJson = readFileSync(modelPath, 'utf8');
  const d0 = process.hrtime.bigint();
  createTextClassifier(JSON.parse(committedJson) as StoredModel);
  const decodeMs = Number(process.hrtime.bigint() - d0) / 1e6;
  console.log(`\n  model data: model.json ${modelKb.toFixed(1)} KB + lexicon.json ${lexKb.toFixed(1)} KB + jrt0169.json ${jrtKb.toFixed(1)} KB = ${(modelKb + lexKb + jrtKb).toFixed(1)} KB`);
  console.log(`  cold start: parsing and decoding model.json takes ${decodeMs.toFixed(1)} ms`);
  console.log(`  throughput: ${Math.round(n / secs).toLocaleString('en')} short messages/s on one core (mean ${Math.round(short.reduce((a, t) => a + t.length, 0) / short.length)} chars)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
