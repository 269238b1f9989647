import { describe, expect, it } from 'vitest';
import { MemoryFaqStore } from '../../functions/shared/faq/memory-faq-store.ts';
import { BUILTIN_FAQ } from '../../functions/shared/faq/sample/sample-faq.ts';
import { describeFaqSeed, seedSampleFaq } from './sample-faq-seed.ts';

const NO_DATASETS = { REDRESS_DATASETS_DIR: '/nonexistent/datasets' };

describe('seedSampleFaq', () => {
  it('loads the bilingual sample into an empty store when the datasets folder is absent', async () => {
    const store = new MemoryFaqStore();
    const outcome = await seedSampleFaq(store, NO_DATASETS);
    expect(outcome).toEqual({ seeded: true, source: 'builtin', entries: BUILTIN_FAQ.length });
    expect(await store.head()).toMatchObject({ version: 1, updatedBy: 'seed', entries: BUILTIN_FAQ.length });
    expect(describeFaqSeed(outcome, '/nonexistent/datasets')).toContain('not found');
  });

  it('leaves a FAQ already there as it is', async () => {
    const store = new MemoryFaqStore();
    await seedSampleFaq(store, NO_DATASETS);
    expect(await seedSampleFaq(store, NO_DATASETS)).toEqual({ seeded: false, version: 1, entries: BUILTIN_FAQ.length });
    expect((await store.history(10)).length).toBe(1);
  });

  it('loads nothing with REDRESS_FAQ_SAMPLE=off', async () => {
    const store = new MemoryFaqStore();
    expect(await seedSampleFaq(store, { ...NO_DATASETS, REDRESS_FAQ_SAMPLE: 'off' })).toEqual({ seeded: false, disabled: true });
    expect(await store.head()).toBeNull();
  });
});
