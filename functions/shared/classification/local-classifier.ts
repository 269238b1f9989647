/**
 * The local classifier: a small linear model over hashed word and character n-grams (model/model.json,
 * trained by scripts/train-classifier.ts) combined with a curated bilingual lexicon (model/lexicon.json)
 * and severity rules a bank can sign off. Synchronous, deterministic, no network, no model download.
 *
 * `classifyWith` composes named decisions, each returning its value and its reason: language
 * (decide-language.ts), category (decide-category.ts), kind (decide-kind.ts), the category's revision once
 * the kind is known, sentiment, severity (decide-severity.ts), and calibrated probabilities
 * (calibration.ts). Every decision carries its reasons in words a complaint handler understands.
 */
import type { Classification, Kind } from '../../../schemas/feedback.ts';
import type { Classifier, ClassifyInput } from '../ports/classifier.ts';
import { categoryConfidence, checkCalibration, kindProbabilities, type Calibration, type CategoryEvidence, type KindEvidence } from './calibration.ts';
import { decideCategory, reviseCategory } from './decide-category.ts';
import { decideKind, type KindDecision } from './decide-kind.ts';
import { decideLanguage } from './decide-language.ts';
import { decideSeverity } from './decide-severity.ts';
import { OPINION_NEGATIVE, OPINION_POSITIVE, REGISTER_CUSTOMER, prepareHeads, type ClassifierHeads } from './heads.ts';
import { readMessage } from './message.ts';
import { triageReason } from './triage.ts';
import { REGISTER_TUNING } from './tuning.ts';
import { scoreHead, softmax, type PackedModel, type StoredModel } from './model.ts';
import { round3 } from './util.ts';
import modelData from './model/model.json' with { type: 'json' };
import jrtData from './model/jrt0169.json' with { type: 'json' };
import calibrationData from './model/calibration.json' with { type: 'json' };

export { detectLanguage, type LanguageCall } from './decide-language.ts';
export { CATEGORY_TUNING, KIND_TUNING } from './tuning.ts';
export { triageReason, type TriageReason, type TriageOptions } from './triage.ts';

/** The committed model, decoded once per Lambda container (a few milliseconds). */
const COMMITTED_HEADS = prepareHeads(modelData as unknown as PackedModel);
/** The committed calibration (fitted with the model by `npm run train:classifier`). */
const COMMITTED_CALIBRATION = checkCalibration(calibrationData as unknown as Calibration);
/** Default `REDRESS_TRIAGE_THRESHOLD`: chosen on the cross-validation folds (model/calibration.json). */
export const DEFAULT_TRIAGE_THRESHOLD = COMMITTED_CALIBRATION.triageThreshold;

/** "Why…" in either language: a complaint is often put as a question about its cause. */
const ASKS_WHY = /\bwhy\b|为什么|为何|为啥|点解/;

const JRT = jrtData as { channel: Record<string, string>; business: Record<string, string>; reason: Record<string, string> };

/** Sentiment in -1..1: positive minus negative opinion, nudged to agree with a complaint or praise. */
function decideSentiment(kind: Kind, decision: KindDecision): number {
  let sentiment = decision.opinion[OPINION_POSITIVE]! - decision.opinion[OPINION_NEGATIVE]!;
  if (kind === 'complaint') sentiment = Math.min(sentiment, -0.2);
  if (kind === 'praise') sentiment = Math.max(sentiment, 0.3);
  return round3(Math.max(-1, Math.min(1, sentiment)));
}

/** JR/T 0169-2018 codes for a channel and category (the mapping is data, model/jrt0169.json). */
function jrtCodes(channel: string, category: string): Classification['codes'] {
  return {
    jrt0169: {
      channel: JRT.channel[channel] ?? JRT.channel.unknown ?? 'unknown',
      business: JRT.business[category] ?? 'other',
      reason: JRT.reason[category] ?? 'other',
    },
  };
}

/** A classification with the evidence calibration reads (the evaluation fits and checks calibration on it). */
export interface ClassificationDetail {
  classification: Classification;
  kindEvidence: KindEvidence;
  categoryEvidence: CategoryEvidence;
}

/**
 * How far a message reads as a customer's message to the bank rather than a public source's text, 0 to 1:
 * the register head's probability, 0 up to `REGISTER_TUNING.from` and rising to 1 at certainty. The public
 * sources' texts stay at or near 0 (five folds: 93 % of BANKING77's, 86 % of CCF's under 0.1), so the weights
 * chosen for them stand there; a model without the head gives 0.
 */
function customerLikeness(heads: ClassifierHeads, features: number[]): number {
  if (!heads.register) return 0;
  const p = softmax(scoreHead(heads.register, features))[REGISTER_CUSTOMER]!;
  return Math.max(0, (p - REGISTER_TUNING.from) / (1 - REGISTER_TUNING.from));
}

function classifyWith(heads: ClassifierHeads, calibration: Calibration, input: ClassifyInput): ClassificationDetail {
  const message = readMessage(input);
  const language = decideLanguage(message.text, input.language, message.view);
  // Chinese text goes to the Chinese heads; every other language to the English ones (the closest we have).
  const zh = language.language === 'zh';
  const customerLike = customerLikeness(heads, message.features);
  const first = decideCategory(heads, message, zh, customerLike);
  const kind = decideKind(heads, message, zh, { namedBeyondDoubt: first.namedBeyondDoubt, categoryCues: first.cues.get(first.category) ?? [], fraudWording: first.fraudWording }, customerLike, input.rating);
  const category = reviseCategory(first, kind.kind, message, zh);
  const kindEvidence: KindEvidence = {
    scores: kind.scores,
    kind: kind.kind,
    opinionNegative: kind.opinion[OPINION_NEGATIVE]!,
    opinionPositive: kind.opinion[OPINION_POSITIVE]!,
    zh,
    long: message.long,
    question: zh ? message.zhQuestion : message.enQuestion,
    unsupported: !language.supported,
    zhMargin: kind.zhMargin,
    negativeWords: message.signals.includes('L:net-'),
    asksWhy: ASKS_WHY.test(message.view.simplified),
    customerComplaint: kind.customerComplaint,
  };
  const categoryEvidence: CategoryEvidence = { probabilities: category.probabilities, zh, long: message.long, cue: category.cues.has(category.category) };
  const probabilities = kindProbabilities(calibration, kindEvidence);
  const negative = kind.kind === 'complaint' || kindEvidence.opinionNegative >= calibration.negativeOpinion;
  // Triage at the shipped threshold: a possible complaint is given its severity as one (decide-severity.ts).
  const possibleComplaint = kind.kind !== 'complaint' && triageReason({ kind: kind.kind, probabilities, negative, supportedLanguage: language.supported }, { threshold: calibration.triageThreshold }) !== undefined;
  const severityHead = heads.severity;
  const modelSeverity = severityHead ? () => softmax(scoreHead(severityHead, message.features)) : null;
  const severity = decideSeverity({ kind: kind.kind, category: category.category, view: message.view, fraudWording: category.fraudWording, threatCues: kind.cues.threat, modelSeverity, possibleComplaint });
  const rounded = { complaint: round3(probabilities.complaint), inquiry: round3(probabilities.inquiry), suggestion: round3(probabilities.suggestion), praise: round3(probabilities.praise) };
  return {
    kindEvidence,
    categoryEvidence,
    classification: {
      kind: kind.kind,
      category: category.category,
      severity: severity.severity,
      sentiment: decideSentiment(kind.kind, kind),
      language: language.language,
      confidence: round3(categoryConfidence(calibration, categoryEvidence)),
      reasons: [language.reason, category.reason, kind.reason, severity.reason],
      codes: jrtCodes(input.channel ?? 'unknown', category.category),
      probabilities: rounded,
      negative,
      supportedLanguage: language.supported,
    },
  };
}

/**
 * Classify one (already PII-masked) message: kind, category, severity, sentiment, language, confidence,
 * reasons and JR/T 0169 codes. Pure: the same input always gives the same output.
 */
export function classifyText(input: ClassifyInput): Classification {
  return classifyWith(COMMITTED_HEADS, COMMITTED_CALIBRATION, input).classification;
}

/**
 * A classify function over another model in the same format (the evaluation uses it to measure a model
 * trained in memory without the rows it scores).
 */
export function createTextClassifier(stored: StoredModel | PackedModel, calibration: Calibration = COMMITTED_CALIBRATION): (input: ClassifyInput) => Classification {
  const heads = prepareHeads(stored);
  const checked = checkCalibration(calibration);
  return (input) => classifyWith(heads, checked, input).classification;
}

/** Like `createTextClassifier`, with the evidence calibration reads (for fitting and checking it). */
export function createDetailedClassifier(stored: StoredModel | PackedModel, calibration: Calibration = COMMITTED_CALIBRATION): (input: ClassifyInput) => ClassificationDetail {
  const heads = prepareHeads(stored);
  const checked = checkCalibration(calibration);
  return (input) => classifyWith(heads, checked, input);
}

/** The classifier port backed by `classifyText` (no I/O; the promise resolves immediately). */
export function createLocalClassifier(): Classifier {
  return {
    classify: (input) => Promise.resolve(classifyText(input)),
  };
}
