/** Applying an upload to the stored FAQ: replace it whole, or upsert by id. Pure; the result says what changed. */
import type { FaqEntry } from './entry.ts';

export type FaqUpdateMode = 'replace' | 'upsert';

/** What an update changed, by entry id (for the audit record). */
export interface FaqDiff {
  added: string[];
  updated: string[];
  removed: string[];
  unchanged: number;
}

/**
 * The FAQ after an upload. `replace`: exactly the upload. `upsert`: the stored entries, each replaced whole by
 * the uploaded entry of the same id, in their order, then the new ones in upload order.
 */
export function applyFaqUpdate(current: readonly FaqEntry[], upload: readonly FaqEntry[], mode: FaqUpdateMode): { entries: FaqEntry[]; diff: FaqDiff } {
  const incoming = new Map(upload.map((e) => [e.id, e]));
  const existing = new Map(current.map((e) => [e.id, e]));
  const entries = mode === 'replace' ? [...upload] : [...current.map((e) => incoming.get(e.id) ?? e), ...upload.filter((e) => !existing.has(e.id))];
  const diff: FaqDiff = { added: [], updated: [], removed: [], unchanged: 0 };
  for (const e of upload) {
    const before = existing.get(e.id);
    if (!before) diff.added.push(e.id);
    else if (sameEntry(before, e)) diff.unchanged++;
    else diff.updated.push(e.id);
  }
  if (mode === 'replace') for (const e of current) if (!incoming.has(e.id)) diff.removed.push(e.id);
  if (mode === 'upsert') diff.unchanged += current.filter((e) => !incoming.has(e.id)).length;
  return { entries, diff };
}

/** Whether two entries say the same (phrasings compared in order; an absent list equals an empty one). */
export function sameEntry(a: FaqEntry, b: FaqEntry): boolean {
  const pa = a.phrasings ?? [];
  const pb = b.phrasings ?? [];
  return a.id === b.id && a.question === b.question && a.answer === b.answer && a.language === b.language && (a.category ?? '') === (b.category ?? '') && pa.length === pb.length && pa.every((p, i) => p === pb[i]);
}
