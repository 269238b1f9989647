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
 *   dates, times, amounts and reference numbers stay readable. A card also starts the way payment cards
 *   do (ISO/IEC 7812: 2221–2720, 3, 4, 5, 6 or 9), so a Page id or a date-stamped order number that
 *   happens to pass Luhn is left alone.
 * - Masking reads the text as Chinese and Western keyboards type it (keyboardView): full-width digits,
 *   letters, `＠`, `＋` and brackets; U+3000, NBSP and every other space, tabs and zero-width characters;
 *   every dash form (U+2010–2015, U+2212, U+FF0D…); `_` and `,` between digit groups (but not the
 *   thousands grouping of an amount); lowercase IBANs; IDN e-mail domains. Text it does not mask keeps
 *   its own characters.
 */
import { IBAN_LENGTHS, isChineseResidentId, isIbanValid, isLuhnValid } from './checksums.ts';

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
// linear time, not retried from every start position to the end. Local parts take Latin (with accents),
// Greek and Cyrillic letters; domains take any letters (IDN: bücher.de, 例子.中国, пример.рф) and end in an
// ASCII, punycode, Greek or Cyrillic TLD or a common Chinese one (so the Chinese text after an address is not
// read as part of its TLD).
const EMAIL_LOCAL = "[\\p{Script=Latin}\\p{Script=Greek}\\p{Script=Cyrillic}\\p{Nd}._%+'-]{1,64}";
const EMAIL_LABEL = '[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?';
const EMAIL_TLD = '(?:[A-Za-z]{2,24}|xn--[A-Za-z0-9-]{2,59}|中国|中國|公司|网络|網絡|香港|台湾|台灣|澳门|澳門|新加坡|在线|移动|[\\p{Script=Cyrillic}\\p{Script=Greek}]{2,24})';
const EMAIL = new RegExp(`${EMAIL_LOCAL}@${EMAIL_LABEL}(?:\\.${EMAIL_LABEL})*\\.${EMAIL_TLD}`, 'gu');
/**
 * IBAN as written, in either case (groups of four, spaces or hyphens optional); its country's length and
 * the mod-97 check decide, and what follows that length stays (it may be another IBAN).
 */
const IBAN = /[A-Za-z]{2}\d{2}(?:[ -]{0,2}[A-Za-z0-9]{4}){2,7}(?:[ -]{0,2}[A-Za-z0-9]{1,3})?/g;
/**
 * A run of digit groups joined by up to six spaces or hyphens (in the keyboard view every space and dash
 * form is one of these), optionally with a leading `+` and parenthesised area codes: the unit inside
 * which cards, IDs, phones and accounts are searched. Dots and slashes do not join runs (amounts, dates,
 * IP addresses and versions are written with them); the two shapes customers do write that way are
 * read on their own (DOTTED_CARD, DOTTED_PHONE).
 */
const NUMBER_RUN = /\+?\(?\d+\)?(?:[ -]{0,6}\(?\d+\)?)*(?:[Xx](?![A-Za-z]))?/g;
/** A card written in groups of four joined by dots or slashes (6225.8801.2345.6783); Luhn decides. */
const DOTTED_CARD = /(?<![\d./])\d{4}([./])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?(?![\d./])/g;
/** A North American number written with dots (415.555.0132): 3-3-4, not starting with 0 or 1. */
const DOTTED_PHONE = /(?<![\d./])[2-9]\d{2}\.\d{3}\.\d{4}(?![\d./])/g;
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
 * Mask PII in free text (Chinese or English) with the placeholders in `PII_PLACEHOLDERS`. Every field
 * that can hold a customer's words goes through this one function (ingest's normalisation, and the text
 * handlers type in the admin API). Deterministic, idempotent (`maskPii(maskPii(t)) === maskPii(t)`), and
 * linear in the length of the text.
 */
export function maskPii(text: string): string {
  const state: Masking = { text, view: keyboardView(text) };
  replaceIn(state, EMAIL, () => PII_PLACEHOLDERS.email);
  replaceIn(state, IBAN, maskIban, true);
  replaceIn(state, DOTTED_CARD, (m) => (isCardNumber(m.replace(/\D/g, '')) ? PII_PLACEHOLDERS.card : null));
  replaceIn(state, DOTTED_PHONE, () => PII_PLACEHOLDERS.phone);
  replaceIn(state, NUMBER_RUN, maskRun);
  return state.text;
}

/**
 * Partially mask a contact value for display to handlers: `a***@example.com` for e-mail, `****5678`
 * (last four digits) for phone numbers, however they were typed; anything else goes through `maskPii`.
 */
export function maskContact(value: string): string {
  const trimmed = keyboardView(value).trim();
  const email = new RegExp(`^([^@\\s]+)@(${EMAIL_LABEL}(?:\\.${EMAIL_LABEL})*\\.${EMAIL_TLD})$`, 'u').exec(trimmed);
  if (email) return `${[...email[1]!][0]}***@${email[2]}`;
  const digits = trimmed.replace(/\D/g, '');
  if (/^[+\d\s\-().]+$/.test(trimmed) && digits.length >= 7) return `****${digits.slice(-4)}`;
  return maskPii(value.trim());
}

/** The text being masked, and the keyboard view of it that the patterns read (the same length, unit for unit). */
interface Masking {
  text: string;
  view: string;
}

/**
 * A replacement for a match: one placeholder; or (inside a number run) the run with some spans replaced;
 * or a placeholder for the first `length` units of the match, the rest being searched again (an IBAN
 * is as long as its country says, and another may follow it). Null keeps the match.
 */
type Replacement = string | { text: string; view: string } | { placeholder: string; length: number } | null;

/**
 * Replaces the matches of `pattern` (global) in the view, and the same stretches of the text: what is
 * not masked keeps the characters the customer typed. Matches are bounded in length, so even with
 * rescanning the cost stays linear in the length of the text.
 */
function replaceIn(
  state: Masking,
  pattern: RegExp,
  decide: (match: string, offset: number, view: string, original: string) => Replacement,
  /** Search again from the next character after a kept match (an IBAN-shaped run may hide a real IBAN further in). */
  rescanKept = false,
): void {
  let text = '';
  let view = '';
  let last = 0;
  pattern.lastIndex = 0;
  for (let m = pattern.exec(state.view); m !== null; m = pattern.exec(state.view)) {
    const end = m.index + m[0].length;
    const replacement = decide(m[0], m.index, state.view, state.text.slice(m.index, end));
    if (m[0].length === 0 || (replacement === null && rescanKept)) pattern.lastIndex = m.index + 1;
    if (replacement === null) continue;
    let t: string;
    let v: string;
    let consumed = end;
    if (typeof replacement === 'string') [t, v] = [replacement, replacement];
    else if ('placeholder' in replacement) [t, v, consumed] = [replacement.placeholder, replacement.placeholder, m.index + Math.max(1, replacement.length)];
    else [t, v] = [replacement.text, replacement.view];
    text += state.text.slice(last, m.index) + t;
    view += state.view.slice(last, m.index) + v;
    last = consumed;
    pattern.lastIndex = consumed;
  }
  if (last === 0) return;
  state.text = text + state.text.slice(last);
  state.view = view + state.view.slice(last);
}

/** One-for-one stand-ins: full-width forms, every space and dash, invisible characters (read as spaces). */
const KEYBOARD_CHARS = /[\uFF01-\uFF5E\t\u00A0\u00AD\u1680\u2000-\u200D\u2010-\u2015\u202F\u205F\u2060\u207A\u2212\u2E3A\u2E3B\u3000\u3002\uFE58\uFE59\uFE5A\uFE62\uFE63\uFE6B\uFEFF\uFF61]/g;
const KEYBOARD_MAP: Record<string, string> = {
  '\u3002': '.', '\uFF61': '.', '\u207A': '+', '\uFE62': '+', '\uFE6B': '@', '\uFE59': '(', '\uFE5A': ')',
};

/**
 * The text as the patterns read it, unit for unit the same length: full-width ASCII (U+FF01–U+FF5E:
 * digits, letters, ＠, ＋, （）, ，, ＿…) as ASCII; the ideographic full stop as `.`; every space (U+3000,
 * NBSP, tab, U+2000–U+200A…) and invisible character (zero-width, word joiner, BOM, soft hyphen) as a
 * space; every dash form as `-`; `_` between digits as `-`, and `,` between digit groups as `-` unless
 * they are an amount's thousands (`12,345,678`).
 */
export function keyboardView(text: string): string {
  let view = text.replace(KEYBOARD_CHARS, (c) => {
    const code = c.charCodeAt(0);
    if (code >= 0xff01 && code <= 0xff5e) return String.fromCharCode(code - 0xfee0);
    if ((code >= 0x2010 && code <= 0x2015) || code === 0x2212 || code === 0x2e3a || code === 0x2e3b || code === 0xfe58 || code === 0xfe63) return '-';
    return KEYBOARD_MAP[c] ?? ' ';
  });
  if (view.includes('_')) view = view.replace(/(?<=\d)_+(?=\d)/g, (m) => '-'.repeat(m.length));
  if (view.includes(',')) view = view.replace(COMMA_GROUPS, (m) => (/^\d{1,3}(?:,\d{3})+$/.test(m) ? m : m.replace(/,/g, '-')));
  return view;
}

/** Digit groups joined by commas and nothing else (a card typed `6222,0212,3456,7890`, or an amount). */
const COMMA_GROUPS = /(?<![\d,])\d{1,8}(?:,\d{1,8})+(?![\d,])/g;

/** The IBAN at the start of a match, cut to its country's length (a word or another IBAN may follow), or null. */
function maskIban(match: string): Replacement {
  const compact = match.replace(/[ -]/g, '').toUpperCase();
  const length = IBAN_LENGTHS[compact.slice(0, 2)];
  if (length === undefined || compact.length < length || !isIbanValid(compact.slice(0, length))) return null;
  let seen = 0;
  let end = 0;
  while (seen < length) if (/[A-Za-z0-9]/.test(match[end++]!)) seen++;
  return { placeholder: PII_PLACEHOLDERS.account, length: end };
}

/**
 * True for a Luhn-valid 13–19 digit number that starts as payment cards do (ISO/IEC 7812): Mastercard's
 * 2221–2720, 3 (Amex, JCB, Diners), 4, 5, 6 (UnionPay, Discover, Maestro) or 9 (domestic cards). Ids of
 * social platforms (1…, 7…) and numbers that start with a date (2024…) are not cards.
 */
function isCardNumber(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19 || !isLuhnValid(digits)) return false;
  const first = digits[0]!;
  if (first === '2') {
    const prefix = Number(digits.slice(0, 4));
    return prefix >= 2221 && prefix <= 2720;
  }
  return '34569'.includes(first);
}

/** Mask what a run of digit groups holds, searching group-aligned sub-spans, longest first. */
function maskRun(run: string, offset: number, whole: string, original: string): Replacement {
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
  let originalResult = '';
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
      originalResult += original.slice(cursor, spanStart) + PII_PLACEHOLDERS[kind];
      cursor = spanEnd;
      i = j + 1;
      matched = true;
      break;
    }
    if (!matched) i++;
  }
  if (cursor === 0) return null;
  return { text: originalResult + original.slice(cursor), view: result + run.slice(cursor) };
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
  if (isCardNumber(d)) return 'card';
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
