/**
 * Issue 14: no function in functions/ longer than about 80 lines without a reason in its comment
 * (`Long: …`, listed by `npm run long-functions`). The finder is checked on made-up sources first, so
 * the rule cannot pass by finding nothing.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LONG_FUNCTION_LINES, longFunctions, longFunctionsIn } from '../../scripts/lib/long-functions.ts';

const body = (n: number) => Array.from({ length: n }, (_, i) => `  const v${i} = ${i};`).join('\n');

describe('long functions', () => {
  it('finds declarations, methods and arrows longer than the limit, with the reason their comment gives', () => {
    const source = [
      `export function short() {\n${body(10)}\n}`,
      `/**\n * Builds it.\n * Long: a table of routes,\n * one per line.\n * @returns the handler\n */\nexport function explained() {\n${body(90)}\n}`,
      `export const arrow = async () => {\n${body(85)}\n};`,
      `class Store {\n  method() {\n${body(81)}\n  }\n}`,
      `const table = {\n  // Long: one case per command.\n  handle: () => {\n${body(90)}\n  },\n};`,
    ].join('\n\n');
    const found = longFunctionsIn('functions/x.ts', source);
    expect(found.map((f) => [f.name, f.reason])).toEqual([
      ['explained', 'a table of routes, one per line.'],
      ['arrow', undefined],
      ['Store.method', undefined],
      ['table.handle', 'one case per command.'],
    ]);
    expect(found[0]!.lines).toBe(92);
    expect(longFunctionsIn('functions/x.ts', `function exactly() {\n${body(LONG_FUNCTION_LINES - 2)}\n}`)).toEqual([]);
  });

  it('in functions/ each says in its comment why it stays long', () => {
    const found = longFunctions(join(import.meta.dirname, '..', '..'));
    expect(found.filter((f) => !f.reason).map((f) => `${f.file}:${f.line} ${f.name} (${f.lines} lines)`)).toEqual([]);
  });
});
