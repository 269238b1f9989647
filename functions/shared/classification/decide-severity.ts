/**
 * Severity: rules a bank signs off, each named in the reasons. A complaint starts at its category's floor
 * (`COMPLAINT_SEVERITY`); fraud with words of theft or loss is high; money lost makes it at least high (and a
 * fraud complaint with money gone critical); a vulnerable customer or a threat to go to the regulator raises
 * a complaint one level; urgent wording makes it at least medium.
 */
import type { Category, Kind, Severity } from '../../../schemas/feedback.ts';
import { SEVERITIES } from '../../../schemas/feedback.ts';
import type { TextView } from './features.ts';
import { SEVERITY_CUES } from './lexicon.ts';
import { SEVERITY_TUNING } from './tuning.ts';
import { quote } from './util.ts';

/**
 * Where a complaint's severity starts, per category: money in motion (transfers, cards) and debt collection
 * start at medium, as the dataset mapping and the bank's policy have them; fraud is decided by its own rule.
 * Typed over every category, so a new category in the schema must be given its floor here.
 */
export const COMPLAINT_SEVERITY: Record<Category, Severity> = {
  service_attitude: 'low',
  resolution_efficiency: 'low',
  waiting_time: 'low',
  digital_banking: 'low',
  fees_pricing: 'low',
  fraud_security: 'medium',
  misselling_disclosure: 'low',
  debt_collection: 'medium',
  card_issues: 'medium',
  transfers_payments: 'medium',
  other: 'low',
};

/**
 * An amount of money taken, in the same sentence as the taking: "took 5000 yuan", "$300 was withdrawn",
 * "被刷了5000元", "2万块被转走". Only read for fraud, where it means the money is already gone (a fee
 * complaint naming an amount is not money lost). Amounts survive PII masking: they are look-alikes it keeps.
 */
// A currency sign may carry its country ("hk$", "s$", "nt$"; "rm" for ringgit). Amounts have at most 12 digit characters and must not start inside a longer number: a bounded pattern, so
// an adversarial run of digits and commas costs linear time, not a rescan from every comma.
const AMOUNT_EN = String.raw`(?:(?:(?:\b(?:hk|us|s|a|c|nz|nt))?\$|[£€¥]|\brm)\s?\d[\d,]{0,12}(?:\.\d{1,2})?(?:\s?k\b)?|(?<![\d,.])\d[\d,]{0,12}(?:\.\d{1,2})?\s?(?:k\s?)?(?:yuan|rmb|cny|dollars?|usd|bucks|pounds?|quid|gbp|euros?|eur|hkd)\b)`;
// Taking by someone else: "I took 200 pounds out" or "I withdrew" is the customer's own doing.
const TAKEN_EN = String.raw`(?<!\bi )\b(?:took|taken|stole|stolen|withdrew|withdrawn|debited|drained|missing|gone)\b`;
// "took 5000 yuan", or the amount as the subject of a passive taking: "$300 was withdrawn", "£800 gone".
const TAKEN_PASSIVE_EN = String.raw`\s+(?:(?:was|were|has been|had been|have been|got|being)\s+(?:taken|stolen|withdrawn|debited|drained|transferred out)|(?:is\s+|was\s+)?(?:missing|gone))\b`;
const MONEY_TAKEN_EN = new RegExp(`${TAKEN_EN}[^.!?\n]{0,40}?${AMOUNT_EN}|${AMOUNT_EN}${TAKEN_PASSIVE_EN}`);
// A scam the customer was talked into paying (authorised push payment fraud): the money left by their own
// hand, "I transferred £1,500", "sent HK$320,000", and is as gone as if it had been taken.
const SCAM_EN = /\b(?:scam\w*|fraudsters?|fake|pretend(?:ing|ed) to be|posing as|claim(?:ing|ed) to be|impersonat\w+|safe account)\b/;
// Transactions told as fraud, with an amount: "6 online purchases totalling £1,130", "three Zelle payments of
// $500", "transactions I didn't make: £95, £240": the money went out, unless the text says it was stopped.
const TXN = 'payments?|purchases?|transactions?|charges?|withdrawals?|transfers?';
const SPENT_EN = new RegExp(String.raw`\b(?:${TXN}|direct debits?|totall?ing)\b[^.!?\n]{0,60}?${AMOUNT_EN}|${AMOUNT_EN}[^.!?\n]{0,40}?\b(?:${TXN}|went out)\b`);
// ... or says the customer made them ("that was me").
const STOPPED_EN = /\b(?:attempt(?:ed|s)?|tried|trying|declined|blocked|stopped|refunded|reversed|nothing (?:was |has been )?(?:taken|moved|lost)|no money|didn'?t go through|that was me|i made (?:it|them|that|those))\b/;
const PAID_EN = new RegExp(String.raw`\b(?:pa(?:y|id)|sen[dt]|transfer(?:red)?|move[d]?|hand(?:ed)? over|gave (?:them|him|her))\b[^.!?\n]{0,40}?${AMOUNT_EN}`);
// Digits or Chinese numerals ("2万块", "两万蚊", "十万"), with 元 / 块 / 蚊 (Cantonese) or 万 / 千 as the unit.
const AMOUNT_ZH = String.raw`(?:(?<![\d,.])\d[\d,.]{0,12}|[一二两三四五六七八九十百千]{1,6})\s?(?:万|千)?\s?(?:元|块|蚊|美元|港币|rmb)|(?:(?<![\d,.])\d[\d,.]{0,12}|[一二两三四五六七八九十百]{1,4})\s?万`;
const MONEY_TAKEN_ZH = new RegExp(`(?:刷|碌|转走|盗|骗|取走|扣|少了|损失)[^。！？\n]{0,12}?(?:${AMOUNT_ZH})|(?:${AMOUNT_ZH})[^。！？\n]{0,10}?(?:被刷|被盗|被转|被骗|被取|不见了|没了)`);
// Money lost in any category, an amount named: "we lost £8,000", "lost over $5,000", "£2,000 out of pocket".
// The lexicon's phrases name loss without an amount ("lost money", "life savings"); a stated sum is the
// commonest way customers say it (the Chinese lists' 亏了 / 损失 already take any amount after them).
const LOST_AMOUNT_EN = new RegExp(String.raw`\b(?:lost|out of pocket by)\s+(?:(?:over|about|nearly|almost|around|roughly|more than|at least|all|of|my|our|his|her|their|the|entire|whole)\s+){0,3}${AMOUNT_EN}|${AMOUNT_EN}\s+(?:out of pocket|lost)\b`);

// Money short or taken in error, an amount named: "£640 short", "overcharged me £90", "多扣了1260", "吞了我两千块",
// "少咗$200": the bank holds money that is the customer's, which its policy counts as money lost.
const SHORT_AMOUNT_EN = new RegExp(String.raw`\b(?:overcharged(?: me)?(?: by)?|short by|swallowed|kept)\s+${AMOUNT_EN}|${AMOUNT_EN}\s+(?:short|missing)\b`);
const SHORT_AMOUNT_ZH = new RegExp(String.raw`(?:多扣|多收|多付|多缴|重复扣|吞了|吞咗|食咗|少了|少咗)[^。！？\n]{0,12}?(?:${AMOUNT_ZH}|${AMOUNT_EN})|(?:${AMOUNT_ZH}|${AMOUNT_EN})[^。！？\n]{0,10}?(?:不见了|唔见咗|没了|冇咗|没退|未退|冇退|少了|少咗)`);

// Money paid over in a fraud told ("我慌了就转了3000块过去", "前后汇了三十多万", "过咗$30,000俾佢"): gone to the
// fraudster, unless the payment was stopped (差点, 及时拦住, 止付成功, 幸好没转).
const PAID_ZH = new RegExp(String.raw`(?:转|汇|付|打|过|俾|畀|给|充)(?:了|咗|过去|出去|进去)?[^。！？\n]{0,12}?(?:${AMOUNT_ZH}|${AMOUNT_EN})`);
const STOPPED_ZH = /差点|差啲|及时|拦截|拦住|拦下|截停|止付成功|没转|未转|冇过|幸好|好彩|没有损失|冇损失/;

const raise = (s: Severity, by = 1): Severity => SEVERITIES[Math.min(SEVERITIES.length - 1, SEVERITIES.indexOf(s) + by)]!;
const atLeast = (s: Severity, floor: Severity): Severity => (SEVERITIES.indexOf(s) >= SEVERITIES.indexOf(floor) ? s : floor);

/** What severity reads: the decided kind and category, the text, and what the other decisions found. */
export interface SeverityInput {
  kind: Kind;
  category: Category;
  view: TextView;
  /** The text carries a word of fraud, theft or loss. */
  fraudWording: boolean;
  /** Regulator, court or press words found. */
  threatCues: string[];
  /**
   * The severity head's probabilities (low, medium, high, critical), when the model has one: read only when
   * its rule can apply, so most messages (inquiries, praise) never pay for scoring it.
   */
  modelSeverity?: (() => Float64Array) | null;
  /**
   * The message is not taken as a complaint but triage holds it as a possible one: it is given the severity it
   * has as a complaint (said in the reason), so the queue shows what is at stake and a handler who settles it
   * as a complaint opens it at the severity the bank's rules set, not at an inquiry's low. Threat words are
   * left out then: a threat to go to a regulator or court decides a complaint (decide-kind.ts), so in a
   * message not taken as one they are a mention in passing ("the court ordered the funds released").
   */
  possibleComplaint?: boolean;
}

/** The severity decision and the rules that fired. */
export interface SeverityDecision {
  severity: Severity;
  reason: string;
}

/** The starting severity: fraud by its own rule, a complaint at its category's floor, anything else low. */
function baseSeverity(input: SeverityInput, why: string[]): Severity {
  // A complaint telling of fraud or theft is high whatever category it was filed under ("someone took £300
  // from my account" read as a transfer): the severity floor must not hang on the category decision.
  if (input.fraudWording && (input.category === 'fraud_security' || input.kind === 'complaint')) {
    why.push('fraud, unauthorised use or a lost/stolen card or phone');
    return 'high';
  }
  if (input.kind !== 'complaint') return 'low';
  const floor = COMPLAINT_SEVERITY[input.category];
  if (floor !== 'low') why.push(input.category === 'fraud_security' ? 'account-security complaint' : `complaint about ${input.category.replace('_', ' ')}`);
  return floor;
}

/**
 * Money already gone: a money-lost phrase; else an amount named as lost, or, in a complaint, as held in
 * error; else, for fraud, an amount named as taken, paid to a scammer, or spent in transactions not stopped.
 */
function moneyLostCues(input: SeverityInput): string[] {
  const { lower, simplified } = input.view;
  const cues = SEVERITY_CUES.moneyLost.find(input.view);
  if (cues.length) return cues;
  const lost = LOST_AMOUNT_EN.exec(lower) ?? (input.kind === 'complaint' ? SHORT_AMOUNT_EN.exec(lower) ?? SHORT_AMOUNT_ZH.exec(simplified) : null);
  if (lost) return [lost[0].trim()];
  if (input.category !== 'fraud_security' && !input.fraudWording) return [];
  const taken =
    MONEY_TAKEN_EN.exec(lower) ??
    MONEY_TAKEN_ZH.exec(simplified) ??
    (SCAM_EN.test(lower) ? PAID_EN.exec(lower) : null) ??
    (input.fraudWording && !STOPPED_EN.test(lower) ? SPENT_EN.exec(lower) : null) ??
    (input.fraudWording && !STOPPED_ZH.test(simplified) ? PAID_ZH.exec(simplified) : null);
  return taken ? [taken[0].trim()] : [];
}

/**
 * An age a bank's vulnerability policy names (65 and over), stated: "82 year old", "aged 70", "in her 80s",
 * "七十多岁", "八十几岁", "75岁", "年过七旬".
 */
const OLD_AGE_EN = /\b(?:(?:6[5-9]|[7-9]\d|1[01]\d)[- ]?(?:years?|yrs?)[- ]old|aged (?:6[5-9]|[7-9]\d)|in (?:his|her|their) (?:70|80|90)s|(?:i'?m|i am|(?:he|she)(?:'s| is)|(?:mum|mom|dad|mother|father|nan|gran|grandma|grandad|grandpa|husband|wife) is) (?:6[5-9]|[7-9]\d|1[01]\d)(?! ?(?:%|percent|minutes|mins|hours|days|weeks|months|pounds|quid|dollars|euros|times|calls|k\b)))\b/;
const OLD_AGE_ZH = /(?:六十五|六十[六七八九]|[七八九]十[一二三四五六七八九]?[多几]?)岁|(?:我|他|她|爸|妈|今年)(?:已经|都)?[七八九]十[一二三四五六七八九]?[多几]?了|(?<!\d)(?:6[5-9]|[7-9]\d)\s?岁|年过[七八九]旬|古稀|耄耋/;

/** Vulnerability cues: the lexicon's, and a stated old age. */
function vulnerableCues(view: TextView): string[] {
  const cues = SEVERITY_CUES.vulnerable.find(view);
  const age = OLD_AGE_EN.exec(view.lower)?.[0] ?? OLD_AGE_ZH.exec(view.simplified)?.[0];
  return age ? [...cues, age] : cues;
}

/**
 * The severity the model reads, as the highest level whose probability of "at least this" reaches
 * `SEVERITY_TUNING.modelFloor`: the rules' cues name money lost, theft, vulnerability and threats in a few
 * phrasings; customers use many more ("£9,500 gone", "my mum is 84", "I'll take this to the ombudsman"), and
 * the head trained on messages written as customers write reads them. It only raises a complaint's severity,
 * or a fraud report's, never lowers what a rule set, and never touches praise or other non-complaints.
 */
function modelFloor(input: SeverityInput): { severity: Severity; p: number } | null {
  if (!input.modelSeverity || !(input.kind === 'complaint' || (input.category === 'fraud_security' && input.kind !== 'praise'))) return null;
  const p = input.modelSeverity();
  // Critical is money gone: the model may only say it of a text that speaks of money at all.
  const top = mentionsMoney(input.view) ? SEVERITIES.length - 1 : SEVERITIES.indexOf('high');
  let atLeastLevel = 0;
  for (let level = SEVERITIES.length - 1; level > 0; level--) {
    atLeastLevel += p[level]!;
    if (atLeastLevel >= SEVERITY_TUNING.modelFloor) return { severity: SEVERITIES[Math.min(level, top)]!, p: atLeastLevel };
  }
  return null;
}

const MONEY_EN = new RegExp(`${AMOUNT_EN}|\\b(?:money|savings|funds|cash|balance|life savings)\\b`);
const MONEY_ZH = new RegExp(`${AMOUNT_ZH}|钱|存款|积蓄|资金|现金|余额|\\d\\s?(?:元|块|蚊)`);

/** An amount, or a word for money, in the text. */
function mentionsMoney(view: TextView): boolean {
  return MONEY_EN.test(view.lower) || MONEY_ZH.test(view.simplified);
}

/** Decide the severity by the bank's rules, naming each rule that fired. */
export function decideSeverity(given: SeverityInput): SeverityDecision {
  const input: SeverityInput = given.possibleComplaint && given.kind !== 'complaint' ? { ...given, kind: 'complaint', threatCues: [] } : given;
  const why: string[] = [];
  let severity = baseSeverity(input, why);
  const complaint = input.kind === 'complaint';
  const moneyLost = moneyLostCues(input);
  if (moneyLost.length && input.kind !== 'praise') {
    // Money already gone through fraud is the case a bank must act on first.
    severity = (input.category === 'fraud_security' || input.fraudWording) && complaint ? 'critical' : atLeast(severity, 'high');
    why.push(`money lost (${quote(moneyLost)})`);
  }
  const vulnerable = vulnerableCues(input.view);
  if (vulnerable.length && complaint) {
    severity = raise(severity);
    why.push(`vulnerable customer (${quote(vulnerable)})`);
  }
  if (input.threatCues.length && complaint) {
    severity = raise(severity);
    why.push(`threatens to go to a regulator, court or the press (${quote(input.threatCues)})`);
  }
  const urgent = SEVERITY_CUES.urgent.find(input.view);
  if (urgent.length && complaint) {
    severity = atLeast(severity, 'medium');
    why.push(`asks for urgent action (${quote(urgent)})`);
  }
  const read = modelFloor(input);
  if (read && SEVERITIES.indexOf(read.severity) > SEVERITIES.indexOf(severity)) {
    severity = read.severity;
    why.push(`the severity model reads at least ${read.severity} (p ${read.p.toFixed(2)})`);
  }
  const asWhat = input !== given ? ' (read as the complaint it may be)' : '';
  return { severity, reason: `severity ${severity}${asWhat}${why.length ? `: ${why.join('; ')}` : ': no severity rule fired'}` };
}
