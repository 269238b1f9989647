/**
 * The evaluation protocol shared by scripts/train-classifier.ts, scripts/eval-classifier.ts and
 * scripts/acceptance-holdout.ts:
 *
 * - the **locked fold** (`isLocked` in datasets.ts, about a fifth of every source) is never trained on, tuned
 *   on or read row by row; it is scored once per evaluation with a model trained on every other row;
 * - **cross-validation** runs on the other rows only (five folds by `foldOf`); its out-of-fold answers are
 *   what calibration and the triage threshold are fitted on;
 * - trained models are cached under node_modules/.cache/redress-classifier, keyed by the training inputs
 *   (the code and lexicon lists that make features, the datasets, the rows chosen), so changing a decision
 *   rule re-scores without retraining. Delete the folder to force training.
 *
 * Scoring follows ../shared/acceptance/acceptance.mjs (classifyScore): PII-masked text, no language
 * passed, a prediction inside a row's accepted set counts as that label, CCF kind on classes 0 and 1,
 * fraud pooled over BANKING77, NLU++ and CFPB.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SEVERITIES, type Classification } from '../../schemas/feedback.ts';
import type { StoredModel } from '../../functions/shared/classification/model.ts';
import { CATEGORY_FEATURES, COMPLAINT_FEATURES, categoryConfidence, categoryInputs, complaintInputs, fitLogistic, fitMonotoneMap, kindProbabilities, logisticProbability, type Calibration } from '../../functions/shared/classification/calibration.ts';
import { createDetailedClassifier, type ClassificationDetail } from '../../functions/shared/classification/local-classifier.ts';
import { triageReason } from '../../functions/shared/classification/triage.ts';
import { maskPii } from '../../functions/shared/pii/mask.ts';
import type { LabelledRow, SourceName } from './datasets.ts';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CACHE_DIR = join(projectRoot, 'node_modules', '.cache', 'redress-classifier');

/** Files whose content changes what a trained model is (the lexicon counts through its feature lists only). */
const TRAINING_INPUTS = [
  'scripts/train-classifier.ts',
  'scripts/lib/datasets.ts',
  'functions/shared/classification/features.ts',
  'functions/shared/classification/model/t2s-bank.json',
  'functions/shared/classification/lexicon.ts',
  'functions/shared/classification/model.ts',
  'functions/shared/pii/mask.ts',
];

/** A digest of everything a model trained on `rows` depends on. */
function trainingKey(rows: LabelledRow[], split: string): string {
  const h = createHash('sha256');
  // The trainer's command-line part (after `async function main`) does not change a model.
  for (const f of TRAINING_INPUTS) h.update(readFileSync(join(projectRoot, f), 'utf8').split('\nasync function main(')[0]!);
  const lexicon = JSON.parse(readFileSync(join(projectRoot, 'functions/shared/classification/model/lexicon.json'), 'utf8')) as Record<string, unknown>;
  h.update(JSON.stringify([lexicon.sentiment, lexicon.negators, lexicon.topics]));
  h.update(split);
  for (const r of rows) h.update(`${r.src}\u0001${r.text}\u0001${JSON.stringify(r.gold)}\u0001${r.fine ?? ''}\u0002`);
  return h.digest('hex').slice(0, 32);
}

/**
 * Train (or fetch from the cache) a model on `rows`. `train` is scripts/train-classifier.ts `trainModel`,
 * passed in so this file does not import the trainer (which imports it).
 */
export function trainCached(rows: LabelledRow[], split: string, train: (rows: LabelledRow[], split: string) => StoredModel, log: (line: string) => void = () => {}): StoredModel {
  const key = trainingKey(rows, split);
  const file = join(CACHE_DIR, `${key}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as StoredModel;
  const t0 = Date.now();
  const model = train(rows, split);
  mkdirSync(CACHE_DIR, { recursive: true });
  writeFileSync(file, JSON.stringify(model));
  log(`  trained ${split} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return model;
}

/** The rows a cross-validation fold trains on: not locked, not in the fold. */
export const cvTrainRows = (rows: LabelledRow[], fold: number): LabelledRow[] => rows.filter((r) => !r.locked && r.fold !== fold);
/** The rows a cross-validation fold is scored on. */
export const cvTestRows = (rows: LabelledRow[], fold: number): LabelledRow[] => rows.filter((r) => !r.locked && r.fold === fold);
/** The rows the locked-fold model trains on: every row outside the locked fold. */
export const unlockedRows = (rows: LabelledRow[]): LabelledRow[] => rows.filter((r) => !r.locked);
/** The locked fold itself. */
export const lockedRows = (rows: LabelledRow[]): LabelledRow[] => rows.filter((r) => r.locked);

/** One row with what the classifier said about it. */
export interface Scored {
  row: LabelledRow;
  c: Classification;
}

/** Classify rows as the acceptance check does: PII-masked text, no language, no subject. */
export function scoreRows(rows: LabelledRow[], classify: (input: { text: string }) => Classification): Scored[] {
  return rows.map((row) => ({ row, c: classify({ text: maskPii(row.text) }) }));
}

const share = <T>(xs: T[], f: (x: T) => boolean): number => (xs.length ? xs.filter(f).length / xs.length : NaN);

/** The figures the acceptance check thresholds, for one set of scored rows. */
export interface Figures {
  b77Cat: number;
  b77Kind: number;
  nluppCat: number;
  cfpbCat: number;
  /** CFPB category accuracy on rows whose gold category is a bank-service one (not `other`). */
  cfpbBankCat: number;
  cfpbComplaint: number;
  ccfKind: number;
  /** CCF class-2 questions classified as inquiries (agreement; the acceptance reports it, not thresholds it). */
  ccfQuestionInquiry: number;
  fraudRecall: number;
  fraudPrecision: number;
  lang: number;
  /** The written training messages (training/written-messages): kind, category, and the severity floor reached. */
  writtenKind: number;
  writtenCat: number;
  writtenSeverity: number;
}

/** The figures' order and short names, for tables. */
export const FIGURE_KEYS: (keyof Figures)[] = ['b77Cat', 'b77Kind', 'nluppCat', 'cfpbCat', 'cfpbBankCat', 'cfpbComplaint', 'ccfKind', 'ccfQuestionInquiry', 'fraudRecall', 'fraudPrecision', 'lang', 'writtenKind', 'writtenCat', 'writtenSeverity'];

/** Compute the thresholded figures as ../shared/acceptance/acceptance.mjs (classifyScore) does. */
export function figures(scored: Scored[]): Figures {
  const of = (src: SourceName): Scored[] => scored.filter((r) => r.row.src === src);
  const pooled = scored.filter((r) => ['b77', 'nlupp', 'cfpb'].includes(r.row.src) && r.row.gold.cats);
  const inCats = (r: Scored): boolean => r.row.gold.cats!.includes(r.c.category);
  const inKinds = (r: Scored): boolean => r.row.gold.kinds!.includes(r.c.kind);
  const cfpbCat = of('cfpb').filter((r) => r.row.gold.cats);
  return {
    b77Cat: share(of('b77').filter((r) => r.row.gold.cats), inCats),
    b77Kind: share(of('b77').filter((r) => r.row.gold.kinds), inKinds),
    nluppCat: share(of('nlupp').filter((r) => r.row.gold.cats), inCats),
    cfpbCat: share(cfpbCat, inCats),
    cfpbBankCat: share(cfpbCat.filter((r) => r.row.gold.cats![0] !== 'other'), inCats),
    cfpbComplaint: share(of('cfpb'), (r) => r.c.kind === 'complaint'),
    ccfKind: share(of('ccf').filter((r) => r.row.gold.kinds && r.row.gold.cls !== '2'), inKinds),
    ccfQuestionInquiry: share(of('ccf').filter((r) => r.row.gold.cls === '2' && r.row.gold.kinds), (r) => r.c.kind === 'inquiry'),
    fraudRecall: share(pooled.filter((r) => r.row.gold.cats![0] === 'fraud_security'), inCats),
    fraudPrecision: share(pooled.filter((r) => r.c.category === 'fraud_security'), (r) => r.row.gold.cats!.includes('fraud_security')),
    lang: share(scored.filter((r) => ['b77', 'nlupp', 'cfpb', 'ccf'].includes(r.row.src)), (r) => r.c.language === r.row.gold.lang),
    writtenKind: share(of('written'), inKinds),
    writtenCat: share(of('written'), inCats),
    writtenSeverity: share(of('written').filter((r) => r.row.gold.severity !== 'low'), (r) => SEVERITIES.indexOf(r.c.severity) >= SEVERITIES.indexOf(r.row.gold.severity!)),
  };
}

/** Whether a row's gold kind says complaint (true), says it is not one (false), or accepts either (null). */
export function goldComplaint(row: LabelledRow): boolean | null {
  const kinds = row.gold.kinds;
  if (row.src === 'ccf') return row.gold.cls === '0' ? true : row.gold.cls === '1' || row.gold.cls === '2' ? false : null;
  if (!kinds) return null;
  if (kinds.length === 1) return kinds[0] === 'complaint';
  return null;
}

// ------------------------------------------------------------------------------------------ calibration

/** One row with the classifier's detailed answer (classification plus the evidence calibration reads). */
export interface DetailedRow {
  row: LabelledRow;
  detail: ClassificationDetail;
}

/** Classify rows with the detailed classifier, as the acceptance check posts them. */
export function detailRows(rows: LabelledRow[], classify: (input: { text: string }) => ClassificationDetail): DetailedRow[] {
  return rows.map((row) => ({ row, detail: classify({ text: maskPii(row.text) }) }));
}

/** Triage load and coverage for a set of classifications (see `triageReason`). */
export interface TriageLoad {
  /** Gold complaints classified as complaints or triaged. */
  coverage: number;
  /** Gold non-complaints sent to triage. */
  load: number;
  complaints: number;
  nonComplaints: number;
}

/** How a triage setting does on rows with a definite gold kind. */
export function triageLoad(rows: { row: LabelledRow; c: Classification }[], threshold: number): TriageLoad {
  const complaints = rows.filter((r) => goldComplaint(r.row) === true);
  const others = rows.filter((r) => goldComplaint(r.row) === false);
  return {
    coverage: share(complaints, (r) => r.c.kind === 'complaint' || triageReason(r.c, { threshold }) !== undefined),
    load: share(others, (r) => triageReason(r.c, { threshold }) !== undefined),
    complaints: complaints.length,
    nonComplaints: others.length,
  };
}

/** Re-derive the calibrated fields of detailed rows under another calibration (no re-classification). */
export function recalibrate(rows: DetailedRow[], calibration: Calibration): { row: LabelledRow; c: Classification }[] {
  return rows.map(({ row, detail }) => {
    const probabilities = kindProbabilities(calibration, detail.kindEvidence);
    const c = detail.classification;
    return {
      row,
      c: {
        ...c,
        confidence: categoryConfidence(calibration, detail.categoryEvidence),
        probabilities,
        negative: c.kind === 'complaint' || detail.kindEvidence.opinionNegative >= calibration.negativeOpinion,
      },
    };
  });
}

/** The coverage and load the triage setting is chosen for (issue 13): at least this coverage, at most this load. */
export const TRIAGE_GOAL = { coverage: 0.99, load: 0.08 };

/**
 * Fit the calibration on out-of-fold answers: the complaint model on rows with a definite gold kind, the
 * category model on rows with a gold category; then the opinion level that reads as negative and the
 * triage threshold, the pair with the least triage load that covers TRIAGE_GOAL.coverage of complaints
 * (or, if none does within TRIAGE_GOAL.load, the best coverage within it).
 */
export function fitCalibration(oof: DetailedRow[], meta: Record<string, unknown> = {}, frontier?: ({ negativeOpinion: number; threshold: number } & TriageLoad)[]): Calibration {
  const complaintRows = oof.flatMap(({ row, detail }) => {
    const y = goldComplaint(row);
    return y === null ? [] : [{ x: complaintInputs(detail.kindEvidence), y: y ? 1 : 0 }];
  });
  const categoryRows = oof.filter(({ row }) => row.gold.cats).map(({ row, detail }) => ({ x: categoryInputs(detail.categoryEvidence), y: row.gold.cats!.includes(detail.classification.category) ? 1 : 0 }));
  const categoryWeights = fitLogistic(categoryRows);
  const base: Calibration = {
    complaintFeatures: [...COMPLAINT_FEATURES],
    complaintWeights: fitLogistic(complaintRows),
    categoryFeatures: [...CATEGORY_FEATURES],
    categoryWeights,
    confidenceMap: fitMonotoneMap(categoryRows.map((r) => ({ p: logisticProbability(categoryWeights, r.x), y: r.y }))),
    negativeOpinion: 1,
    triageThreshold: 1,
  };
  // Feasible settings rank highest (least load wins among them), then settings within the load limit (best
  // coverage wins), then the rest (best coverage wins).
  const rank = (f: TriageLoad): number => (f.coverage >= TRIAGE_GOAL.coverage && f.load <= TRIAGE_GOAL.load ? 2 : f.load <= TRIAGE_GOAL.load ? 1 : 0);
  let best: { calibration: Calibration; fig: TriageLoad } | null = null;
  // No "off" level: the design triages a message that reads negative without being taken as a complaint.
  for (const negativeOpinion of [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95]) {
    for (const threshold of [0.005, 0.0075, 0.01, 0.0125, 0.015, 0.0175, 0.02, 0.025, 0.03, 0.035, 0.04, 0.045, 0.05, 0.06, 0.07, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.7]) {
      const calibration = { ...base, negativeOpinion, triageThreshold: threshold };
      const fig = triageLoad(recalibrate(oof, calibration), threshold);
      const feasible = (f: TriageLoad): boolean => f.coverage >= TRIAGE_GOAL.coverage && f.load <= TRIAGE_GOAL.load;
      const better = !best || rank(fig) > rank(best.fig) || (rank(fig) === rank(best.fig) && (rank(fig) === 2 ? fig.load < best.fig.load : fig.coverage > best.fig.coverage));
      frontier?.push({ negativeOpinion, threshold, ...fig });
      if (better) best = { calibration, fig };
    }
  }
  const chosen = best!;
  return {
    ...chosen.calibration,
    meta: { ...meta, fittedOn: 'out-of-fold answers of five-fold cross-validation over the rows outside the locked fold', complaintRows: complaintRows.length, categoryRows: categoryRows.length, triageCoverage: round3(chosen.fig.coverage), triageLoad: round3(chosen.fig.load) },
  };
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Out-of-fold detailed answers of the five cross-validation folds (models from the cache when it has them). */
export function crossValidationAnswers(rows: LabelledRow[], train: (rows: LabelledRow[], split: string) => StoredModel, log: (line: string) => void = () => {}): { oof: DetailedRow[]; perFold: DetailedRow[][] } {
  const perFold: DetailedRow[][] = [];
  for (let fold = 0; fold < 5; fold++) {
    const model = trainCached(cvTrainRows(rows, fold), `cv fold ${fold}`, train, log);
    perFold.push(detailRows(cvTestRows(rows, fold), createDetailedClassifier(model)));
  }
  return { oof: perFold.flat(), perFold };
}
