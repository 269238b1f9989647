/**
 * The recorded AWS calls of each function (infra/local/aws-calls.ts) against the committed fixture
 * test/fixtures/aws-calls.json, which test/infra/iam.test.ts holds every function's IAM policy to.
 *
 * - Check mode (default): every local stack a test starts (startTestStack) must make only calls the
 *   fixture lists, and test/integration/aws-calls.test.ts must make exactly the fixture's calls.
 * - Record mode (`npm run iam:record`, which sets REDRESS_AWS_CALLS_OUT): each test file writes the
 *   calls it saw to that directory instead, and the script merges them into the fixture.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { REDRESS_FUNCTIONS, awsCallKey, awsCalls, type AwsCall, type RedressFunctionName } from '../../infra/local/aws-calls.ts';

export const AWS_CALLS_FIXTURE = fileURLToPath(new URL('../fixtures/aws-calls.json', import.meta.url));
export const RECORD_COMMAND = 'npm run iam:record';

/** A fixture entry: a call, and whether the function makes it at cold start (entry point, not handler). */
export interface RecordedCall extends AwsCall {
  coldStart?: boolean;
}

type FixtureEntry = Omit<RecordedCall, 'function'>;
interface Fixture {
  about: string;
  functions: Record<RedressFunctionName, FixtureEntry[]>;
}

const ABOUT =
  'Every AWS API call each Redress function makes, as recorded by the test suite (infra/local/aws-calls.ts). ' +
  'test/infra/iam.test.ts holds each function\'s IAM policy to exactly these. Regenerate with `npm run iam:record`; do not edit by hand.';

/** The fixture's calls (empty if it does not exist yet). */
export function readFixture(path = AWS_CALLS_FIXTURE): RecordedCall[] {
  let fixture: Fixture;
  try {
    fixture = JSON.parse(readFileSync(path, 'utf8')) as Fixture;
  } catch {
    return [];
  }
  return Object.entries(fixture.functions).flatMap(([fn, entries]) => entries.map((e) => ({ function: fn as RedressFunctionName, ...e })));
}

/** The fixture text for `calls`: sorted, one call per line, so a change reads as a one-line diff. */
export function formatFixture(calls: RecordedCall[]): string {
  const byKey = new Map(calls.map((c) => [recordedKey(c), c]));
  const sorted = [...byKey.values()].sort((a, b) => recordedKey(a).localeCompare(recordedKey(b)));
  const lines = REDRESS_FUNCTIONS.map((fn) => {
    const entries = sorted
      .filter((c) => c.function === fn)
      .map(({ function: _fn, ...entry }) => `      ${JSON.stringify({ command: entry.command, resource: entry.resource, ...(entry.part ? { part: entry.part } : {}), ...(entry.coldStart ? { coldStart: true } : {}) })}`);
    return `    ${JSON.stringify(fn)}: [\n${entries.join(',\n')}\n    ]`;
  });
  return `{\n  "about": ${JSON.stringify(ABOUT)},\n  "functions": {\n${lines.join(',\n')}\n  }\n}\n`;
}

/** Text key of a recorded call (cold-start calls apart: the entry point and the handler are checked separately). */
export function recordedKey(call: RecordedCall): string {
  return `${awsCallKey(call)}${call.coldStart ? ' (cold start)' : ''}`;
}

/** Where record mode writes, or undefined in check mode. */
export function recordingDir(): string | undefined {
  return process.env.REDRESS_AWS_CALLS_OUT || undefined;
}

/** Record mode: writes `calls` to a new file in the recording directory. */
export function writeRecording(calls: RecordedCall[], dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${process.pid}-${randomUUID()}.json`), JSON.stringify(calls));
}

/** Lets calls posted by worker threads that have just exited arrive. */
export async function settleAwsCalls(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
}

/**
 * Called when a test's local stack is done: in record mode writes what this process's stacks called;
 * otherwise throws if they made a call the fixture does not list (the IAM policy was not checked for it).
 */
export async function checkRecordedCalls(): Promise<void> {
  await settleAwsCalls();
  const calls = awsCalls.calls();
  const dir = recordingDir();
  if (dir) return writeRecording(calls, dir);
  const listed = new Set(readFixture().map(recordedKey));
  const unlisted = calls.filter((c) => !listed.has(recordedKey(c)));
  if (unlisted.length) {
    throw new Error(
      `The local stack made AWS calls that test/fixtures/aws-calls.json does not list, so no test checks that IAM allows them:\n` +
        unlisted.map((c) => `  ${awsCallKey(c)}`).join('\n') +
        `\nRun \`${RECORD_COMMAND}\`, make test/integration/aws-calls.test.ts exercise them, and grant them in infra/ (test/infra/iam.test.ts checks).`,
    );
  }
}
