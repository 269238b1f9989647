/**
 * PII masking at ingest (design invariant 5): card numbers, Chinese resident ID numbers, bank account
 * numbers, phone numbers and e-mail addresses are replaced by stable placeholders before anything is
 * stored, logged or classified.
 *
 * Policy (documented for handlers and auditors):
 * - Free text gets whole-value placeholders: `[CARD]`, `[ID]`, `[ACCOUNT]`, `[PHONE]`, `[EMAIL]`. No digit
 *   of a masked value survives, so masking is idempotent and nothing can be re-assembled from fragments.
 * - A customer's contact field gets partial masking (`maskContact`): the e-mail domain or the last four
 *   digits of a phone number stay visible, so a handler can confirm "is this the number ending 5678?".
 * - Checksums decide where they exist (Luhn for cards, ISO 7064 MOD 11-2 for resident IDs, mod 97 for
 *   IBANs); a Luhn-valid 13–19 digit run is always masked. Formats without a checksum (phones, account
 *   numbers) are masked by shape and by the words in front of them ("account", "账号", "phone", "手机"…),
 *   and never right after an order/reference word ("order no.", "订单号", "流水号"…), so order numbers,
 *   dates, times, amounts and reference numbers stay readable.
 */
import { isChineseResidentId, isIbanValid, isLuhnValid } from './checksums.ts';

/** The placeholders that replace each kind of PII in free text. */
export const PII_PLACEHOLDERS = {
  card: '[CARD]',
  id: '[ID]',
  account: '[ACCOUNT]',
  phone: '[PHONE]',
  email: '[EMAIL]',
} as const;
export type PiiKind = keyof typeof PII_PLACEHOLDERS;

// The local part is bounded (RFC 5321 allows 64 characters) so a long run of dots and digits is scanned in
// linear time, not retried from every start position to the end.
const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}/g;
/** IBAN as written (groups of four, optional spaces); the mod-97 check decides. */
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/g;
/**
 * A run of digit groups joined by a hyphen or one or two spaces, optionally with a leading `+` and
 * parenthesised area codes: the unit inside which cards, IDs, phones and accounts are searched. Dots and
 * slashes do not join runs (amounts, dates, IP addresses and versions are written with them); the two
 * shapes customers do write that way are read on their own (DOTTED_CARD, DOTTED_PHONE).
 */
const NUMBER_RUN = /\+?\(?\d+\)?(?:(?:-| {1,2})?\(?\d+\)?)*(?:[Xx](?![A-Za-z]))?/g;
/** A card written in groups of four joined by dots or slashes (6225.8801.2345.6783); Luhn decides. */
const DOTTED_CARD = /(?<![\d./])\d{4}([./])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?(?![\d./])/g;
/** A North American number written with dots (415.555.0132): 3-3-4, not starting with 0 or 1. */
const DOTTED_PHONE = /(?<![\d./])[2-9]\d{2}\.\d{3}\.\d{4}(?![\d./])/g;
/** Full-width digits and plus (what Chinese input methods often type), read as ASCII before masking. */
const FULL_WIDTH = /[\uFF10-\uFF19\uFF0B]/g;
/**
 * No PII value has more than 30 digits (accounts), so a run's sub-spans are searched up to that length:
 * a long list of numbers costs time linear in its length, not cubic.
 */
const MAX_SPAN_DIGITS = 30;
const MIN_SPAN_DIGITS = 7;
/** Letters glued to a number that name it a phone number ("Tel13812345678", WeChat's "VX13812345678"). */
const GLUED_PHONE_WORD = /(?:^|[^A-Za-z])(?:tel|phone|mobile|mob|cell|vx|wx|wechat|whatsapp)$/i;
const PLACEHOLDER_SET = new Set<string>(Object.values(PII_PLACEHOLDERS));

const ACCOUNT_CONTEXT = /(?:account|acct|a\/c|iban|账号|帐号|账户|帐户|賬號|帳號|賬戶|帳戶|卡号|卡號|户号|戶號|银行卡|銀行卡)\s*(?:number|num|no\.?|#|号码|号)?\s*(?:is|was|:|：|是|为|為|係|系)?\s*$/i;
const PHONE_CONTEXT = /(?:phone|tel|telephone|mobile|cell|call me(?: on| at)?|reach me(?: on| at)?|text me(?: on| at)?|whatsapp|fax|电话|電話|手机|手機|手机号|手機號|座机|座機|联系方式|聯繫方式|聯絡方式|致电|致電|打给|打給|号码|號碼)\s*(?:number|no\.?|#|号码|号)?\s*(?:is|was|:|：|是|为|為|係|系|on|at)?\s*$/i;
const ID_CONTEXT = /(?:身份证|身份證|证件|證件|id card|identity card|id number|id no\.?|national id)\s*(?:号码|号|number|no\.?)?\s*(?:is|was|:|：|是|为|為|係|系)?\s*$/i;
/** Words that say the number after them is a reference, not a person's phone or account. */
const REFERENCE_CONTEXT = /(?:order|ref|reference|invoice|tracking|confirmation|transaction|case|ticket|receipt|订单|訂單|单号|單號|流水|编号|編號|交易号|交易號|参考号|參考號|工单|工單|凭证|憑證)\s*(?:number|num|no\.?|id|#|号码|号)?\s*(?:is|was|:|：|是|为|為|係|系)?\s*$/i;

interface DigitGroup {
  digits: string;
  /** Offsets in the run string. */
  start: number;
  end: number;
}

interface SpanContext {
  plus: boolean;
  account: boolean;
  phone: boolean;
  id: boolean;
  reference: boolean;
  /** ASCII letter touching the run's start (serials such as `SN13812345678`). */
  gluedBefore: boolean;
  /** ASCII letter touching the run's end. */
  gluedAfter: boolean;
}

/**
 * Mask PII in free text (Chinese or English) with the placeholders in `PII_PLACEHOLDERS`.
 * Deterministic and idempotent: `maskPii(maskPii(t)) === maskPii(t)`.
 */
export function maskPii(text: string): string {
  let out = text.replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  out = out.replace(EMAIL, PII_PLACEHOLDERS.email);
  out = out.replace(IBAN, (m) => (isIbanValid(m.replace(/ /g, '')) ? PII_PLACEHOLDERS.account : m));
  out = out.replace(DOTTED_CARD, (m) => (isLuhnValid(m.replace(/\D/g, '')) ? PII_PLACEHOLDERS.card : m));
  out = out.replace(DOTTED_PHONE, PII_PLACEHOLDERS.phone);
  out = out.replace(NUMBER_RUN, (run: string, offset: number, whole: string) => maskRun(run, offset, whole));
  return out;
}

/**
 * Partially mask a contact value for display to handlers: `a***@example.com` for e-mail, `****5678`
 * (last four digits) for phone numbers; anything else goes through `maskPii`.
 */
export function maskContact(value: string): string {
  const trimmed = value.trim();
  const email = /^([^@\s]+)@([^@\s]+\.[A-Za-z]{2,24})$/.exec(trimmed);
  if (email) return `${email[1]!.slice(0, 1)}***@${email[2]}`;
  const digits = trimmed.replace(/\D/g, '');
  if (/^[+\d\s\-().]+$/.test(trimmed) && digits.length >= 7) return `****${digits.slice(-4)}`;
  return maskPii(trimmed);
}

/** Mask what a run of digit groups holds, searching group-aligned sub-spans, longest first. */
function maskRun(run: string, offset: number, whole: string): string {
  const groups: DigitGroup[] = [];
  for (const m of run.matchAll(/\d+/g)) groups.push({ digits: m[0], start: m.index, end: m.index + m[0].length });
  const before = whole.slice(Math.max(0, offset - 2), offset);
  const window = wordsBefore(whole, offset);
  const phoneWordGlued = GLUED_PHONE_WORD.test(whole.slice(Math.max(0, offset - 10), offset));
  const after = whole.charAt(offset + run.length);
  const ctx: SpanContext = {
    plus: run.startsWith('+'),
    account: ACCOUNT_CONTEXT.test(window),
    phone: PHONE_CONTEXT.test(window) || phoneWordGlued,
    id: ID_CONTEXT.test(window),
    reference: REFERENCE_CONTEXT.test(window),
    // An X right after digits ends the previous run (a resident ID's check character), not a serial prefix.
    gluedBefore: !phoneWordGlued && /[A-Za-z]$/.test(before.replace(/\d[Xx]$/, ' ')),
    gluedAfter: /[A-Za-z]/.test(after),
  };
  // A resident ID may end in the check character X, which the run carries as its last character.
  const trailingX = /[Xx]$/.test(run);
  // All the run's digits in one string, with each group's offset in it: a span's digits are one slice.
  const allDigits = groups.map((g) => g.digits).join('');
  const digitOffsets = [0];
  for (const g of groups) digitOffsets.push(digitOffsets[digitOffsets.length - 1]! + g.digits.length);
  let result = '';
  let cursor = 0;
  let i = 0;
  while (i < groups.length) {
    let matched = false;
    // The longest span starting at group i that can still be PII (at most MAX_SPAN_DIGITS digits).
    let last = i;
    while (last + 1 < groups.length && digitOffsets[last + 2]! - digitOffsets[i]! <= MAX_SPAN_DIGITS) last++;
    for (let j = last; j >= i; j--) {
      // Nothing shorter than seven digits is PII (the shortest is a local phone number after "phone").
      if (digitOffsets[j + 1]! - digitOffsets[i]! < MIN_SPAN_DIGITS) break;
      const span = groups.slice(i, j + 1);
      const digits = allDigits.slice(digitOffsets[i], digitOffsets[j + 1]);
      const endsAtX = trailingX && j === groups.length - 1;
      const glued = (i === 0 && ctx.gluedBefore) || (j === groups.length - 1 && ctx.gluedAfter);
      const kind = classifySpan(span, digits, ctx, i === 0, endsAtX, glued);
      if (!kind) continue;
      // Keep a leading "+" or "(" with the value it belongs to, and a closing ")" or the ID's X.
      const spanStart = i === 0 ? 0 : span[0]!.start;
      const lastEnd = span[span.length - 1]!.end;
      const consumesX = kind === 'id' && endsAtX && digits.length === 17;
      const spanEnd = consumesX || run.charAt(lastEnd) === ')' ? lastEnd + 1 : lastEnd;
      result += run.slice(cursor, spanStart) + PII_PLACEHOLDERS[kind];
      cursor = spanEnd;
      i = j + 1;
      matched = true;
      break;
    }
    if (!matched) i++;
  }
  return result + run.slice(cursor);
}

/**
 * The last few words before a run, ignoring digits, separators and placeholders, so that a second
 * pass over already-masked text sees the same context as the first (idempotence).
 */
function wordsBefore(whole: string, offset: number): string {
  const kept: string[] = [];
  let i = offset - 1;
  // Bounded look-back keeps pathological inputs (thousands of "+1") linear enough.
  const stop = Math.max(-1, offset - 1 - 160);
  while (i > stop && kept.length < 32) {
    const ch = whole.charAt(i);
    if (ch === ']') {
      const open = whole.lastIndexOf('[', i);
      if (open >= 0 && PLACEHOLDER_SET.has(whole.slice(open, i + 1))) {
        i = open - 1;
        continue;
      }
    }
    if (/[\d+()\-]/.test(ch) || ((ch === 'X' || ch === 'x') && /\d/.test(whole.charAt(i - 1)))) {
      i--;
      continue;
    }
    if (/\s/.test(ch) && kept[kept.length - 1] === ' ') {
      i--;
      continue;
    }
    kept.push(/\s/.test(ch) ? ' ' : ch);
    i--;
  }
  return kept.reverse().join('');
}

/** Which PII a group-aligned span is, or null when it is none (or a look-alike). */
function classifySpan(span: DigitGroup[], d: string, ctx: SpanContext, atRunStart: boolean, trailingX: boolean, glued: boolean): PiiKind | null {
  const n = d.length;
  if (n === 18 && isChineseResidentId(d)) return 'id';
  if (n === 17 && trailingX && isChineseResidentId(d + 'X')) return 'id';
  // Phone shapes first: "+86 138 1234 5678" can happen to pass Luhn, and it is a phone number.
  const reference = ctx.reference;
  if (!reference && !glued && isPhone(span, d, ctx, atRunStart)) return 'phone';
  if (n >= 13 && n <= 19 && isLuhnValid(d)) return 'card';
  // After an ID word, a resident ID's shape decides even when its check character is wrong (a typo is still PII).
  if (ctx.id && (n === 15 || n === 18 || (n === 17 && trailingX))) return 'id';
  if (reference) return null;
  // Context rules hold for every span of the run, so a second pass over the leftovers decides the same.
  if (ctx.account && n >= 8 && n <= 30 && !looksLikeDate(span, d)) return 'account';
  return null;
}

function isPhone(span: DigitGroup[], d: string, ctx: SpanContext, atRunStart: boolean): boolean {
  const n = d.length;
  if (ctx.plus && atRunStart) return n >= 8 && n <= 15;
  // Chinese mobile, optionally after the country code written as a separate group.
  if (/^(?:0086|86)?1[3-9]\d{9}$/.test(d) && (n === 11 || span.length > 1)) return true;
  // UK mobiles written without spaces (07700900123): the 07 prefix and eleven digits are their own shape.
  if (/^07[1-9]\d{8}$/.test(d)) return true;
  // Trunk-prefixed national numbers (010-1234 5678, 0755 8888 6666, 07700 900123) when written in groups.
  if (/^0[1-9]/.test(d) && n >= 10 && n <= 12 && (span.length > 1 || ctx.phone)) return true;
  // North American 3-3-4 (and 1-3-3-4).
  if ((n === 10 && span.length === 3) || (n === 11 && span.length === 4)) {
    const lengths = span.map((g) => g.digits.length).join();
    if (lengths === '3,3,4' || lengths === '1,3,3,4') return n === 10 ? d[0] !== '0' && d[0] !== '1' : d[0] === '1';
  }
  return ctx.phone && n >= 7 && n <= 15 && !looksLikeDate(span, d);
}

/** 2024-01-15, 15-01-2024, 20240115: dates are never masked as accounts or phones. */
function looksLikeDate(span: DigitGroup[], d: string): boolean {
  const lengths = span.map((g) => g.digits.length).join();
  if (lengths === '4,2,2' || lengths === '2,2,4' || lengths === '4,1,1' || lengths === '4,2,1' || lengths === '4,1,2') return true;
  if (d.length === 8) {
    const y = Number(d.slice(0, 4));
    const m = Number(d.slice(4, 6));
    const day = Number(d.slice(6, 8));
    return y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && day >= 1 && day <= 31;
  }
  return false;
}
