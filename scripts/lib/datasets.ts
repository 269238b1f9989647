/**
 * Loading the labelled public datasets in ../shared/datasets and mapping their labels onto Redress's kind,
 * category and severity, exactly as ../shared/datasets/README.md (section 3) and the acceptance check's
 * scorer do. Only the source labels are gold; everything here is derived from them.
 *
 * The datasets are read in place and never copied into the project (their rules of use). Scripts call
 * `datasetsDir()` and skip cleanly when it returns null.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Category, Kind, Severity } from '../../schemas/feedback.ts';

/**
 * The labelled sources; `bank` is the bank's own handlers' labels (scripts/lib/overrides.ts), `written` the
 * training messages written for Redress (scripts/lib/written-messages.ts).
 */
export type SourceName = 'b77' | 'nlupp' | 'cfpb' | 'ccf' | 'unionpay' | 'jining' | 'bank' | 'written';

/** What the mapping says about one row; null fields are not scored. */
export interface Gold {
  /** Accepted categories, the first one is the canonical label. */
  cats: Category[] | null;
  kinds: Kind[] | null;
  severity: Severity | null;
  lang: 'en' | 'zh';
  /** CCF sentiment class ('0', '1', '2') where the source has one. */
  cls?: string;
}

export interface LabelledRow {
  src: SourceName;
  text: string;
  gold: Gold;
  /**
   * The locked test fold (`isLocked`): about one row in five, chosen by a hash of the text with its own salt.
   * No tuning looks at it; the evaluation scores it once per run with a model trained without it.
   */
  locked: boolean;
  /** Cross-validation fold 0–4 (`foldOf`), used among the rows that are not locked. */
  fold: number;
  /** The source's own fine label where it has one (the BANKING77 intent), for sub-category training. */
  fine?: string;
}

/** The datasets folder: $REDRESS_DATASETS_DIR, else ../shared/datasets relative to the project root. */
export function datasetsDir(projectRoot: string = process.cwd()): string | null {
  const dir = process.env.REDRESS_DATASETS_DIR ?? resolve(projectRoot, '..', 'shared', 'datasets');
  return existsSync(join(dir, 'banking77', 'train.csv')) ? dir : null;
}

/** RFC 4180 CSV (quoted fields, doubled quotes, newlines inside quotes) into objects keyed by the header. */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  const [head, ...body] = rows.filter((r) => r.length > 1 || r[0] !== '');
  if (!head) return [];
  return body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? ''])));
}

/** FNV-1a over UTF-16 code units: a stable, dependency-free hash for the split. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The cross-validation fold (0–4) of a row, by text hash, so duplicates land in the same fold. */
export function foldOf(src: SourceName, text: string): number {
  return fnv1a(`redress-split:${src}:${text.trim().toLowerCase()}`) % 5;
}

/**
 * The locked test fold: one row in five of each source, by an FNV-1a hash of the source name and the
 * trimmed, lower-cased text under a salt of its own (`redress-locked-v1`), so duplicates land together and
 * the fold is independent of the cross-validation folds. Lexicon entries, thresholds, features, calibration
 * and hyper-parameters are chosen on the other rows only; the evaluation prints this fold's figures beside
 * the cross-validation's and never lists its rows. Changing the salt would unlock it: don't.
 */
/**
 * The FAQ evaluation's locked paraphrases (scripts/lib/faq-datasets.ts): fold 0 of `foldOf`, fixed
 * before the FAQ retrieval was tuned. The classifier has its own locked fold (`isLocked`, own salt).
 */
export function isHeldOut(src: SourceName, text: string): boolean {
  return foldOf(src, text) === 0;
}

export function isLocked(src: SourceName, text: string): boolean {
  return fnv1a(`redress-locked-v1:${src}:${text.trim().toLowerCase()}`) % 5 === 0;
}

// ---------------------------------------------------------------------------------------------- BANKING77
const B77_CATEGORY: Record<string, string> = {
  card_issues: 'activate_my_card atm_support card_about_to_expire card_acceptance card_arrival card_delivery_estimate card_linking card_not_working card_swallowed change_pin contactless_not_working declined_card_payment declined_cash_withdrawal disposable_card_limits get_disposable_virtual_card get_physical_card getting_spare_card getting_virtual_card order_physical_card pin_blocked supported_cards_and_currencies virtual_card_not_working visa_or_mastercard wrong_amount_of_cash_received pending_cash_withdrawal',
  fraud_security: 'card_payment_not_recognised cash_withdrawal_not_recognised compromised_card direct_debit_payment_not_recognised lost_or_stolen_card lost_or_stolen_phone unable_to_verify_identity verify_my_identity why_verify_identity verify_source_of_funds',
  fees_pricing: 'card_payment_fee_charged card_payment_wrong_exchange_rate cash_withdrawal_charge exchange_charge exchange_rate extra_charge_on_statement top_up_by_bank_transfer_charge top_up_by_card_charge transfer_fee_charged wrong_exchange_rate_for_cash_withdrawal',
  transfers_payments: 'balance_not_updated_after_bank_transfer balance_not_updated_after_cheque_or_cash_deposit beneficiary_not_allowed cancel_transfer declined_transfer failed_transfer pending_card_payment pending_transfer receiving_money Refund_not_showing_up request_refund reverted_card_payment? transaction_charged_twice transfer_into_account transfer_not_received_by_recipient transfer_timing automatic_top_up pending_top_up top_up_by_cash_or_cheque top_up_failed top_up_limits top_up_reverted topping_up_by_card verify_top_up',
  digital_banking: 'apple_pay_or_google_pay exchange_via_app passcode_forgotten',
  other: 'age_limit country_support edit_personal_details fiat_currency_support terminate_account',
};
const B77_INTENT: Record<string, Category> = Object.fromEntries(
  Object.entries(B77_CATEGORY).flatMap(([cat, list]) => list.split(' ').map((intent) => [intent, cat as Category])),
);
const B77_PROBLEM = /_not_working$|_not_recognised$|^declined_|^failed_transfer$|^top_up_failed$|^top_up_reverted$|^transaction_charged_twice$|(^|_)wrong_|^extra_charge_on_statement$|^balance_not_updated_|^transfer_not_received_by_recipient$|^Refund_not_showing_up$|^card_swallowed$|^compromised_card$|^lost_or_stolen_|^pin_blocked$|^unable_to_verify_identity$/;
const B77_HIGH = new Set('lost_or_stolen_card lost_or_stolen_phone compromised_card card_payment_not_recognised cash_withdrawal_not_recognised direct_debit_payment_not_recognised'.split(' '));
const B77_MEDIUM = /^(card_swallowed|transaction_charged_twice|transfer_not_received_by_recipient|wrong_amount_of_cash_received|failed_transfer|declined_transfer|pin_blocked|balance_not_updated_.*|Refund_not_showing_up|top_up_failed|top_up_reverted|unable_to_verify_identity)$/;

/** BANKING77 intent → gold (README 3.1). */
export function b77Gold(intent: string): Gold | null {
  const cat = B77_INTENT[intent];
  if (!cat) return null;
  return {
    cats: [cat],
    kinds: B77_PROBLEM.test(intent) ? ['complaint', 'inquiry'] : ['inquiry'],
    severity: B77_HIGH.has(intent) ? 'high' : B77_MEDIUM.test(intent) ? 'medium' : 'low',
    lang: 'en',
  };
}

// ------------------------------------------------------------------------------------------------- NLU++
export const NLUPP_BANKING = new Set('savings current business credit debit contactless international account transfer_payment_deposit appointment arrival balance card cheque direct_debit standing_order fees_interests loan mortgage overdraft withdrawal pin refund'.split(' '));
const SEVERITY_ORDER: Severity[] = ['low', 'medium', 'high', 'critical'];
const raise = (s: Severity): Severity => SEVERITY_ORDER[Math.min(3, SEVERITY_ORDER.indexOf(s) + 1)]!;

/** NLU++ intents → gold (README 3.2, first match wins). */
export function nluppGold(intents: string[]): Gold {
  const has = (x: string): boolean => intents.includes(x);
  const problem = has('wrong_notworking_notshowing');
  let g: Omit<Gold, 'lang'> | null = null;
  if (has('lost_stolen')) g = { cats: has('card') ? ['fraud_security', 'card_issues'] : ['fraud_security'], kinds: ['complaint', 'inquiry'], severity: 'high' };
  else if (has('fees_interests')) g = { cats: ['fees_pricing'], kinds: problem || has('why') ? ['complaint'] : ['inquiry'], severity: problem || has('why') ? 'medium' : 'low' };
  else if (['direct_debit', 'standing_order', 'transfer_payment_deposit', 'cheque', 'withdrawal', 'refund', 'balance'].some(has)) g = { cats: ['transfers_payments'], kinds: problem ? ['complaint'] : ['inquiry'], severity: problem ? 'medium' : 'low' };
  else if (has('card') || has('pin') || has('contactless')) g = { cats: ['card_issues'], kinds: problem ? ['complaint'] : ['inquiry'], severity: problem ? 'medium' : 'low' };
  else if (['loan', 'mortgage', 'overdraft', 'savings', 'current', 'business', 'account', 'appointment'].some(has)) g = { cats: ['other'], kinds: ['inquiry'], severity: 'low' };
  if (g && has('handoff') && g.severity) g.severity = raise(g.severity);
  return g ? { ...g, lang: 'en' } : { cats: null, kinds: null, severity: null, lang: 'en' };
}

// -------------------------------------------------------------------------------------------------- CFPB
const CFPB_SUBISSUE: Partial<Record<Category, string[]>> = {
  fraud_security: ['Transaction was not authorized', 'Information belongs to someone else', 'Account opened as a result of fraud', 'Card opened as result of identity theft or fraud', 'Fraudulent loan'],
  fees_pricing: ['Fee problem', 'Overdrafts and overdraft fees', 'Non-sufficient funds and associated fees', 'Fees charged for closing account'],
  misselling_disclosure: ["Didn't receive terms that were advertised"],
  card_issues: ['Problem using a debit or ATM card'],
  transfers_payments: ['Deposits and withdrawals', 'Banking errors', 'Funds not handled or disbursed as instructed', 'Cashing a check', 'Money was taken from your account on the wrong day or for the wrong amount', "Can't stop withdrawals from your account"],
  digital_banking: ['Problem accessing account'],
};
const CFPB_ISSUE: Partial<Record<Category, string[]>> = {
  fraud_security: ['Fraud or scam', 'Unauthorized transactions or other transaction problem', 'Problem with fraud alerts or security freezes', 'Lost or stolen money order', 'Identity theft / Fraud / Embezzlement'],
  fees_pricing: ['Fees or interest', 'Unexpected or other fees', "Charged fees or interest you didn't expect", 'Problem caused by your funds being low', 'APR or interest rate', 'Other fee'],
  misselling_disclosure: ['Advertising and marketing, including promotional offers', 'Confusing or missing disclosures', 'Shopping for a loan or lease'],
  card_issues: ['Trouble using your card', 'Getting a credit card', 'Closing your account', 'Problem with a purchase shown on your statement', 'Other features, terms, or problems'],
  transfers_payments: ['Problem when making payments', 'Trouble during payment process', 'Money was not available when promised', 'Other transaction problem', 'Problem with a purchase or transfer', 'Problem with a lender or other company charging your account', "Was approved for a loan, but didn't receive money"],
  digital_banking: ['Managing, opening, or closing your mobile wallet account'],
  service_attitude: ['Problem with customer service'],
  resolution_efficiency: ["Problem with a credit reporting company's investigation into an existing problem", "Problem with a company's investigation into an existing issue"],
  other: ['Incorrect information on your report', 'Improper use of your report', 'Unable to get your credit report or credit score', 'Credit monitoring or identity theft protection services', 'Opening an account', 'Closing an account',
    'Struggling to pay mortgage', 'Struggling to pay your loan', 'Struggling to repay your loan', 'Struggling to pay your bill', 'Applying for a mortgage or refinancing an existing mortgage', 'Closing on a mortgage',
    'Dealing with your lender or servicer', 'Getting a loan or lease', 'Managing the loan or lease', 'Problems at the end of the loan or lease'],
};
const invert = (m: Partial<Record<Category, string[]>>): Record<string, Category> =>
  Object.fromEntries(Object.entries(m).flatMap(([cat, list]) => (list ?? []).map((x) => [x, cat as Category])));
const CFPB_SUB = invert(CFPB_SUBISSUE);
const CFPB_ISS = invert(CFPB_ISSUE);
const CFPB_HIGH_ISSUES = new Set(['Struggling to pay mortgage', 'Took or threatened to take negative or legal action', 'Taking/threatening an illegal action', 'Threatened to contact someone or share information improperly']);

/** CFPB row → gold (README 3.3; Product = Debt collection wins over sub-issue overrides). */
export function cfpbGold(row: Record<string, string>): Gold {
  const cat: Category | null = row.Product === 'Debt collection' ? 'debt_collection' : CFPB_SUB[row['Sub-issue'] ?? ''] ?? CFPB_ISS[row.Issue ?? ''] ?? null;
  let sev: Severity = cat === 'fraud_security' || CFPB_HIGH_ISSUES.has(row.Issue ?? '') ? 'high' : cat && ['transfers_payments', 'card_issues', 'debt_collection'].includes(cat) ? 'medium' : 'low';
  if (/Older American|Servicemember/.test(row.Tags ?? '')) sev = raise(sev);
  return { cats: cat ? [cat] : null, kinds: ['complaint'], severity: sev, lang: 'en' };
}

// --------------------------------------------------------------------------------------------------- CCF
const CCF_KEYWORDS: [RegExp, Category[]][] = [
  [/盗刷|冻结|封卡|风控|被封/, ['fraud_security']], [/催收/, ['debt_collection']], [/年费|利息|利率|费率|手续费|分期费/, ['fees_pricing']], [/客服|态度|服务/, ['service_attitude']],
  [/审核|审批|等了|太慢|几天了/, ['resolution_efficiency', 'waiting_time']], [/手机银行|APP|app|网银|小程序/, ['digital_banking']], [/提额|降额|额度|下卡|拒|激活|销卡|信用卡|白金|金卡/, ['card_issues']],
];
export const CCF_QUESTION = /[？?]|吗|怎么|如何|为什么|能不能|请问/;

/** CCF BDCI 2021 row → gold (README 3.4; category is a keyword mapping, kind is gold for classes 0 and 1). */
export function ccfGold(row: Record<string, string>): Gold {
  const t = row.text ?? '';
  let cats: Category[] | null = null;
  for (const [re, c] of CCF_KEYWORDS) if (re.test(t)) { cats = c; break; }
  if (!cats) cats = /理财|基金|保险/.test(t) && /亏|坑|骗/.test(t) ? ['misselling_disclosure'] : ['other'];
  const kinds: Kind[] | null = row.class === '0' ? ['complaint'] : row.class === '1' ? ['praise'] : CCF_QUESTION.test(t) ? ['inquiry'] : null;
  return { cats, kinds, severity: /盗刷|被骗|冻结/.test(t) ? 'high' : 'low', lang: 'zh', cls: row.class ?? '' };
}

// ----------------------------------------------------------------------------------------------- UnionPay
const UNIONPAY_SUBJECTS: [RegExp, Category][] = [
  [/交易查询与差错篇|交易查询及差错|预授权及退货|公共事业缴费|信用卡还款|ITUNES/i, 'transfers_payments'],
  [/IC卡业务|银行卡常用名词解释|跨境内卡|白金业务/, 'card_issues'],
  [/在线支付_安全控件|开通银联在线支付|在线支付相关问题|在线支付_相关列表|手机支付|银联钱包|银联统一用户业务|二维码|手机号码/, 'digital_banking'],
  [/跨境业务|境外开通本地服务电话/, 'transfers_payments'],
];

/** UnionPay FAQ subject → gold (README 3.5; kind ≈ inquiry). */
export function unionpayGold(subject: string, question: string): Gold {
  let cat: Category = 'other';
  for (const [re, c] of UNIONPAY_SUBJECTS) if (re.test(subject)) { cat = c; break; }
  const cats: Category[] = /跨境业务|境外开通本地服务电话/.test(subject) ? ['transfers_payments', 'other'] : [cat];
  const problem = /差错/.test(subject);
  return { cats, kinds: problem ? ['complaint', 'inquiry'] : ['inquiry'], severity: problem && /扣款|扣账|不明消费/.test(question) ? 'medium' : 'low', lang: 'zh' };
}

// ------------------------------------------------------------------------------------------------ Jining
const JINING_KEYWORDS: [RegExp, Category][] = [
  [/挂失|丢失|被盗/, 'fraud_security'], [/吞卡|密码锁定|解锁|重置密码/, 'card_issues'],
  [/网上银行|手机银行|U-Key|UKey|令牌|证书|登录/i, 'digital_banking'], [/转账|汇款|电汇|跨行|预约转账|快捷支付/, 'transfers_payments'],
  [/手续费|收费|免费|年费|工本费/, 'fees_pricing'], [/短信提醒|动账/, 'digital_banking'], [/理财|基金|存款利率|贷款/, 'other'],
];

/** Jining Bank KB answer → gold (README 3.6, by keyword on the answer text; kind = inquiry). */
export function jiningGold(answer: string): Gold {
  let cat: Category = 'other';
  if (!/^(?:\d{6}|WX|LB)/.test(answer.trim())) for (const [re, c] of JINING_KEYWORDS) if (re.test(answer)) { cat = c; break; }
  return { cats: cat === 'fraud_security' ? ['fraud_security', 'card_issues'] : [cat], kinds: ['inquiry'], severity: cat === 'fraud_security' ? 'high' : 'low', lang: 'zh' };
}

// ------------------------------------------------------------------------------------------------ loading
/** Long narratives are clipped to 5,000 characters, as the acceptance check posts them. */
export const clip = (s: string, n = 5000): string => {
  const cps = Array.from(s);
  return cps.length > n ? cps.slice(0, n).join('') : s;
};

/** Every labelled row of every source, with the fixed split marked. */
export function loadAll(dir: string): LabelledRow[] {
  const rows: LabelledRow[] = [];
  const push = (src: SourceName, text: string, gold: Gold, fine?: string): void => {
    const t = clip(text.trim());
    if (t) rows.push({ src, text: t, gold, locked: isLocked(src, t), fold: foldOf(src, t), ...(fine ? { fine } : {}) });
  };
  for (const r of parseCsv(readFileSync(join(dir, 'banking77', 'train.csv'), 'utf8'))) {
    const g = b77Gold(r.category ?? '');
    if (g) push('b77', r.text ?? '', g, r.category);
  }
  for (let fold = 0; fold < 10; fold++) {
    const file = join(dir, 'polyai_nlupp_banking', `fold${fold}.json`);
    if (!existsSync(file)) continue;
    for (const ex of JSON.parse(readFileSync(file, 'utf8')) as { text: string; intents?: string[] }[]) {
      const intents = ex.intents ?? [];
      if (intents.some((i) => NLUPP_BANKING.has(i))) push('nlupp', ex.text, nluppGold(intents));
    }
  }
  for (const r of parseCsv(readFileSync(join(dir, 'cfpb_complaints_sample_2019', 'complaints_sample.csv'), 'utf8'))) {
    const t = (r['Consumer complaint narrative'] ?? '').trim();
    if (t) push('cfpb', t, cfpbGold(r));
  }
  for (const r of parseCsv(readFileSync(join(dir, 'ccf_bdci2021_bank_comments_zh', 'train_data_public.csv'), 'utf8'))) push('ccf', r.text ?? '', ccfGold(r));
  const unionpay = readFileSync(join(dir, 'unionpay_faq_zh', 'questions_derived.tsv'), 'utf8').split('\n').slice(1);
  for (const line of unionpay) {
    const cols = line.split('\t');
    if (cols.length >= 7) push('unionpay', (cols[1] ?? '').replace(/^\uFEFF/, ''), unionpayGold(cols[6] ?? '', cols[1] ?? ''));
  }
  for (const line of readFileSync(join(dir, 'jining_bank_faq_zh', 'all_quest_label.txt'), 'utf8').split('\n')) {
    const [q, a] = line.split('\t');
    if (!q || a === undefined || q === '问题' || q === '扩展问题') continue;
    push('jining', q, jiningGold(a));
  }
  return rows;
}
