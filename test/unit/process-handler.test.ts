import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { Context, SQSEvent } from 'aws-lambda';
import { createProcessHandler } from '../../functions/process/handler.ts';
import { DynamoFeedbackRepository } from '../../functions/shared/adapters/aws/dynamo-feedback-repository.ts';
import { EventBridgeEventBus } from '../../functions/shared/adapters/aws/eventbridge-event-bus.ts';
import { createLogger } from '../../functions/shared/logger.ts';
import { FixedClassifier } from '../helpers/fakes.ts';

const ddbMock = mockClient(DynamoDBDocumentClient);
const ebMock = mockClient(EventBridgeClient);

const handler = createProcessHandler({
  repository: new DynamoFeedbackRepository(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), 'table'),
  eventBus: new EventBridgeEventBus(new EventBridgeClient({ region: 'eu-west-1' }), 'bus'),
  classifier: new FixedClassifier(),
  logger: createLogger('test', 'silent'),
});

const message = (id: string, text: string) => ({
  id, source: 'web', channel: 'web', externalId: `ext-${id}`, receivedAt: '2026-11-28T09:30:00.000Z', text, customer: {},
});
const sqsEvent = (...bodies: string[]): SQSEvent => ({
  Records: bodies.map((body, i) => ({
    messageId: `m${i}`, receiptHandle: `r${i}`, body, attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 's', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn', awsRegion: 'eu-west-1',
  })),
});

beforeEach(() => {
  ddbMock.reset();
  ebMock.reset();
  ddbMock.on(PutCommand).resolves({});
  ddbMock.on(UpdateCommand).resolves({});
  ebMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
});

describe('process handler', () => {
  it('writes each message with a conditional put, publishes its events and reports no failures', async () => {
    const res = await handler(sqsEvent(JSON.stringify(message('fb_a', 'I complain about the fee'))), {} as Context);
    expect(res).toEqual({ batchItemFailures: [] });
    const put = ddbMock.commandCalls(PutCommand)[0]!.args[0].input;
    expect(put.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(put.Item).toMatchObject({ pk: 'FB#fb_a', sk: 'ITEM', kind: 'complaint', queuePk: 'OPEN', dayPk: 'DAY#2026-11-28' });
    expect(Object.keys(put.Item!.outbox)).toEqual(['fb_a:Feedback.Received', 'fb_a:Complaint.Opened']);
    const entries = ebMock.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries!;
    expect(entries.map((e) => e.DetailType)).toEqual(['Feedback.Received', 'Complaint.Opened']);
    expect(entries.every((e) => e.Source === 'redress' && e.EventBusName === 'bus')).toBe(true);
    const update = ddbMock.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(update.UpdateExpression).toBe('REMOVE outbox.#k0, outbox.#k1');
    expect(Object.values(update.ExpressionAttributeNames!)).toEqual(['fb_a:Feedback.Received', 'fb_a:Complaint.Opened']);
  });

  it('reports only the failed message of a batch (poison, or an EventBridge failure)', async () => {
    ebMock.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    const res = await handler(sqsEvent('not json', JSON.stringify(message('fb_b', 'thanks'))), {} as Context);
    expect(res.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m0', 'm1']);
    ebMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });
    const ok = await handler(sqsEvent('not json', JSON.stringify(message('fb_b', 'thanks'))), {} as Context);
    expect(ok.batchItemFailures).toEqual([{ itemIdentifier: 'm0' }]);
  });

  it('for an item already stored with an empty outbox, publishes nothing', async () => {
    ddbMock.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    ddbMock.on(GetCommand).resolves({ Item: { pk: 'FB#fb_c', sk: 'ITEM', ...message('fb_c', 'thanks'), kind: 'praise', outbox: {} } });
    const res = await handler(sqsEvent(JSON.stringify(message('fb_c', 'thanks'))), {} as Context);
    expect(res.batchItemFailures).toEqual([]);
    expect(ebMock.commandCalls(PutEventsCommand)).toHaveLength(0);
  });
});
