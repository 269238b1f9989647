/**
 * Whatever arrives, the social and telephony adapters answer with a message list or a 4xx ProblemError:
 * never another exception (which the ingest handler would turn into a 5xx), and never a message from a
 * request that is not signed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProblemError } from '../errors.ts';
import type { ChannelAdapter } from './channel.ts';
import { createMetaAdapter } from './meta.ts';
import { channelRequest, handleOrProblem } from './test-request.ts';
import { createTwilioAdapter } from './twilio.ts';
import { createWechatAdapter } from './wechat.ts';
import { createXAdapter } from './x.ts';

const adapters: [string, ChannelAdapter][] = [
  ['meta', createMetaAdapter({ REDRESS_META_APP_SECRET: 'meta-secret', REDRESS_META_VERIFY_TOKEN: 'verify' })],
  ['x', createXAdapter({ REDRESS_X_CONSUMER_SECRET: 'x-secret' })],
  ['wechat', createWechatAdapter({ REDRESS_WECHAT_TOKEN: 'wx-token', REDRESS_WECHAT_AES_KEY: 'A'.repeat(43), REDRESS_WECHAT_APP_ID: 'wx0123456789abcdef' })],
  ['hotline/twilio', createTwilioAdapter({ REDRESS_TWILIO_AUTH_TOKEN: 'tw-token', REDRESS_PUBLIC_URL: 'https://api.example-bank.com' })],
];

const headerNames = ['content-type', 'x-hub-signature-256', 'x-twitter-webhooks-signature', 'x-twilio-signature', 'x-hub-signature'];
const queryNames = ['hub.mode', 'hub.verify_token', 'hub.challenge', 'crc_token', 'signature', 'timestamp', 'nonce', 'echostr', 'encrypt_type', 'msg_signature', 'openid', 'bodySHA256'];
const contentTypes = ['application/json', 'text/xml', 'application/xml', 'application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x', ''];

const arbitraryRequest = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS'),
  query: fc.dictionary(fc.constantFrom(...queryNames), fc.oneof(fc.string({ maxLength: 50 }), fc.stringMatching(/^[0-9a-f]{40}$/), fc.constant('aes'), fc.constant('subscribe'))),
  headers: fc.dictionary(fc.constantFrom(...headerNames), fc.oneof(fc.constantFrom(...contentTypes), fc.string({ maxLength: 80 }), fc.constant(`sha256=${'0'.repeat(64)}`))),
  body: fc.oneof(
    fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)),
    fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v))),
    fc.string({ maxLength: 300 }).map((s) => Buffer.from(`<xml><MsgType>text</MsgType><Content>${s}</Content></xml>`)),
  ),
});

describe('social and telephony adapters: any request', () => {
  for (const [route, adapter] of adapters) {
    it(`${route}: answers every unsigned request with a 4xx problem and no message`, async () => {
      await fc.assert(
        fc.asyncProperty(arbitraryRequest, async ({ method, query, headers, body }) => {
          // Prepare
          const req = channelRequest({ method, url: `/webhooks/${route}?${new URLSearchParams(query).toString()}`, headers, body });
          // Act
          const outcome = await handleOrProblem(adapter, req);
          // Assess: only a handshake (no messages) can succeed without a signature.
          if (outcome instanceof ProblemError) return outcome.status >= 400 && outcome.status < 500;
          return outcome.messages.length === 0 && method === 'GET';
        }),
        { numRuns: 400 },
      );
    });
  }

  it('every adapter names its route and is configured by its environment', () => {
    expect(adapters.map(([route, adapter]) => [adapter.route, adapter.configured])).toEqual(adapters.map(([route]) => [route, true]));
  });
});
