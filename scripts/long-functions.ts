/**
 * `npm run long-functions`: the functions in functions/ longer than about 80 lines, longest first, each
 * with the reason its comment gives for staying long (`Long: …`). Exits 1 when one has no reason, so a
 * new long function is either split or explained (test/infra/long-functions.test.ts checks the same).
 */
import { join } from 'node:path';
import { LONG_FUNCTION_LINES, longFunctions } from './lib/long-functions.ts';

const found = longFunctions(join(import.meta.dirname, '..'));
const unexplained = found.filter((f) => !f.reason);
const lines = [`Functions in functions/ longer than ${LONG_FUNCTION_LINES} lines: ${found.length} (${unexplained.length} without a reason)`];
for (const f of found) lines.push(`${String(f.lines).padStart(5)}  ${f.file}:${f.line}  ${f.name}${f.reason ? `  (${f.reason})` : '  NO REASON: split it, or say why in a "Long:" comment'}`);
process.stdout.write(lines.join('\n') + '\n');
process.exitCode = unexplained.length ? 1 : 0;
