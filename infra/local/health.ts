/**
 * GET /health of the local stack: whether each dependency that an accepted webhook needs is usable
 * right now, not merely whether the server answers. Each probe is cheap (the table's description from
 * dynalite, two stat calls per journal, the clock runner's in-memory state), and concurrent polls share
 * one run, so polling it costs little.
 */
import { json, type HttpResult } from '../../functions/shared/http.ts';

/** A dependency's probe: resolves when it is usable, throws (with a message saying why) when not. */
export type Probe = () => Promise<void> | void;

export interface HealthReport {
  ok: boolean;
  /** Each dependency: `ok`, or why it is not. */
  checks: Record<string, string>;
  failing: string[];
}

/** Runs the probes (each bounded by `timeoutMs`); concurrent callers share the run in progress. */
export function createHealthCheck(probes: Record<string, Probe>, timeoutMs = 2_000): () => Promise<HealthReport> {
  let running: Promise<HealthReport> | undefined;
  const run = async (): Promise<HealthReport> => {
    const names = Object.keys(probes);
    const results = await Promise.all(names.map((name) => settle(probes[name]!, timeoutMs)));
    const checks = Object.fromEntries(names.map((name, i) => [name, results[i]!]));
    const failing = names.filter((name) => checks[name] !== 'ok');
    return { ok: failing.length === 0, checks, failing };
  };
  return () => {
    running ??= run().finally(() => (running = undefined));
    return running;
  };
}

async function settle(probe: Probe, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(probe),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs))),
    ]);
    return 'ok';
  } catch (err) {
    return (err instanceof Error ? err.message : String(err)).slice(0, 200) || 'failed';
  } finally {
    clearTimeout(timer);
  }
}

/** 200 with what was checked, or 503 problem+json naming the failing dependencies. */
export function healthResponse(report: HealthReport, extra: Record<string, unknown> = {}): HttpResult {
  if (report.ok) return json(200, { status: 'ok', checks: report.checks, ...extra });
  return {
    statusCode: 503,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
    body: JSON.stringify({
      type: 'about:blank',
      title: 'Service Unavailable',
      status: 503,
      detail: `Not usable: ${report.failing.map((name) => `${name} (${report.checks[name]})`).join('; ')}.`,
      instance: '/health',
      failing: report.failing,
      checks: report.checks,
      ...extra,
    }),
  };
}
