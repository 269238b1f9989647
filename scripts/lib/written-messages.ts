/**
 * Training messages written for Redress (training/written-messages/, its README says how): bank customers'
 * messages in the four varieties the classifier reads, written from the situations banks publish in their
 * complaint reports, labelled with kind, category, the least severity and the fraud flag in the same
 * six-column format as the test set (test/fixtures/customer-messages), and kept apart from it: no line of
 * one is in the other (a test holds that).
 *
 * They enter training as the source `written`, in the same folds as every source (a fifth locked by
 * `isLocked`, the rest in the five cross-validation folds), so the evaluation scores them like the others.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { languageOf, readCustomerMessages, type CustomerMessage } from './customer-messages.ts';
import { foldOf, isLocked, loadAll, type LabelledRow } from './datasets.ts';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where the written training messages live (one or more `.tsv` files). */
export const WRITTEN_MESSAGES_DIR = join(projectRoot, 'training', 'written-messages');

/**
 * Messages written the same way by other writers (round 4), kept out of training as a second, larger
 * evaluation set for messages as customers write them (test/fixtures/written-holdout/README.md).
 */
export const WRITTEN_HOLDOUT_DIR = join(projectRoot, 'test', 'fixtures', 'written-holdout');

/** Every written hold-out message, as read (the test set's parser and checks). */
export function readWrittenHoldout(dir = WRITTEN_HOLDOUT_DIR): CustomerMessage[] {
  return readWrittenMessages(dir);
}

/** Every written training message, as read (the test set's parser and checks). */
export function readWrittenMessages(dir = WRITTEN_MESSAGES_DIR): CustomerMessage[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.tsv')).sort().flatMap((f) => readCustomerMessages(join(dir, f)));
}

/** The written messages in the languages the classifier reads, as labelled training rows (source `written`). */
export function loadWrittenRows(dir = WRITTEN_MESSAGES_DIR): LabelledRow[] {
  return readWrittenMessages(dir).flatMap((m): LabelledRow[] => {
    const lang = languageOf(m.variety);
    if (lang !== 'en' && lang !== 'zh') return [];
    const text = m.text.trim();
    return [{ src: 'written', text, gold: { cats: [m.category], kinds: [m.kind], severity: m.minSeverity, lang }, locked: isLocked('written', text), fold: foldOf('written', text) }];
  });
}

/** What the classifier is trained on: every public dataset's rows (`loadAll`) and the written messages. */
export function trainingRows(datasetsDir: string): LabelledRow[] {
  return [...loadAll(datasetsDir), ...loadWrittenRows()];
}
