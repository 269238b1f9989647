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
import { hasFraudWording } from './decide-category.ts';
import { KIND_CUES, PATTERNS, SEVERITY_CUES } from './lexicon.ts';
import type { MessageView } from './message.ts';
import { scoreHead, softmax } from './model.ts';
import { DECIDES, DECIDES_UNMODELLED, KIND_TUNING } from './tuning.ts';
import { addLogProbabilities, argmax, quote, round3, towards } from './util.ts';

const K = (k: Kind): number => KINDS.indexOf(k);

/** A charge named with an amount or as another one ("£5 charge", "charging me £12", "another fee"). */
const EN_CHARGED = /(?:[$£€¥]\s?\d[\d,.]*\s*(?:charge|fee)|\bcharg(?:ed|ing) me\b|\banother (?:fee|charge)\b)/;
/** Thanks for a fault put right. */
const EN_RESOLVED = /\b(?:sorted|fixed|resolved|refunded|put (?:it|this) right|spotted|stopped|blocked)\b/;
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
  /** The customer kind head's probability of a complaint on its own (0 without the head): calibration reads it. */
  customerComplaint: number;
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
 * `firm`: decided by a rule of its own (a fault, a plain question, sarcasm, thanks) rather than by the heads.
 */
function chineseOpinionRule(heads: ClassifierHeads, message: MessageView, cues: KindCues, opinionScores: Float64Array, opinion: Float64Array, fraudWording: boolean): RuleHit & { margin: number; firm: boolean } {
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
  const resolved = ZH_RESOLVED.test(message.view.simplified);
  // A fault report is a complaint unless the thanks are for putting it right ("…失败了，客服很快解决了，谢谢");
  // "真是谢谢你们啊，又多扣了我50块" thanks nobody. A generic positive word such as "成功" in
  // "显示成功但对方一直没到账" is part of the fault being reported.
  if (fault.length && !(cues.praise.length && resolved)) return { kind: 'complaint', weight: 1, cues: [], why: `reports a fault (${quote(fault)})`, margin, firm: true };
  // A plain question ("信用卡年费怎么收取？") with no opinion word, no kind cue and no fault asks: the heads,
  // trained on forum opinions where fees come up in complaints, must not turn its topic into a complaint.
  if (message.zhQuestion && noOpinionWords && KIND_TUNING.zhPlainQuestionIsInquiry && ZH_ASKS_FOR_INFORMATION.test(message.view.simplified) && !ZH_RHETORICAL.test(message.view.simplified)) return { kind: 'inquiry', weight: 1, cues: [], why: 'a question without an opinion word', margin, firm: true };
  if (opinion[OPINION_NONE]! > noneNeeded && questionLike && !ZH_RHETORICAL.test(message.view.simplified)) return { kind: 'inquiry', weight: 1, cues: [], why: `a question without an opinion (${round3(opinion[OPINION_NONE]!)})`, margin, firm: false };
  const leansNegative = message.signals.includes('L:net-');
  // Thanks or praise words (感谢, 点赞, 很耐心) with no fault and opinion words not leaning negative are praise,
  // whatever the margin: the heads learnt praise from forum posts about credit limits, not thanks to staff.
  // Sarcastic thanks ("真是谢谢你们啊，存了一年的钱利息还不够扣年费的", "恭喜贵行，本月第三次莫名锁卡成功";
  // lexicon.json `patterns.sarcasmZh`: a mocking particle, congratulations to the bank; not 多谢晒 or 好有心,
  // as often sincere) complain, unless they thank for something put right.
  const sarcastic = PATTERNS.sarcasmZh.test(message.view.simplified) && !resolved;
  if (sarcastic) return { kind: 'complaint', weight: 1, cues: [], why: 'sarcastic thanks', margin, firm: true };
  if (cues.praise.length && !leansNegative && !message.zhQuestion) return { kind: 'praise', weight: 1, cues: cues.praise, why: 'thanks or praise', margin, firm: true };
  // A negative margin is never praise, nor is a message whose opinion words lean negative, nor an indignant
  // question ("年费到底怎么算的？", 凭什么, 难道).
  const praise = margin > KIND_TUNING.zhPraiseMargin && !leansNegative && !ZH_INDIGNANT.test(message.view.simplified);
  return { kind: praise ? 'praise' : 'complaint', weight: 1, cues: [], why: `${praise ? 'positive' : 'negative'} opinion (margin ${round3(margin)})`, margin, firm: false };
}

/** Indignant question words: 到底 / 究竟 (on earth), 凭什么 (by what right), 难道 (surely not), 怎么回事. */
const ZH_INDIGNANT = /到底|究竟|凭什么|难道|怎么回事/;

/** Thanks for a fault put right: 解决了, 处理好了, 搞定, 办好了, 很快, 及时 (Cantonese 搞掂). */
const ZH_RESOLVED = /解决了|处理好了|处理了|搞定|搞掂|办好了|很快|及时|帮我/;

/**
 * Words that ask for information (how, how much, where, when, may I, please tell me), as opposed to "why",
 * which more often complains ("为什么额度这么低？"). Cantonese too (点样, 几多, 可唔可以).
 */
const ZH_ASKS_FOR_INFORMATION = /怎么(?!这么|那么|回事)|如何|请问|多少|哪里|哪儿|哪个|什么时候|何时|能否|能不能|可不可以|可以.{0,12}吗|是否|怎样|需要什么|要什么|多久|几天|点样|几多|几钱|可唔可以|有冇/;

/**
 * Marks of a rhetorical question, which complains rather than asks: 难道 / 凭什么 (surely not / by what
 * right), 这么 / 那么 + a quality ("额度这么低？"), 有什么用 / 干嘛 (what's the use), 是不是 (isn't it),
 * 怎么回事 (what is going on), 到底 / 究竟 (after all, on earth), and stacked question marks.
 */
const ZH_RHETORICAL = /难道|凭什么|这么|那么|有什么用|有啥用|干嘛|干啥|是不是|怎么回事|搞什么|什么鬼|到底|究竟|[?？][?？!！]/;

/** Persistence words that turn a question about a fault into a complaint: "为什么三天了还没到账？". */
const ZH_STILL = /还|一直|到现在|至今|都\S{0,3}天|几天了|多久/;

/**
 * A Chinese fault report: a fault cue ("没到账", "被吞", "多收") in a statement clause, or in a question that
 * says the fault persists ("为什么转账三天了还没到账？"); and fraud (冒用, 盗刷, 被骗) told in a statement
 * clause ("…5万块被骗走了，你们为什么没有拦截").
 */
function chineseFault(message: MessageView, fraudWording: boolean): string[] {
  const found = [...message.statedFaults];
  if (message.zhQuestion && ZH_STILL.test(message.view.simplified)) found.push(...message.faults.filter((c) => !found.includes(c)));
  // Reported, not looked up: "有人冒用我的身份证开了账户" tells what happened (了, 被, 有人; Cantonese 咗, 俾人);
  // "信用卡挂失流程" is a query.
  if (!found.length && fraudWording && hasFraudWording(message.statements) && /了|被|有人|咗|俾人|畀人/.test(message.statements.simplified)) return ['fraud reported'];
  return found;
}

/**
 * English statements (not questions) that report something broken ("The app logs me out every time…") or
 * name a service failure beyond doubt ("was rude", "kept me on hold"): the English training data has almost
 * no such rows, so the kind head alone wavers. "Why does the app log me out?" asks, and stays an inquiry.
 */
function englishFaultRule(message: MessageView, namedBeyondDoubt: boolean, categoryCues: string[], fraudWording: boolean): RuleHit | null {
  if (message.long) return null;
  // Statements first: "I sent £450 on Monday and it still hasn't arrived. Where is my money?" states the fault.
  const stated = message.statedFaults;
  // A fault said to persist ("has been pending for 3 days", "still hasn't arrived") counts as a why-question
  // that says so: the kind head learnt BANKING77's pending-payment rows as inquiries.
  if (stated.length) return { kind: 'complaint', weight: EN_PERSISTS_OR_JUDGES.test(message.view.lower) ? KIND_TUNING.whyComplaint : KIND_TUNING.malfunctionStatement, cues: stated, why: 'reports a fault' };
  // Fraud told ("My father was talked into moving £20,000 by a cold caller. Why didn't the bank stop it?").
  // Thanks for fraud stopped ("Your fraud team spotted a dodgy payment… thanks") report no fraud to complain of.
  if (fraudWording && hasFraudWording(message.statements) && !EN_RESOLVED.test(message.view.lower)) return { kind: 'complaint', weight: KIND_TUNING.malfunctionStatement, cues: [], why: 'reports fraud' };
  if (message.enQuestion) {
    // "Why is my cheque payment still pending?", "Why are your fees so high?": a why-question that says the
    // fault persists or judges is a complaint put as a question; "Why does the app log me out?" asks.
    const malfunction = message.faults;
    const judges = EN_WHY_COMPLAINS.test(message.view.lower) && (malfunction.length > 0 || EN_PERSISTS_OR_JUDGES.test(message.view.lower));
    return judges ? { kind: 'complaint', weight: KIND_TUNING.whyComplaint, cues: malfunction, why: 'a why-question that complains' } : null;
  }
  if (namedBeyondDoubt) return { kind: 'complaint', weight: KIND_TUNING.malfunctionStatement, cues: categoryCues, why: 'names a service failure' };
  return null;
}

/**
 * An English question that asks how something works or what to do ("Does the app log me out after a few
 * minutes?", "Can I cancel a transfer?"), with nothing stated as gone wrong, no why, no word that it persists
 * or judges, no complaint word and no word of fraud, leans to an inquiry: the customer kind head learnt the
 * topics of complaints ("log me out") and reads a question about them as one.
 */
function englishAsksRule(message: MessageView, cues: KindCues, fraudWording: boolean): RuleHit | null {
  if (message.long || !message.enQuestion || message.statedFaults.length || fraudWording || cues.complaint.length || cues.explicit.length) return null;
  const lower = message.view.lower;
  if (!EN_ASKS.test(lower) || EN_WHY_COMPLAINS.test(lower) || EN_PERSISTS_OR_JUDGES.test(lower) || message.signals.includes('L:net-')) return null;
  return { kind: 'inquiry', weight: KIND_TUNING.asksInquiry, cues: [], why: 'a question that asks how something works' };
}

/**
 * Words that open a question asking for information or how to do something; not "what happened to…", "is
 * anyone…", "are you serious", which ask about something gone wrong.
 */
const EN_ASKS = /^(?:hi|hello|hey|dear [a-z]+)?[,!. ]*(?:does|do|can|could|is(?! (?:any|no) ?(?:one|body))|are(?! you (?:serious|kidding|joking))|will|would|should|how (?:do|can|long|much|many|often|does)|what(?!(?:'s| is| has)? (?:happen|going on|wrong)| the (?:hell|heck))|when|which|where can)\b/;

/** "Why", "how is it possible", "how come": questions about a cause, which complaints are often put as. */
const EN_WHY_COMPLAINS = /\b(?:why|how come|how is it possible)\b/;
/** A fault that persists or recurs (still, again, keep), or a judgement (so high, what the hell). */
const EN_PERSISTS_OR_JUDGES = /\b(?:still|again|keeps?|always|so (?:high|much|long|slow|expensive|many)|higher and higher|what the hell|wtf|ridiculous|for (?:a|one|two|three|four|five|six|several|\d+) (?:days?|weeks?|months?))\b/;

/**
 * A statement that the customer is taking the bank to a regulator, a court or the press is a complaint ("I'm
 * going to the ombudsman.", "我要向金融监管总局反映"); asking how to reach one is a question. The threat must
 * be the customer's own intent: the same words in passing ("a power of attorney", "the court ordered",
 * "人民银行的征信报告") say nothing about a complaint.
 */
function threatRule(message: MessageView, cues: KindCues, zh: boolean): RuleHit | null {
  if (!cues.threat.length) return null;
  const statesIntent = zh ? PATTERNS.threatIntent.zh.test(message.view.simplified) : PATTERNS.threatIntent.en.test(message.view.lower);
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
  // "Thanks for charging me £12 to tell me I was overdrawn" thanks for a fault: sarcasm, not praise, unless the
  // thanks are for putting something right.
  const sarcastic = cues.praise.length > 0 && (message.faults.length > 0 || EN_CHARGED.test(message.view.lower)) && !EN_RESOLVED.test(message.view.lower);
  if (!zh && !message.long && cues.praise.length && !anyComplaintCue && !sarcastic && message.signals.includes('L:net+')) {
    hits.push({ kind: 'praise', weight: DECIDES_UNMODELLED, cues: cues.praise, why: 'thanks or praise' });
  }
  if (!zh && cues.praise.length && sarcastic) hits.push({ kind: 'complaint', weight: KIND_TUNING.malfunctionStatement, cues: cues.praise, why: 'thanks for a fault: sarcasm' });
  // A message that opens with the suggestion ("建议…", "希望…") makes it to the bank, however negative its mood.
  const clearlyNegativeChinese = zh && zhMargin < KIND_TUNING.zhAdviceMargin && !/^(?:建议|希望)/.test(message.view.simplified.trim());
  if (cues.suggestion.length && !message.long && !anyComplaintCue && !clearlyNegativeChinese) {
    hits.push({ kind: 'suggestion', weight: DECIDES_UNMODELLED, cues: cues.suggestion, why: 'suggests' });
  }
  return hits;
}

/** Every rule that fires for a message, in the order they were written (the reasons name the deciding one). */
function kindRules(heads: ClassifierHeads, message: MessageView, cues: KindCues, zh: boolean, opinionScores: Float64Array, opinion: Float64Array, fault: FaultSignals, rating: number | undefined): { hits: RuleHit[]; zhMargin: number; replacesModel: boolean; firm: boolean } {
  const hits: RuleHit[] = [];
  let zhMargin = 0;
  let firm = false;
  if (zh) {
    const { margin, firm: opinionFirm, ...opinionHit } = chineseOpinionRule(heads, message, cues, opinionScores, opinion, fault.fraudWording);
    zhMargin = margin;
    firm = opinionFirm;
    hits.push(opinionHit);
  } else {
    if (message.long && !cues.praise.length) hits.push({ kind: 'complaint', weight: KIND_TUNING.longAccount, cues: [], why: 'a long written account of a problem' });
    // In Chinese the opinion heads already read the lexicon's opinion words; only the explicit words override them.
    if (cues.complaint.length) hits.push({ kind: 'complaint', weight: KIND_TUNING.complaintWord, cues: cues.complaint, why: 'complaint words' });
    // A fault or fraud told, or a why-question that complains, speaks over a question that merely asks.
    const hit = englishFaultRule(message, fault.namedBeyondDoubt, fault.categoryCues, fault.fraudWording) ?? englishAsksRule(message, cues, fault.fraudWording);
    if (hit) hits.push(hit);
  }
  if (cues.explicit.length) hits.push({ kind: 'complaint', weight: DECIDES, cues: cues.explicit, why: 'explicit complaint words' });
  const threat = threatRule(message, cues, zh);
  if (threat) hits.push(threat);
  hits.push(...unmodelledKindRules(message, cues, zh, zhMargin));
  const ratingHit = ratingRule(rating);
  if (ratingHit) hits.push(ratingHit);
  return { hits, zhMargin, replacesModel: zh, firm };
}

/**
 * The words for the deciding kind: its cues if any rule with cues voted for it, else what the strongest rule
 * for it said, else the model's confidence.
 */
function kindReason(kind: Kind, hits: RuleHit[], cues: KindCues, probabilities: Float64Array, zh: boolean, customer: Float64Array | null): string {
  const forKind = hits.filter((h) => h.kind === kind);
  const named = kind === 'complaint' ? [...new Set(forKind.flatMap((h) => h.cues))] : kind === 'praise' ? cues.praise : kind === 'suggestion' ? cues.suggestion : [];
  if (named.length) return `kind ${kind}: cues ${quote(named)}`;
  // The Chinese opinion rule always fires; a threat or how-to rule speaks over it when it decided.
  const decisive = [...forKind].sort((a, b) => b.weight - a.weight)[0];
  if (decisive) return `kind ${kind}: ${decisive.why}`;
  // In Chinese a kind no rule gave came from the customer kind head outweighing the opinion rule.
  if (zh && hits[0] && customer) return `kind ${kind}: reads as a ${kind} as customers write (${round3(customer[K(kind)]!)}), over the opinion rule's ${hits[0].kind}`;
  return `kind ${kind}: model confidence ${round3(probabilities[KINDS.indexOf(kind)]!)}`;
}

/**
 * Praise needs the customer kind head not to read a complaint. The opinion heads learned praise from forum
 * posts and the praise cues from thanks, so sarcasm ("52 minutes on hold … Brilliant.", "真是谢谢你们啊"),
 * polite complaints that end in thanks, and Cantonese they barely know come out as praise, which would
 * give a complaint no clock at all; the head trained on messages as customers write them tells those apart.
 * Changes the scores in place so that the complaint wins, and says why.
 */
function praiseVeto(scores: Float64Array, customer: Float64Array | null): RuleHit | null {
  const praise = K('praise');
  const complaint = K('complaint');
  if (!customer || customer[complaint]! < KIND_TUNING.praiseVeto || argmax(scores) !== praise) return null;
  const weight = scores[praise]! - scores[complaint]! + 1;
  scores[complaint]! += weight;
  return { kind: 'complaint', weight, cues: [], why: `reads as a complaint as customers write (${round3(customer[complaint]!)}), not praise` };
}

/**
 * Praise must not come from the register's extra weight on the customer kind head alone: that head reads
 * sarcasm ("真係好勁，每個月一號出糧日app都準時死機", "哇，你們真厲害…") and some plain complaints ("The man at the
 * counter was condescending and ignored me for ten minutes") as praise often enough that, in the five folds,
 * the extra weight unguarded read 9 more Chinese and 10 more English written complaints as praise. When the
 * kind without the extra weight (`extra`, its log-probabilities' multiplier) is not praise, that kind stands.
 * Changes the scores in place, and says why.
 */
function noPraiseFromRegisterAlone(scores: Float64Array, customer: Float64Array, extra: number): RuleHit | null {
  const praise = K('praise');
  if (extra <= 0 || argmax(scores) !== praise) return null;
  const without = scores.map((s, i) => s - extra * Math.log(Math.max(customer[i]!, KIND_TUNING.customerFloor)));
  const kind = argmax(without);
  if (kind === praise) return null;
  const weight = scores[praise]! - scores[kind]! + 1;
  scores[kind]! += weight;
  return { kind: KINDS[kind]!, weight, cues: [], why: 'praise only by the customer register' };
}

/**
 * Decide the kind. `fault` carries what the category decision found that bears on it (a phrase naming a
 * service failure beyond doubt, and that category's cues); `customerLike` how far the message reads as a
 * customer's message to the bank (0 to 1, the register head).
 */
export function decideKind(heads: ClassifierHeads, message: MessageView, zh: boolean, fault: FaultSignals, customerLike = 0, rating?: number): KindDecision {
  const opinionScores = scoreHead(heads.opinion, message.features);
  const opinion = softmax(opinionScores);
  const cues = findKindCues(message);
  const { hits, zhMargin, replacesModel, firm } = kindRules(heads, message, cues, zh, opinionScores, opinion, fault, rating);
  // In Chinese the opinion rule replaces the kind head (its training data is thin there); in English the
  // rules add to the head's log-odds.
  const scores = replacesModel ? new Float64Array(KINDS.length) : scoreHead(heads.kind, message.features);
  // No English public source has praise or suggestions, so the kind head's English scores for them say
  // nothing: praise is lifted to within a set gap of its complaint score, a suggestion to within one of the
  // higher of complaint and inquiry (suggestions are put as requests and questions as often as grumbles), and
  // the customer head and the cues decide.
  if (!replacesModel) {
    scores[K('praise')] = Math.max(scores[K('praise')]!, scores[K('complaint')]! - KIND_TUNING.englishPraiseGap);
    scores[K('suggestion')] = Math.max(scores[K('suggestion')]!, Math.max(scores[K('complaint')]!, scores[K('inquiry')]!) - KIND_TUNING.englishSuggestionGap);
  }
  // The customer kind head (trained on messages written as customers write) adds its log-probabilities.
  // More for a message in a customer's register: the public sources' texts keep the weight chosen for them, and
  // so does a Chinese message the opinion rule decided by a rule of its own (a fault told, a plain question).
  const baseWeight = zh ? KIND_TUNING.customerWeightZh : KIND_TUNING.customerWeightEn;
  const customerWeight = firm ? baseWeight : towards(baseWeight, zh ? KIND_TUNING.customerWeightZhCustomer : KIND_TUNING.customerWeightEnCustomer, customerLike);
  const customer = heads.customerKind ? softmax(scoreHead(heads.customerKind, message.features)) : null;
  if (customer && customerWeight > 0) addLogProbabilities(scores, customer, customerWeight, KIND_TUNING.customerFloor);
  for (const hit of hits) scores[K(hit.kind)]! += hit.weight;
  // The veto reads the customer head, which knows customers' messages; a Chinese text in the public register
  // (forum posts like CCF's) keeps what the opinion heads, trained on such posts, read. (A model without the
  // register head vetoes every text, as before it.)
  const publicRegister = heads.register !== null && customerLike === 0;
  const veto = zh && publicRegister ? null : praiseVeto(scores, customer);
  if (veto) hits.push(veto);
  if (customer) {
    const guard = noPraiseFromRegisterAlone(scores, customer, customerWeight - baseWeight);
    if (guard) hits.push(guard);
  }
  const probabilities = softmax(scores);
  const kind = KINDS[argmax(probabilities)]!;
  return {
    kind,
    scores,
    opinion,
    zhMargin,
    threatens: hits.some((h) => h.why.startsWith('threatens')),
    customerComplaint: customer ? customer[K('complaint')]! : 0,
    cues,
    reason: kindReason(kind, hits, cues, probabilities, zh, customer),
  };
}
