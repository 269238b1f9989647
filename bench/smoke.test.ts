/** A short run of `npm run bench` in CI: every section is produced and nothing errs (figures are not asserted). */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

describe('bench (smoke)', () => {
  it('runs end to end with tiny numbers', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts'], {
      cwd: ROOT,
      env: { ...process.env, BENCH_QUICK: '1', BENCH_SECONDS: '0.5', BENCH_PIPELINE_N: '40', BENCH_COMPLAINTS: '3' },
      encoding: 'utf8',
      timeout: 180_000,
    });
    expect(run.status, run.stderr.slice(-2000)).toBe(0);
    for (const section of ['## Goals', '## Ingest', '## Pipeline', '## Classifier', '## FAQ retrieval', '## Bundles and cold start', '## Cost', '## Quarterly report']) expect(run.stdout).toContain(section);
    expect(run.stdout).toMatch(/\| 40 \| 40 \| 0 \|/); // pipeline: 40 sent, 40 accepted, 0 errors
    expect(run.stdout).toContain('Complaint lifecycle errors: 0');
    // At c = 16: floor, receipt store and Redress side by side, with both ratios, the goal marked.
    expect(run.stdout).toMatch(/\| 16 \| \d+ \| \d+ \| \d+ \| [\d.]+ \| [\d.]+ (met|\*\*not met\*\*) \|/);
    expect(run.stdout).toMatch(/\| ingest p99 ≤ 2× the receipt store's p99, c = 16 \| [\d.]+ ms ÷ [\d.]+ ms = [\d.]+ \| (met|\*\*not met\*\*) \|/);
    // process: code and the model's data counted apart.
    expect(run.stdout).toMatch(/\| process \| [\d.]+ \| [\d.]+ (met|\*\*not met\*\*) \| [\d.]+ \|/);
  }, 200_000);
});
