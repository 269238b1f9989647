import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProblemError } from '../errors.ts';
import type { InboundMessage } from './channel.ts';
import { createMetaAdapter } from './meta.ts';
import { channelRequest, channelVectors, handleOrProblem, assertBodyTamperingRejected } from './test-request.ts';

const META_SECRET = '6f1c2e9d4b8a7f30a1e5c3d2b9f40817';
const INSTAGRAM_SECRET = 'a47d03c9e2b15f86d7c0e4a91b3f6258';
const VERIFY_TOKEN = 'bank-feedback-verify-7f3a';
const env = { REDRESS_META_APP_SECRET: `${META_SECRET}, ${INSTAGRAM_SECRET}`, REDRESS_META_VERIFY_TOKEN: VERIFY_TOKEN };
const adapter = createMetaAdapter(env);

const sign = (secret: string, body: string | Buffer): string => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
/** A signed POST; pass `''` as the signature to send none. */
const post = (body: string | Buffer, signature: string = sign(META_SECRET, body), contentType = 'application/json') =>
  channelRequest({ url: '/webhooks/meta', headers: { 'content-type': contentType, ...(signature ? { 'x-hub-signature-256': signature } : {}) }, body });

/**
 * What each valid POST vector must yield (the payload shapes of Meta's webhook docs and the vector bodies
 * in test/fixtures/channel-vectors.json).
 */
const expectedByVector: Record<number, InboundMessage[]> = {
  2: [{ source: 'messenger', channel: 'social', externalId: 'm_NQ3uK1wGx0Dq4v9eW8nH2sYpZrT6bFcJ5aLkMoE7iUd1gVyXhCq0tRbP3zSfA9eK', occurredAt: new Date(1749416383987).toISOString(), text: 'The card reader screen in the app keeps timing out.', customer: { id: '7012345678901234' }, context: { pageId: '104350012345678' }, platform: { accountId: '104350012345678' } }],
  3: [{ source: 'whatsapp', channel: 'social', externalId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=', occurredAt: new Date(1749416383000).toISOString(), text: 'Does it come in another color?', customer: { id: '16505551234', name: 'Sheena Nelson' }, context: { phoneNumberId: '106540352242922' }, platform: { accountId: '106540352242922' } }],
  4: [{ source: 'instagram', channel: 'social', externalId: '17865432109876543', occurredAt: new Date(1749416400000).toISOString(), text: 'Love the new round-up savings feature!', customer: { id: '1234567890123456', name: 'jane.customer' }, context: { instagramAccountId: '17841401234567890', kind: 'comment', mediaId: '18012345678901234' }, platform: { accountId: '17841401234567890', commentId: '17865432109876543' } }],
  5: [{ source: 'instagram', channel: 'social', externalId: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAxMjM0NTY3ODkwOjM0MDI4MjM2Njg0MTcxMDMwMTI0NDI1OTk4NDgxMjM0NTY3ODkw', occurredAt: new Date(1749416389901).toISOString(), text: 'Branch on King St was closed during posted hours today.', customer: { id: '1234567890123456' }, context: { instagramAccountId: '17841401234567890' }, platform: { accountId: '17841401234567890' } }],
  6: [{ source: 'messenger', channel: 'social', externalId: 'm_escaped_0001', occurredAt: new Date(1749416499000).toISOString(), text: 'Très déçu 😠', customer: { id: '7012345678901234' }, context: { pageId: '104350012345678' }, platform: { accountId: '104350012345678' } }],
};

describe('Meta adapter: every meta-graph vector', () => {
  for (const vector of channelVectors('meta-graph')) {
    it(`#${vector.index} ${vector.description}`, async () => {
      // Prepare
      const req = channelRequest({ method: vector.method, url: vector.url, headers: vector.headers, body: vector.body });
      // Act
      const outcome = await handleOrProblem(adapter, req);
      // Assess
      if (!vector.expect.valid) {
        expect(outcome).toBeInstanceOf(ProblemError);
        expect((outcome as ProblemError).status).toBe(vector.expect.status);
        return;
      }
      if (outcome instanceof ProblemError) throw outcome;
      const answer = outcome.respond([]);
      expect(answer.statusCode).toBe(vector.expect.status);
      if (vector.expect.responseBody !== undefined) expect(answer.body).toBe(vector.expect.responseBody);
      expect(outcome.messages).toEqual(vector.method === 'GET' ? [] : expectedByVector[vector.index]);
    });
  }
});

describe('Meta adapter: handshake', () => {
  it('answers the challenge as text/plain', async () => {
    const outcome = await adapter.handle(channelRequest({ method: 'GET', url: `/webhooks/meta?hub.mode=subscribe&hub.challenge=42&hub.verify_token=${VERIFY_TOKEN}` }));
    const answer = outcome.respond([]);
    expect(answer).toMatchObject({ statusCode: 200, body: '42' });
    expect(answer.headers?.['content-type']).toMatch(/^text\/plain/);
    expect(answer.headers?.['x-content-type-options']).toBe('nosniff');
  });

  it.each([
    ['mode is not subscribe', `hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=${VERIFY_TOKEN}`],
    ['no challenge', `hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}`],
    ['no token', 'hub.mode=subscribe&hub.challenge=1'],
    ['token prefix only', `hub.mode=subscribe&hub.challenge=1&hub.verify_token=${VERIFY_TOKEN.slice(0, -1)}`],
    ['oversized challenge', `hub.mode=subscribe&hub.challenge=${'9'.repeat(6000)}&hub.verify_token=${VERIFY_TOKEN}`],
    ['the challenge is markup', `hub.mode=subscribe&hub.challenge=${encodeURIComponent('<script>alert(1)</script>')}&hub.verify_token=${VERIFY_TOKEN}`],
    ['the challenge is a JSON body', `hub.mode=subscribe&hub.challenge=${encodeURIComponent('{"object":"page","entry":[]}')}&hub.verify_token=${VERIFY_TOKEN}`],
    ['the challenge holds white space', `hub.mode=subscribe&hub.challenge=${encodeURIComponent('1 2')}&hub.verify_token=${VERIFY_TOKEN}`],
  ])('refuses with 403 when %s', async (_label, query) => {
    const outcome = await handleOrProblem(adapter, channelRequest({ method: 'GET', url: `/webhooks/meta?${query}` }));
    expect(outcome).toBeInstanceOf(ProblemError);
    expect((outcome as ProblemError).status).toBe(403);
  });

  it('refuses every handshake when no verify token is configured', async () => {
    const bare = createMetaAdapter({ REDRESS_META_APP_SECRET: META_SECRET });
    const outcome = await handleOrProblem(bare, channelRequest({ method: 'GET', url: '/webhooks/meta?hub.mode=subscribe&hub.challenge=1&hub.verify_token=' }));
    expect((outcome as ProblemError).status).toBe(403);
  });
});

describe('Meta adapter: configuration and rotation', () => {
  it('is not configured without an app secret', () => {
    expect(createMetaAdapter({ REDRESS_META_VERIFY_TOKEN: 'x' }).configured).toBe(false);
    expect(createMetaAdapter({ REDRESS_META_APP_SECRET: ' , ' }).configured).toBe(false);
    expect(adapter.configured).toBe(true);
    expect(adapter.route).toBe('meta');
  });

  it('accepts the Instagram-signed vector only when the Instagram secret is in the list', async () => {
    const vector = channelVectors('meta-graph').find((v) => v.index === 4)!;
    const metaOnly = createMetaAdapter({ REDRESS_META_APP_SECRET: META_SECRET });
    const outcome = await handleOrProblem(metaOnly, channelRequest({ url: vector.url, headers: vector.headers, body: vector.body }));
    expect((outcome as ProblemError).status).toBe(401);
  });

  it('accepts upper-case hex signatures', async () => {
    const body = JSON.stringify({ object: 'page', entry: [] });
    const outcome = await adapter.handle(post(body, `sha256=${sign(META_SECRET, body).slice(7).toUpperCase()}`));
    expect(outcome.messages).toEqual([]);
  });
});

const PAGE = '104350012345678';
const messengerEvent = (mid: string, textBody: string, sender = '7012345678901234') => ({ sender: { id: sender }, recipient: { id: PAGE }, timestamp: 1767225600000, message: { mid, text: textBody } });

describe('Meta adapter: batches and housekeeping', () => {
  it('turns one POST with two entries and three messages into three messages, in order', async () => {
    // Prepare
    const body = JSON.stringify({
      object: 'page',
      entry: [
        { id: PAGE, time: 1767225600000, messaging: [messengerEvent('m_1', 'first'), messengerEvent('m_2', 'second')] },
        { id: PAGE, time: 1767225600000, messaging: [messengerEvent('m_3', 'third')] },
      ],
    });
    // Act
    const outcome = await adapter.handle(post(body));
    // Assess
    expect(outcome.messages.map((m) => [m.externalId, m.text])).toEqual([['m_1', 'first'], ['m_2', 'second'], ['m_3', 'third']]);
  });

  it('yields one message per WhatsApp message in one change (media too), each with its contact name', async () => {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: 'waba', changes: [{ field: 'messages', value: {
        metadata: { phone_number_id: 'pn1' },
        contacts: [{ wa_id: '111', profile: { name: 'Ann' } }, { wa_id: '222', profile: { name: 'Bo' } }],
        messages: [
          { from: '111', id: 'wamid.A', timestamp: '1767225600', type: 'text', text: { body: 'one' } },
          { from: '222', id: 'wamid.B', timestamp: '1767225601', type: 'text', text: { body: 'two' } },
          { from: '222', id: 'wamid.C', timestamp: '1767225602', type: 'image', image: { id: 'media' } },
        ],
      } }] }],
    });
    const outcome = await adapter.handle(post(body));
    expect(outcome.messages.map((m) => [m.externalId, m.customer])).toEqual([['wamid.A', { id: '111', name: 'Ann' }], ['wamid.B', { id: '222', name: 'Bo' }], ['wamid.C', { id: '222', name: 'Bo' }]]);
  });

  it.each([
    ['an echo of our own message', { object: 'page', entry: [{ id: PAGE, messaging: [{ sender: { id: PAGE }, recipient: { id: '9' }, timestamp: 1, message: { mid: 'm_e', is_echo: true, text: 'Thanks, we are on it' } }] }] }],
    ['a read receipt', { object: 'page', entry: [{ id: PAGE, messaging: [{ sender: { id: '9' }, recipient: { id: PAGE }, timestamp: 1, read: { watermark: 1 } }] }] }],
    ['a delivery receipt', { object: 'page', entry: [{ id: PAGE, messaging: [{ sender: { id: '9' }, recipient: { id: PAGE }, timestamp: 1, delivery: { mids: ['m_x'], watermark: 1 } }] }] }],
    ['a WhatsApp status', { object: 'whatsapp_business_account', entry: [{ id: 'waba', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', statuses: [{ id: 'wamid.S', status: 'delivered', timestamp: '1', recipient_id: '1' }] } }] }] }],
    ['an attachment that is not media, without text', { object: 'instagram', entry: [{ id: 'ig', messaging: [{ sender: { id: '9' }, recipient: { id: 'ig' }, timestamp: 1, message: { mid: 'm_a', attachments: [{ type: 'share', payload: { url: 'https://instagram.com/p/1' } }] } }] }] }],
    ['our own reply under a post', { object: 'instagram', entry: [{ id: 'ig', time: 1, changes: [{ field: 'comments', value: { id: 'c1', text: 'Thanks!', from: { id: 'ig', username: 'bank' } } }] }] }],
    ['an object we do not subscribe to', { object: 'permissions', entry: [{ id: '1', changes: [{ field: 'x', value: 1 }] }] }],
  ])('acknowledges %s with 200 and no message', async (_label, payload) => {
    const outcome = await adapter.handle(post(JSON.stringify(payload)));
    expect(outcome.messages).toEqual([]);
    expect(outcome.respond([]).statusCode).toBe(200);
  });

  it('reads comment_id when a Facebook Login app sends it instead of id', async () => {
    const body = JSON.stringify({ object: 'instagram', entry: [{ id: 'ig', time: 1767225600, changes: [{ field: 'comments', value: { comment_id: 'c-77', text: 'Fees too high', from: { id: 'u1' } } }] }] });
    const outcome = await adapter.handle(post(body));
    expect(outcome.messages.map((m) => m.externalId)).toEqual(['c-77']);
  });
});

describe('Meta adapter: rejections', () => {
  it.each([
    ['[]'], ['"s"'], ['123'], ['null'], ['{"object":123}'], ['{"object":"page","entry":"x"}'], ['{"object":"page","entry":[null]}'],
    ['{"object":"page","entry":[{"messaging":[null,1,"x"]}]}'], ['{"object":"page","entry":[{"messaging":[{"message":{"mid":123,"text":{"a":1}}}]}]}'],
    ['{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[{"type":"text","text":null}]}}]}]}'],
    ['{"object":"instagram","entry":[{"changes":[{"field":"comments","value":null}]}]}'], ['{"object":"page","entry":[{"messaging":[{"sender":{"id":"1"},"message":{"__proto__":{"mid":"m_p","text":"polluted"}}}]}]}'],
    ['not json at all'],
  ])('answers 400 to the signed junk %s', async (body) => {
    const outcome = await handleOrProblem(adapter, post(body));
    expect(outcome).toBeInstanceOf(ProblemError);
    expect((outcome as ProblemError).status).toBe(400);
  });

  it('yields nothing from a prototype-polluting entry', async () => {
    const body = '{"object":"page","entry":[{"__proto__":{"messaging":[{"sender":{"id":"1"},"message":{"mid":"m_p","text":"polluted"}}]}}]}';
    const outcome = await handleOrProblem(adapter, post(body));
    expect(outcome instanceof ProblemError ? [] : outcome.messages).toEqual([]);
    expect(({} as Record<string, unknown>).messaging).toBeUndefined();
  });

  it.each([
    ['missing', ''],
    ['empty', 'sha256='],
    ['too long', `sha256=${'a'.repeat(8000)}`],
    ['sha1 only', 'sha1=94238e026a5dbdcc10fe196e37d0f2753c9a40ff'],
    ['right length, wrong value', `sha256=${'a'.repeat(64)}`],
  ])('answers 401 when the signature is %s', async (_label, signature) => {
    const body = JSON.stringify({ object: 'page', entry: [{ id: PAGE, messaging: [messengerEvent('m_1', 'hi')] }] });
    const outcome = await handleOrProblem(adapter, post(body, signature));
    expect((outcome as ProblemError).status).toBe(401);
  });

  it('answers 415 to a signed body that is not JSON-typed, and 405 to other methods', async () => {
    const body = '{"object":"page","entry":[]}';
    expect(((await handleOrProblem(adapter, post(body, sign(META_SECRET, body), 'text/plain'))) as ProblemError).status).toBe(415);
    expect(((await handleOrProblem(adapter, channelRequest({ method: 'PUT', url: '/webhooks/meta' }))) as ProblemError).status).toBe(405);
  });
});

describe('Meta adapter: properties', () => {
  const signedBody = JSON.stringify({ object: 'page', entry: [{ id: PAGE, time: 1, messaging: [messengerEvent('m_prop', 'The app logs me out every minute.')] }] });
  const bodyBytes = Buffer.from(signedBody, 'utf8');
  const signature = sign(META_SECRET, bodyBytes);

  it('rejects any change to a signed body with 401', async () => {
    await assertBodyTamperingRejected(adapter, bodyBytes, (tampered) => post(tampered, signature), 401);
  });

  it('rejects any change to the signature with 401', async () => {
    const hex = signature.slice('sha256='.length);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: hex.length - 1 }), fc.constantFrom(...'0123456789abcdef'), async (position, digit) => {
        fc.pre(hex[position] !== digit);
        const forged = `sha256=${hex.slice(0, position)}${digit}${hex.slice(position + 1)}`;
        const outcome = await handleOrProblem(adapter, post(bodyBytes, forged));
        return outcome instanceof ProblemError && outcome.status === 401;
      }),
      { numRuns: 300 },
    );
  });

  it('rejects a body signed with any other secret with 401', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 64 }), async (secret) => {
        fc.pre(secret !== META_SECRET && secret !== INSTAGRAM_SECRET);
        const outcome = await handleOrProblem(adapter, post(bodyBytes, sign(secret, bodyBytes)));
        return outcome instanceof ProblemError && outcome.status === 401;
      }),
      { numRuns: 200 },
    );
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

  it('yields exactly one message per text message in any batch shape', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim().length > 0), { maxLength: 5 }), { minLength: 1, maxLength: 5 }), async (entries) => {
        let n = 0;
        const body = JSON.stringify({ object: 'page', entry: entries.map((texts) => ({ id: PAGE, time: 1, messaging: texts.map((t) => messengerEvent(`m_${n++}`, t)) })) });
        const outcome = await adapter.handle(post(body));
        return outcome.messages.length === n && new Set(outcome.messages.map((m) => m.externalId)).size === n;
      }),
      { numRuns: 100 },
    );
  });
});
