/**
 * The receipt store's own ceiling: how many conditional puts per second dynalite alone accepts at a given
 * concurrency, through the DynamoDB client and repository code the local stack uses (loopback transport,
 * `recordReceipt`). Every acknowledged webhook makes exactly one such put (it decides the `duplicate`
 * answer), so ingest cannot run faster than this on the same machine, whatever the rest costs.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoFeedbackRepository, createDocumentClient } from '../../functions/shared/adapters/aws/dynamo-feedback-repository.ts';
import { startLocalDynamo } from '../../infra/local/dynamo-local.ts';
import { percentile } from './load.ts';

export interface CeilingResult {
  /** Conditional puts per second. */
  rps: number;
  /** Put latency percentiles, ms. */
  p50: number;
  p99: number;
}

/** Runs `seconds` of receipt puts at each concurrency against a fresh dynalite (its own data dir, removed after). */
export async function measureReceiptCeiling(seconds: number, concurrencies: number[]): Promise<Map<number, CeilingResult>> {
  const dir = mkdtempSync(join(tmpdir(), 'redress-ceiling-'));
  const dynamo = await startLocalDynamo(dir, 'ceiling');
  const repository = new DynamoFeedbackRepository(createDocumentClient(dynamo.client), 'ceiling');
  const results = new Map<number, CeilingResult>();
  try {
    for (const concurrency of concurrencies) {
      const latencies: number[] = [];
      const end = performance.now() + seconds * 1000;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (performance.now() < end) {
            const started = performance.now();
            if (!(await repository.recordReceipt(`fb_${randomUUID()}`, new Date().toISOString()))) throw new Error('a fresh receipt id was refused as a duplicate');
            latencies.push(performance.now() - started);
          }
        }),
      );
      latencies.sort((a, b) => a - b);
      results.set(concurrency, { rps: latencies.length / ((performance.now() - t0) / 1000), p50: percentile(latencies, 50), p99: percentile(latencies, 99) });
    }
  } finally {
    await dynamo.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
