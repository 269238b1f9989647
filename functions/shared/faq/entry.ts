/** The FAQ entry: the bank's data, one question (and other ways of asking it) with its answer. */
import * as z from 'zod/mini';

/** Languages an entry can be written in (the classifier's languages). */
export const FAQ_LANGUAGES = ['zh', 'en'] as const;
export type FaqLanguage = (typeof FAQ_LANGUAGES)[number];

/** Limits that keep one upload, the index and its storage bounded. */
export const FAQ_LIMITS = {
  entries: 5000,
  idLength: 64,
  questionLength: 500,
  answerLength: 4000,
  categoryLength: 64,
  phrasingsPerEntry: 50,
} as const;

export interface FaqEntry {
  /** The bank's id, stable across uploads (upserts merge by it). */
  id: string;
  question: string;
  answer: string;
  language: FaqLanguage;
  category?: string;
  /** Other ways customers ask the same question; each is matched like the question. */
  phrasings?: string[];
}

const text = (max: number) => z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(max, `at most ${max} characters`));

/** Schema of one entry (JSON uploads; CSV rows are turned into this shape first). */
export const FaqEntrySchema = z.strictObject({
  id: z.string().check(z.trim(), z.regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'letters, digits, . _ : - (at most 64, starting with a letter or digit)')),
  question: text(FAQ_LIMITS.questionLength),
  answer: text(FAQ_LIMITS.answerLength),
  language: z.enum(FAQ_LANGUAGES, 'must be "zh" or "en"'),
  category: z.optional(text(FAQ_LIMITS.categoryLength)),
  phrasings: z.optional(z.array(text(FAQ_LIMITS.questionLength)).check(z.maxLength(FAQ_LIMITS.phrasingsPerEntry, `at most ${FAQ_LIMITS.phrasingsPerEntry} phrasings`))),
});
