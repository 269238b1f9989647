/**
 * Port: where the FAQ lives. One current snapshot (the entries with their index, encoded by
 * index-codec.ts), replaced as a whole under optimistic concurrency, and an audit trail of every change.
 * DynamoDB (dynalite locally) in adapters/dynamo-faq-store.ts; in memory for tests.
 */
import { FaqError } from './errors.ts';
import type { FaqDiff, FaqUpdateMode } from './merge.ts';

/** The current version and who made it: one small read, enough to know whether a cached index is stale. */
export interface FaqHead {
  /** 1 for the first FAQ saved, then +1 per change. */
  version: number;
  updatedAt: string;
  updatedBy: string;
  entries: number;
}

/** One change, as audited. */
export interface FaqChange {
  version: number;
  at: string;
  /** The admin's subject (`sub`), or `seed` for the sample FAQ loaded at start-up. */
  actor: string;
  mode: FaqUpdateMode;
  /** Entry ids (lists cut at MAX_AUDITED_IDS each; the counts are exact). */
  added: string[];
  updated: string[];
  removed: string[];
  counts: { added: number; updated: number; removed: number; unchanged: number; entries: number };
}

/** The most ids an audit record lists per kind of change (a whole-FAQ replace can touch thousands). */
export const MAX_AUDITED_IDS = 500;

/** Builds the audit record of a change. */
export function faqChange(version: number, at: string, actor: string, mode: FaqUpdateMode, diff: FaqDiff, entries: number): FaqChange {
  return {
    version,
    at,
    actor,
    mode,
    added: diff.added.slice(0, MAX_AUDITED_IDS),
    updated: diff.updated.slice(0, MAX_AUDITED_IDS),
    removed: diff.removed.slice(0, MAX_AUDITED_IDS),
    counts: { added: diff.added.length, updated: diff.updated.length, removed: diff.removed.length, unchanged: diff.unchanged, entries },
  };
}

/** Thrown by `save` when the stored version is not the one the caller read (the route's 409/412). */
export class FaqVersionConflictError extends FaqError {
  override name = 'FaqVersionConflictError';
  constructor(
    readonly expected: number | null,
    readonly actual: number | null,
  ) {
    super(`FAQ version is ${actual ?? 'none'}, expected ${expected ?? 'none'}`);
  }
}

export interface FaqStore {
  /** The current version (null: no FAQ saved yet). */
  head(): Promise<FaqHead | null>;
  /** The current snapshot bytes (index-codec.ts) with its head; null when none. */
  load(): Promise<{ head: FaqHead; snapshot: Uint8Array } | null>;
  /**
   * Stores a new snapshot as version `change.version` if the current version is still `change.version - 1`
   * (none for version 1), and its audit record; throws FaqVersionConflictError otherwise.
   */
  save(snapshot: Uint8Array, change: FaqChange): Promise<FaqHead>;
  /** Audit records, newest first. */
  history(limit: number): Promise<FaqChange[]>;
}
