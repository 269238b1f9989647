/**
 * Observability in Lambda (functions/shared/adapters/powertools/): the Powertools logger and metrics
 * behind the ports, and the middleware that adds the Lambda context and correlation ids and flushes
 * EMF. What is written to stdout/stderr is captured and read as CloudWatch would: one JSON entry per
 * line. Contact details and message text never reach it, even with Powertools' own event logging on.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSEvent } from 'aws-lambda';
import { createIngestHandler } from '../../functions/ingest/handler.ts';
import { createProcessHandler } from '../../functions/process/handler.ts';
import { DynamoFeedbackRepository } from '../../functions/shared/adapters/aws/dynamo-feedback-repository.ts';
import { DynamoNonceStore } from '../../functions/shared/adapters/aws/dynamo-nonce-store.ts';
import { SqsFeedbackQueue } from '../../functions/shared/adapters/aws/sqs-feedback-queue.ts';
import { clockCorrelationIds, powertoolsObservability, queueCorrelationIds, webhookCorrelationIds } from '../../functions/shared/adapters/powertools/observability.ts';
import { createChannelAdapters } from '../../functions/shared/channels/registry.ts';
import { createLogger } from '../../functions/shared/logger.ts';
import { MemoryMetrics } from '../../functions/shared/metrics.ts';
import { DEFAULT_RETRY_POLICY } from '../../functions/shared/pipeline/retry-policy.ts';
import { FixedClassifier, MemoryRepository, RecordingBus } from '../helpers/fakes.ts';
import { sampleComplaint } from '../helpers/sample-items.ts';
import { createClockCheckHandler } from '../../functions/clock/handler.ts';
import { createReplyHandler } from '../../functions/reply/handler.ts';
import { openComplaintClocks } from '../../functions/shared/clocks/complaint-clocks.ts';
import { loadClockPolicy } from '../../functions/shared/clocks/policy.ts';
import { acceptReply, commitEffects } from '../../functions/shared/replies/reply-lifecycle.ts';
import type { SendOutcome } from '../../functions/shared/ports/reply-sender.ts';
import { complaintFixture } from '../../functions/admin/test-fixtures.ts';
import { feedbackBody, httpEvent, standardWebhookHeaders } from '../helpers/http-events.ts';

const SECRET = 'whsec_dGVzdC1zZWNyZXQtdGVzdC1zZWNyZXQtMTIzNA==';
const sqsMock = mockClient(SQSClient);
const ddbMock = mockClient(DynamoDBDocumentClient);

/** What a customer sent: none of it may appear in any log line. */
const PII = { phone: '13800138000', email: 'li.wei@example.com', name: 'Li Wei Zhang', text: 'my card ending 4242 was charged twice' };

let lines: string[] = [];
const savedEnv = { ...process.env };
const context = (requestId: string) => ({ awsRequestId: requestId, functionName: 'redress-test-ingest', functionVersion: '7', invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:redress-test-ingest:live', memoryLimitInMB: '512', getRemainingTimeInMillis: () => 10_000 }) as unknown as Context;
const entries = () => lines.flatMap((l) => l.split('\n')).filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
const emf = () => entries().filter((e) => e._aws);
const logs = () => entries().filter((e) => !e._aws);
/** Each EMF entry's metrics as `name|channel` → value (summed). */
function published(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of emf()) {
    const defs = (e._aws as { CloudWatchMetrics: Array<{ Namespace: string; Metrics: Array<{ Name: string }> }> }).CloudWatchMetrics[0]!;
    for (const { Name } of defs.Metrics) {
      const key = e.channel ? `${Name}|${String(e.channel)}` : Name;
      const v = e[Name];
      out[key] = (out[key] ?? 0) + (Array.isArray(v) ? v.reduce((a: number, b: number) => a + b, 0) : Number(v));
    }
  }
  return out;
}

beforeEach(() => {
  lines = [];
  const capture = (chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture as typeof process.stdout.write);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture as typeof process.stderr.write);
  // Powertools' own switches at their most revealing: every entry, and the event logged if it could be.
  Object.assign(process.env, { AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand', POWERTOOLS_LOGGER_LOG_EVENT: 'true', POWERTOOLS_DEV: 'false', POWERTOOLS_METRICS_DISABLED: 'false' });
  sqsMock.reset();
  ddbMock.reset();
  sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [{ Id: '0', MessageId: 'm', MD5OfMessageBody: '' }], Failed: [] });
  ddbMock.on(PutCommand).resolves({});
});
afterEach(() => {
  vi.restoreAllMocks();
  process.env = { ...savedEnv };
});

function ingest() {
  const observability = powertoolsObservability('ingest', { LOG_LEVEL: 'debug', POWERTOOLS_METRICS_NAMESPACE: 'Redress/test' });
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
  return createIngestHandler({
    adapters: createChannelAdapters({ REDRESS_WEB_SECRET: SECRET }),
    queue: new SqsFeedbackQueue(new SQSClient({ region: 'eu-west-1' }), 'https://sqs.local/q'),
    receipts: new DynamoFeedbackRepository(doc, 'table'),
    nonces: new DynamoNonceStore(doc, 'table'),
    logger: observability.logger,
    metrics: observability.metrics,
  }).use(observability.middleware(webhookCorrelationIds));
}
const piiBody = () => feedbackBody(`${PII.text}; call ${PII.phone} or mail ${PII.email}`, { customer: { id: 'c-1', name: PII.name, phone: PII.phone, email: PII.email } });

describe('Powertools logger and metrics on the ingest function', () => {
  it('counts received feedback per channel in Redress/<stage>, with the cold start once, and correlates the log with the webhook id and request id', async () => {
    const handler = ingest();
    const body = piiBody();
    const res = await handler(httpEvent('POST', '/webhooks/web', body, standardWebhookHeaders(SECRET, 'msg_corr_1', body)), context('req-1'));
    expect(res.statusCode).toBe(202);
    const metrics = emf();
    expect(metrics.length).toBeGreaterThan(0);
    for (const e of metrics) expect((e._aws as { CloudWatchMetrics: Array<{ Namespace: string }> }).CloudWatchMetrics[0]!.Namespace).toBe('Redress/test');
    expect(published()).toMatchObject({ 'FeedbackReceived|web': 1, ColdStart: 1 });
    expect(published()['DuplicateDeliveries|web']).toBeUndefined();
    const accepted = logs().find((e) => e.message === 'accepted');
    expect(accepted).toMatchObject({ level: 'DEBUG', service: 'ingest', cold_start: true, function_request_id: 'req-1', webhookId: 'msg_corr_1' });

    // A redelivery on a warm function: counted as a duplicate, no second cold start, the new ids only.
    lines = [];
    ddbMock.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    const again = await handler(httpEvent('POST', '/webhooks/web', body, standardWebhookHeaders(SECRET, 'msg_corr_2', body)), context('req-2'));
    expect(again.statusCode).toBe(202);
    expect(published()).toEqual({ 'DuplicateDeliveries|web': 1 });
    expect(logs().find((e) => e.message === 'accepted')).toMatchObject({ cold_start: false, function_request_id: 'req-2', webhookId: 'msg_corr_2' });
  });

  it('counts a refused signature per channel, answers 401, and logs no part of the request', async () => {
    const handler = ingest();
    const body = piiBody();
    const res = await handler(httpEvent('POST', '/webhooks/web', body, standardWebhookHeaders('whsec_' + Buffer.from('another-secret-another-secret!!').toString('base64'), 'msg_bad', body)), context('req-3'));
    expect(res.statusCode).toBe(401);
    expect(published()).toMatchObject({ 'SignatureRejected|web': 1 });
    expect(published()['FeedbackReceived|web']).toBeUndefined();
  });

  it('never writes contact details or message text, even at debug with POWERTOOLS_LOGGER_LOG_EVENT=true, on success or failure', async () => {
    const handler = ingest();
    const body = piiBody();
    await handler(httpEvent('POST', '/webhooks/web', body, standardWebhookHeaders(SECRET, 'msg_pii_1', body)), context('req-4'));
    // The queue fails: the error path logs too.
    sqsMock.on(SendMessageBatchCommand).rejects(new Error('queue down'));
    // This one as API Gateway passes a text body: plain, not base64.
    const plain = { ...httpEvent('POST', '/webhooks/web', body, standardWebhookHeaders(SECRET, 'msg_pii_2', body)), body, isBase64Encoded: false };
    const failed = await handler(plain, context('req-5'));
    expect(failed.statusCode).toBe(503);
    const written = lines.join('');
    expect(logs().some((e) => e.message === 'queue send failed' && e.level === 'ERROR')).toBe(true);
    for (const value of Object.values(PII)) expect(written).not.toContain(value);
    expect(written).not.toContain('4242');
    expect(written).not.toContain(Buffer.from(body).toString('base64').slice(0, 24));
  });

  it('writes nothing below LOG_LEVEL', async () => {
    const observability = powertoolsObservability('ingest', { LOG_LEVEL: 'warn' });
    observability.logger.info('routine');
    observability.logger.warn('worth a look');
    expect(logs().map((e) => e.message)).toEqual(['worth a look']);
  });
});

describe('counts of the process function', () => {
  const record = (id: string, body: string, i: number) => ({
    messageId: `m${i}`, receiptHandle: `r${i}`, body, attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 's', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn', awsRegion: 'eu-west-1',
  });
  const message = (id: string, text: string) => JSON.stringify({ id, source: 'web', channel: 'web', externalId: `ext-${id}`, receivedAt: '2026-11-28T09:30:00.000Z', text, customer: {} });

  it('counts complaints opened once (not on redelivery) and messages that failed', async () => {
    const metrics = new MemoryMetrics();
    const repository = new MemoryRepository();
    const handler = createProcessHandler({
      repository, eventBus: new RecordingBus(), classifier: new FixedClassifier(), retryPolicy: DEFAULT_RETRY_POLICY,
      backoff: { postpone: async () => [] }, deadLetters: { send: async () => undefined },
      logger: createLogger('test', 'silent'), metrics,
    });
    const event: SQSEvent = { Records: [record('fb_a', message('fb_a', 'I complain about fees'), 0), record('fb_b', message('fb_b', 'great app'), 1), record('x', 'not json', 2)] };
    await handler(event, {} as Context);
    expect(Object.fromEntries(metrics.counts)).toEqual({ ComplaintsOpened: 1, ProcessingFailures: 1 });
    await handler({ Records: [event.Records[0]!] }, {} as Context);
    expect(metrics.counts.get('ComplaintsOpened')).toBe(1);
  });
});

describe('counts of the clock-check and reply functions', () => {
  it('counts the warnings and breaches a clock check announces, once', async () => {
    const repository = new MemoryRepository();
    const { item } = openComplaintClocks(sampleComplaint({ receivedAt: '2026-11-28T09:00:00.000Z' }), loadClockPolicy({ REDRESS_SLA_FIRST_RESPONSE: 'PT1H' }));
    await repository.createIfAbsent(item, []);
    const metrics = new MemoryMetrics();
    const handler = createClockCheckHandler({ repository, eventBus: new RecordingBus(), logger: createLogger('test', 'silent'), metrics, now: () => new Date('2026-11-28T10:00:00.000Z') });
    const event = { feedbackId: item.id, clock: 'first_response', stage: 'breach', executionName: `${item.id}-first_response` };
    await handler(event, {} as Context);
    await handler(event, {} as Context); // the timer wakes again: nothing new
    expect(Object.fromEntries(metrics.counts)).toEqual({ SlaWarnings: 1, SlaBreaches: 1 });
  });

  it.each([
    [{ status: 'sent', platformMessageId: 'm-1' }, { RepliesSent: 1 }],
    [{ status: 'permanent', code: '190', message: 'token expired' }, { RepliesFailed: 1 }],
    [{ status: 'transient', code: 'http_503', message: 'busy' }, {}],
  ] as Array<[SendOutcome, Record<string, number>]>)('counts a reply the reply function sent or that failed for good (%j)', async (outcome, expected) => {
    const repository = new MemoryRepository();
    const item = complaintFixture();
    const accepted = acceptReply(item, { replyId: 'rp_count', message: 'Refunded.', via: 'channel', actor: 'agent-a', at: new Date().toISOString(), mode: 'unrestricted' });
    await repository.createIfAbsent(commitEffects(accepted, new Date().toISOString()).item, accepted.outbox);
    const metrics = new MemoryMetrics();
    const handler = createReplyHandler({
      repository, eventBus: new RecordingBus(), sender: { send: async () => outcome },
      queue: { enqueue: async () => undefined },
      sentReplies: { remember: async () => undefined, find: async () => undefined, rememberSent: async () => undefined, sentBefore: async () => [] },
      logger: createLogger('test', 'silent'), metrics,
    });
    const record = { messageId: 'm0', receiptHandle: 'r0', body: JSON.stringify({ feedbackId: item.id, replyId: 'rp_count' }), attributes: {}, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn', awsRegion: 'eu-west-1' };
    const result = await handler({ Records: [record] } as unknown as SQSEvent, {} as Context);
    expect(result.batchItemFailures).toEqual([]);
    expect(Object.fromEntries(metrics.counts)).toEqual(expected);
  });
});

describe('correlation ids', () => {
  it('takes only ids: the webhook id and API request id, feedback ids from queue bodies, the clock execution name', () => {
    expect(webhookCorrelationIds({ headers: { 'Webhook-Id': 'msg_1' }, requestContext: { requestId: 'JKJaXmPLvHcESHA=' } })).toEqual({ webhookId: 'msg_1', apiRequestId: 'JKJaXmPLvHcESHA=' });
    expect(webhookCorrelationIds({ headers: { 'webhook-id': `call ${PII.phone}` }, requestContext: { requestId: 'Hh1-2' } })).toEqual({ webhookId: undefined, apiRequestId: 'Hh1-2' });
    expect(queueCorrelationIds({ Records: [{ body: JSON.stringify({ id: 'fb_1', text: PII.text }) }, { body: JSON.stringify({ feedbackId: 'fb_2', replyId: 'rp_1' }) }, { body: '{' }] })).toEqual({ feedbackIds: ['fb_1', 'fb_2'] });
    expect(clockCorrelationIds({ feedbackId: 'fb_3', clock: 'first-response', executionName: 'fb_3-first-response-1' })).toEqual({ feedbackId: 'fb_3', executionName: 'fb_3-first-response-1' });
  });
});
