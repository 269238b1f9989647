import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { ConditionalCheckFailedException, DynamoDBClient, DynamoDBServiceException, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ChangeMessageVisibilityBatchCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import { createProcessHandler } from '../../functions/process/handler.ts';
import { DynamoFeedbackRepository } from '../../functions/shared/adapters/aws/dynamo-feedback-repository.ts';
import { EventBridgeEventBus } from '../../functions/shared/adapters/aws/eventbridge-event-bus.ts';
import { SqsDeadLetterQueue } from '../../functions/shared/adapters/aws/sqs-dead-letter-queue.ts';
import { SqsQueueBackoff } from '../../functions/shared/adapters/aws/sqs-queue-backoff.ts';
import type { Classifier } from '../../functions/shared/ports/classifier.ts';
import { createLogger } from '../../functions/shared/logger.ts';
import { DEFAULT_RETRY_POLICY } from '../../functions/shared/pipeline/retry-policy.ts';
import { FixedClassifier } from '../helpers/fakes.ts';

const ddbMock = mockClient(DynamoDBDocumentClient);
const ebMock = mockClient(EventBridgeClient);
const sqsMock = mockClient(SQSClient);

const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/feedback';
const DLQ_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/feedback-dlq';

function handlerWith(classifier: Classifier = new FixedClassifier()) {
  const sqs = new SQSClient({ region: 'eu-west-1' });
  return createProcessHandler({
    repository: new DynamoFeedbackRepository(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), 'table'),
    eventBus: new EventBridgeEventBus(new EventBridgeClient({ region: 'eu-west-1' }), 'bus'),
    classifier,
    retryPolicy: DEFAULT_RETRY_POLICY,
    backoff: new SqsQueueBackoff(sqs, QUEUE_URL),
    deadLetters: new SqsDeadLetterQueue(sqs, DLQ_URL),
    logger: createLogger('test', 'silent'),
  });
}
const handler = handlerWith();

const message = (id: string, text: string) => ({
  id, source: 'web', channel: 'web', externalId: `ext-${id}`, receivedAt: '2026-11-28T09:30:00.000Z', text, customer: {},
});
const sqsEvent = (bodies: string[], receiveCount = 1): SQSEvent => ({
  Records: bodies.map((body, i) => ({
    messageId: `m${i}`, receiptHandle: `r${i}`, body, attributes: { ApproximateReceiveCount: String(receiveCount), SentTimestamp: '0', SenderId: 's', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn', awsRegion: 'eu-west-1',
  })),
});
const validationError = () => new DynamoDBServiceException({ name: 'ValidationException', $fault: 'client', message: 'Item size has exceeded the maximum allowed size', $metadata: { httpStatusCode: 400 } });
const throttled = () => new ProvisionedThroughputExceededException({ message: 'The level of configured provisioned throughput for the table was exceeded.', $metadata: { httpStatusCode: 400 } });
/** The dead letters sent, as {body, attributes by name}. */
const deadLetters = () =>
  sqsMock.commandCalls(SendMessageBatchCommand).flatMap((c) =>
    c.args[0].input.Entries!.map((e) => ({ queue: c.args[0].input.QueueUrl, body: e.MessageBody, attributes: Object.fromEntries(Object.entries(e.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue])) })),
  );
const visibilityChanges = () =>
  sqsMock.commandCalls(ChangeMessageVisibilityBatchCommand).flatMap((c) => c.args[0].input.Entries!.map((e) => ({ queue: c.args[0].input.QueueUrl, handle: e.ReceiptHandle, seconds: e.VisibilityTimeout })));

beforeEach(() => {
  ddbMock.reset();
  ebMock.reset();
  sqsMock.reset();
  ddbMock.on(PutCommand).resolves({});
  ddbMock.on(UpdateCommand).resolves({});
  ebMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
  sqsMock.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [], Failed: [] });
  sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
});

describe('process handler', () => {
  it('writes each message with a conditional put, publishes its events and reports no failures', async () => {
    const res = await handler(sqsEvent([JSON.stringify(message('fb_a', 'I complain about the fee'))]), {} as Context);
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
    expect(sqsMock.calls()).toHaveLength(0);
  });

  it('for an item already stored with an empty outbox, publishes nothing', async () => {
    ddbMock.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    ddbMock.on(GetCommand).resolves({ Item: { pk: 'FB#fb_c', sk: 'ITEM', ...message('fb_c', 'thanks'), kind: 'praise', outbox: {} } });
    const res = await handler(sqsEvent([JSON.stringify(message('fb_c', 'thanks'))]), {} as Context);
    expect(res.batchItemFailures).toEqual([]);
    expect(ebMock.commandCalls(PutEventsCommand)).toHaveLength(0);
  });
});

describe('process handler: failures', () => {
  it('dead-letters a poison message at once with its reason, and reports it done so it is deleted', async () => {
    const res = await handler(sqsEvent(['not json']), {} as Context);
    expect(res.batchItemFailures).toEqual([]);
    expect(deadLetters()).toEqual([
      {
        queue: DLQ_URL,
        body: 'not json',
        attributes: expect.objectContaining({
          'redress-dead-letter-why': 'permanent',
          'redress-failure-class': 'permanent',
          'redress-error-name': 'PoisonMessageError',
          'redress-failure-reason': 'PoisonMessageError: queue message is not JSON',
          'redress-source-message-id': 'm0',
          'redress-receive-count': '1',
        }),
      },
    ]);
    expect(visibilityChanges()).toEqual([]);
  });

  it('dead-letters a message DynamoDB refuses as invalid (ValidationException) at once', async () => {
    ddbMock.on(PutCommand).rejects(validationError());
    const res = await handler(sqsEvent([JSON.stringify(message('fb_v', 'thanks'))]), {} as Context);
    expect(res.batchItemFailures).toEqual([]);
    expect(deadLetters().map((l) => [l.attributes['redress-dead-letter-why'], l.attributes['redress-error-name']])).toEqual([['permanent', 'ValidationException']]);
  });

  it('keeps a throttled message, hidden for the backoff delay of its receive count, and dead-letters nothing', async () => {
    ddbMock.on(PutCommand).rejects(throttled());
    const res = await handler(sqsEvent([JSON.stringify(message('fb_t', 'thanks'))], 3), {} as Context);
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: 'm0' }]);
    expect(visibilityChanges()).toEqual([{ queue: QUEUE_URL, handle: 'r0', seconds: 120 }]);
    expect(deadLetters()).toEqual([]);
  });

  it('reports only the failed message of a batch: an EventBridge failure is retried, the poison one dead-lettered', async () => {
    ebMock.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }, { EventId: 'e' }] });
    const res = await handler(sqsEvent(['not json', JSON.stringify(message('fb_b', 'thanks'))]), {} as Context);
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    expect(visibilityChanges()).toEqual([{ queue: QUEUE_URL, handle: 'r1', seconds: 30 }]);
    expect(deadLetters().map((l) => l.attributes['redress-source-message-id'])).toEqual(['m0']);
  });

  it('dead-letters a message still failing on its last attempt, saying how many attempts it had', async () => {
    ddbMock.on(PutCommand).rejects(new Error('something nobody expected'));
    const res = await handler(sqsEvent([JSON.stringify(message('fb_u', 'thanks'))], DEFAULT_RETRY_POLICY.maxAttempts), {} as Context);
    expect(res.batchItemFailures).toEqual([]);
    const [letter] = deadLetters();
    expect(letter?.attributes).toMatchObject({
      'redress-dead-letter-why': 'attempts-exhausted',
      'redress-failure-class': 'unknown',
      'redress-failure-reason': 'still failing after 16 attempts: Error: something nobody expected',
    });
  });

  it('keeps a message whose dead letter could not be stored (never loses it)', async () => {
    sqsMock.on(SendMessageBatchCommand).rejects(new Error('SQS is down'));
    const res = await handler(sqsEvent(['not json']), {} as Context);
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: 'm0' }]);
    expect(visibilityChanges()).toEqual([{ queue: QUEUE_URL, handle: 'r0', seconds: DEFAULT_RETRY_POLICY.firstDelaySeconds }]);
  });

  it('still reports the failure when the backoff cannot be set (the message returns at the queue default)', async () => {
    ddbMock.on(PutCommand).rejects(throttled());
    sqsMock.on(ChangeMessageVisibilityBatchCommand).rejects(new Error('SQS is down'));
    const res = await handler(sqsEvent([JSON.stringify(message('fb_s', 'thanks'))]), {} as Context);
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: 'm0' }]);
  });

  it('answers before the function times out: work still running then is a transient failure, postponed', async () => {
    const hanging: Classifier = { classify: () => new Promise(() => undefined) };
    const context = { getRemainingTimeInMillis: () => 3_100 } as Context;
    const res = await handlerWith(hanging)(sqsEvent([JSON.stringify(message('fb_h', 'thanks'))]), context);
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: 'm0' }]);
    expect(visibilityChanges()).toEqual([{ queue: QUEUE_URL, handle: 'r0', seconds: 30 }]);
    expect(deadLetters()).toEqual([]);
  });
});
