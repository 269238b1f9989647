import { describe, expect, it } from 'vitest';
import { parseOAuth1Header, signatureBaseString, hmacSha1Signature } from './oauth1.ts';
import { xDirectMessageRequest, xOutcome, xReplyConfig } from './x-reply.ts';

const CREDENTIALS = { consumerKey: 'xvz1evFS4wEEPTGEFPHBog', consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw', token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb', tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE' };
const NOW = new Date('2026-12-06T08:00:00Z');
const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => ({ status, headers: new Headers(headers), text: JSON.stringify(body) });

describe('X direct message request', () => {
  const request = xDirectMessageRequest('https://api.x.com', CREDENTIALS, '1146654567674912769', 'We have refunded the fee.', 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg', 1318622958);

  it('posts {text} to /2/dm_conversations/with/{participant_id}/messages as JSON', () => {
    expect(request).toMatchObject({ method: 'POST', url: 'https://api.x.com/2/dm_conversations/with/1146654567674912769/messages', headers: { 'content-type': 'application/json' } });
    expect(JSON.parse(request.body!)).toEqual({ text: 'We have refunded the fee.' });
  });

  it('signs it in user context over the oauth parameters only (a JSON body is not signed)', () => {
    const fields = parseOAuth1Header(request.headers.authorization!)!;
    expect(Object.fromEntries([...fields].filter(([k]) => k !== 'oauth_signature'))).toEqual({
      oauth_consumer_key: CREDENTIALS.consumerKey,
      oauth_nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg',
      oauth_signature_method: 'HMAC-SHA1',
      oauth_timestamp: '1318622958',
      oauth_token: CREDENTIALS.token,
      oauth_version: '1.0',
    });
    const base = signatureBaseString('POST', request.url, [...fields].filter(([k]) => k !== 'oauth_signature'));
    expect(fields.get('oauth_signature')).toBe(hmacSha1Signature(base, CREDENTIALS.consumerSecret, CREDENTIALS.tokenSecret));
  });
});

describe('X answers', () => {
  it('takes dm_event_id from a 201', () => {
    expect(xOutcome(answer(201, { data: { dm_conversation_id: '1-2', dm_event_id: '1582838650129772548' } }), NOW)).toEqual({ status: 'sent', platformMessageId: '1582838650129772548' });
  });

  it('waits until x-rate-limit-reset on a 429 without Retry-After', () => {
    const reset = String(NOW.getTime() / 1000 + 90);
    expect(xOutcome(answer(429, { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 }, { 'x-rate-limit-reset': reset }), NOW)).toEqual({
      status: 'transient',
      code: 'http_429',
      message: 'Too Many Requests',
      retryAfterMs: 90_000,
    });
  });

  it('fails permanently on a 403 problem, with its type as the code and its detail as the message', () => {
    const body = { title: 'Forbidden', detail: 'You are not permitted to send a DM to this user.', type: 'https://api.twitter.com/2/problems/not-authorized-for-resource', status: 403 };
    expect(xOutcome(answer(403, body), NOW)).toEqual({ status: 'permanent', code: 'not-authorized-for-resource', message: 'You are not permitted to send a DM to this user.' });
  });

  it('reads the v1-style {errors:[{code, message}]} too', () => {
    expect(xOutcome(answer(401, { errors: [{ code: 32, message: 'Could not authenticate you.' }] }), NOW)).toEqual({ status: 'permanent', code: '32', message: 'Could not authenticate you.' });
  });
});

describe('X reply configuration', () => {
  it('needs all four credentials, taking the first consumer secret of the rotation list', () => {
    const env = { REDRESS_X_CONSUMER_KEY: 'k', REDRESS_X_CONSUMER_SECRET: 'new,old', REDRESS_X_ACCESS_TOKEN: 't', REDRESS_X_ACCESS_TOKEN_SECRET: 's' };
    expect(xReplyConfig(env)).toEqual({ apiUrl: 'https://api.x.com', credentials: { consumerKey: 'k', consumerSecret: 'new', token: 't', tokenSecret: 's' } });
    expect(xReplyConfig({ ...env, REDRESS_X_ACCESS_TOKEN: '' }).credentials).toBeUndefined();
  });
});
