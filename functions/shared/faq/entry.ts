/** The FAQ entry: the bank's data, one question (and other ways of asking it) with its answer. */

// The schema and limits are part of the public contract (schemas/faq.ts, in the OpenAPI document).
import { FAQ_LANGUAGES, FAQ_LIMITS, FaqEntrySchema } from '../../../schemas/faq.ts';

export { FAQ_LANGUAGES, FAQ_LIMITS, FaqEntrySchema };
export type FaqLanguage = (typeof FAQ_LANGUAGES)[number];

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
