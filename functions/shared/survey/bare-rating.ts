/**
 * Whether a message on a messaging channel is only a rating ("reply 1–5"), and which.
 *
 * Conservative on purpose: a message read as a rating is recorded as the survey answer instead of
 * becoming feedback, so a real complaint must never be swallowed. Only the whole message counts, and
 * only these forms (after trimming whitespace, and a trailing `.`, `!`, `。`, `！`, `~`):
 * - a digit 1 to 5, ASCII or full-width (`5`, `５`);
 * - that digit with a unit that can only mean a score: `分`, `星`, `颗星`, `star(s)`, `point(s)`, `pt(s)`
 *   (`5分`, `4 星`, `5 stars`), or out of five (`5/5`, `4／5`);
 * - a Chinese numeral 一 to 五 with `分`, `星` or `颗星` (`五星`, `三分`): alone, `一` is a word, not a score.
 * Anything else is not a rating: other numbers (`0`, `6`, `10`, `4.5`), ranges (`1-5`), amounts (`5元`,
 * `5 yuan`), times (`5分钟`), emoji stars, or a digit with any other words (`5 but the app still fails`).
 * Those become feedback as usual; the customer can still rate through the link.
 */

const FULL_WIDTH = /[\uFF01-\uFF5E]/g;
const TRAILING_PUNCTUATION = /[.!。！~～]+$/u;
const DIGIT_FORMS = /^([1-5])(?:\s*(?:分|星|颗星|stars?|points?|pts?)|\s*\/\s*5)?$/u;
const CHINESE_FORMS = /^([一二三四五])\s*(?:分|星|颗星)$/u;
const CHINESE_NUMERALS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5 };

/**
 * The score (1–5) when `text` is only a rating in one of the forms above, else undefined.
 * Pure and linear in the length of the text; texts longer than 32 characters are never ratings.
 */
export function bareRating(text: string): number | undefined {
  if (typeof text !== 'string' || text.length > 32) return undefined;
  // Full-width ASCII (digits, slash, letters, punctuation) as its ASCII twin; U+3000 is whitespace to trim().
  const normal = text
    .replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .trim()
    .replace(TRAILING_PUNCTUATION, '')
    .trim()
    .toLowerCase();
  const digit = DIGIT_FORMS.exec(normal);
  if (digit) return Number(digit[1]);
  const chinese = CHINESE_FORMS.exec(normal);
  return chinese ? CHINESE_NUMERALS[chinese[1]!] : undefined;
}
