/** A closed-loop HTTP load generator on loopback: `concurrency` workers, each posting signed webhooks back to back. */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { feedbackBody, standardWebhookHeaders } from '../../test/helpers/http-events.ts';

export interface LoadResult {
  ok: number;
  errors: number;
  rps: number;
  p50: number;
  p99: number;
  p999: number;
  seconds: number;
}

/** The p-th percentile (nearest rank) of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** A signed Standard Webhooks POST; resolves with the status, latency (ms) and body. */
export function postSigned(agent: http.Agent, base: string, path: string, secret: string, text: string, id = `msg_${randomUUID()}`) {
  const body = feedbackBody(text);
  const url = new URL(path, base);
  return new Promise<{ status: number; ms: number; body: string; sentAt: number }>((resolve) => {
    const t0 = performance.now();
    const sentAt = Date.now();
    const req = http.request(
      {
        agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST',
        headers: { ...standardWebhookHeaders(secret, id, body), 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0, body: Buffer.concat(chunks).toString(), sentAt }));
      },
    );
    req.on('error', () => resolve({ status: 0, ms: performance.now() - t0, body: '', sentAt }));
    req.end(body);
  });
}

/** Runs `seconds` of load at `concurrency`; bounded in time and count, loopback only. */
export async function runLoad(base: string, secret: string, { seconds, concurrency, maxRequests = 2_000_000 }: { seconds: number; concurrency: number; maxRequests?: number }): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end && sent < maxRequests) {
        sent++;
        const r = await postSigned(agent, base, '/webhooks/web', secret, `Benchmark: the app was slow when I opened my statement today (${sent}).`);
        if (r.status === 202) latencies.push(r.ms);
        else errors++;
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { ok: latencies.length, errors, rps: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), p999: percentile(latencies, 99.9), seconds: elapsed };
}

/**
 * CPU seconds (user + system, all threads) used so far by the processes in process group `pgid`,
 * split into dynalite and the rest ("main"), from /proc; empty where /proc is not there. On a shared
 * machine, CPU per request is a steadier figure than throughput, which depends on what else runs.
 */
export function groupCpuSeconds(pgid: number): Record<string, number> {
  const out: Record<string, number> = {};
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      const name = readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('dynalite') ? 'dynalite' : 'main';
      out[name] = (out[name] ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks (100 Hz)
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/** CPU seconds (user + system, all threads) used so far by one process; NaN where /proc is not there. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}
