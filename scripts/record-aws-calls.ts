/**
 * `npm run iam:record`: regenerates test/fixtures/aws-calls.json, the AWS calls each function makes,
 * from a run of the integration suite and the entry-point test (infra/local/aws-calls.ts records them;
 * test/helpers/aws-calls.ts writes each test process's share to a scratch directory). The fixture is
 * the union. Then test/infra/iam.test.ts shows which grants must change.
 *
 *   npm run iam:record                                        # the whole integration suite
 *   npm run iam:record -- test/integration/aws-calls.test.ts  # only these files (plus the entry points)
 *
 * A failing test run writes nothing: fix it first (a partial run would drop calls from the fixture).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AWS_CALLS_FIXTURE, formatFixture, readFixture, recordedKey, type RecordedCall } from '../test/helpers/aws-calls.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const ENTRY_POINT_TEST = 'test/unit/entry-point-calls.test.ts';

function main(): void {
  const files = process.argv.slice(2);
  const out = mkdtempSync(join(tmpdir(), 'redress-aws-calls-'));
  try {
    const run = spawnSync('npx', ['vitest', 'run', ...(files.length ? files : ['test/integration']), ENTRY_POINT_TEST], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, REDRESS_AWS_CALLS_OUT: out },
    });
    if (run.status !== 0) {
      console.error('\nThe tests failed: the fixture is unchanged.');
      process.exitCode = 1;
      return;
    }
    const recorded = readdirSync(out).flatMap((f) => JSON.parse(readFileSync(join(out, f), 'utf8')) as RecordedCall[]);
    const before = new Set(readFixture().map(recordedKey));
    const after = new Set(recorded.map(recordedKey));
    writeFileSync(AWS_CALLS_FIXTURE, formatFixture(recorded));
    const added = [...after].filter((k) => !before.has(k));
    const removed = [...before].filter((k) => !after.has(k));
    console.log(`\n${AWS_CALLS_FIXTURE}: ${after.size} calls`);
    for (const k of added) console.log(`  + ${k}`);
    for (const k of removed) console.log(`  - ${k}`);
    if (added.length || removed.length) console.log('Now make the grants in infra/ match: npx vitest run test/infra/iam.test.ts');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

main();
