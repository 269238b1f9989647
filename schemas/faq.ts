/**
 * The bank's FAQ and the suggested answers built from it (issue 18): the entry as uploaded with
 * `PUT /admin/faq`, the FAQ pages of `GET /admin/faq`, and the suggestions stored on an inquiry and
 * recomputed by `GET /admin/feedback/{id}/suggestions`. The retrieval itself is in functions/shared/faq/.
 */
import * as z from 'zod/mini';
import './zod-locale.ts';

/** Languages an entry can be written in (the classifier's languages). */
export const FAQ_LANGUAGES = ['zh', 'en'] as const;

/** Limits that keep one upload, the index and its storage bounded. */
export const FAQ_LIMITS = {
  entries: 5000,
  idLength: 64,
  questionLength: 500,
  answerLength: 4000,
  categoryLength: 64,
  phrasingsPerEntry: 50,
} as const;

const text = (max: number) => z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(max, `at most ${max} characters`));

/** One entry as uploaded (JSON; CSV rows are turned into this shape first) and as listed. */
export const FaqEntrySchema = z.strictObject({
  id: z.string().check(z.trim(), z.regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'letters, digits, . _ : - (at most 64, starting with a letter or digit)')),
  question: text(FAQ_LIMITS.questionLength),
  answer: text(FAQ_LIMITS.answerLength),
  language: z.enum(FAQ_LANGUAGES, 'must be "zh" or "en"'),
  category: z.optional(text(FAQ_LIMITS.categoryLength)),
  phrasings: z.optional(z.array(text(FAQ_LIMITS.questionLength)).check(z.maxLength(FAQ_LIMITS.phrasingsPerEntry, `at most ${FAQ_LIMITS.phrasingsPerEntry} phrasings`))),
});

/** `PUT /admin/faq` JSON body: the entries, or `{entries}` (CSV bodies: `text/csv`, one row per entry). */
export const FaqUpload = z.union([z.array(FaqEntrySchema), z.object({ entries: z.array(FaqEntrySchema) })]);

export const FAQ_UPDATE_MODES = ['replace', 'upsert'] as const;

/** `PUT /admin/faq?mode=`: `replace` (default) makes the upload the whole FAQ; `upsert` merges it by id. */
export const FaqUpdateQuery = z.object({
  mode: z.optional(z.enum(FAQ_UPDATE_MODES, { error: `mode must be one of ${FAQ_UPDATE_MODES.join(', ')}` })),
});

/** `limit`: 1 to 500, default 100 (FAQ entries are small; schemas/admin.ts imports feedback.ts, which imports this file, so its Limit is not reused). */
const FaqLimit = z._default(
  z.coerce.number({ error: 'limit must be a whole number from 1 to 500' }).check(z.int('limit must be a whole number from 1 to 500'), z.minimum(1, 'limit must be at least 1'), z.maximum(500, 'limit must be at most 500')),
  100,
);
const Cursor = z.string().check(z.minLength(1), z.maxLength(2048));

/** `GET /admin/faq?limit=&cursor=` */
export const FaqListQuery = z.object({ limit: FaqLimit, cursor: z.optional(Cursor) });

/** `GET /admin/faq/changes?limit=` */
export const FaqChangesQuery = z.object({ limit: FaqLimit });

/** Which FAQ a page or a suggestion came from (absent fields: no FAQ saved yet). */
const FaqVersionFields = {
  /** 1 for the first FAQ saved, then +1 per change; 0 when none was ever saved. */
  version: z.number().check(z.int(), z.minimum(0)),
  updatedAt: z.optional(z.iso.datetime()),
  updatedBy: z.optional(z.string()),
  /** Entries in the whole FAQ. */
  entries: z.number().check(z.int(), z.minimum(0)),
};

/** `GET /admin/faq`: the entries in FAQ order; `nextCursor` is absent on the last page. */
export const FaqPage = z.object({ ...FaqVersionFields, items: z.array(FaqEntrySchema), nextCursor: z.optional(z.string()) });

/** One change of the FAQ, as audited (ids listed up to 500 per kind; the counts are exact). */
export const FaqChangeView = z.object({
  version: z.number().check(z.int()),
  at: z.iso.datetime(),
  /** The admin's subject, or `seed` for the sample FAQ the local stack loads. */
  actor: z.string(),
  mode: z.enum(FAQ_UPDATE_MODES),
  added: z.array(z.string()),
  updated: z.array(z.string()),
  removed: z.array(z.string()),
  counts: z.object({ added: z.number(), updated: z.number(), removed: z.number(), unchanged: z.number(), entries: z.number() }),
});

/** `PUT /admin/faq` answer: the new version and what changed. */
export const FaqUpdateResult = z.object({ ...FaqVersionFields, change: FaqChangeView });

/** `GET /admin/faq/changes`: audit records, newest first. */
export const FaqChanges = z.object({ items: z.array(FaqChangeView) });

/** One suggested answer: an FAQ entry, the probability that it answers the item, and what both share. */
export const Suggestion = z.object({
  faqId: z.string(),
  /** Calibrated probability (0–1, three decimals) that the entry answers the question. */
  score: z.number().check(z.minimum(0), z.maximum(1)),
  question: z.string(),
  answer: z.string(),
  language: z.enum(FAQ_LANGUAGES),
  category: z.optional(z.string()),
  /** The words or phrases both share, most telling first (`年费`, `annual fee ↔ 年费`). */
  cues: z.array(z.string()),
});
export type Suggestion = z.infer<typeof Suggestion>;

/**
 * A suggestion as an item stores it: the entry, the probability and the cues (what the question and the
 * entry share, computed when it was found), not the entry's question and answer, which the admin API
 * shows from the FAQ as it is when the item is read. Items stored before 2026-12-06 hold whole suggestions.
 */
export const StoredSuggestion = z.object({ faqId: z.string(), score: z.number(), cues: z.array(z.string()) });
export type StoredSuggestion = z.infer<typeof StoredSuggestion>;

/** What an item keeps of a suggestion (faqId, score, cues): the entry's text stays in the FAQ. */
export function storedSuggestion(s: Pick<Suggestion, 'faqId' | 'score' | 'cues'>): StoredSuggestion {
  return { faqId: s.faqId, score: s.score, cues: [...s.cues] };
}

/** `GET /admin/feedback/{id}/suggestions`: recomputed now against the current FAQ (best first, at most 3). */
export const SuggestionsView = z.object({
  id: z.string(),
  /** The FAQ version they were computed from (0: no FAQ). */
  faqVersion: z.number().check(z.int(), z.minimum(0)),
  suggestions: z.array(Suggestion),
});
