/**
 * What the queue (SQS) and the table (DynamoDB, through @aws-sdk/lib-dynamodb) can carry, as pure checks.
 * Ingest validates with them before it answers, so that nothing it accepts fails later in the processor
 * (which would retry it five times and dead-letter it, after the sender was told it was accepted).
 *
 * What cannot be stored, and why:
 * - map keys named like Object.prototype members: the marshaller reads `value.constructor.name` to tell a
 *   map from a Set, a Map, a Buffer or a String, so `{"constructor": …}` throws or is stored as the wrong
 *   type; `__proto__` is dropped (and re-parents the object) by every `obj[key] = value` on the way;
 * - empty map keys (DynamoDB attribute names are at least one character);
 * - numbers beyond ±(2^53 − 1) (the marshaller refuses imprecise numbers) and non-zero numbers smaller
 *   than 1E-130 in magnitude (DynamoDB's range; it keeps 38 digits, which a double never exceeds);
 * - nesting deeper than DynamoDB's 32 levels, counted from the item (a context is one level down);
 * - an item over 400 KB, counted as DynamoDB counts (UTF-8 bytes of names and strings);
 * - characters SQS refuses in a message body (anything outside #x9 #xA #xD #x20–#xD7FF #xE000–#xFFFD
 *   #x10000–#x10FFFF, lone surrogates included), which are also not text DynamoDB can hold as UTF-8.
 *   In values they are replaced (sqsSafeText); in keys, where a replacement could merge two keys, refused.
 */

/** Characters SQS refuses in a message body; with the `u` flag a lone surrogate is one such character. */
const NOT_SQS_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const NOT_SQS_CHARS = new RegExp(NOT_SQS_CHAR.source, 'gu');

/** The text with every character SQS refuses (C0 controls but tab/LF/CR, U+FFFE/U+FFFF, lone surrogates) replaced by U+FFFD. */
export function sqsSafeText(text: string): string {
  return NOT_SQS_CHAR.test(text) ? text.replace(NOT_SQS_CHARS, '\uFFFD') : text;
}

/** True when every character of `text` can travel in an SQS message body. */
export function isSqsSafe(text: string): boolean {
  return !NOT_SQS_CHAR.test(text);
}

/**
 * Characters that show nothing: controls (NUL…), format characters (zero-width space and joiners, BOM,
 * bidi marks, soft hyphen, tags), spaces of every kind, lone surrogates, noncharacters, and the fillers
 * and variation selectors that render blank (Hangul fillers, braille blank, combining grapheme joiner).
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Z}\s\u034F\u115F\u1160\u17B4\u17B5\u180B-\u180F\u2800\u3164\uFE00-\uFE0F\uFFA0\uFDD0-\uFDEF\uFFFE\uFFFF\u{E0100}-\u{E01EF}]/gu;

/** True when `text` has at least one character that shows: text made only of NUL, zero-width or space characters is empty. */
export function hasVisibleText(text: string): boolean {
  return text.replace(INVISIBLE, '').length > 0;
}

/** How deep a free-form object (a webhook's `context`) may nest: well inside DynamoDB's 32 levels, whatever the item around it. */
export const MAX_CONTEXT_DEPTH = 16;
/** The most a free-form `context` may weigh, as DynamoDB counts item size: it is metadata (page, app version, call id), and the complaint needs the rest of its 400 KB. */
export const MAX_CONTEXT_BYTES = 32 * 1024;
/** Keys that are Object.prototype members (`constructor`, `__proto__`, `toString`, `hasOwnProperty`, …). */
const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));
/** DynamoDB's smallest non-zero magnitude. */
const MIN_MAGNITUDE = 1e-130;

/** One value that cannot be stored, named by its path below the checked value. */
export interface StorableIssue {
  path: Array<string | number>;
  message: string;
}

/** True for a number the marshaller and DynamoDB both take exactly: 0, or a magnitude from 1E-130 to 2^53 − 1. */
export function isStorableNumber(n: number): boolean {
  return Number.isFinite(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER && (n === 0 || Math.abs(n) >= MIN_MAGNITUDE);
}

/**
 * What keeps a parsed JSON value from being stored (at most `maxIssues`, in document order): keys that
 * are empty, Object.prototype names or carry characters SQS refuses; numbers out of range; nesting
 * deeper than `maxDepth`; a size over `maxBytes`. Reads own keys only, so `__proto__` from JSON.parse is
 * seen; never recurses deeper than `maxDepth`, so any input is safe to check.
 */
export function storableIssues(value: unknown, { maxDepth = MAX_CONTEXT_DEPTH, maxBytes = MAX_CONTEXT_BYTES, maxIssues = 20 } = {}): StorableIssue[] {
  const issues: StorableIssue[] = [];
  const visit = (v: unknown, path: Array<string | number>, depth: number): void => {
    if (issues.length >= maxIssues) return;
    if (typeof v === 'number') {
      if (!isStorableNumber(v)) issues.push({ path, message: 'number out of range: use 0 or a magnitude from 1e-130 to 9007199254740991, or send it as a string' });
      return;
    }
    if (v === null || typeof v !== 'object') return;
    if (depth >= maxDepth) {
      issues.push({ path, message: `nested more than ${maxDepth} levels deep` });
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((item, i) => visit(item, [...path, i], depth + 1));
      return;
    }
    for (const key of Object.keys(v)) {
      const problem = keyProblem(key);
      if (problem) issues.push({ path: [...path, key], message: problem });
      else visit((v as Record<string, unknown>)[key], [...path, key], depth + 1);
      if (issues.length >= maxIssues) return;
    }
  };
  visit(value, [], 0);
  if (issues.length === 0 && dynamoSize(value) > maxBytes) issues.push({ path: [], message: `larger than ${Math.round(maxBytes / 1024)} KB once stored` });
  return issues;
}

function keyProblem(key: string): string | undefined {
  if (key.length === 0) return 'empty key';
  if (PROTOTYPE_NAMES.has(key)) return `"${key}" is a reserved name (an Object.prototype member) and cannot be a key`;
  if (!isSqsSafe(key)) return 'key holds control characters, lone surrogates or noncharacters';
  return undefined;
}

/**
 * The size DynamoDB counts for a value (Item sizes and formats, DynamoDB Developer Guide): strings and
 * names as UTF-8 bytes, numbers about one byte per two significant digits plus one, booleans and null one
 * byte, lists and maps three bytes plus one per element. Objects nest at most as deep as the caller allows.
 */
export function dynamoSize(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') return Math.ceil(significantDigits(value) / 2) + 1;
  if (value === null || typeof value !== 'object') return 1;
  if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + 1 + dynamoSize(item), 3);
  return Object.entries(value).reduce<number>((sum, [k, v]) => sum + Buffer.byteLength(k, 'utf8') + 1 + dynamoSize(v), 3);
}

function significantDigits(n: number): number {
  const digits = Math.abs(n).toExponential().split('e')[0]!.replace('.', '');
  return Math.max(1, digits.length);
}
