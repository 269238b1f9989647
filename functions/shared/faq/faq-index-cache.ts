/**
 * The FAQ index as a function holds it between invocations: decoded once per version, and the version
 * checked (one small read) at most every `ttlMs`. A change is thus seen within that time by every warm
 * Lambda, and a Lambda that answers many inquiries reads the snapshot once.
 */
import type { FaqIndex } from './faq-index.ts';
import type { FaqStore } from './faq-store.ts';
import { loadFaq } from './faq-service.ts';

export interface FaqIndexCacheOptions {
  /** How long a checked version is trusted (default 30 s). */
  ttlMs?: number;
  now?: () => number;
}

export class FaqIndexCache {
  private cached: { version: number; index: FaqIndex } | null = null;
  private checkedAt = -Infinity;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly store: FaqStore,
    options: FaqIndexCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** The current index, or null when the bank has no FAQ. */
  async get(): Promise<FaqIndex | null> {
    if (this.now() - this.checkedAt < this.ttlMs) return this.cached?.index ?? null;
    const head = await this.store.head();
    if (!head) this.cached = null;
    else if (head.version !== this.cached?.version) {
      const loaded = await loadFaq(this.store);
      this.cached = loaded ? { version: loaded.head.version, index: loaded.index } : null;
    }
    this.checkedAt = this.now();
    return this.cached?.index ?? null;
  }
}
