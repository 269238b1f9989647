/**
 * Kind: complaint, inquiry, suggestion or praise. Chinese is read by the opinion heads (a question without
 * an opinion is an inquiry, an opinion is a complaint or praise by its margin); English by the kind head. In
 * both, rules whose cue a bank would name add log-odds: explicit complaint words, fault reports, a stated
 * threat to go to a regulator, asking how to complain, thanks, suggestions, the customer's rating. Each rule
 * is a small function returning its cues; `decideKind` adds them up and says which one decided.
 */
import type { Kind } from '../../../schemas/feedback.ts';
import { KINDS } from '../../../schemas/feedback.ts';
import { OPINION_NEGATIVE, OPINION_NONE, OPINION_POSITIVE, type ClassifierHeads } from './heads.ts';
import { KIND_CUES, SEVERITY_CUES } from './lexicon.ts';
import type { MessageView } from './message.ts';
import { scoreHead, softmax } from './model.ts';
import { DECIDES, DECIDES_UNMODELLED, KIND_TUNING } from './tuning.ts';
import { argmax, quote, round3 } from './util.ts';

const K = (k: Kind): number => KINDS.indexOf(k);

/** The customer stating their own intent to escalate, or that they already have (see `threatRule`). */
const EN_THREAT_INTENT = /\b(?:i(?:'m| am)? (?:going|gonna|taking|about) to\b|i(?:'m| am) (?:taking|reporting|contacting|going)\b|i(?:'ll| will| shall) (?:be )?(?:take|taking|report|reporting|go|going|contact|write|complain|sue|escalate)\b|i(?:'ve| have) (?:already )?(?:reported|contacted|complained|written|gone)\b|we (?:will|are going to)\b|see you in court|report you|take you to|taking (?:this|it|you) to|i will be contacting|my (?:lawyer|solicitor|attorney) will)/;
const ZH_THREAT_INTENT = /我(?:要|会|将|就|已经|已|马上|一定)|已经向|要向|去.{0,8}(?:投诉|反映|举报|起诉|曝光)|向.{1,12}(?:投诉|反映|举报)|告你们|起诉你们|曝光你们/;
/** A question about how to complain, in either language. */
const ASKS_HOW = /[?？]|吗|怎么|如何|^(?:how|where|what|who|can|could)\b/;

/** The kind cues found in a message, each list already cleared of words inside a how-to-complain question. */
export interface KindCues {
  /** "how do I make a complaint", 投诉电话: asking how to complain. */
  process: string[];
  /** Softer complaint words (terrible, 失望). */
  complaint: string[];
  /** Words that decide a complaint ("formal complaint", 投诉, 强烈不满). */
  explicit: string[];
  praise: string[];
  suggestion: string[];
  /** Regulator, court or press words (whether or not the customer states an intent). */
  threat: string[];
}

/** Find every kind cue once. A complaint word inside "how do I make a complaint?" does not count on its own. */
export function findKindCues(message: MessageView): KindCues {
  const process = KIND_CUES.complaintProcess.find(message.view);
  const outsideProcess = (c: string): boolean => !process.some((p) => p.includes(c));
  return {
    process,
    complaint: KIND_CUES.complaint.find(message.view).filter(outsideProcess),
    explicit: KIND_CUES.complaintExplicit.find(message.view).filter(outsideProcess),
    praise: KIND_CUES.praise.find(message.view),
    suggestion: KIND_CUES.suggestion.find(message.view),
    threat: SEVERITY_CUES.escalationThreat.find(message.view),
  };
}

/** What the category decision found that bears on the kind. */
export interface FaultSignals {
  /** A phrase named a service failure beyond doubt ("rude", "on hold"). */
  namedBeyondDoubt: boolean;
  /** The cues of the category that phrase named. */
  categoryCues: string[];
  /** The text carries a word of fraud, theft or loss. */
  fraudWording: boolean;
}

/** What the kind decision found. */
export interface KindDecision {
  kind: Kind;
  /** Final log-odds per kind (KINDS order), after every rule: what calibration reads. */
  scores: Float64Array;
  /** The opinion head's probabilities (negative, positive, none). */
  opinion: Float64Array;
  /** Chinese: positive-minus-negative margin the praise / complaint split used (0 for other languages). */
  zhMargin: number;
  /** The customer states a threat to go to a regulator, a court or the press. */
  threatens: boolean;
  cues: KindCues;
  reason: string;
}

/** One rule's contribution: log-odds for a kind, the cues behind it, and the words for the reasons. */
interface RuleHit {
  kind: Kind;
  weight: number;
  cues: string[];
  why: string;
}

/**
 * Chinese: the opinion heads decide. A fault report ("转账失败，钱被扣了没到账") is a complaint unless it
 * thanks or praises; a question the head is sure carries no opinion is an inquiry (less sure is enough when
 * it has no opinion word or kind cue); any other opinion is praise above the margin, else a complaint.
 */
function chineseOpinionRule(heads: ClassifierHeads, message: MessageView, cues: KindCues, opinionScores: Float64Array, opinion: Float64Array, fraudWording: boolean): RuleHit & { margin: number } {
  let margin = opinionScores[OPINION_POSITIVE]! - opinionScores[OPINION_NEGATIVE]!;
  if (heads.sentimentZh && KIND_TUNING.zhSentimentMix > 0) {
    const s = scoreHead(heads.sentimentZh, message.features);
    margin = (1 - KIND_TUNING.zhSentimentMix) * margin + KIND_TUNING.zhSentimentMix * (s[1]! - s[0]!);
  }
  const anyComplaintCue = cues.complaint.length > 0 || cues.explicit.length > 0;
  const noOpinionWords = !message.signals.includes('L:pos') && !message.signals.includes('L:neg') && !anyComplaintCue && !cues.praise.length;
  // A short line without a question mark reads like a search query ("信用卡挂失流程") unless it carries an
  // opinion word ("这个APP真坑"): then it is a statement of opinion, not a question.
  const questionLike = message.zhQuestion || (message.length < 25 && noOpinionWords);
  const noneNeeded = noOpinionWords && message.zhQuestion ? KIND_TUNING.inquiryMinNoneNoOpinionWords : KIND_TUNING.inquiryMinNone;
  const fault = chineseFault(message, fraudWording);
  // Only thanks or praise keeps a fault report from being a complaint: a generic positive word such as
  // "成功" in "显示成功但对方一直没到账" is part of the fault being reported.
  if (fault.length && !cues.praise.length) return { kind: 'complaint', weight: 1, cues: [], why: `reports a fault (${quote(fault)})`, margin };
  // A plain question ("信用卡年费怎么收取？") with no opinion word, no kind cue and no fault asks: the heads,
  // trained on forum opinions where fees come up in complaints, must not turn its topic into a complaint.
  if (message.zhQuestion && noOpinionWords && KIND_TUNING.zhPlainQuestionIsInquiry && ZH_ASKS_FOR_INFORMATION.test(message.view.simplified) && !ZH_RHETORICAL.test(message.view.simplified)) return { kind: 'inquiry', weight: 1, cues: [], why: 'a question without an opinion word', margin };
  if (opinion[OPINION_NONE]! > noneNeeded && questionLike) return { kind: 'inquiry', weight: 1, cues: [], why: `a question without an opinion (${round3(opinion[OPINION_NONE]!)})`, margin };
  // A negative margin is never praise, nor is a message whose opinion words lean negative.
  const praise = margin > KIND_TUNING.zhPraiseMargin && !message.signals.includes('L:net-');
  return { kind: praise ? 'praise' : 'complaint', weight: 1, cues: [], why: `${praise ? 'positive' : 'negative'} opinion (margin ${round3(margin)})`, margin };
}

/**
 * Words that ask for information (how, how much, where, when, may I, please tell me), as opposed to "why",
 * which more often complains ("为什么额度这么低？"). Cantonese too (点样, 几多, 可唔可以).
 */
const ZH_ASKS_FOR_INFORMATION = /怎么(?!这么|那么|回事)|如何|请问|多少|哪里|哪儿|哪个|什么时候|何时|能否|能不能|可不可以|可以.{0,12}吗|是否|怎样|需要什么|要什么|多久|几天|点样|几多|几钱|可唔可以|有冇/;

/**
 * Marks of a rhetorical question, which complains rather than asks: 难道 / 凭什么 (surely not / by what
 * right), 这么 / 那么 + a quality ("额度这么低？"), 有什么用 / 干嘛 (what's the use), 是不是 (isn't it),
 * 怎么回事 (what is going on), and stacked question marks.
 */
const ZH_RHETORICAL = /难道|凭什么|这么|那么|有什么用|有啥用|干嘛|干啥|是不是|怎么回事|搞什么|什么鬼|[?？][?？!！]/;

/** Persistence words that turn a question about a fault into a complaint: "为什么三天了还没到账？". */
const ZH_STILL = /还|一直|到现在|至今|都\S{0,3}天|几天了|多久/;

/**
 * A Chinese fault report: a fault cue ("没到账", "被吞", "多收") in a statement, or in a question that says
 * the fault persists ("为什么转账三天了还没到账？"); and a report of fraud (冒用, 盗刷, 被骗) told, not asked.
 */
function chineseFault(message: MessageView, fraudWording: boolean): string[] {
  const statement = !message.zhQuestion;
  if (!statement && !ZH_STILL.test(message.view.simplified)) return [];
  const found = KIND_CUES.malfunction.find(message.view);
  // Reported, not looked up: "有人冒用我的身份证开了账户" tells what happened (了, 被, 有人); "信用卡挂失流程" is a query.
  if (!found.length && statement && fraudWording && /了|被|有人/.test(message.view.simplified)) return ['fraud reported'];
  return found;
}

/**
 * English statements (not questions) that report something broken ("The app logs me out every time…") or
 * name a service failure beyond doubt ("was rude", "kept me on hold"): the English training data has almost
 * no such rows, so the kind head alone wavers. "Why does the app log me out?" asks, and stays an inquiry.
 */
function englishFaultRule(message: MessageView, namedBeyondDoubt: boolean, categoryCues: string[]): RuleHit | null {
  const malfunction = message.long ? [] : KIND_CUES.malfunction.find(message.view);
  if (message.enQuestion) {
    // "Why is my cheque payment still pending?", "Why are your fees so high?": a why-question that says the
    // fault persists or judges is a complaint put as a question; "Why does the app log me out?" asks.
    const judges = EN_WHY_COMPLAINS.test(message.view.lower) && (malfunction.length > 0 || EN_PERSISTS_OR_JUDGES.test(message.view.lower));
    return judges ? { kind: 'complaint', weight: KIND_TUNING.whyComplaint, cues: malfunction, why: 'a why-question that complains' } : null;
  }
  if (malfunction.length) return { kind: 'complaint', weight: KIND_TUNING.malfunctionStatement, cues: malfunction, why: 'reports a fault' };
  if (namedBeyondDoubt) return { kind: 'complaint', weight: KIND_TUNING.malfunctionStatement, cues: categoryCues, why: 'names a service failure' };
  return null;
}

/** "Why", "how is it possible", "how come": questions about a cause, which complaints are often put as. */
const EN_WHY_COMPLAINS = /\b(?:why|how come|how is it possible)\b/;
/** A fault that persists or recurs (still, again, keep), or a judgement (so high, what the hell). */
const EN_PERSISTS_OR_JUDGES = /\b(?:still|again|keeps?|always|so (?:high|much|long|slow|expensive|many)|higher and higher|what the hell|wtf|ridiculous)\b/;

/**
 * A statement that the customer is taking the bank to a regulator, a court or the press is a complaint ("I'm
 * going to the ombudsman.", "我要向金融监管总局反映"); asking how to reach one is a question. The threat must
 * be the customer's own intent: the same words in passing ("a power of attorney", "the court ordered",
 * "人民银行的征信报告") say nothing about a complaint.
 */
function threatRule(message: MessageView, cues: KindCues, zh: boolean): RuleHit | null {
  if (!cues.threat.length) return null;
  const statesIntent = zh ? ZH_THREAT_INTENT.test(message.view.simplified) : EN_THREAT_INTENT.test(message.view.lower);
  const asks = zh ? message.zhQuestion : message.enQuestion || /[?？]/.test(message.view.lower);
  if (!statesIntent || asks) return null;
  return { kind: 'complaint', weight: DECIDES, cues: cues.threat, why: `threatens to go to a regulator, court or the press (${quote(cues.threat)})` };
}

/** Ratings are 0–10 or 1–5 depending on the channel; both scales are read the same way. */
function ratingRule(rating: number | undefined): RuleHit | null {
  if (rating === undefined) return null;
  const share = rating > 5 ? rating / 10 : rating / 5;
  if (share <= 0.4) return { kind: 'complaint', weight: KIND_TUNING.lowRating, cues: [], why: `a low rating (${rating})` };
  if (share >= 0.8) return { kind: 'praise', weight: KIND_TUNING.highRating, cues: [], why: `a high rating (${rating})` };
  return null;
}

/**
 * Rules that decide by their cues alone where the model has no labelled data: asking how to complain (and
 * nothing else that complains) is an inquiry; English thanks in a message whose opinion words lean positive
 * are praise; a suggestion is a suggestion — except "建议你别办" in a clearly negative Chinese post, which is
 * advice to other readers.
 */
function unmodelledKindRules(message: MessageView, cues: KindCues, zh: boolean, zhMargin: number): RuleHit[] {
  const hits: RuleHit[] = [];
  const anyComplaintCue = cues.complaint.length > 0 || cues.explicit.length > 0;
  if (cues.process.length && !anyComplaintCue && ASKS_HOW.test(message.view.simplified.trim())) {
    hits.push({ kind: 'inquiry', weight: DECIDES, cues: [], why: `asks how to complain (${quote(cues.process)})` });
  }
  if (!zh && !message.long && cues.praise.length && !anyComplaintCue && message.signals.includes('L:net+')) {
    hits.push({ kind: 'praise', weight: DECIDES_UNMODELLED, cues: cues.praise, why: 'thanks or praise' });
  }
  const clearlyNegativeChinese = zh && zhMargin < KIND_TUNING.zhAdviceMargin;
  if (cues.suggestion.length && !message.long && !anyComplaintCue && !clearlyNegativeChinese) {
    hits.push({ kind: 'suggestion', weight: DECIDES_UNMODELLED, cues: cues.suggestion, why: 'suggests' });
  }
  return hits;
}

/** Every rule that fires for a message, in the order they were written (the reasons name the deciding one). */
function kindRules(heads: ClassifierHeads, message: MessageView, cues: KindCues, zh: boolean, opinionScores: Float64Array, opinion: Float64Array, fault: FaultSignals, rating: number | undefined): { hits: RuleHit[]; zhMargin: number; replacesModel: boolean } {
  const hits: RuleHit[] = [];
  let zhMargin = 0;
  if (zh) {
    const opinionHit = chineseOpinionRule(heads, message, cues, opinionScores, opinion, fault.fraudWording);
    zhMargin = opinionHit.margin;
    hits.push(opinionHit);
  } else {
    if (message.long && !cues.praise.length) hits.push({ kind: 'complaint', weight: KIND_TUNING.longAccount, cues: [], why: 'a long written account of a problem' });
    // In Chinese the opinion heads already read the lexicon's opinion words; only the explicit words override them.
    if (cues.complaint.length) hits.push({ kind: 'complaint', weight: KIND_TUNING.complaintWord, cues: cues.complaint, why: 'complaint words' });
    const faultHit = englishFaultRule(message, fault.namedBeyondDoubt, fault.categoryCues);
    if (faultHit) hits.push(faultHit);
  }
  if (cues.explicit.length) hits.push({ kind: 'complaint', weight: DECIDES, cues: cues.explicit, why: 'explicit complaint words' });
  const threat = threatRule(message, cues, zh);
  if (threat) hits.push(threat);
  hits.push(...unmodelledKindRules(message, cues, zh, zhMargin));
  const ratingHit = ratingRule(rating);
  if (ratingHit) hits.push(ratingHit);
  return { hits, zhMargin, replacesModel: zh };
}

/**
 * The words for the deciding kind: its cues if any rule with cues voted for it, else what the strongest rule
 * for it said, else the model's confidence.
 */
function kindReason(kind: Kind, hits: RuleHit[], cues: KindCues, probabilities: Float64Array, zh: boolean): string {
  const forKind = hits.filter((h) => h.kind === kind);
  const named = kind === 'complaint' ? [...new Set(forKind.flatMap((h) => h.cues))] : kind === 'praise' ? cues.praise : kind === 'suggestion' ? cues.suggestion : [];
  if (named.length) return `kind ${kind}: cues ${quote(named)}`;
  // The Chinese opinion rule always fires; a threat or how-to rule speaks over it when it decided.
  const decisive = [...forKind].sort((a, b) => b.weight - a.weight)[0] ?? (zh ? hits[0] : undefined);
  if (decisive) return `kind ${kind}: ${decisive.why}`;
  return `kind ${kind}: model confidence ${round3(probabilities[KINDS.indexOf(kind)]!)}`;
}

/**
 * Decide the kind. `fault` carries what the category decision found that bears on it (a phrase naming a
 * service failure beyond doubt, and that category's cues).
 */
export function decideKind(heads: ClassifierHeads, message: MessageView, zh: boolean, fault: FaultSignals, rating?: number): KindDecision {
  const opinionScores = scoreHead(heads.opinion, message.features);
  const opinion = softmax(opinionScores);
  const cues = findKindCues(message);
  const { hits, zhMargin, replacesModel } = kindRules(heads, message, cues, zh, opinionScores, opinion, fault, rating);
  // In Chinese the opinion rule replaces the kind head (its training data is thin there); in English the
  // rules add to the head's log-odds.
  const scores = replacesModel ? new Float64Array(KINDS.length) : scoreHead(heads.kind, message.features);
  for (const hit of hits) scores[K(hit.kind)]! += hit.weight;
  const probabilities = softmax(scores);
  const kind = KINDS[argmax(probabilities)]!;
  return {
    kind,
    scores,
    opinion,
    zhMargin,
    threatens: hits.some((h) => h.why.startsWith('threatens')),
    cues,
    reason: kindReason(kind, hits, cues, probabilities, zh),
  };
}
