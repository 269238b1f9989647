/**
 * What is in each Lambda bundle: builds every function as CDK bundles it (the options of
 * infra/bundling/esbuild-options.ts: the AWS SDK left to the runtime) with an esbuild metafile, and prints the biggest packages and input
 * files per bundle. `--why <text>` also prints, for each input whose path contains the text, the chain of
 * imports that pulled it in (the first importer found, entry first), to tell what can be trimmed;
 * `--sum <text>` prints the bytes of all inputs whose path contains the text (default: the classifier
 * model data, `classification/model/`).
 *
 *   npx tsx bench/lib/bundle-report.ts [--top 30] [--only ingest] [--why zod/] [--sum zod/]
 */
import { build, type Metafile } from 'esbuild';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LAMBDA_ESBUILD_OPTIONS } from '../../infra/bundling/esbuild-options.ts';
import { FUNCTIONS } from './cold-start.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The package an input path belongs to (`@scope/name`, `name`), or its first two path segments for our own code. */
export function packageOf(input: string): string {
  const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  return m ? m[1]! : input.split('/').slice(0, 2).join('/');
}

/** Builds one entry in memory and returns its metafile (output size and per-input bytes). */
export async function bundleMetafile(entry: string): Promise<Metafile> {
  const result = await build({ ...LAMBDA_ESBUILD_OPTIONS, entryPoints: [join(ROOT, entry)], outfile: join(ROOT, 'cdk.out/bundle-report/index.mjs'), write: false, metafile: true, logLevel: 'error' });
  return result.metafile;
}

/** The import chain (entry first) that first reaches `target`, breadth-first over the metafile's imports. */
export function importChain(meta: Metafile, target: string): string[] {
  const entry = Object.values(meta.outputs)[0]!.entryPoint!;
  const parent = new Map<string, string>([[entry, '']]);
  const queue = [entry];
  while (queue.length) {
    const at = queue.shift()!;
    if (at === target) break;
    for (const imp of meta.inputs[at]?.imports ?? []) {
      if (imp.external || parent.has(imp.path)) continue;
      parent.set(imp.path, at);
      queue.push(imp.path);
    }
  }
  const chain: string[] = [];
  for (let p: string | undefined = target; p; p = parent.get(p)) chain.unshift(p);
  return chain;
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1).padStart(7);

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { top: { type: 'string', default: '30' }, only: { type: 'string' }, why: { type: 'string', multiple: true }, sum: { type: 'string', multiple: true, default: ['classification/model/', 'faq/lexicon.json'] } } });
  for (const f of FUNCTIONS) {
    if (values.only && f.name !== values.only) continue;
    const meta = await bundleMetafile(f.entry);
    const output = Object.values(meta.outputs)[0]!;
    const inputs = Object.entries(output.inputs).map(([path, v]) => ({ path, bytes: v.bytesInOutput })).sort((a, b) => b.bytes - a.bytes);
    const packages = new Map<string, number>();
    for (const i of inputs) packages.set(packageOf(i.path), (packages.get(packageOf(i.path)) ?? 0) + i.bytes);
    console.log(`\n## ${f.name}: ${kb(output.bytes).trim()} KB`);
    for (const text of values.sum ?? []) {
      const bytes = inputs.filter((i) => i.path.includes(text)).reduce((a, i) => a + i.bytes, 0);
      if (bytes) console.log(`inputs matching ${text}: ${kb(bytes).trim()} KB; the rest: ${kb(output.bytes - bytes).trim()} KB`);
    }
    console.log('by package:');
    for (const [p, b] of [...packages].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) console.log(`${kb(b)} ${p}`);
    console.log('by input file:');
    for (const i of inputs.slice(0, Number(values.top))) console.log(`${kb(i.bytes)} ${i.path.replace(/^node_modules\//, '')}`);
    for (const text of values.why ?? []) {
      for (const i of inputs.filter((x) => x.path.includes(text)).slice(0, 5)) console.log(`why ${i.path}:\n    ${importChain(meta, i.path).join('\n -> ')}`);
    }
  }
}
