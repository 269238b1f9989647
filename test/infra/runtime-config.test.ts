/**
 * The README's configuration table against the functions' environment schemas (issue 14): every variable
 * a function's schema reads is documented, and the Lambda entries parse their schema at cold start.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClockCheckEnv } from '../../functions/clock/config.ts';
import { ProcessEnv } from '../../functions/process/config.ts';
import { envVariables, type EnvSchema } from '../../functions/shared/runtime-config.ts';
import { SweeperEnv } from '../../functions/sweeper/config.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const SCHEMAS: Record<string, { schema: EnvSchema; entry: string; name: string }> = {
  process: { schema: ProcessEnv, entry: 'functions/process/index.ts', name: 'ProcessEnv' },
  sweeper: { schema: SweeperEnv, entry: 'functions/sweeper/index.ts', name: 'SweeperEnv' },
  'clock-check': { schema: ClockCheckEnv, entry: 'functions/clock/index.ts', name: 'ClockCheckEnv' },
};

/** The variables the README's configuration tables name in their first column. */
function documentedVariables(readme: string): Set<string> {
  const names = new Set<string>();
  for (const line of readme.split('\n')) {
    const first = /^\|([^|]*)\|/.exec(line)?.[1];
    for (const m of first?.matchAll(/`(REDRESS_[A-Z0-9_]+)`/g) ?? []) names.add(m[1]!);
  }
  return names;
}

describe('runtime configuration', () => {
  const documented = documentedVariables(readFileSync(join(ROOT, 'README.md'), 'utf8'));

  it('reads the README table (a table cell may list several variables)', () => {
    expect(documented.has('REDRESS_SLA_FIRST_RESPONSE')).toBe(true);
    expect(documented.has('REDRESS_DEAD_LETTER_QUEUE_URL')).toBe(true);
    expect(documentedVariables('| `REDRESS_A`, `REDRESS_B` | x |\nsee `REDRESS_C` |')).toEqual(new Set(['REDRESS_A', 'REDRESS_B']));
  });

  it.each(Object.entries(SCHEMAS))('the README documents every variable the %s function reads', (_fn, { schema }) => {
    const missing = envVariables(schema).filter((v) => !documented.has(v));
    expect(missing).toEqual([]);
  });

  it.each(Object.entries(SCHEMAS))('the %s Lambda entry parses its schema once, at cold start', (fn, { entry, name }) => {
    const source = readFileSync(join(ROOT, entry), 'utf8');
    expect(source).toMatch(new RegExp(`^const env = parseEnv\\('${fn}', ${name}, process\\.env\\);$`, 'm'));
    expect(source).not.toMatch(/process\.env\.REDRESS_/);
  });
});
