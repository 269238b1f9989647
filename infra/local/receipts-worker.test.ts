import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../functions/shared/logger.ts';
import { startLocalDynamo, type LocalDynamo } from './dynamo-local.ts';
import { LOCAL_TABLE_NAME } from './local-stack.ts';
import { ReceiptsWorker } from './receipts-worker.ts';

let dynamo: LocalDynamo | undefined;
let receipts: ReceiptsWorker | undefined;
afterAll(async () => {
  await receipts?.close();
  await dynamo?.close();
});

describe('ReceiptsWorker', () => {
  it('answers first/duplicate per id exactly as the conditional put does, and comes back after a crash', async () => {
    const usage: Record<string, number> = {};
    receipts = ReceiptsWorker.spawn({ tableName: LOCAL_TABLE_NAME, logger: createLogger('test', 'silent'), onUsage: (u) => Object.entries(u).forEach(([k, v]) => (usage[k] = (usage[k] ?? 0) + v)) });
    dynamo = await startLocalDynamo(undefined, LOCAL_TABLE_NAME);
    await receipts.connect(dynamo.endpoint);
    const at = new Date().toISOString();

    expect(await receipts.recordReceipt('fb_a', at)).toBe(true);
    expect(await receipts.recordReceipt('fb_a', at)).toBe(false);
    // Many at once (one message each way) and the same id twice among them: exactly one is first.
    const ids = Array.from({ length: 40 }, (_, i) => `fb_b${i}`);
    const firsts = await Promise.all([...ids, 'fb_b0'].map((id) => receipts!.recordReceipt(id, at)));
    expect(firsts.filter(Boolean)).toHaveLength(40);
    expect(usage['dynamodb.PutItem']).toBeGreaterThanOrEqual(41); // metered on the worker, reported here

    // A crashed thread: receipts fail fast meanwhile (ingest then answers from the queue), then it is back.
    await (receipts as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await expect(receipts.recordReceipt('fb_c', at)).rejects.toThrow(/not running/);
    const deadline = Date.now() + 15_000;
    let back: boolean | undefined;
    while (back === undefined && Date.now() < deadline) {
      back = await receipts.recordReceipt('fb_a', at).catch(() => undefined);
      if (back === undefined) await new Promise((r) => setTimeout(r, 100));
    }
    expect(back).toBe(false); // the receipt written before the crash is in the table
    expect(await receipts.recordReceipt('fb_c', at)).toBe(true);
  }, 30_000);
});
