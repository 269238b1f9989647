/**
 * Dependencies point one way (issue 14). Parses the imports of every source file under functions/ (tests
 * and their fixtures apart: a test may reach anything it checks) and asserts the layering:
 * - no shared adapter imports a function's folder (functions/<name>/, anything outside functions/shared/);
 * - ports import no adapters (and no function's folder);
 * - pipeline/ and clocks/ do not import each other: pipeline/ runs the clocks, clocks/ imports nothing of
 *   pipeline/ (the domain events both need live in events/);
 * - the domain (lifecycle/, classification/, clocks/) imports no adapter and no AWS SDK;
 * - the domain imports no HTTP request schema (schemas/admin.ts, reports.ts, webhook.ts): it has its own
 *   command types (lifecycle/commands.ts, auth/roles.ts), which the request bodies are built from.
 * Each rule also runs over a tiny made-up tree, so a rule that could never fire fails here too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** Repository-relative path → the specifiers it imports (static, dynamic and re-exports). */
type ImportGraph = Map<string, string[]>;

const IMPORT = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The import specifiers of one file's source (comments may mention `import`: only real statements match). */
export function importsOf(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  return [...code.matchAll(IMPORT)].map((m) => (m[1] ?? m[2])!);
}

function isTestFile(path: string): boolean {
  return /\.test\.ts$/.test(path) || /(^|\/)test-[\w-]+\.ts$/.test(path) || /report-test-items\.ts$/.test(path);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)).split('\\').join('/'))
    .filter((p) => !isTestFile(p));
}

function graphOf(files: Record<string, string>): ImportGraph {
  return new Map(Object.entries(files).map(([path, source]) => [path, importsOf(source)]));
}

/** A specifier as a repository-relative path (relative ones), else the package name as written. */
function target(from: string, specifier: string): string {
  return specifier.startsWith('.') ? normalize(join(dirname(from), specifier)).split('\\').join('/') : specifier;
}

const under = (dir: string) => (path: string) => path.startsWith(dir + '/');
const isAdapter = (path: string) => /^functions\/shared\/(?:[\w-]+\/)*adapters\//.test(path);
const isFunctionFolder = (path: string) => path.startsWith('functions/') && !path.startsWith('functions/shared/');
const isPort = under('functions/shared/ports');
const isPipeline = under('functions/shared/pipeline');
const isClocks = under('functions/shared/clocks');
const isDomain = (path: string) => ['lifecycle', 'classification', 'clocks'].some((d) => path.startsWith(`functions/shared/${d}/`));
/** The HTTP API's request and answer schemas (the canonical feedback and event shapes are the domain's own). */
const isHttpSchema = (path: string) => ['schemas/admin.ts', 'schemas/reports.ts', 'schemas/webhook.ts'].includes(path);
const isAwsSdk = (spec: string) => spec.startsWith('@aws-sdk/') || spec.startsWith('@smithy/');

interface Rule {
  name: string;
  applies: (path: string) => boolean;
  forbids: (imported: string) => boolean;
}

const RULES: Rule[] = [
  { name: 'no shared adapter imports a function folder', applies: isAdapter, forbids: isFunctionFolder },
  { name: 'ports import no adapters', applies: isPort, forbids: (t) => isAdapter(t) || t.startsWith('infra/') || isAwsSdk(t) },
  { name: 'ports import no function folder', applies: isPort, forbids: isFunctionFolder },
  { name: 'clocks/ does not import pipeline/', applies: isClocks, forbids: isPipeline },
  { name: 'domain imports no adapters', applies: isDomain, forbids: (t) => isAdapter(t) || isAwsSdk(t) || t.startsWith('infra/') },
  { name: 'domain imports no HTTP request schemas', applies: isDomain, forbids: isHttpSchema },
];

/** Every import that breaks a rule, as `<rule>: <file> → <import>`. */
export function violations(graph: ImportGraph, rules: Rule[] = RULES): string[] {
  const found: string[] = [];
  for (const [path, specifiers] of graph) {
    for (const rule of rules) {
      if (!rule.applies(path)) continue;
      for (const spec of specifiers) {
        const t = target(path, spec);
        if (rule.forbids(t)) found.push(`${rule.name}: ${path} → ${t}`);
      }
    }
  }
  return found.sort();
}

describe('dependency rules', () => {
  const files = sourceFiles('functions');
  const graph = graphOf(Object.fromEntries(files.map((p) => [p, readFileSync(join(ROOT, p), 'utf8')])));

  it('reads the imports of the real tree', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(graph.get('functions/shared/pipeline/sweep.ts')).toContain('../clocks/complaint-clocks.ts');
  });

  it('hold for every source file under functions/', () => {
    expect(violations(graph)).toEqual([]);
  });

  it('catch each kind of breach in a made-up tree', () => {
    const bad = graphOf({
      'functions/shared/adapters/aws/x.ts': "import { a } from '../../../admin/queries.ts';",
      'functions/shared/faq/adapters/y.ts': "import type { b } from '../../../reports/index.ts';",
      'functions/shared/ports/p.ts': "import { c } from '../adapters/aws/sfn-clock-timer.ts';\nexport { d } from '@aws-sdk/client-sfn';",
      'functions/shared/clocks/c.ts': "/* import nothing from '../pipeline/old.ts' */\nimport { e } from '../pipeline/feedback-item.ts';",
      'functions/shared/lifecycle/l.ts': "const m = await import('../adapters/table-design.ts');",
      'functions/shared/classification/k.ts': "// import { x } from '../adapters/z.ts'\nimport { f } from './fine.ts';",
      'functions/shared/lifecycle/s.ts': "import type { AssignBody } from '../../../schemas/admin.ts';\nimport type { FeedbackItem } from '../../../schemas/feedback.ts';",
    });
    expect(violations(bad)).toEqual([
      'clocks/ does not import pipeline/: functions/shared/clocks/c.ts → functions/shared/pipeline/feedback-item.ts',
      'domain imports no HTTP request schemas: functions/shared/lifecycle/s.ts → schemas/admin.ts',
      'domain imports no adapters: functions/shared/lifecycle/l.ts → functions/shared/adapters/table-design.ts',
      'no shared adapter imports a function folder: functions/shared/adapters/aws/x.ts → functions/admin/queries.ts',
      'no shared adapter imports a function folder: functions/shared/faq/adapters/y.ts → functions/reports/index.ts',
      'ports import no adapters: functions/shared/ports/p.ts → @aws-sdk/client-sfn',
      'ports import no adapters: functions/shared/ports/p.ts → functions/shared/adapters/aws/sfn-clock-timer.ts',
    ]);
  });
});
