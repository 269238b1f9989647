import { afterAll, describe, expect, it } from 'vitest';
import type { SQSEvent } from 'aws-lambda';
import { normaliseInbound } from '../../functions/shared/pipeline/normalise.ts';
import { createLogger } from '../../functions/shared/logger.ts';
import type { DomainEvent } from '../../functions/shared/ports/event-bus.ts';
import type { DeadLetter } from '../../functions/shared/ports/dead-letter-queue.ts';
import type { PostponedMessage } from '../../functions/shared/ports/queue-backoff.ts';
import { RecordingTimer } from '../../test/helpers/fakes.ts';
import { startLocalDynamo, type LocalDynamo } from './dynamo-local.ts';
import { LOCAL_TABLE_NAME } from './local-stack.ts';
import { ProcessWorker } from './process-worker.ts';

let dynamo: LocalDynamo | undefined;
let worker: ProcessWorker | undefined;
afterAll(async () => {
  await worker?.close();
  await dynamo?.close();
});

/** An SQS event with one queued feedback message, as ingest sends it. */
function batchOf(externalId: string, text: string, body?: string): SQSEvent {
  const message = normaliseInbound({ source: 'web', channel: 'web', externalId, text }, new Date());
  return { Records: [{ messageId: externalId, receiptHandle: 'r', body: body ?? JSON.stringify(message), attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'local', ApproximateFirstReceiveTimestamp: '0' }, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:local:000000000000:q', awsRegion: 'local' }] };
}

describe('ProcessWorker', () => {
  it('runs the process handler on its thread, publishing and timing through the stack, and comes back after a crash', async () => {
    const published: DomainEvent[] = [];
    const timer = new RecordingTimer();
    const usage: Record<string, number> = {};
    const deadLettered: DeadLetter[] = [];
    const postponed: PostponedMessage[] = [];
    worker = ProcessWorker.spawn({ tableName: LOCAL_TABLE_NAME, env: { REDRESS_JURISDICTION: 'cn' }, logger: createLogger('test', 'silent') });
    dynamo = await startLocalDynamo(undefined, LOCAL_TABLE_NAME);
    await worker.connect({
      endpoint: dynamo.endpoint,
      eventBus: { publish: async (events) => void published.push(...events) },
      clockTimer: timer,
      backoff: { postpone: async (messages) => (postponed.push(...messages), []) },
      deadLetters: { send: async (letters) => void deadLettered.push(...letters) },
      onUsage: (counts) => {
        for (const [k, v] of Object.entries(counts)) usage[k] = (usage[k] ?? 0) + v;
      },
    });

    const first = await worker.handler(batchOf('m-1', 'I want to complain: you charged me twice and nobody answers my calls.'), {} as never);
    expect(first.batchItemFailures).toEqual([]);
    expect(published.map((e) => e.detailType)).toContain('Feedback.Received');
    expect(timer.started.length).toBeGreaterThan(0); // a complaint's clocks, started on this side
    expect(usage['dynamodb.PutItem']).toBeGreaterThanOrEqual(1); // the worker's own client, metered

    // A crashed thread fails what it held and is replaced; the next batch is processed.
    await (worker as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    const second = await worker.handler(batchOf('m-2', 'Why was I charged a fee for withdrawing cash abroad?'), {} as never);
    expect(second.batchItemFailures).toEqual([]);
    expect(published.filter((e) => e.detailType === 'Feedback.Received')).toHaveLength(2);

    // A poison message is dead-lettered through the stack's queue, with its reason, and reported done.
    const poison = await worker.handler(batchOf('m-3', '', '{"not":"feedback"}'), {} as never);
    expect(poison.batchItemFailures).toEqual([]);
    expect(deadLettered.map((l) => [l.messageId, l.why, l.errorName])).toEqual([['m-3', 'permanent', 'PoisonMessageError']]);
    expect(postponed).toEqual([]);
  }, 30_000);
});
