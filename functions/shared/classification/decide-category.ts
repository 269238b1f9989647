/**
 * Category: the model's log-odds (the Chinese head for Chinese, the English head and its fine-label head
 * otherwise) plus the lexicon's category cues and a prior in favour of fraud_security; then two revisions
 * once the kind is known (`reviseCategory`).
 */
import type { Category, Kind } from '../../../schemas/feedback.ts';
import { CATEGORIES } from '../../../schemas/feedback.ts';
import type { ClassifierHeads } from './heads.ts';
import { CATEGORY_CUES, PATTERNS, type CategoryCues } from './lexicon.ts';
import type { MessageView } from './message.ts';
import { scoreHead, scoreTfIdf, softmax } from './model.ts';
import { termCounts } from './features.ts';
import { CATEGORY_TUNING } from './tuning.ts';
import { addLogProbabilities, argmax, quote, round3, towards } from './util.ts';

const FRAUD_INDEX = CATEGORIES.indexOf('fraud_security');

/**
 * Categories the short English training sources (BANKING77, NLU++) have no rows of: only CFPB's long
 * narratives teach the English heads about them, so in a short message the heads cannot weigh them.
 */
const SHORT_EN_UNCOVERED: ReadonlySet<Category> = new Set<Category>(['waiting_time', 'service_attitude', 'resolution_efficiency', 'misselling_disclosure', 'debt_collection']);

/**
 * Whether a text carries a word of fraud, theft or loss ("stolen", "didn't make", 盗刷, 冒用; lexicon.json
 * `patterns.fraudWording`: the words of theft and of the scam typologies UK Finance, the MPS, Taiwan's 165 and
 * Hong Kong's ADCC name, some with words between them, as opposed to an identity-check question).
 */
export function hasFraudWording(view: { lower: string; simplified: string }): boolean {
  return PATTERNS.fraudWording.en.test(view.lower) || PATTERNS.fraudWording.zh.test(view.simplified);
}

/** What the category decision found. */
export interface CategoryDecision {
  category: Category;
  /** Softmax over the combined log-odds, in CATEGORIES order. */
  probabilities: Float64Array;
  /** Cues found per category (for reasons and the revisions). */
  cues: Map<Category, string[]>;
  /** A phrase named a category beyond doubt ("rude", "on hold", "online banking is down"). */
  namedBeyondDoubt: boolean;
  /** The text carries a word of fraud, theft or loss (severity reads it too). */
  fraudWording: boolean;
  reason: string;
}

/** Chinese card cues that only name the product the message is about. */
const ZH_PRODUCT_WORDS: ReadonlySet<string> = new Set(['信用卡', '借记卡']);

/**
 * Add the lexicon's category cues to the scores: a phrase that names the category beyond doubt adds its own,
 * larger boost instead of the ordinary one (in a long account such a phrase is more often a detail in
 * passing, and counts as an ordinary cue). Returns the cues found and whether a strong one applied.
 */
function addCueScores(message: MessageView, zh: boolean, scores: Float64Array): { cues: Map<Category, string[]>; namedBeyondDoubt: boolean } {
  const cues = new Map<Category, string[]>();
  const found: { entry: CategoryCues; strongHits: string[] }[] = [];
  for (const entry of CATEGORY_CUES) {
    const strongHits = entry.strong ? entry.strong.matcher.find(message.view) : [];
    const hits = entry.matcher.find(message.view);
    if (!hits.length && !strongHits.length) continue;
    cues.set(entry.category, [...new Set([...strongHits, ...hits])]);
    found.push({ entry, strongHits });
  }
  // "信用卡" / "借记卡" say which product, not what went wrong: beside another category's cue ("信用卡…年费",
  // "借记卡…转账…没到账") they are not evidence for card_issues.
  const productOnly = zh && (cues.get('card_issues')?.every((c) => ZH_PRODUCT_WORDS.has(c)) ?? false) && [...cues.keys()].some((c) => c !== 'card_issues' && c !== 'other');
  // Long narratives give the model plenty to go on, and mention many topics in passing: cues count less.
  const weight = message.long ? CATEGORY_TUNING.longCueWeight : CATEGORY_TUNING.shortCueWeight;
  let namedBeyondDoubt = false;
  for (const { entry, strongHits } of found) {
    const { category, boost, strong } = entry;
    if (productOnly && category === 'card_issues') continue;
    const strongApplies = strong !== null && strongHits.length > 0 && !message.long;
    if (strongApplies) namedBeyondDoubt = true;
    // A short English message's cue of a category its heads cannot weigh (no short training row has it)
    // counts at least `shortUncoveredCueBoost`: "Queue at the branch…" is about waiting, whatever "branch" says.
    const uncovered = !zh && !message.long && SHORT_EN_UNCOVERED.has(category);
    const chosen = strongApplies ? strong.boost : boost;
    const used = uncovered ? { ...chosen, en: Math.max(chosen.en, CATEGORY_TUNING.shortUncoveredCueBoost) } : chosen;
    // In a short Chinese message two distinct cues of one category ("等了…没有人接") are more evidence than one:
    // the Chinese head knows the bank-service categories too little to weigh them itself.
    const evidence = zh && !message.long ? Math.min(cues.get(category)!.length, CATEGORY_TUNING.zhMaxCueHits) : 1;
    scores[CATEGORIES.indexOf(category)]! += (zh ? used.zh : used.en) * weight * evidence;
  }
  return { cues, namedBeyondDoubt };
}

/**
 * Add the English fine-label head to the category scores: the log of its probabilities summed per category
 * (BANKING77 intents add up to their category), `fineWeight` times.
 */
function addFineCategoryScores(heads: ClassifierHeads, features: number[], scores: Float64Array): void {
  if (!heads.categoryEnFine || CATEGORY_TUNING.fineWeight <= 0) return;
  const fineProbs = softmax(scoreHead(heads.categoryEnFine.head, features));
  const perCategory = new Float64Array(CATEGORIES.length);
  for (let i = 0; i < fineProbs.length; i++) perCategory[heads.categoryEnFine.categoryOf[i]!]! += fineProbs[i]!;
  // A floor: categories the English training data barely has (waiting_time, service_attitude) get next to no
  // probability here, and the lexicon's cues must still be able to lift them.
  addLogProbabilities(scores, perCategory, CATEGORY_TUNING.fineWeight, CATEGORY_TUNING.fineFloor);
}

/**
 * Add the long-account head (TF-IDF over words and bigrams, trained on English texts of 200+ characters,
 * mostly CFPB narratives): the log of its probabilities, `longHeadWeight` times. Its features weigh how
 * often a word recurs, which the binary features of the other heads cannot.
 */
function addLongCategoryScores(heads: ClassifierHeads, message: MessageView, scores: Float64Array): void {
  if (!heads.categoryEnLong || CATEGORY_TUNING.longHeadWeight <= 0) return;
  const probs = softmax(scoreTfIdf(heads.categoryEnLong.head, heads.categoryEnLong.idf, termCounts(message.view)));
  addLogProbabilities(scores, probs, CATEGORY_TUNING.longHeadWeight, CATEGORY_TUNING.longHeadFloor);
}

/**
 * How much the customer category head counts: Chinese has its own weight; English texts from
 * `customerAccountChars` on are accounts like CFPB's, not messages; shorter ones count more the more they read
 * as a customer's message (`customerLike`, 0 to 1).
 */
function customerCategoryWeight(message: MessageView, zh: boolean, customerLike: number): number {
  if (zh) return CATEGORY_TUNING.customerWeightZh;
  if (message.length >= CATEGORY_TUNING.customerAccountChars) return CATEGORY_TUNING.customerWeightEnLong;
  // A message in a customer's register is not one of the app queries the public heads learned from.
  return towards(CATEGORY_TUNING.customerWeightEn, CATEGORY_TUNING.customerWeightEnCustomer, customerLike);
}

/**
 * Add the customer category head (trained on messages written as customers write to their bank): the log of
 * its probabilities, with the language's weight. The public heads learned from app queries, complaint
 * narratives, forum comments and FAQ questions; this one from the way customers put the same problems.
 */
function addCustomerCategoryScores(heads: ClassifierHeads, message: MessageView, zh: boolean, customerLike: number, scores: Float64Array): void {
  const weight = customerCategoryWeight(message, zh, customerLike);
  if (!heads.customerCategory || weight <= 0) return;
  addLogProbabilities(scores, softmax(scoreHead(heads.customerCategory, message.features)), weight, CATEGORY_TUNING.customerFloor);
}

/** Decide the category from the model and the lexicon (before the kind is known); `customerLike` from the register head, 0 to 1. */
export function decideCategory(heads: ClassifierHeads, message: MessageView, zh: boolean, customerLike = 0): CategoryDecision {
  // Chinese text goes to the Chinese head; every other language to the English one (the closest we have).
  const scores = scoreHead(zh ? heads.categoryZh : heads.categoryEn, message.features);
  const { cues, namedBeyondDoubt } = addCueScores(message, zh, scores);
  const fraudWording = hasFraudWording(message.view);
  // Fraud told with words between ("卡被人在外地ATM取走了", "someone has used my card") has no contiguous cue: the
  // wording counts as one, in either language.
  const fraudCues = CATEGORY_CUES.find((c) => c.category === 'fraud_security');
  if (fraudWording && !cues.has('fraud_security') && fraudCues) {
    scores[FRAUD_INDEX]! += (zh ? fraudCues.boost.zh : fraudCues.boost.en) * (message.long ? CATEGORY_TUNING.longCueWeight : CATEGORY_TUNING.shortCueWeight);
    cues.set('fraud_security', ['fraud wording']);
  }
  // The fine head knows BANKING77's intents only: when a strong cue names a category those barely cover
  // ("rude", "on hold"), or a short message has a cue of a category no short English training row has
  // ("queue", "appointment", "arrears"), its vote says nothing about it, and it stays out.
  const uncoveredCue = !message.long && [...cues.keys()].some((c) => SHORT_EN_UNCOVERED.has(c));
  if (!zh && !namedBeyondDoubt && !uncoveredCue) addFineCategoryScores(heads, message.features, scores);
  if (!zh && message.length >= CATEGORY_TUNING.longHeadMinChars) addLongCategoryScores(heads, message, scores);
  // A phrase that names the category beyond doubt keeps the customer head and the fraud prior at the public
  // register's values: at a customer's its n-grams, and the prior, outvoted it ("your online banking has been
  // down all day and I missed an urgent payment" read as fraud by "urgent payment", scam stories' words).
  const register = namedBeyondDoubt ? 0 : customerLike;
  addCustomerCategoryScores(heads, message, zh, register, scores);
  scores[FRAUD_INDEX]! += zh ? CATEGORY_TUNING.fraudPriorZh : towards(CATEGORY_TUNING.fraudPrior, CATEGORY_TUNING.fraudPriorCustomer, register);
  const probabilities = softmax(scores);
  const index = argmax(probabilities);
  const category = CATEGORIES[index]!;
  const found = cues.get(category);
  return {
    category,
    probabilities,
    cues,
    namedBeyondDoubt,
    fraudWording,
    reason: `category ${category}: ${found ? `cues ${quote(found)}; ` : ''}model confidence ${round3(probabilities[index]!)}`,
  };
}

/** The most likely category other than `excluded`. */
function nextBest(probabilities: Float64Array, excluded: number): number {
  return argmax(probabilities.map((p, i) => (i === excluded ? -1 : p)));
}

/**
 * Revise the category once the kind is known:
 * - the fraud prior exists so that no fraud report is missed; a suggestion or a compliment with no fraud
 *   cue that the heads are not sure is about fraud, or a complaint the head is unsure of with no fraud cue
 *   and no word of theft or loss ("Worst bank ever"), is not one, and takes its next most likely category;
 * - the Chinese head is trained on forum opinions and FAQ questions with keyword-derived categories, and
 *   leans to `other` and to the forum's topics (cards, fees): a short Chinese complaint whose category has
 *   none of its cues, but names another category's topic ("转账…没到账", "态度极差"), takes that category
 *   when the model gives its own category less than `zhNamedTopicBelow`.
 *   Questions keep the head's answer: an FAQ question mentions topics without being about them.
 */
export function reviseCategory(decision: CategoryDecision, kind: Kind, message: MessageView, zh: boolean): CategoryDecision {
  const { probabilities, cues } = decision;
  if (decision.category === 'fraud_security' && !cues.get('fraud_security')) {
    const byPriorOnly = kind === 'complaint' && !decision.fraudWording && probabilities[FRAUD_INDEX]! < CATEGORY_TUNING.fraudPriorOnlyBelow;
    const otherKindUnsure = (kind === 'suggestion' || kind === 'praise') && probabilities[FRAUD_INDEX]! < CATEGORY_TUNING.fraudOtherKindsFrom;
    if (otherKindUnsure || byPriorOnly) {
      const category = CATEGORIES[nextBest(probabilities, FRAUD_INDEX)]!;
      return { ...decision, category, reason: `category ${category}: no fraud cue in a ${kind}; model confidence ${round3(probabilities[CATEGORIES.indexOf(category)]!)}` };
    }
  }
  // Only when the model is unsure: the customer category head, trained on messages as customers write, reads
  // "信用卡被连刷七笔…共四万多元" as fraud and "…三次了都没人处理" as slow handling, and must not be outvoted by
  // the card or transfer word in them.
  const modelSure = probabilities[CATEGORIES.indexOf(decision.category)]! >= CATEGORY_TUNING.zhNamedTopicBelow;
  if (zh && kind === 'complaint' && !cues.has(decision.category) && !message.long && !modelSure) {
    const named = [...cues.keys()].filter((c) => c !== 'other');
    if (named.length) {
      const category = named.reduce((best, c) => (probabilities[CATEGORIES.indexOf(c)]! > probabilities[CATEGORIES.indexOf(best)]! ? c : best));
      return { ...decision, category, reason: `category ${category}: a complaint naming it (cues ${quote(cues.get(category)!)}); the model leaned to ${decision.category}` };
    }
  }
  return decision;
}
