/**
 * Run `../shared/acceptance/acceptance.mjs classify` honestly on development data: write the locked fold of
 * the datasets (scripts/lib/datasets.ts `isLocked`) as a holdout folder in the acceptance check's source
 * formats, and a model trained on every other row (with the committed calibration, which never saw the fold).
 * Posting the fold to a stack that runs that model then scores it blind, from outside, the way the held-back
 * data is scored. Run it once per release, at the end: the fold is not for tuning.
 *
 *   tsx scripts/acceptance-holdout.ts --out /tmp/redress-holdout --model /tmp/model.json
 *
 * Then, in a copy of the project with that model in functions/shared/classification/model/model.json:
 *   REDRESS_HOLDOUT_DIR=/tmp/redress-holdout node ../shared/acceptance/acceptance.mjs classify
 *
 * The datasets are read in place (their rules of use); the folder written here is a temporary file for the
 * check and must not be committed. Skips cleanly when ../shared/datasets is absent.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packModel } from '../functions/shared/classification/model.ts';
import { clip, datasetsDir, isLocked, parseCsv, type SourceName } from './lib/datasets.ts';
import { trainCached, unlockedRows } from './lib/evaluation.ts';
import { trainModel } from './train-classifier.ts';
import { trainingRows } from './lib/written-messages.ts';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** CSV text with every field quoted (quotes doubled), in the given column order. */
export function toCsv(columns: string[], rows: Record<string, string>[]): string {
  const quote = (v: string): string => `"${v.replace(/"/g, '""')}"`;
  return [columns.map(quote).join(','), ...rows.map((r) => columns.map((c) => quote(r[c] ?? '')).join(','))].join('\n') + '\n';
}

/** The rows of a CSV file whose text column puts them in the locked fold (the same hash as loadAll's). */
function csvLocked(file: string, src: SourceName, textColumn: string): { columns: string[]; rows: Record<string, string>[] } {
  const text = readFileSync(file, 'utf8');
  const rows = parseCsv(text);
  const columns = Object.keys(rows[0] ?? {});
  return { columns, rows: rows.filter((r) => (r[textColumn] ?? '').trim() && isLocked(src, clip((r[textColumn] ?? '').trim()))) };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const dir = datasetsDir(projectRoot);
  if (!dir) {
    console.log('skipped: ../shared/datasets not found (set REDRESS_DATASETS_DIR)');
    return;
  }
  const out = arg('--out');
  const modelOut = arg('--model');
  if (!out || !modelOut) throw new Error('usage: tsx scripts/acceptance-holdout.ts --out DIR --model FILE');
  mkdirSync(out, { recursive: true });

  const b77 = csvLocked(join(dir, 'banking77', 'train.csv'), 'b77', 'text');
  writeFileSync(join(out, 'banking77_test.csv'), toCsv(b77.columns, b77.rows));
  const cfpb = csvLocked(join(dir, 'cfpb_complaints_sample_2019', 'complaints_sample.csv'), 'cfpb', 'Consumer complaint narrative');
  writeFileSync(join(out, 'cfpb_holdout.csv'), toCsv(cfpb.columns, cfpb.rows));
  const ccf = csvLocked(join(dir, 'ccf_bdci2021_bank_comments_zh', 'train_data_public.csv'), 'ccf', 'text');
  writeFileSync(join(out, 'ccf_holdout.csv'), toCsv(ccf.columns, ccf.rows));
  const nlupp: unknown[] = [];
  for (let f = 0; f < 10; f++) {
    const file = join(dir, 'polyai_nlupp_banking', `fold${f}.json`);
    for (const ex of JSON.parse(readFileSync(file, 'utf8')) as { text: string }[]) if (isLocked('nlupp', clip(ex.text.trim()))) nlupp.push(ex);
  }
  writeFileSync(join(out, 'nlupp_holdout.json'), JSON.stringify(nlupp, null, 1) + '\n');
  console.log(`holdout (locked fold) in ${out}: banking77 ${b77.rows.length}, nlupp ${nlupp.length}, cfpb ${cfpb.rows.length}, ccf ${ccf.rows.length}`);

  const model = trainCached(unlockedRows(trainingRows(dir)), 'every row outside the locked fold', (rows, split) => trainModel(rows, { split }), (line) => console.log(line));
  writeFileSync(modelOut, JSON.stringify(packModel(model)) + '\n');
  console.log(`model trained without the locked fold: ${modelOut}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
