/**
 * The FAQ index as a function holds it between invocations: decoded once per version, and the version
 * checked (one small read) at most every `ttlMs`. A change is thus seen within that time by every warm
 * Lambda, and a Lambda that answers many inquiries reads the snapshot once.
 */
import type { FaqIndex } from './faq-index.ts';
import type { FaqHead, FaqStore } from './faq-store.ts';
import { loadFaq } from './faq-service.ts';
import { ConfigurationError } from '../config.ts';

/** The FAQ a function answers from: its version, the head it was read with, the decoded index. */
export interface CachedFaq {
  version: number;
  head: FaqHead;
  index: FaqIndex;
}

export interface FaqIndexCacheOptions {
  /** How long a checked version is trusted (default 30 s; 0: check on every read). */
  ttlMs?: number;
  now?: () => number;
}

/** Default of REDRESS_FAQ_CACHE_SECONDS: how long a function trusts the FAQ version it last checked. */
export const DEFAULT_FAQ_CACHE_SECONDS = 30;

/**
 * `REDRESS_FAQ_CACHE_SECONDS` in milliseconds (0 to 3600 s; unset or empty: 30 s). A bad value fails the
 * cold start loudly rather than quietly caching for the wrong time.
 */
export function faqCacheTtlMs(env: Record<string, string | undefined>, fallbackSeconds = DEFAULT_FAQ_CACHE_SECONDS): number {
  const raw = env.REDRESS_FAQ_CACHE_SECONDS?.trim();
  if (!raw) return fallbackSeconds * 1000;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 3600) throw new ConfigurationError(`REDRESS_FAQ_CACHE_SECONDS must be a number of seconds from 0 to 3600 (got "${raw}")`);
  return seconds * 1000;
}

export class FaqIndexCache {
  private cached: CachedFaq | null = null;
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
    return (await this.current())?.index ?? null;
  }

  /** The current index with its version (what an answer says it was computed from), or null. */
  async current(): Promise<CachedFaq | null> {
    if (this.now() - this.checkedAt < this.ttlMs) return this.cached;
    const head = await this.store.head();
    if (!head) this.cached = null;
    else if (head.version !== this.cached?.version) {
      const loaded = await loadFaq(this.store);
      this.cached = loaded ? { version: loaded.head.version, head: loaded.head, index: loaded.index } : null;
    }
    this.checkedAt = this.now();
    return this.cached;
  }

  /** Forgets the checked version, so the next read checks the head again (after this function changed the FAQ). */
  invalidate(): void {
    this.checkedAt = -Infinity;
  }
}
