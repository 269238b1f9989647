import { describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { AWS_CALLS_CHANNEL, AwsCallLog, awsCallKey, awsCalls, recordSdkCalls, recordedFeedbackQueue, type AwsCall } from './aws-calls.ts';

type Middleware = (next: (args: unknown) => unknown, context: { clientName: string; commandName: string }) => (args: unknown) => unknown;

/** The recording middleware as the SDK would run it, for one client. */
function recordingMiddleware(log: AwsCallLog): (commandName: string, input: Record<string, unknown>) => void {
  let middleware: Middleware | undefined;
  recordSdkCalls({ middlewareStack: { add: (m: Middleware) => (middleware = m) } } as never, 'admin', { REDRESS_TABLE_NAME: 't' }, log);
  return (commandName, input) => void middleware!((a) => a, { clientName: 'DynamoDBClient', commandName })({ input });
}

describe('AwsCallLog', () => {
  it('records each distinct call once, whatever the number of requests', () => {
    const log = new AwsCallLog();
    const send = recordingMiddleware(log);
    for (let i = 0; i < 3; i++) send('QueryCommand', { TableName: 't', IndexName: 'OpenByDue' });
    send('QueryCommand', { TableName: 't', IndexName: 'MetricsByDay' });
    expect(log.calls().map(awsCallKey)).toEqual(['admin dynamodb:Query REDRESS_TABLE_NAME/index/MetricsByDay', 'admin dynamodb:Query REDRESS_TABLE_NAME/index/OpenByDue']);
  });

  it('names the tables of batch commands from their RequestItems', () => {
    const log = new AwsCallLog();
    const send = recordingMiddleware(log);
    send('BatchGetItemCommand', { RequestItems: { t: { Keys: [] } } });
    send('BatchWriteItemCommand', { RequestItems: { t: [] } });
    expect(log.calls().map(awsCallKey)).toEqual(['admin dynamodb:BatchGetItem REDRESS_TABLE_NAME', 'admin dynamodb:BatchWriteItem REDRESS_TABLE_NAME']);
  });

  it('records calls again after clear() (recorders skip only what this generation holds)', async () => {
    const log = new AwsCallLog();
    const send = recordingMiddleware(log);
    const queue = recordedFeedbackQueue('ingest', { send: async () => undefined }, log);
    send('GetItemCommand', { TableName: 't' });
    await queue.send([{ id: 'fb_1', source: 'web', channel: 'web', externalId: 'm', receivedAt: '2026-11-28T09:30:00.000Z', text: 'x', customer: {} }]);
    log.clear();
    send('GetItemCommand', { TableName: 't' });
    await queue.send([{ id: 'fb_2', source: 'web', channel: 'web', externalId: 'n', receivedAt: '2026-11-28T09:30:00.000Z', text: 'y', customer: {} }]);
    expect(log.calls().map(awsCallKey)).toEqual(['admin dynamodb:GetItem REDRESS_TABLE_NAME', 'ingest sqs:SendMessageBatch REDRESS_QUEUE_URL']);
  });

  it('hears the calls other threads record (the process and receipts workers)', async () => {
    const call: AwsCall = { function: 'process', command: 'dynamodb:PutItem', resource: 'REDRESS_TABLE_NAME' };
    const code = `const { BroadcastChannel } = require('node:worker_threads'); const c = new BroadcastChannel(${JSON.stringify(AWS_CALLS_CHANNEL)}); c.postMessage(${JSON.stringify(call)}); c.close();`;
    await new Promise((resolve, reject) => new Worker(code, { eval: true }).once('exit', resolve).once('error', reject));
    await new Promise((r) => setTimeout(r, 20));
    expect(awsCalls.calls().map(awsCallKey)).toContain('process dynamodb:PutItem REDRESS_TABLE_NAME');
  });
});
