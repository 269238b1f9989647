import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { createIngestHandler } from '../../functions/ingest/handler.ts';
import { DynamoFeedbackRepository } from '../../functions/shared/adapters/aws/dynamo-feedback-repository.ts';
import { DynamoNonceStore } from '../../functions/shared/adapters/aws/dynamo-nonce-store.ts';
import { wechatSignature } from '../../functions/shared/channels/wechat-crypto.ts';
import { isSqsSafe } from '../../schemas/storable.ts';
import { createHmac } from 'node:crypto';
import { SqsFeedbackQueue } from '../../functions/shared/adapters/aws/sqs-feedback-queue.ts';
import { createChannelAdapters } from '../../functions/shared/channels/registry.ts';
import { channelVectors, type ChannelVector } from '../../functions/shared/channels/test-request.ts';
import { feedbackId } from '../../functions/shared/ids.ts';
import { createLogger } from '../../functions/shared/logger.ts';
import { feedbackBody, httpEvent, standardWebhookHeaders } from '../helpers/http-events.ts';

const SECRET = 'whsec_dGVzdC1zZWNyZXQtdGVzdC1zZWNyZXQtMTIzNA==';
const sqsMock = mockClient(SQSClient);
const ddbMock = mockClient(DynamoDBDocumentClient);

const WECHAT_TOKEN = 'wechat-test-token';
const ingestHandler = (env: NodeJS.ProcessEnv) => {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
  return createIngestHandler({
    adapters: createChannelAdapters(env),
    queue: new SqsFeedbackQueue(new SQSClient({ region: 'eu-west-1' }), 'https://sqs.local/q'),
    receipts: new DynamoFeedbackRepository(doc, 'table'),
    nonces: new DynamoNonceStore(doc, 'table'),
    logger: createLogger('test', 'silent'),
  });
};
const handler = ingestHandler({ REDRESS_WEB_SECRET: SECRET, REDRESS_MOBILE_SECRET: SECRET });
const ctx = {} as Context;

const post = (path: string, body: string, headers: Record<string, string>) => handler(httpEvent('POST', path, body, headers), ctx);

/** The table's answer to nonce puts, as DynamoDB evaluates their condition (same fingerprint or absent). */
const nonceTable = new Map<string, string>();
function answerPutsLikeTheTable(): void {
  ddbMock.on(PutCommand).callsFake((input: { Item: Record<string, string> }) => {
    if (input.Item.sk !== 'NONCE') return {};
    const held = nonceTable.get(input.Item.pk!);
    if (held !== undefined && held !== input.Item.fingerprint) throw new ConditionalCheckFailedException({ message: 'held', $metadata: {} });
    nonceTable.set(input.Item.pk!, input.Item.fingerprint!);
    return held === undefined ? {} : { Attributes: { ...input.Item } };
  });
}

beforeEach(() => {
  sqsMock.reset();
  ddbMock.reset();
  nonceTable.clear();
  sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [{ Id: '0', MessageId: 'm', MD5OfMessageBody: '' }], Failed: [] });
  answerPutsLikeTheTable();
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
    // Every channel: the size is refused before its adapter runs (no key sent, yet 413 rather than 401).
    const hotline = ingestHandler({ REDRESS_CONNECT_KEY: 'connect-test-key' });
    const huge = ' '.repeat(256 * 1024 + 1);
    expect((await hotline(httpEvent('POST', '/webhooks/hotline/connect', huge, { 'content-type': 'application/json' }), ctx)).statusCode).toBe(413);

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

describe('ingest handler: receipts', () => {
  it('answers 503 (retry later), not 202, when the receipt cannot be recorded', async () => {
    // Prepare: the queue works, the table does not.
    ddbMock.on(PutCommand).rejects(Object.assign(new Error('table unavailable'), { name: 'InternalServerError' }));
    const body = feedbackBody('hello');
    // Act
    const res = await post('/webhooks/web', body, standardWebhookHeaders(SECRET, 'msg_r1', body));
    // Assess
    expect(res.statusCode).toBe(503);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
  });

  it('answers 503 when both the receipt and the queue fail', async () => {
    ddbMock.on(PutCommand).rejects(new Error('table unavailable'));
    sqsMock.on(SendMessageBatchCommand).rejects(new Error('SQS down'));
    const body = feedbackBody('hello');
    expect((await post('/webhooks/web', body, standardWebhookHeaders(SECRET, 'msg_r2', body))).statusCode).toBe(503);
  });
});

describe('ingest handler: WeChat signed nonces', () => {
  const now = () => String(Math.floor(Date.now() / 1000));
  const query = (ts: string, nonce: string) => `signature=${wechatSignature(WECHAT_TOKEN, ts, nonce)}&timestamp=${ts}&nonce=${nonce}&openid=oUser`;
  const xml = (text: string, msgId: string) =>
    `<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[oUser]]></FromUserName><CreateTime>${now()}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${text}]]></Content><MsgId>${msgId}</MsgId></xml>`;
  const plaintext = ingestHandler({ REDRESS_WECHAT_TOKEN: WECHAT_TOKEN });
  const send = (h: typeof plaintext, method: string, q: string, body = '') =>
    h({ ...httpEvent(method, '/webhooks/wechat', body, { 'content-type': 'text/xml' }, q), queryStringParameters: Object.fromEntries(new URLSearchParams(q)) }, ctx);
  const queuedCount = () => sqsMock.commandCalls(SendMessageBatchCommand).length;

  it('accepts a signed query once, and the identical request again (a WeChat retry)', async () => {
    const q = query(now(), '1001');
    const body = xml('转账失败', '5001');
    expect((await send(plaintext, 'POST', q, body)).statusCode).toBe(200);
    expect((await send(plaintext, 'POST', q, body)).statusCode).toBe(200);
  });

  it('refuses the same signed query with another body (403) and queues nothing for it', async () => {
    const q = query(now(), '1002');
    await send(plaintext, 'POST', q, xml('my card was declined', '5002'));
    const before = queuedCount();
    const forged = await send(plaintext, 'POST', q, xml('forged fraud complaint', '5003'));
    expect(forged.statusCode).toBe(403);
    expect(queuedCount()).toBe(before);
  });

  it("refuses a GET verification's signed query replayed onto a POST", async () => {
    const q = query(now(), '1003');
    const verified = await send(plaintext, 'GET', `${q}&echostr=7164032843627519013`);
    expect([verified.statusCode, verified.body]).toEqual([200, '7164032843627519013']);
    expect((await send(plaintext, 'POST', q, xml('forged', '5004'))).statusCode).toBe(403);
    expect(queuedCount()).toBe(0);
  });

  it('answers 503 when the nonce cannot be recorded, and queues nothing', async () => {
    ddbMock.on(PutCommand).rejects(new Error('table unavailable'));
    const res = await send(plaintext, 'POST', query(now(), '1004'), xml('hello', '5005'));
    expect(res.statusCode).toBe(503);
    expect(queuedCount()).toBe(0);
  });

  it('refuses plaintext POSTs when an EncodingAESKey is set (safe mode), and takes them in compatible mode', async () => {
    const keys = { REDRESS_WECHAT_TOKEN: WECHAT_TOKEN, REDRESS_WECHAT_AES_KEY: 'A'.repeat(43), REDRESS_WECHAT_APP_ID: 'wx0123456789abcdef' };
    const safe = ingestHandler(keys);
    const compatible = ingestHandler({ ...keys, REDRESS_WECHAT_MODE: 'compatible' });
    expect((await send(safe, 'POST', query(now(), '1005'), xml('plaintext in safe mode', '5006'))).statusCode).toBe(403);
    expect(queuedCount()).toBe(0);
    expect((await send(compatible, 'POST', query(now(), '1006'), xml('plaintext while switching modes', '5007'))).statusCode).toBe(200);
    expect(queuedCount()).toBe(1);
  });
});

describe('ingest handler: text SQS can carry, on every route', () => {
  const META_SECRET = 'meta-app-secret-for-tests';
  const social = ingestHandler({ REDRESS_WEB_SECRET: SECRET, REDRESS_META_APP_SECRET: META_SECRET });
  const postMeta = (text: string) => {
    const body = JSON.stringify({ object: 'page', entry: [{ id: '1', messaging: [{ sender: { id: '2468' }, recipient: { id: '1' }, timestamp: Date.now(), message: { mid: `m_${text.length}`, text } }] }] });
    const signature = `sha256=${createHmac('sha256', META_SECRET).update(body).digest('hex')}`;
    return social(httpEvent('POST', '/webhooks/meta', body, { 'content-type': 'application/json', 'x-hub-signature-256': signature }), ctx);
  };
  const queuedBodies = () => sqsMock.commandCalls(SendMessageBatchCommand).flatMap((call) => call.args[0].input.Entries!.map((e) => e.MessageBody!));

  it('replaces U+FFFE, U+FFFF and lone surrogates before queueing, from the web and from Meta', async () => {
    const text = 'card blocked \uFFFE\uFFFF \uD800 please help';
    const body = feedbackBody(text, { subject: 'x\uFFFF', context: { note: 'y\uFFFE' } });
    expect((await social(httpEvent('POST', '/webhooks/web', body, standardWebhookHeaders(SECRET, 'msg_sqs', body)), ctx)).statusCode).toBe(202);
    expect((await postMeta(text)).statusCode).toBe(200);
    const queued = queuedBodies();
    expect(queued).toHaveLength(2);
    for (const message of queued) {
      expect(isSqsSafe(message)).toBe(true);
      expect(JSON.parse(message).text).toBe('card blocked \uFFFD\uFFFD \uFFFD please help');
    }
  });

  it('makes no item of a social message whose text shows nothing (NUL, zero-width, spaces)', async () => {
    const res = await postMeta('\u0000\u200B\u3000\u2060');
    expect(res.statusCode).toBe(200);
    expect(queuedBodies()).toHaveLength(0);
  });
});

describe('ingest handler: Amazon Connect (EventBridge API destination)', () => {
  const [contactEvent, ruleMatch, wrongKey] = channelVectors('amazon-connect-eventbridge');
  const connect = ingestHandler({ REDRESS_CONNECT_KEY: ruleMatch!.secret });
  const deliver = (vector: ChannelVector, handler = connect) => handler(httpEvent('POST', '/webhooks/hotline/connect', vector.body, vector.headers), ctx);
  const queued = () => sqsMock.commandCalls(SendMessageBatchCommand).flatMap((call) => call.args[0].input.Entries!.map((e) => JSON.parse(e.MessageBody!)));

  it('queues a rule match as a hotline item whose id comes from the EventBridge event id, and answers 200', async () => {
    const res = await deliver(ruleMatch!);
    expect(res.statusCode).toBe(200);
    const id = feedbackId('hotline', 'connect:0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d');
    expect(JSON.parse(String(res.body))).toEqual({ accepted: [{ id, duplicate: false }] });
    expect(queued()).toEqual([
      expect.objectContaining({ id, source: 'hotline', channel: 'hotline', externalId: 'efgh4567-pqrs-5678-t9c0-111111111111', text: '[Contact Lens rule: customer-negative-sentiment-fees]' }),
    ]);
  });

  it('acknowledges a contact event with 200 and queues nothing; a wrong key is 401 problem+json, nothing queued or recorded', async () => {
    const ack = await deliver(contactEvent!);
    expect([ack.statusCode, JSON.parse(String(ack.body))]).toEqual([200, { accepted: [] }]);
    const refused = await deliver(wrongKey!);
    expect(refused.statusCode).toBe(401);
    expect(refused.headers?.['content-type']).toBe('application/problem+json');
    expect(sqsMock.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    expect(ddbMock.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('answers 503 (not configured) on a stack without REDRESS_CONNECT_KEY, whatever the key sent', async () => {
    const res = await deliver(ruleMatch!, ingestHandler({ REDRESS_WEB_SECRET: SECRET }));
    expect(res.statusCode).toBe(503);
    expect(String(res.body)).toContain('not configured');
    expect(sqsMock.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });
});
