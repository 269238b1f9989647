/** FaqStore in memory: for tests and for tools that need no persistence. */
import { FaqVersionConflictError, type FaqChange, type FaqHead, type FaqStore } from './faq-store.ts';

export class MemoryFaqStore implements FaqStore {
  private current: { head: FaqHead; snapshot: Uint8Array } | null = null;
  private readonly changes: FaqChange[] = [];

  async head(): Promise<FaqHead | null> {
    return this.current?.head ?? null;
  }

  async load(): Promise<{ head: FaqHead; snapshot: Uint8Array } | null> {
    return this.current;
  }

  async save(snapshot: Uint8Array, change: FaqChange): Promise<FaqHead> {
    const actual = this.current?.head.version ?? null;
    const expected = change.version > 1 ? change.version - 1 : null;
    if (actual !== expected) throw new FaqVersionConflictError(expected, actual);
    const head: FaqHead = { version: change.version, updatedAt: change.at, updatedBy: change.actor, entries: change.counts.entries };
    this.current = { head, snapshot: Uint8Array.from(snapshot) };
    this.changes.unshift(change);
    return head;
  }

  async history(limit: number): Promise<FaqChange[]> {
    return this.changes.slice(0, limit);
  }
}
