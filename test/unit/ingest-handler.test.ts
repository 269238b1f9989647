import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { createIngestHandler } from '../../functions/ingest/handler.ts';
import { DynamoFeedbackRepository } from '../../functions/shared/adapters/aws/dynamo-feedback-repository.ts';
import { SqsFeedbackQueue } from '../../functions/shared/adapters/aws/sqs-feedback-queue.ts';
import { createChannelAdapters } from '../../functions/shared/channels/registry.ts';
import { createLogger } from '../../functions/shared/logger.ts';
import { feedbackBody, httpEvent, standardWebhookHeaders } from '../helpers/http-events.ts';

const SECRET = 'whsec_dGVzdC1zZWNyZXQtdGVzdC1zZWNyZXQtMTIzNA==';
const sqsMock = mockClient(SQSClient);
const ddbMock = mockClient(DynamoDBDocumentClient);

const handler = createIngestHandler({
  adapters: createChannelAdapters({ REDRESS_WEB_SECRET: SECRET, REDRESS_MOBILE_SECRET: SECRET }),
  queue: new SqsFeedbackQueue(new SQSClient({ region: 'eu-west-1' }), 'https://sqs.local/q'),
  receipts: new DynamoFeedbackRepository(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), 'table'),
  logger: createLogger('test', 'silent'),
});
const ctx = {} as Context;

const post = (path: string, body: string, headers: Record<string, string>) => handler(httpEvent('POST', path, body, headers), ctx);

beforeEach(() => {
  sqsMock.reset();
  ddbMock.reset();
  sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [{ Id: '0', MessageId: 'm', MD5OfMessageBody: '' }], Failed: [] });
  ddbMock.on(PutCommand).resolves({});
});

describe('ingest handler (Standard Webhooks channels)', () => {
  it('queues a verified message (masked) and answers 202 with its id', async () => {
    const body = feedbackBody('Call me on 13800138000, my transfer failed', { customer: { id: 'c-1', phone: '13800138000' } });
    const res = await post('/webhooks/web', body, standardWebhookHeaders(SECRET, 'msg_1', body));
    expect(res.statusCode).toBe(202);
    const { accepted } = JSON.parse(String(res.body));
    expect(accepted).toEqual([{ id: expect.stringMatching(/^fb_/), duplicate: false }]);
    const sent = sqsMock.commandCalls(SendMessageBatchCommand);
    expect(sent).toHaveLength(1);
    const queued = JSON.parse(sent[0]!.args[0].input.Entries![0]!.MessageBody!);
    expect(queued).toMatchObject({ id: accepted[0].id, source: 'web', channel: 'web', externalId: 'msg_1' });
    expect(JSON.stringify(queued)).not.toContain('13800138000');
  });

  it('answers duplicate:true when the receipt already exists (a redelivery)', async () => {
    ddbMock.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    const body = feedbackBody('hello');
    const res = await post('/webhooks/web', body, standardWebhookHeaders(SECRET, 'msg_1', body));
    expect(res.statusCode).toBe(202);
    expect(JSON.parse(String(res.body)).accepted[0].duplicate).toBe(true);
  });

  it.each([
    ['unsigned', { 'content-type': 'application/json' }, 401],
    ['wrong secret', standardWebhookHeaders('whsec_b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldA==', 'msg_2', feedbackBody('x')), 401],
    ['stale', standardWebhookHeaders(SECRET, 'msg_2', feedbackBody('x'), Math.floor(Date.now() / 1000) - 600), 401],
  ])('rejects %s deliveries with %s problem+json and queues nothing', async (_name, headers, status) => {
    const res = await post('/webhooks/web', feedbackBody('x'), headers as Record<string, string>);
    expect(res.statusCode).toBe(status);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
    expect(sqsMock.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    expect(ddbMock.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('answers 400 naming the field, 413 over 256 KB, 415 for text/plain; queues nothing', async () => {
    const noText = JSON.stringify({ type: 'feedback.submitted', data: { rating: 2 } });
    const r400 = await post('/webhooks/web', noText, standardWebhookHeaders(SECRET, 'msg_3', noText));
    expect(r400.statusCode).toBe(400);
    expect(JSON.parse(String(r400.body)).errors).toEqual([expect.objectContaining({ field: 'data.text' })]);

    const big = feedbackBody('big', { context: { page: 'x'.repeat(300 * 1024) } });
    expect((await post('/webhooks/web', big, standardWebhookHeaders(SECRET, 'msg_4', big))).statusCode).toBe(413);

    const body = feedbackBody('plain');
    const r415 = await post('/webhooks/web', body, { ...standardWebhookHeaders(SECRET, 'msg_5', body), 'content-type': 'text/plain' });
    expect(r415.statusCode).toBe(415);
    expect(sqsMock.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });

  it('answers 503 (so the sender retries) when the queue is down, and 404/503 for unknown or unconfigured routes', async () => {
    sqsMock.on(SendMessageBatchCommand).rejects(new Error('SQS down'));
    const body = feedbackBody('hello');
    expect((await post('/webhooks/web', body, standardWebhookHeaders(SECRET, 'msg_6', body))).statusCode).toBe(503);
    expect((await post('/webhooks/nope', body, {})).statusCode).toBe(404);
    const unconfigured = await post('/webhooks/hotline', body, standardWebhookHeaders(SECRET, 'msg_7', body));
    expect(unconfigured.statusCode).toBe(503);
    expect(String(unconfigured.body)).toContain('not configured');
  });

  it('fails the send when SQS reports a failed entry', async () => {
    sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false }] });
    const body = feedbackBody('hello');
    expect((await post('/webhooks/web', body, standardWebhookHeaders(SECRET, 'msg_8', body))).statusCode).toBe(503);
  });
});
