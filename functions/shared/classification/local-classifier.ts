/**
 * The local classifier: a small linear model over hashed word and character n-grams (model/model.json,
 * trained by scripts/train-classifier.ts) combined with a curated bilingual lexicon (model/lexicon.json)
 * and severity rules a bank can sign off. Synchronous, deterministic, no network, no model download.
 *
 * Every decision carries its reasons in words a complaint handler understands: the cues found, the
 * model's confidence, and the severity rules that fired.
 */
import type { Category, Classification, Kind, Severity } from '../../../schemas/feedback.ts';
import { CATEGORIES, KINDS, SEVERITIES } from '../../../schemas/feedback.ts';
import type { Classifier, ClassifyInput } from './classifier.ts';
import { countScripts, stripNoise, viewText } from './features.ts';
import { CATEGORY_CUES, KIND_CUES, modelFeatures, SEVERITY_CUES, sentimentSignals } from './lexicon.ts';
import { loadModel, scoreHead, softmax, type LoadedHead, type PackedModel, type StoredModel } from './model.ts';
import modelData from './model/model.json' with { type: 'json' };
import jrtData from './model/jrt0169.json' with { type: 'json' };

/** The model heads the classifier reads, checked against the schema's labels. */
interface ClassifierHeads {
  categoryEn: LoadedHead;
  categoryZh: LoadedHead;
  kind: LoadedHead;
  opinion: LoadedHead;
  /** English category over fine labels (`card_issues/activate_my_card`), with each label's category index. */
  categoryEnFine: { head: LoadedHead; categoryOf: Int32Array } | null;
  /** Chinese opinion, negative / positive (CCF classes 0 and 1). */
  sentimentZh: LoadedHead | null;
}

function prepareHeads(stored: StoredModel | PackedModel): ClassifierHeads {
  const model = loadModel(stored);
  const head = (name: string, labels: readonly string[]): LoadedHead => {
    const h = model.heads[name];
    if (!h || h.labels.join() !== labels.join()) throw new Error(`model: head ${name} is missing or its labels differ from the schema`);
    return h;
  };
  // Optional heads (a model without them still loads): fine English category and Chinese negative / positive.
  const fine = model.heads.category_en_fine;
  let categoryEnFine: ClassifierHeads['categoryEnFine'] = null;
  if (fine) {
    const categoryOf = Int32Array.from(fine.labels, (l) => CATEGORIES.indexOf(l.split('/')[0] as Category));
    if (categoryOf.some((i) => i < 0)) throw new Error('model: a category_en_fine label does not start with a category');
    categoryEnFine = { head: fine, categoryOf };
  }
  const sentimentZh = model.heads.sentiment_zh;
  if (sentimentZh && sentimentZh.labels.join() !== 'negative,positive') throw new Error('model: head sentiment_zh has unexpected labels');
  return {
    sentimentZh: sentimentZh ?? null,
    categoryEnFine,
    categoryEn: head('category_en', CATEGORIES),
    categoryZh: head('category_zh', CATEGORIES),
    kind: head('kind', KINDS),
    opinion: head('polarity', ['negative', 'positive', 'none']),
  };
}

/** The committed model, decoded once per Lambda container (about a millisecond). */
const COMMITTED_HEADS = prepareHeads(modelData as unknown as PackedModel);
const OPINION_NEGATIVE = 0;
const OPINION_POSITIVE = 1;
const OPINION_NONE = 2;
/** Chinese question markers (as in the dataset mapping: ？ 吗 怎么 如何 为什么 能不能 请问 …). */
// Cantonese question words too (点样 how, 点解 why, 几多/几钱 how much, 系咪 is it, 可唔可以 can, 有冇 is there).
const ZH_QUESTION = /[?？]|吗|怎么|如何|为什么|能不能|请问|点样|點樣|点解|點解|几多|幾多|几钱|幾錢|系咪|係咪|可唔可以|有冇/;
/** Opinion margin below which a Chinese "建议…" is advice to other readers rather than a suggestion. */
const ZH_ADVICE_MARGIN = -2;
/**
 * Kind thresholds for Chinese (set from the held-out evaluation; exported for it). A question counts as an
 * inquiry when the opinion head is at least `inquiryMinNone` sure it carries no opinion, or, when the opinion
 * lexicon finds no opinion word and no kind cue is present, at least `inquiryMinNoneNoOpinionWords` sure. Other
 * opinions are praise above `zhPraiseMargin` (positive minus negative log-odds; `zhSentimentMix` of it from the
 * negative / positive head `sentiment_zh`, the rest from the opinion head), else complaints. In English, a
 * statement (not a question) reporting something not working (lexicon `kind.malfunction`) adds
 * `malfunctionStatement` log-odds towards a complaint.
 */
export const KIND_TUNING = { inquiryMinNone: 0.95, inquiryMinNoneNoOpinionWords: 0.5, zhPraiseMargin: -0.5, malfunctionStatement: 3, zhSentimentMix: 0.8 };
/** An English question: a question mark, or a sentence opening the way questions do. */
const EN_QUESTION = /\?|^(?:how|what|why|when|where|which|who|whom|whose|can|could|do|does|did|is|are|was|were|will|would|should|shall|may|might|am|have|has|i need to know|i'd like to know|i would like to know|tell me|please (?:tell|explain|help))\b/;
/** Log-odds an explicit complaint cue ("formal complaint", 投诉, 强烈不满) adds: it decides the kind. */
const EXPLICIT_COMPLAINT_WEIGHT = 12;
/** Characters from which a message counts as a long written account. */
const LONG_NARRATIVE = 500;
const FRAUD_INDEX = CATEGORIES.indexOf('fraud_security');

/**
 * How much the lexicon's category cues count (short messages, long narratives), the log-odds prior for
 * fraud_security, and how much the English fine-label head counts (`fineWeight`, for texts shorter than
 * `fineMaxLength` characters; no category's probability counts as less than `fineFloor`). Set from five-fold
 * cross-validation (scripts/eval-classifier.ts --cv, model/README.md); exported for it.
 */
export const CATEGORY_TUNING = { shortCueWeight: 1.5, longCueWeight: 0.3, fraudPrior: 1.25, fineWeight: 1, fineMaxLength: Infinity, fineFloor: 1e-2, fraudPriorOnlyBelow: 0.5 };

const JRT = jrtData as { channel: Record<string, string>; business: Record<string, string>; reason: Record<string, string> };

/** Fraud cues that make a fraud_security message urgent (as opposed to an identity-check question). */
const FRAUD_URGENT_EN = /\b(?:stol(?:e|en)|lost|fraud\w*|scam\w*|unauthori[sz]ed|not authori[sz]ed|didn'?t (?:make|authori[sz]e)|did not (?:make|authori[sz]e)|(?:don'?t|do not|not|doesn'?t) recogni[sz]e|compromised|hacked|someone (?:used|took|has)|phishing)\b/;
const FRAUD_URGENT_ZH = /盗刷|被盗|诈骗|被骗|冒用|盗用|不是本人|非本人|未经授权|未授权|丢失|丢了|挂失|不明消费|不明扣款|可疑交易|陌生交易/;

/**
 * An amount of money taken, in the same sentence as the taking: "took 5000 yuan", "$300 was withdrawn",
 * "被刷了5000元", "2万块被转走". Only read for fraud, where it means the money is already gone (a fee
 * complaint naming an amount is not money lost). Amounts survive PII masking: they are look-alikes it keeps.
 */
// Amounts have at most 12 digit characters and must not start inside a longer number: a bounded pattern, so
// an adversarial run of digits and commas costs linear time, not a rescan from every comma.
const AMOUNT_EN = String.raw`(?:[$£€¥]\s?\d[\d,]{0,12}(?:\.\d{1,2})?(?:\s?k\b)?|(?<![\d,.])\d[\d,]{0,12}(?:\.\d{1,2})?\s?(?:k\s?)?(?:yuan|rmb|cny|dollars?|usd|bucks|pounds?|quid|gbp|euros?|eur|hkd)\b)`;
// Taking by someone else: "I took 200 pounds out" or "I withdrew" is the customer's own doing.
const TAKEN_EN = String.raw`(?<!\bi )\b(?:took|taken|stole|stolen|withdrew|withdrawn|debited|drained|missing|gone)\b`;
// "took 5000 yuan", or the amount as the subject of a passive taking: "$300 was withdrawn", "£800 gone".
const TAKEN_PASSIVE_EN = String.raw`\s+(?:(?:was|were|has been|had been|have been|got|being)\s+(?:taken|stolen|withdrawn|debited|drained|transferred out)|(?:is\s+|was\s+)?(?:missing|gone))\b`;
const MONEY_TAKEN_EN = new RegExp(`${TAKEN_EN}[^.!?\n]{0,40}?${AMOUNT_EN}|${AMOUNT_EN}${TAKEN_PASSIVE_EN}`);
const AMOUNT_ZH = String.raw`(?<![\d,.])\d[\d,.]{0,12}\s?(?:万|千)?\s?(?:元|块|美元|港币|rmb)|(?<![\d,.])\d[\d,.]{0,12}\s?万`;
const MONEY_TAKEN_ZH = new RegExp(`(?:刷|转走|盗|骗|取走|扣|少了|损失)[^。！？\n]{0,12}?(?:${AMOUNT_ZH})|(?:${AMOUNT_ZH})[^。！？\n]{0,10}?(?:被刷|被盗|被转|被骗|被取|不见了|没了)`);

/** The customer stating their own intent to escalate, or that they already have (see the threat rule). */
const EN_THREAT_INTENT = /\b(?:i(?:'m| am)? (?:going|gonna|taking|about) to\b|i(?:'m| am) (?:taking|reporting|contacting|going)\b|i(?:'ll| will| shall) (?:be )?(?:take|taking|report|reporting|go|going|contact|write|complain|sue|escalate)\b|i(?:'ve| have) (?:already )?(?:reported|contacted|complained|written|gone)\b|we (?:will|are going to)\b|see you in court|report you|take you to|taking (?:this|it|you) to|i will be contacting|my (?:lawyer|solicitor|attorney) will)/;
const ZH_THREAT_INTENT = /我(?:要|会|将|就|已经|已|马上|一定)|已经向|要向|去.{0,8}(?:投诉|反映|举报|起诉|曝光)|向.{1,12}(?:投诉|反映|举报)|告你们|起诉你们|曝光你们/;

/** What `detectLanguage` decides. */
export interface LanguageCall {
  language: string;
  /** For Chinese: Simplified (`Hans`) or Traditional (`Hant`) script. */
  script?: 'Hans' | 'Hant';
  detected: boolean;
}

/**
 * The message's language: the channel's declaration when given (`zh-TW` → `zh`), else detected from the
 * script (any real share of Han characters → `zh`; Latin letters → `en`). Chinese texts also get their
 * script (Traditional when Traditional-only characters outnumber Simplified-only ones).
 */
export function detectLanguage(text: string, declared?: string): LanguageCall {
  // Reference codes and random strings ("k3x9q2") are not English: leave them out of the count.
  const counts = countScripts(stripNoise(text.normalize('NFKC').toLowerCase()));
  const script = counts.han > 0 ? (counts.traditional > counts.simplified ? 'Hant' : 'Hans') : undefined;
  const declaredBase = declared?.trim().toLowerCase().split(/[-_]/)[0];
  if (declaredBase) {
    const declaredScript = /hant|tw|hk|mo/i.test(declared ?? '') ? 'Hant' : /hans|cn|sg/i.test(declared ?? '') ? 'Hans' : script;
    return { language: declaredBase, script: declaredBase === 'zh' ? declaredScript : undefined, detected: false };
  }
  // Han characters carry far more information per character than Latin letters: a handful decide.
  if (counts.han >= 2 || (counts.han === 1 && counts.latin <= 12) || (counts.han > 0 && counts.han * 4 >= counts.latin)) return { language: 'zh', script, detected: true };
  return { language: 'en', detected: true };
}

/**
 * Add the English fine-label head to the category scores: the log of its probabilities summed per category
 * (BANKING77 intents add up to their category), `fineWeight` times.
 */
function addFineCategoryScores(heads: ClassifierHeads, features: number[], length: number, catScores: Float64Array): void {
  if (heads.categoryEnFine && CATEGORY_TUNING.fineWeight > 0 && length < CATEGORY_TUNING.fineMaxLength) {
    const fineProbs = softmax(scoreHead(heads.categoryEnFine.head, features));
    const perCategory = new Float64Array(CATEGORIES.length);
    for (let i = 0; i < fineProbs.length; i++) perCategory[heads.categoryEnFine.categoryOf[i]!]! += fineProbs[i]!;
    // A floor: categories the English training data barely has (waiting_time, service_attitude) get next to no
    // probability here, and the lexicon's cues must still be able to lift them.
    for (let c = 0; c < perCategory.length; c++) catScores[c]! += CATEGORY_TUNING.fineWeight * Math.log(Math.max(perCategory[c]!, CATEGORY_TUNING.fineFloor));
  }
}

const raise = (s: Severity, by = 1): Severity => SEVERITIES[Math.min(SEVERITIES.length - 1, SEVERITIES.indexOf(s) + by)]!;
const atLeast = (s: Severity, floor: Severity): Severity => (SEVERITIES.indexOf(s) >= SEVERITIES.indexOf(floor) ? s : floor);
const round3 = (x: number): number => Math.round(x * 1000) / 1000;
const argmax = (xs: ArrayLike<number>): number => {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i]! > xs[best]!) best = i;
  return best;
};
const quote = (cues: string[]): string => cues.slice(0, 4).map((c) => `"${c}"`).join(', ');

/**
 * Classify one (already PII-masked) message: kind, category, severity, sentiment, language, confidence,
 * reasons and JR/T 0169 codes. Pure: the same input always gives the same output.
 */
export function classifyText(input: ClassifyInput): Classification {
  return classifyWith(COMMITTED_HEADS, input);
}

/**
 * A classify function over another model in the same format (the evaluation uses it to measure a model
 * trained in memory on the training split only).
 */
export function createTextClassifier(stored: StoredModel | PackedModel): (input: ClassifyInput) => Classification {
  const heads = prepareHeads(stored);
  return (input) => classifyWith(heads, input);
}

function classifyWith(heads: ClassifierHeads, input: ClassifyInput): Classification {
  const text = input.subject ? `${input.subject}\n${input.text}` : input.text;
  const view = viewText(text);
  const { lower, simplified } = view;
  const reasons: string[] = [];

  const lang = detectLanguage(text, input.language);
  reasons.push(
    `language ${lang.language}${lang.script ? ` (${lang.script === 'Hant' ? 'Traditional' : 'Simplified'} Chinese script)` : ''}${lang.detected ? ', detected from the text' : ', as declared by the channel'}`,
  );

  // The lexicon's opinion signals feed the model and the kind rules below: computed once.
  const signals = sentimentSignals(view);
  const features = modelFeatures(view, signals);
  // Lengths are measured on the noise-free text, so an appended reference code cannot move a message across a threshold.
  const length = Array.from(view.lower.trim()).length;

  // Category: model log-odds plus lexicon boosts.
  // Chinese text goes to the Chinese head; every other language to the English one (the closest we have).
  const catScores = scoreHead(lang.language === 'zh' ? heads.categoryZh : heads.categoryEn, features);
  const catCues = new Map<string, string[]>();
  // Long narratives give the model plenty to go on, and mention many topics in passing: cues count less.
  const cueWeight = length >= LONG_NARRATIVE ? CATEGORY_TUNING.longCueWeight : CATEGORY_TUNING.shortCueWeight;
  let namedBeyondDoubt = false;
  for (const { category, boost, matcher, strong } of CATEGORY_CUES) {
    const strongHits = strong ? strong.matcher.find(view) : [];
    const hits = matcher.find(view);
    if (!hits.length && !strongHits.length) continue;
    catCues.set(category, [...new Set([...strongHits, ...hits])]);
    // A phrase that names the category beyond doubt adds its own, larger boost instead of the ordinary one; in
    // a long account such a phrase is more often a detail in passing, and counts as an ordinary cue.
    const strongApplies = strong !== null && strongHits.length > 0 && length < LONG_NARRATIVE;
    if (strongApplies) namedBeyondDoubt = true;
    const used = strongApplies ? strong.boost : boost;
    const idx = CATEGORIES.indexOf(category as Category);
    if (idx >= 0) catScores[idx]! += (lang.language === 'zh' ? used.zh : used.en) * cueWeight;
  }
  // The fine head knows BANKING77's intents only: when a strong cue names a category those barely cover
  // ("rude", "on hold"), its vote says nothing about it, and it stays out.
  if (lang.language !== 'zh' && !namedBeyondDoubt) addFineCategoryScores(heads, features, length, catScores);
  // Missing a fraud report costs far more than a second look at a non-fraud one: a prior in its favour.
  catScores[FRAUD_INDEX]! += CATEGORY_TUNING.fraudPrior;
  const catProbs = softmax(catScores);
  const catIdx = argmax(catProbs);
  let category = CATEGORIES[catIdx]!;
  const cues = catCues.get(category);
  const categoryReason = reasons.length;
  reasons.push(`category ${category}: ${cues ? `cues ${quote(cues)}; ` : ''}model confidence ${round3(catProbs[catIdx]!)}`);

  // Kind: model plus explicit complaint / praise / suggestion words and the customer's rating.
  const kindScores = scoreHead(heads.kind, features);
  const opinionScores = scoreHead(heads.opinion, features);
  const opinion = softmax(opinionScores);
  // "投诉电话是多少？" / "How do I make a complaint?" ask how to complain: the complaint word inside such a
  // question does not count on its own.
  const processCues = KIND_CUES.complaintProcess.find(view);
  const outsideProcess = (c: string): boolean => !processCues.some((p) => p.includes(c));
  const complaintCues = KIND_CUES.complaint.find(view).filter(outsideProcess);
  const explicitCues = KIND_CUES.complaintExplicit.find(view).filter(outsideProcess);
  const anyComplaintCue = complaintCues.length > 0 || explicitCues.length > 0;
  const praiseCues = KIND_CUES.praise.find(view);
  const suggestionCues = KIND_CUES.suggestion.find(view);
  const K = (k: Kind): number => KINDS.indexOf(k);
  let kindWhy = '';
  let zhMargin = 0;
  // Whether the message asks rather than states, read once for every rule below that needs it.
  const zhQuestion = ZH_QUESTION.test(simplified);
  const enQuestion = EN_QUESTION.test(lower.trim());
  if (lang.language === 'zh') {
    // Chinese: the opinion head (trained on bank-forum opinions and FAQ questions) decides. A question the
    // head is sure carries no opinion is an inquiry; so is a question without a single opinion word or kind
    // cue unless the head sees an opinion clearly. Opinions split into complaint and praise.
    let margin = opinionScores[OPINION_POSITIVE]! - opinionScores[OPINION_NEGATIVE]!;
    if (heads.sentimentZh && KIND_TUNING.zhSentimentMix > 0) {
      const s = scoreHead(heads.sentimentZh, features);
      margin = (1 - KIND_TUNING.zhSentimentMix) * margin + KIND_TUNING.zhSentimentMix * (s[1]! - s[0]!);
    }
    zhMargin = margin;
    kindScores.fill(0);
    const noOpinionWords = !signals.includes('L:pos') && !signals.includes('L:neg') && !anyComplaintCue && !praiseCues.length;
    // A short line without a question mark reads like a search query ("信用卡挂失流程") unless it carries an opinion
    // word ("这个APP真坑"): then it is a statement of opinion, not a question.
    const questionLike = zhQuestion || (length < 25 && noOpinionWords);
    const noneNeeded = noOpinionWords && zhQuestion ? KIND_TUNING.inquiryMinNoneNoOpinionWords : KIND_TUNING.inquiryMinNone;
    // "转账失败，钱被扣了没到账" reports a fault: a statement (not a question) with a fault cue and no word
    // of praise is a complaint, however neutral its wording ("…失败了，客服很快解决了，谢谢" stays praise).
    const zhFault = zhQuestion ? [] : KIND_CUES.malfunction.find(view);
    // Only thanks or praise keeps a fault report from being a complaint: a generic positive word such as
    // "成功" in "显示成功但对方一直没到账" is part of the fault being reported.
    if (zhFault.length && !praiseCues.length) {
      kindScores[K('complaint')] = 1;
      kindWhy = `reports a fault (${quote(zhFault)})`;
    } else if (opinion[OPINION_NONE]! > noneNeeded && questionLike && !zhFault.length) {
      kindScores[K('inquiry')] = 1;
      kindWhy = `a question without an opinion (${round3(opinion[OPINION_NONE]!)})`;
    } else {
      kindScores[margin > KIND_TUNING.zhPraiseMargin ? K('praise') : K('complaint')] = 1;
      kindWhy = `${margin > KIND_TUNING.zhPraiseMargin ? 'positive' : 'negative'} opinion (margin ${round3(margin)})`;
    }
  } else if (length >= LONG_NARRATIVE && !praiseCues.length) {
    // A long written account to a bank is, in practice, a complaint (CFPB-style narratives).
    kindScores[K('complaint')]! += 3;
    kindWhy = 'a long written account of a problem';
  }
  // In Chinese the opinion head already reads the lexicon's opinion words; only the explicit words override it.
  if (lang.language !== 'zh' && complaintCues.length) kindScores[K('complaint')]! += 6;
  // "The app logs me out every time I switch screens." reports a fault; "Why does the app log me out?" asks.
  const malfunctionCues = lang.language !== 'zh' && length < LONG_NARRATIVE ? KIND_CUES.malfunction.find(view) : [];
  const reportsMalfunction = malfunctionCues.length > 0 && !enQuestion;
  if (reportsMalfunction) kindScores[K('complaint')]! += KIND_TUNING.malfunctionStatement;
  // Likewise a statement that names a service failure beyond doubt ("was rude", "kept me on hold", "online
  // banking is down"): the English training data has almost no such rows, so the kind head alone wavers.
  const reportsServiceFailure = lang.language !== 'zh' && namedBeyondDoubt && !enQuestion;
  if (reportsServiceFailure && !reportsMalfunction) kindScores[K('complaint')]! += KIND_TUNING.malfunctionStatement;
  if (explicitCues.length) kindScores[K('complaint')]! += EXPLICIT_COMPLAINT_WEIGHT;
  // A statement that the customer is taking the bank to a regulator, a court or the press is a complaint
  // ("I'm going to the ombudsman.", "我要向金融监管总局反映"); asking how to reach one is a question.
  // The threat must be the customer's own intent ("I'm going to…", "我要向…"): the same words in passing ("a
  // power of attorney", "the court ordered", "人民银行的征信报告") say nothing about a complaint.
  const threatCues = SEVERITY_CUES.escalationThreat.find(view);
  const statesIntent = lang.language === 'zh' ? ZH_THREAT_INTENT.test(simplified) : EN_THREAT_INTENT.test(lower);
  const threatens = threatCues.length > 0 && statesIntent && !(lang.language === 'zh' ? zhQuestion : enQuestion || /[?？]/.test(lower));
  if (threatens) {
    kindScores[K('complaint')]! += EXPLICIT_COMPLAINT_WEIGHT;
    if (!kindWhy || lang.language === 'zh') kindWhy = `threatens to go to a regulator, court or the press (${quote(threatCues)})`;
  }
  // Asking how to complain, and nothing else that complains, is a question to answer.
  const askingHowToComplain = processCues.length > 0 && !anyComplaintCue && /[?？]|吗|怎么|如何|^(?:how|where|what|who|can|could)\b/.test(simplified.trim());
  if (askingHowToComplain) {
    kindScores[K('inquiry')]! += EXPLICIT_COMPLAINT_WEIGHT;
    kindWhy = `asks how to complain (${quote(processCues)})`;
  }
  // English praise has no labelled data behind the model: thanks and compliments in a message whose
  // opinion words lean positive, with no complaint word, make it praise.
  if (lang.language !== 'zh' && length < LONG_NARRATIVE && praiseCues.length && !anyComplaintCue && signals.includes('L:net+')) kindScores[K('praise')]! += 100;
  // A suggestion has no labelled data behind the model either: its cues decide. "建议你别办" in a clearly
  // negative post is advice to other readers, not a suggestion to the bank.
  const clearlyNegativeChinese = lang.language === 'zh' && zhMargin < ZH_ADVICE_MARGIN;
  if (suggestionCues.length && length < LONG_NARRATIVE && !anyComplaintCue && !clearlyNegativeChinese) kindScores[K('suggestion')]! += 100;
  if (input.rating !== undefined) {
    // Ratings are 0–10 or 1–5 depending on the channel; read both scales the same way.
    const share = input.rating > 5 ? input.rating / 10 : input.rating / 5;
    if (share <= 0.4) kindScores[K('complaint')]! += 1.5;
    else if (share >= 0.8) kindScores[K('praise')]! += 1;
  }
  const kindProbs = softmax(kindScores);
  const kind = KINDS[argmax(kindProbs)]!;
  const fraudUrgent = FRAUD_URGENT_EN.test(lower) || FRAUD_URGENT_ZH.test(simplified);
  // The fraud prior exists so that no fraud report is missed; a suggestion or a compliment with no fraud
  // cue at all is not one, so it takes its next most likely category instead.
  // A complaint the head is unsure of ("Worst bank ever"), with no fraud cue and no word of theft or loss, is
  // not a fraud report either: the prior, not the text, put it there.
  const fraudByPriorOnly = kind === 'complaint' && !fraudUrgent && catProbs[FRAUD_INDEX]! < CATEGORY_TUNING.fraudPriorOnlyBelow;
  if (category === 'fraud_security' && (kind === 'suggestion' || kind === 'praise' || fraudByPriorOnly) && !catCues.get('fraud_security')) {
    const without = catProbs.map((p, i) => (i === FRAUD_INDEX ? -1 : p));
    category = CATEGORIES[argmax(without)]!;
    reasons[categoryReason] = `category ${category}: no fraud cue in a ${kind}; model confidence ${round3(catProbs[CATEGORIES.indexOf(category)]!)}`;
  }
  // Chinese complaints: 'other' is what the Chinese head falls back on (most of its training text has no
  // category of its own), so a complaint that names a category's topic ("转账…没到账", "态度极差") takes that
  // category. Questions keep the head's answer: an FAQ question mentions topics without being about them.
  if (lang.language === 'zh' && kind === 'complaint' && category === 'other' && length < LONG_NARRATIVE) {
    const named = [...catCues.keys()].filter((c) => c !== 'other' && CATEGORIES.includes(c as Category));
    if (named.length) {
      category = named.reduce((best, c) => (catProbs[CATEGORIES.indexOf(c as Category)]! > catProbs[CATEGORIES.indexOf(best as Category)]! ? c : best)) as Category;
      reasons[categoryReason] = `category ${category}: a complaint naming it (cues ${quote(catCues.get(category)!)}); the model leaned to other`;
    }
  }
  const kindCues = kind === 'complaint' ? [...new Set([...explicitCues, ...complaintCues, ...(reportsMalfunction ? malfunctionCues : []), ...(reportsServiceFailure ? (catCues.get(category) ?? []) : [])])] : kind === 'praise' ? praiseCues : kind === 'suggestion' ? suggestionCues : [];
  reasons.push(
    `kind ${kind}: ${kindCues.length ? `cues ${quote(kindCues)}` : kindWhy || `model confidence ${round3(kindProbs[argmax(kindProbs)]!)}`}`,
  );

  // Sentiment in -1..1: positive minus negative opinion, nudged by the kind.
  let sentiment = opinion[OPINION_POSITIVE]! - opinion[OPINION_NEGATIVE]!;
  if (kind === 'complaint') sentiment = Math.min(sentiment, -0.2);
  if (kind === 'praise') sentiment = Math.max(sentiment, 0.3);
  sentiment = round3(Math.max(-1, Math.min(1, sentiment)));

  // Severity: rules a bank signs off.
  const severityWhy: string[] = [];
  let severity: Severity = 'low';
  if (category === 'fraud_security') {
    if (fraudUrgent) {
      severity = 'high';
      severityWhy.push('fraud, unauthorised use or a lost/stolen card or phone');
    } else if (kind === 'complaint') {
      severity = 'medium';
      severityWhy.push('account-security complaint');
    }
  } else if (kind === 'complaint') {
    severity = ['transfers_payments', 'card_issues', 'debt_collection'].includes(category) ? 'medium' : 'low';
    if (severity === 'medium') severityWhy.push(`complaint about ${category.replace('_', ' ')}`);
  }
  const moneyLost = SEVERITY_CUES.moneyLost.find(view);
  if (category === 'fraud_security' && !moneyLost.length) {
    const taken = MONEY_TAKEN_EN.exec(lower)?.[0] ?? MONEY_TAKEN_ZH.exec(simplified)?.[0];
    if (taken) moneyLost.push(taken.trim());
  }
  if (moneyLost.length && kind !== 'praise') {
    // Money already gone through fraud is the case a bank must act on first.
    severity = category === 'fraud_security' && kind === 'complaint' ? 'critical' : atLeast(severity, 'high');
    severityWhy.push(`money lost (${quote(moneyLost)})`);
  }
  const vulnerable = SEVERITY_CUES.vulnerable.find(view);
  if (vulnerable.length && kind === 'complaint') {
    severity = raise(severity);
    severityWhy.push(`vulnerable customer (${quote(vulnerable)})`);
  }
  if (threatCues.length && kind === 'complaint') {
    severity = raise(severity);
    severityWhy.push(`threatens to go to a regulator, court or the press (${quote(threatCues)})`);
  }
  const urgent = SEVERITY_CUES.urgent.find(view);
  if (urgent.length && kind === 'complaint') {
    severity = atLeast(severity, 'medium');
    severityWhy.push(`asks for urgent action (${quote(urgent)})`);
  }
  reasons.push(`severity ${severity}${severityWhy.length ? `: ${severityWhy.join('; ')}` : ': no severity rule fired'}`);

  const channel = input.channel ?? 'unknown';
  return {
    kind,
    category,
    severity,
    sentiment,
    language: lang.language,
    confidence: round3(Math.min(catProbs[catIdx]!, 1)),
    reasons,
    codes: {
      jrt0169: {
        channel: JRT.channel[channel] ?? JRT.channel.unknown ?? 'unknown',
        business: JRT.business[category] ?? 'other',
        reason: JRT.reason[category] ?? 'other',
      },
    },
  };
}

/** The classifier port backed by `classifyText` (no I/O; the promise resolves immediately). */
export function createLocalClassifier(): Classifier {
  return {
    classify: (input) => Promise.resolve(classifyText(input)),
  };
}
