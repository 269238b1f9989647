/**
 * What the admin routes and the local stack call: read the FAQ, change it from an upload, seed the sample.
 * Thin orchestration over the FaqStore port and the pure pieces (upload, merge, index, codec).
 */
import { FaqConflictError, FaqInvalidError } from './errors.ts';
import { FAQ_LIMITS, type FaqEntry } from './entry.ts';
import { buildFaqIndex, type FaqIndex } from './faq-index.ts';
import { faqChange, FaqVersionConflictError, type FaqChange, type FaqHead, type FaqStore } from './faq-store.ts';
import { decodeFaqIndex, encodeFaqIndex } from './index-codec.ts';
import type { Lexicon } from './lexicon.ts';
import { applyFaqUpdate, type FaqUpdateMode } from './merge.ts';
import { parseFaqUpload } from './upload.ts';

/** The current FAQ: its head and index (entries are `index.entries`); null when none was saved. */
export async function loadFaq(store: FaqStore): Promise<{ head: FaqHead; index: FaqIndex } | null> {
  const current = await store.load();
  return current ? { head: current.head, index: decodeFaqIndex(current.snapshot) } : null;
}

/** A change asked for by an admin (`PUT /admin/faq`). */
export interface FaqUpdateRequest {
  body: string;
  format: 'json' | 'csv';
  mode: FaqUpdateMode;
  /** Who asks (the token's subject): recorded in the audit trail. */
  actor: string;
  /** ISO time of the change. */
  now: string;
  lexicon?: Lexicon;
}

/** How many times a change is re-applied on fresher data when another change lands first. */
const CONFLICT_RETRIES = 2;

/**
 * Validates the upload (400 naming rows and fields), applies it to the current FAQ, rebuilds the index and
 * saves both with an audit record. When another change lands in between, the upload is applied again to
 * the newer FAQ (an upsert merges into it; a replace replaces it); after CONFLICT_RETRIES, a 409.
 */
export async function updateFaq(store: FaqStore, request: FaqUpdateRequest): Promise<{ head: FaqHead; change: FaqChange }> {
  const upload = parseFaqUpload(request.body, request.format);
  for (let attempt = 0; ; attempt++) {
    const current = await loadFaq(store);
    const { entries, diff } = applyFaqUpdate(current?.index.entries ?? [], upload, request.mode);
    if (entries.length > FAQ_LIMITS.entries) throw new FaqInvalidError(`The FAQ would have ${entries.length} entries; at most ${FAQ_LIMITS.entries}.`, [{ field: '(body)', message: `at most ${FAQ_LIMITS.entries} entries in the FAQ` }]);
    const change = faqChange((current?.head.version ?? 0) + 1, request.now, request.actor, request.mode, diff, entries.length);
    try {
      const head = await store.save(encodeFaqIndex(buildFaqIndex(entries, request.lexicon ? { lexicon: request.lexicon } : {})), change);
      return { head, change };
    } catch (err) {
      if (!(err instanceof FaqVersionConflictError)) throw err;
      if (attempt >= CONFLICT_RETRIES) throw new FaqConflictError('The FAQ was changed by someone else at the same time; send the upload again.', err.actual, { cause: err });
    }
  }
}

/**
 * Loads a sample FAQ into an empty store (the local stack at start-up); a store that already has a FAQ
 * (the bank's, or an earlier seed) is left as it is. Returns whether it seeded.
 */
export async function seedFaq(store: FaqStore, entries: readonly FaqEntry[], now: string): Promise<boolean> {
  if (await store.head()) return false;
  const { diff } = applyFaqUpdate([], entries, 'replace');
  try {
    await store.save(encodeFaqIndex(buildFaqIndex(entries)), faqChange(1, now, 'seed', 'replace', diff, entries.length));
    return true;
  } catch (err) {
    if (err instanceof FaqVersionConflictError) return false; // seeded by another process meanwhile
    throw err;
  }
}
