/** Runs the local stack as a separate process (`tsx infra/local/main.ts`, what `npm start` runs), for kill -9 tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export class StackProcess {
  child: ChildProcess | undefined;
  log = '';
  constructor(
    readonly port: number,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the stack and waits until GET /health answers 200. */
  async start(timeoutMs = 60_000): Promise<void> {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...this.env, PORT: String(this.port), LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child.stdout?.on('data', (d) => (this.log += d));
    this.child.stderr?.on('data', (d) => (this.log += d));
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (this.child.exitCode !== null) throw new Error(`stack exited early: ${this.log.slice(-2000)}`);
      const ok = await fetch(`${this.url}/health`).then((r) => r.status === 200).catch(() => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`stack not healthy in time: ${this.log.slice(-2000)}`);
  }

  /** SIGKILL the whole process group, as `kill -9` would, and wait for it to die. */
  async kill9(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    process.kill(-child.pid!, 'SIGKILL');
    await gone;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    process.kill(-child.pid!, 'SIGTERM');
    await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
  }
}

/**
 * Waits until every id in `ids` has a Feedback.Received on the stack's local bus (or the time is up),
 * and returns the ids still missing and the ids announced more than once.
 */
export async function awaitReceivedOnce(base: string, ids: Iterable<string>, timeoutMs: number): Promise<{ missing: string[]; duplicated: string[] }> {
  const want = [...ids];
  const deadline = Date.now() + timeoutMs;
  let counts = new Map<string, number>();
  for (;;) {
    counts = new Map();
    for (const e of await receivedEvents(base)) counts.set(e.detail.feedbackId, (counts.get(e.detail.feedbackId) ?? 0) + 1);
    if (want.every((id) => counts.has(id)) || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return { missing: want.filter((id) => !counts.has(id)), duplicated: [...counts].filter(([, n]) => n > 1).map(([id]) => id) };
}

/** Every Feedback.Received on the stack's local bus, following `nextCursor` across pages. */
export async function receivedEvents(base: string): Promise<Array<{ detail: { feedbackId: string } }>> {
  const all: Array<{ detail: { feedbackId: string } }> = [];
  let cursor: string | undefined;
  do {
    const page = (await (await fetch(`${base}/local/events?type=Feedback.Received${cursor ? `&cursor=${cursor}` : ''}`)).json()) as {
      items: Array<{ detail: { feedbackId: string } }>;
      nextCursor?: string;
    };
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}
