/**
 * The retry schedule against long outages, on a simulated clock: the real process handler, the local
 * queue with SQS semantics (visibility, receive counts, redrive) and its backoff and dead-letter
 * adapters, driven the way the Lambda event source mapping drives them, with Date faked so that hours
 * pass in milliseconds. Each processing attempt takes no simulated time, which is the worst case: real
 * attempts only lengthen the gaps between receives.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context, SQSEvent } from 'aws-lambda';
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { createProcessHandler } from '../../functions/process/handler.ts';
import { createLogger } from '../../functions/shared/logger.ts';
import { normaliseInbound } from '../../functions/shared/pipeline/normalise.ts';
import { DEFAULT_RETRY_POLICY, redriveMaxReceiveCount, survivableOutageSeconds } from '../../functions/shared/pipeline/retry-policy.ts';
import type { FeedbackItem } from '../../schemas/feedback.ts';
import type { OutboxEntry } from '../../functions/shared/ports/feedback-repository.ts';
import { LocalDeadLetterQueue, LocalQueue, LocalQueueBackoff } from '../../infra/local/local-queue.ts';
import { FixedClassifier, MemoryRepository, RecordingBus } from '../helpers/fakes.ts';

const MINUTE = 60_000;
const T0 = Date.parse('2026-12-01T09:00:00Z');
/** The queue's own visibility timeout in AWS: six times the 30 s process timeout. */
const QUEUE_VISIBILITY_MS = 180_000;

/** A repository that fails every write while `failing()` says so, counting the items it created. */
class OutageRepository extends MemoryRepository {
  created = 0;
  constructor(private readonly failing: () => Error | undefined) {
    super();
  }
  override async createIfAbsent(item: FeedbackItem, outbox: OutboxEntry[]) {
    const err = this.failing();
    if (err) throw err;
    const result = await super.createIfAbsent(item, outbox);
    if (result.created) this.created++;
    return result;
  }
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'redress-retry-sim-'));
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the pipeline on simulated time until the queue is empty (or `until`); `arrivals` are epoch ms. */
async function simulate(repository: OutageRepository, arrivals: number[], until: number) {
  const dlq = LocalQueue.open(dir, 'dlq', { visibilityTimeoutMs: QUEUE_VISIBILITY_MS });
  const queue = LocalQueue.open(dir, 'q', { visibilityTimeoutMs: QUEUE_VISIBILITY_MS, maxReceiveCount: redriveMaxReceiveCount(DEFAULT_RETRY_POLICY), deadLetterQueue: dlq });
  const handler = createProcessHandler({
    repository,
    eventBus: new RecordingBus(),
    classifier: new FixedClassifier(),
    retryPolicy: DEFAULT_RETRY_POLICY,
    backoff: new LocalQueueBackoff(queue),
    deadLetters: new LocalDeadLetterQueue(dlq),
    logger: createLogger('test', 'silent'),
  });
  const pending = [...arrivals].sort((a, b) => a - b);
  let maxReceives = 0;
  let n = 0;
  while (Date.now() <= until && (pending.length > 0 || queue.size > 0)) {
    while (pending.length > 0 && pending[0]! <= Date.now()) {
      pending.shift();
      const message = normaliseInbound({ source: 'web', channel: 'web', externalId: `sim-${n++}`, text: 'The transfer failed and the money is gone' }, new Date());
      await queue.send([JSON.stringify(message)]);
    }
    for (let batch = queue.receive(10); batch.length > 0; batch = queue.receive(10)) {
      maxReceives = Math.max(maxReceives, ...batch.map((m) => m.receiveCount));
      const event: SQSEvent = {
        Records: batch.map((m) => ({
          messageId: m.messageId, receiptHandle: m.receiptHandle, body: m.body,
          attributes: { ApproximateReceiveCount: String(m.receiveCount), SentTimestamp: String(m.sentAt), SenderId: 'sim', ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt) },
          messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:sim:0:q', awsRegion: 'sim',
        })),
      };
      const { batchItemFailures } = await handler(event, {} as Context);
      const failed = new Set(batchItemFailures.map((f) => f.itemIdentifier));
      for (const m of batch) if (!failed.has(m.messageId)) await queue.delete(m.receiptHandle);
    }
    const next = Math.min(pending[0] ?? Infinity, queue.nextVisibleAt() ?? Infinity);
    vi.setSystemTime(Math.max(Date.now() + 1_000, Number.isFinite(next) ? next : Date.now() + MINUTE));
  }
  await new Promise((r) => setTimeout(r, 20)); // let the redrive backstop's journal writes land
  const result = { deadLetters: dlq.peek(), left: queue.size, maxReceives, sent: n };
  await queue.close();
  await dlq.close();
  return result;
}

describe('retry schedule on a simulated clock', () => {
  it('a 15-minute DynamoDB brown-out loses nothing, dead-letters nothing and stores each message once', async () => {
    const outageEnd = T0 + 15 * MINUTE;
    const repository = new OutageRepository(() => (Date.now() < outageEnd ? new ProvisionedThroughputExceededException({ message: 'throttled', $metadata: { httpStatusCode: 400 } }) : undefined));
    // A message every 30 s from a minute before the outage until a minute after it.
    const arrivals = Array.from({ length: 35 }, (_, i) => T0 - MINUTE + i * 30_000);

    const result = await simulate(repository, arrivals, T0 + 4 * 60 * MINUTE);

    expect(result.deadLetters).toEqual([]);
    expect(result.left).toBe(0);
    expect(repository.created).toBe(result.sent);
    expect(repository.items.size).toBe(result.sent);
    // The message that arrived as the outage began needed 6 receives (the last at 15.5 min) of 16.
    expect(result.maxReceives).toBe(6);
  });

  it('survives an outage almost as long as the whole schedule (2 h 45 min) too', async () => {
    const outageEnd = T0 + (survivableOutageSeconds(DEFAULT_RETRY_POLICY) - 60) * 1000;
    const repository = new OutageRepository(() => (Date.now() < outageEnd ? Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) : undefined));

    const result = await simulate(repository, [T0], T0 + 6 * 60 * MINUTE);

    expect(result.deadLetters).toEqual([]);
    expect(repository.created).toBe(1);
    expect(result.maxReceives).toBe(DEFAULT_RETRY_POLICY.maxAttempts);
  });

  it('a message that keeps failing for an unknown reason ends in the DLQ with that reason once its attempts are spent', async () => {
    const repository = new OutageRepository(() => new Error('a bug nobody has fixed'));

    const result = await simulate(repository, [T0], T0 + 6 * 60 * MINUTE);

    expect(result.left).toBe(0);
    expect(result.deadLetters).toHaveLength(1);
    const [letter] = result.deadLetters;
    expect(letter!.attributes).toMatchObject({
      'redress-dead-letter-why': 'attempts-exhausted',
      'redress-failure-class': 'unknown',
      'redress-receive-count': String(DEFAULT_RETRY_POLICY.maxAttempts),
      'redress-failure-reason': `still failing after ${DEFAULT_RETRY_POLICY.maxAttempts} attempts: Error: a bug nobody has fixed`,
    });
    // Dead-lettered on its last receive, 9,930 s (2 h 45 min 30 s) after its first.
    expect(letter!.sentAt - T0).toBe(survivableOutageSeconds(DEFAULT_RETRY_POLICY) * 1000);
  });
});
