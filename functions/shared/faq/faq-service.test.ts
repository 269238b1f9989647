import { describe, expect, it } from 'vitest';
import { FaqConflictError, FaqInvalidError } from './errors.ts';
import { FaqIndexCache } from './faq-index-cache.ts';
import { FaqVersionConflictError, type FaqChange } from './faq-store.ts';
import { loadFaq, seedFaq, updateFaq } from './faq-service.ts';
import { MemoryFaqStore } from './memory-faq-store.ts';
import { suggest } from './suggest.ts';

const csv = (rows: string[]) => ['id,question,answer,language', ...rows].join('\n');
const put = (store: MemoryFaqStore, body: string, mode: 'replace' | 'upsert' = 'replace', actor = 'alice') =>
  updateFaq(store, { body, format: 'csv', mode, actor, now: '2026-12-01T10:00:00Z' });

describe('FAQ service', () => {
  it('saves an upload with its index and an audit record of who changed what', async () => {
    const store = new MemoryFaqStore();
    const { head, change } = await put(store, csv(['fee,信用卡年费怎么收？,首年免年费。,zh', 'lost,How do I report a lost card?,Call us.,en']));
    expect(head).toEqual({ version: 1, updatedAt: '2026-12-01T10:00:00Z', updatedBy: 'alice', entries: 2 });
    expect(change).toMatchObject({ version: 1, actor: 'alice', mode: 'replace', added: ['fee', 'lost'], counts: { added: 2, updated: 0, removed: 0, unchanged: 0, entries: 2 } });
    const loaded = await loadFaq(store);
    expect(suggest(loaded!.index, '年费')[0]?.faqId).toBe('fee');
  });

  it('upserts into the stored FAQ and audits each version', async () => {
    const store = new MemoryFaqStore();
    await put(store, csv(['fee,年费,a,zh', 'lost,挂失,b,zh']));
    await put(store, csv(['lost,挂失怎么办,b2,zh', 'pin,忘记密码,c,zh']), 'upsert', 'bob');
    expect((await loadFaq(store))!.index.entries.map((e) => e.id)).toEqual(['fee', 'lost', 'pin']);
    const history = await store.history(10);
    expect(history.map((h: FaqChange) => [h.version, h.actor, h.added, h.updated])).toEqual([
      [2, 'bob', ['pin'], ['lost']],
      [1, 'alice', ['fee', 'lost'], []],
    ]);
  });

  it('changes nothing when the upload is invalid', async () => {
    const store = new MemoryFaqStore();
    await put(store, csv(['fee,年费,a,zh']));
    await expect(put(store, csv(['x,,a,zh']))).rejects.toBeInstanceOf(FaqInvalidError);
    expect((await store.head())?.version).toBe(1);
  });

  it('applies the upload again when another change landed first, then gives up with a 409', async () => {
    const store = new MemoryFaqStore();
    let conflicts = 2;
    const save = store.save.bind(store);
    store.save = async (snapshot, change) => {
      if (conflicts-- > 0) throw new FaqVersionConflictError(change.version - 1, change.version);
      return save(snapshot, change);
    };
    await expect(put(store, csv(['fee,年费,a,zh']))).resolves.toMatchObject({ head: { version: 1 } });
    conflicts = 3;
    await expect(put(store, csv(['fee,年费,a,zh']))).rejects.toBeInstanceOf(FaqConflictError);
  });

  it('seeds an empty store only', async () => {
    const store = new MemoryFaqStore();
    expect(await seedFaq(store, [{ id: 's', question: '年费', answer: 'a', language: 'zh' }], '2026-12-01T00:00:00Z')).toBe(true);
    expect(await seedFaq(store, [{ id: 't', question: '挂失', answer: 'b', language: 'zh' }], '2026-12-02T00:00:00Z')).toBe(false);
    expect((await store.history(5)).map((h) => h.actor)).toEqual(['seed']);
  });
});

describe('FAQ index cache', () => {
  it('reads the snapshot once per version and checks the version at most once per ttl', async () => {
    const store = new MemoryFaqStore();
    await put(store, csv(['fee,年费,a,zh']));
    let now = 0;
    let loads = 0;
    const load = store.load.bind(store);
    store.load = async () => (loads++, load());
    const cache = new FaqIndexCache(store, { ttlMs: 1000, now: () => now });
    const first = await cache.get();
    await put(store, csv(['fee,年费,a,zh', 'lost,挂失,b,zh']));
    expect(await cache.get()).toBe(first); // within the ttl: not checked
    now = 1500;
    expect((await cache.get())?.entries).toHaveLength(2);
    expect(await cache.get()).toBe(await cache.get());
    expect(loads).toBe(3); // the cache's two (versions 1 and 2) and the second upload's own
  });

  it('answers null while there is no FAQ', async () => {
    expect(await new FaqIndexCache(new MemoryFaqStore()).get()).toBeNull();
  });
});
