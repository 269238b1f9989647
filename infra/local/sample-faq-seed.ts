/**
 * `npm start` loads a sample FAQ into an empty store, so suggested answers show on the first inquiry
 * (functions/shared/faq/sample/sample-faq.ts says which entries). A store that already has a FAQ (the one
 * an admin uploaded, or an earlier seed) is left as it is.
 */
import { resolve } from 'node:path';
import { seedFaq } from '../../functions/shared/faq/faq-service.ts';
import type { FaqStore } from '../../functions/shared/faq/faq-store.ts';
import { loadSampleFaq } from '../../functions/shared/faq/sample/sample-faq.ts';

/** Where the labelled datasets are: REDRESS_DATASETS_DIR, else ../shared/datasets from the working directory. */
export function datasetsDirOf(env: NodeJS.ProcessEnv): string {
  return resolve(env.REDRESS_DATASETS_DIR?.trim() || '../shared/datasets');
}

/** What start-up did about the FAQ, for the start-up banner. */
export type FaqSeedOutcome = { seeded: true; source: 'datasets' | 'builtin'; entries: number } | { seeded: false; version: number; entries: number } | { seeded: false; disabled: true };

/**
 * Seeds the sample FAQ unless the store has one or `REDRESS_FAQ_SAMPLE=off`. Reads the datasets only when
 * it seeds (a restart with a FAQ in place costs one small read).
 */
export async function seedSampleFaq(store: FaqStore, env: NodeJS.ProcessEnv, now = new Date()): Promise<FaqSeedOutcome> {
  if (env.REDRESS_FAQ_SAMPLE?.trim().toLowerCase() === 'off') return { seeded: false, disabled: true };
  const head = await store.head();
  if (head) return { seeded: false, version: head.version, entries: head.entries };
  const sample = loadSampleFaq(datasetsDirOf(env));
  if (await seedFaq(store, sample.entries, now.toISOString())) return { seeded: true, source: sample.source, entries: sample.entries.length };
  const after = await store.head();
  return { seeded: false, version: after?.version ?? 0, entries: after?.entries ?? 0 };
}

/** The banner line for an outcome. */
export function describeFaqSeed(outcome: FaqSeedOutcome, datasetsDir: string): string {
  if ('disabled' in outcome) return '  FAQ:      no sample loaded (REDRESS_FAQ_SAMPLE=off); PUT /admin/faq to load one';
  if (!outcome.seeded) return `  FAQ:      version ${outcome.version} kept (${outcome.entries} entries)`;
  return outcome.source === 'datasets'
    ? `  FAQ:      sample loaded, ${outcome.entries} entries (UnionPay FAQ and Jining KB from ${datasetsDir}, plus the bilingual sample)`
    : `  FAQ:      sample loaded, ${outcome.entries} entries (the bilingual sample; ${datasetsDir} not found)`;
}
