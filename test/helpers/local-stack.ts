/** Starts the local stack in-process on a random port with a fresh data dir (integration tests). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withDevDefaults } from '../../infra/local/dev-defaults.ts';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../infra/local/local-stack.ts';
import { createLogger } from '../../functions/shared/logger.ts';
import { checkRecordedCalls } from './aws-calls.ts';

/** Tests cannot wait the deployed grace period: an announcement 5 s overdue is the sweeper's. */
export const TEST_SWEEP_GRACE_MS = 5_000;

export interface TestStack extends LocalStack {
  env: NodeJS.ProcessEnv;
  dataDir: string;
  /**
   * Closes the stack and deletes its data; then fails if the functions made an AWS call that
   * test/fixtures/aws-calls.json does not list (see aws-calls.ts), or records them in record mode.
   */
  destroy(): Promise<void>;
}

export async function startTestStack(overrides: Partial<LocalStackOptions> & { env?: NodeJS.ProcessEnv; dataDir?: string } = {}): Promise<TestStack> {
  const dataDir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'redress-it-'));
  const { env } = withDevDefaults({ ...(overrides.env ?? {}) });
  const stack = await startLocalStack({ logger: createLogger('test', 'silent'), sweepGraceMs: TEST_SWEEP_GRACE_MS, ...overrides, env, dataDir });
  return {
    ...stack,
    env,
    dataDir,
    destroy: async () => {
      await stack.close();
      rmSync(dataDir, { recursive: true, force: true });
      await checkRecordedCalls();
    },
  };
}

/** Polls `check` until it returns a value or the time is up. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
