import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProblemError } from '../errors.ts';
import { channelRequest, channelVectors, handleOrProblem, assertBodyTamperingRejected } from './test-request.ts';
import { createXAdapter, xCrcResponseToken } from './x.ts';

const OUR_SECRET = 'kq3W9zR1vT7nB5yH2mD8sL4fG6jP0cX1aE9uN3oI7wQ5tY2rV';
const sign = (secret: string, body: string | Buffer): string => `sha256=${createHmac('sha256', secret).update(body).digest('base64')}`;
const adapter = createXAdapter({ REDRESS_X_CONSUMER_SECRET: OUR_SECRET });
const post = (body: string | Buffer, signature: string = sign(OUR_SECRET, body)) =>
  channelRequest({ url: '/webhooks/x', headers: { 'content-type': 'application/json', ...(signature ? { 'x-twitter-webhooks-signature': signature } : {}) }, body });

describe('X adapter: every x-account-activity vector', () => {
  for (const vector of channelVectors('x-account-activity')) {
    it(`#${vector.index} ${vector.description}`, async () => {
      // Prepare: each vector names the consumer secret it was made with.
      const vectorAdapter = createXAdapter({ REDRESS_X_CONSUMER_SECRET: vector.secret });
      const req = channelRequest({ method: vector.method, url: vector.url, headers: vector.headers, body: vector.body });
      // Act
      const outcome = await handleOrProblem(vectorAdapter, req);
      // Assess
      if (!vector.expect.valid) {
        expect(outcome).toBeInstanceOf(ProblemError);
        expect((outcome as ProblemError).status).toBe(vector.expect.status);
        return;
      }
      if (outcome instanceof ProblemError) throw outcome;
      const answer = outcome.respond([]);
      expect(answer.statusCode).toBe(vector.expect.status);
      if (vector.expect.responseBody !== undefined) {
        expect(JSON.parse(answer.body!)).toEqual(JSON.parse(vector.expect.responseBody));
        expect(answer.headers?.['content-type']).toBe('application/json');
      }
      if (vector.index === 14) {
        expect(outcome.messages).toEqual([
          {
            source: 'x',
            channel: 'social',
            externalId: '4337869213:954491830116155396',
            occurredAt: new Date(1516403560557).toISOString(),
            text: '@ExampleBank my transfer has been pending for 3 days',
            customer: { id: '3001969357', name: 'Jordan Brinks' },
            context: { kind: 'direct_message', eventId: '954491830116155396', forUserId: '4337869213' },
          },
        ]);
      } else {
        expect(outcome.messages).toEqual([]);
      }
    });
  }
});

const FOR_USER = '4337869213';
const dm = (id: string, sender: string, textBody: string) => ({
  type: 'message_create',
  id,
  created_timestamp: '1767225600000',
  message_create: { target: { recipient_id: sender === FOR_USER ? '99' : FOR_USER }, sender_id: sender, message_data: { text: textBody } },
});

describe('X adapter: Account Activity envelope', () => {
  it('skips our own outgoing DMs and keeps the customer ones', async () => {
    const body = JSON.stringify({ for_user_id: FOR_USER, direct_message_events: [dm('1', '777', 'My card is blocked'), dm('2', FOR_USER, 'Sorry to hear that'), dm('3', '778', 'Fees again')] });
    const outcome = await adapter.handle(post(body));
    expect(outcome.messages.map((m) => [m.externalId, m.customer?.id])).toEqual([[`${FOR_USER}:1`, '777'], [`${FOR_USER}:3`, '778']]);
  });

  it('takes mentions from tweet_create_events, with the full text of long posts, and skips our own posts and retweets', async () => {
    const tweet = (id: string, userId: string, extra: object = {}) => ({ id_str: id, text: 'short…', truncated: true, user: { id_str: userId, name: 'Pat', screen_name: 'pat' }, timestamp_ms: '1767225600000', ...extra });
    const body = JSON.stringify({
      for_user_id: FOR_USER,
      user_has_blocked: 'false',
      tweet_create_events: [
        tweet('10', '555', { extended_tweet: { full_text: '@ExampleBank the whole long complaint' } }),
        tweet('11', FOR_USER),
        tweet('12', '556', { retweeted_status: { id_str: '1' } }),
      ],
    });
    const outcome = await adapter.handle(post(body));
    expect(outcome.messages).toEqual([
      { source: 'x', channel: 'social', externalId: `${FOR_USER}:10`, occurredAt: '2026-01-01T00:00:00.000Z', text: '@ExampleBank the whole long complaint', customer: { id: '555', name: 'Pat' }, context: { kind: 'mention', postId: '10', forUserId: FOR_USER } },
    ]);
  });

  it.each([
    ['typing', { for_user_id: FOR_USER, direct_message_indicate_typing_events: [{ created_timestamp: '1', sender_id: '1', target: { recipient_id: FOR_USER } }] }],
    ['read', { for_user_id: FOR_USER, direct_message_mark_read_events: [{ created_timestamp: '1', sender_id: '1', target: { recipient_id: FOR_USER }, last_read_event_id: '2' }] }],
    ['favorite', { for_user_id: FOR_USER, favorite_events: [{ id: 'f1' }] }],
  ])('acknowledges %s events with no message', async (_label, payload) => {
    const outcome = await adapter.handle(post(JSON.stringify(payload)));
    expect(outcome.messages).toEqual([]);
    expect(outcome.respond([]).statusCode).toBe(200);
  });

  it('yields one message per DM in a batch', async () => {
    const events = Array.from({ length: 7 }, (_, i) => dm(String(100 + i), String(900 + i), `message ${i}`));
    const outcome = await adapter.handle(post(JSON.stringify({ for_user_id: FOR_USER, direct_message_events: events })));
    expect(outcome.messages.map((m) => m.text)).toEqual(events.map((_, i) => `message ${i}`));
  });
});

describe('X adapter: X Activity API envelope', () => {
  const xaa = (event_type: string, payload: unknown, extra: object = {}) => ({ data: { event_uuid: '-6850472171600526495', filter: { user_id: FOR_USER }, event_type, tag: 't', payload, ...extra } });

  it('takes dm.received with the XAA users map (name under data)', async () => {
    const body = JSON.stringify(xaa('dm.received', { direct_message_events: [dm('2080765901528535096', '2222', 'hello, my transfer failed')], users: { '2222': { data: { id: '2222', name: 'Other User', username: 'other' } } } }));
    const outcome = await adapter.handle(post(body));
    expect(outcome.messages).toEqual([
      { source: 'x', channel: 'social', externalId: '-6850472171600526495', occurredAt: '2026-01-01T00:00:00.000Z', text: 'hello, my transfer failed', customer: { id: '2222', name: 'Other User' }, context: { kind: 'direct_message', eventId: '2080765901528535096', forUserId: FOR_USER } },
    ]);
  });

  it('takes post.mention.create with the author from includes.users', async () => {
    const body = JSON.stringify(xaa('post.mention.create', { id: '2080765813578191303', text: 'hey @ExampleBank my app crashed', author_id: '2222', created_at: '2026-07-24T21:23:23.000Z' }, { includes: { users: [{ id: '2222', name: 'Other User', username: 'other' }] } }));
    const outcome = await adapter.handle(post(body));
    expect(outcome.messages).toEqual([
      { source: 'x', channel: 'social', externalId: '-6850472171600526495', occurredAt: '2026-07-24T21:23:23.000Z', text: 'hey @ExampleBank my app crashed', customer: { id: '2222', name: 'Other User' }, context: { kind: 'mention', postId: '2080765813578191303', forUserId: FOR_USER } },
    ]);
  });

  it.each([
    ['dm.sent', xaa('dm.sent', { direct_message_events: [dm('5', FOR_USER, 'Thanks for the update!')] })],
    ['dm.received from ourselves', xaa('dm.received', { direct_message_events: [dm('5', FOR_USER, 'echo')] })],
    ['dm.read', xaa('dm.read', {})],
    ['dm.indicate_typing', xaa('dm.indicate_typing', {})],
    ['post.create by us', xaa('post.create', { id: '1', text: 'Our announcement', author_id: FOR_USER })],
    ['a mention we wrote ourselves', xaa('post.mention.create', { id: '1', text: 'thread', author_id: FOR_USER })],
  ])('drops %s', async (_label, payload) => {
    const outcome = await adapter.handle(post(JSON.stringify(payload)));
    expect(outcome.messages).toEqual([]);
  });
});

describe('X adapter: CRC and rejections', () => {
  it('signs the CRC with the first consumer secret of the list', async () => {
    const rotated = createXAdapter({ REDRESS_X_CONSUMER_SECRET: `${OUR_SECRET},old-secret` });
    const outcome = await rotated.handle(channelRequest({ method: 'GET', url: '/webhooks/x?crc_token=abc%2Bdef' }));
    expect(JSON.parse(outcome.respond([]).body!)).toEqual({ response_token: xCrcResponseToken(OUR_SECRET, 'abc+def') });
  });

  it('accepts a POST signed with the previous secret during rotation', async () => {
    const rotated = createXAdapter({ REDRESS_X_CONSUMER_SECRET: `new-secret,${OUR_SECRET}` });
    const body = JSON.stringify({ for_user_id: FOR_USER, direct_message_events: [dm('1', '777', 'hi')] });
    expect((await rotated.handle(post(body))).messages).toHaveLength(1);
  });

  it.each([['/webhooks/x'], ['/webhooks/x?crc_token=']])('answers 400 to GET %s', async (url) => {
    const outcome = await handleOrProblem(adapter, channelRequest({ method: 'GET', url }));
    expect((outcome as ProblemError).status).toBe(400);
  });

  it.each([['sha256='], ['sha256=AAAA'], ['nope'], ['']])('answers 401 to the signature %j', async (signature) => {
    const outcome = await handleOrProblem(adapter, post('{"for_user_id":"1"}', signature));
    expect((outcome as ProblemError).status).toBe(401);
  });

  it.each([
    ['[]'], ['null'], ['{"for_user_id":"1","direct_message_events":"x"}'], ['{"for_user_id":"1","direct_message_events":[{"type":"message_create","message_create":null}]}'],
    ['{"data":{"event_type":"dm.received","payload":null}}'], ['{"data":{"event_uuid":"1","event_type":"dm.received","payload":null}}'],
    ['{"for_user_id":"1","direct_message_events":[{"__proto__":{"type":"message_create","id":"1","message_create":{"sender_id":"2","message_data":{"text":"polluted"}}}}]}'],
    ['{"direct_message_events":[{"type":"message_create","id":"1","message_create":{"sender_id":"2","message_data":{"text":"no for_user_id"}}}]}'],
  ])('answers 400 to the signed junk %s', async (body) => {
    const outcome = await handleOrProblem(adapter, post(body));
    expect((outcome as ProblemError).status).toBe(400);
  });

  it('is not configured without a consumer secret', () => {
    expect(createXAdapter({}).configured).toBe(false);
    expect(adapter.configured).toBe(true);
    expect(adapter.route).toBe('x');
  });
});

describe('X adapter: properties', () => {
  const bodyBytes = Buffer.from(JSON.stringify({ for_user_id: FOR_USER, direct_message_events: [dm('42', '777', 'My transfer is stuck')] }), 'utf8');
  const signature = sign(OUR_SECRET, bodyBytes);

  it('rejects any change to a signed body with 401', async () => {
    await assertBodyTamperingRejected(adapter, bodyBytes, (tampered) => post(tampered, signature), 401);
  });

  it('rejects any other signature with 401', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), async (mac) => {
        const forged = `sha256=${Buffer.from(mac).toString('base64')}`;
        fc.pre(forged !== signature);
        const outcome = await handleOrProblem(adapter, post(bodyBytes, forged));
        return outcome instanceof ProblemError && outcome.status === 401;
      }),
      { numRuns: 200 },
    );
  });

  const crc = (token: string) => handleOrProblem(adapter, channelRequest({ method: 'GET', url: `/webhooks/x?crc_token=${encodeURIComponent(token)}` }));
  /** Tokens as X sends them: base64 of random bytes, UUIDs, base64url. */
  const xToken = fc.oneof(
    fc.uint8Array({ minLength: 8, maxLength: 64 }).map((b) => Buffer.from(b).toString('base64')),
    fc.uuid(),
    fc.uint8Array({ minLength: 8, maxLength: 64 }).map((b) => Buffer.from(b).toString('base64url')),
  );

  it('answers every token-shaped CRC token with the HMAC of exactly that token', async () => {
    await fc.assert(
      fc.asyncProperty(xToken, async (token) => {
        fc.pre(!/^[0-9]+$/.test(token));
        const outcome = await crc(token);
        if (outcome instanceof ProblemError) return false;
        const expected = `sha256=${createHmac('sha256', OUR_SECRET).update(token, 'utf8').digest('base64')}`;
        return JSON.parse(outcome.respond([]).body!).response_token === expected;
      }),
      { numRuns: 200 },
    );
  });

  it('is no signing oracle: no CRC answer is the signature of a POST that is accepted', async () => {
    // Whatever text a caller asks the CRC to sign, either the CRC refuses it or a POST of that text
    // carrying the answer as its signature is refused: nothing forged is ever accepted.
    const delivery = JSON.stringify({ for_user_id: FOR_USER, direct_message_events: [dm('66', '777', 'forged fraud complaint')] });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 300 }), xToken, fc.jsonValue().map((v) => JSON.stringify(v)), fc.constant(delivery)), async (text) => {
        fc.pre(text.length > 0);
        const answer = await crc(text);
        if (answer instanceof ProblemError) return answer.status === 403;
        const signature = JSON.parse(answer.respond([]).body!).response_token as string;
        const forged = await handleOrProblem(adapter, post(text, signature));
        return forged instanceof ProblemError;
      }),
      { numRuns: 400 },
    );
  });

  it.each([
    ['a delivery body', JSON.stringify({ for_user_id: '1', direct_message_events: [] })],
    ['a JSON number', '12345'],
    ['a JSON literal', 'true'],
    ['markup', '<b>x</b>'],
    ['white space', 'abc def'],
    ['an overlong token', 'A'.repeat(256)],
  ])('refuses (403) to answer a CRC token that is %s', async (_label, token) => {
    const outcome = await crc(token);
    expect((outcome as ProblemError).status).toBe(403);
  });

  it('never throws anything but a problem for any signed JSON value', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const outcome = await handleOrProblem(adapter, post(JSON.stringify(value)));
        return outcome instanceof ProblemError ? outcome.status === 400 : Array.isArray(outcome.messages);
      }),
      { numRuns: 300 },
    );
  });
});
