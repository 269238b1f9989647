import { describe, expect, it } from 'vitest';
import type { OutboundReply } from '../ports/reply-sender.ts';
import { decodeWebhookSecret, verifyStandardWebhook } from './standard-webhooks.ts';
import { callbackOutcome, ownChannelReplyConfig, replyCallbackRequest } from './standard-webhooks-reply.ts';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const NOW = new Date('2026-12-06T08:00:00Z');
const REPLY: OutboundReply = {
  replyId: 'rp_01hq3',
  feedbackId: 'fb_abc',
  source: 'web',
  externalId: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
  message: '您好，费用已退回。',
  language: 'zh',
  recipient: { customerId: 'c-1029' },
  mode: 'unrestricted',
  createdAt: '2026-12-06T07:59:58.000Z',
};

describe('reply.created callback', () => {
  const request = replyCallbackRequest('https://bank.example/redress/replies', SECRET, REPLY, NOW);

  it('carries the reply id as webhook-id and the body the contract fixes', () => {
    expect(request.headers['webhook-id']).toBe('rp_01hq3');
    expect(request.headers['webhook-timestamp']).toBe(String(NOW.getTime() / 1000));
    expect(JSON.parse(request.body!)).toEqual({
      type: 'reply.created',
      timestamp: '2026-12-06T07:59:58.000Z',
      data: { replyId: 'rp_01hq3', feedbackId: 'fb_abc', externalId: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', customer: { id: 'c-1029' }, message: '您好，费用已退回。', language: 'zh' },
    });
  });

  it('names a rating request as such, so the back end can show it apart from the bank\'s answer', () => {
    const rating = replyCallbackRequest('https://bank.example/redress/replies', SECRET, { ...REPLY, purpose: 'ratingRequest' }, NOW);
    expect(JSON.parse(rating.body!).data.purpose).toBe('ratingRequest');
  });

  it('is signed so that a Standard Webhooks verifier accepts the exact bytes', () => {
    expect(verifyStandardWebhook(request.headers, Buffer.from(request.body!, 'utf8'), [decodeWebhookSecret(SECRET)], NOW)).toEqual({ id: 'rp_01hq3', timestamp: NOW.getTime() / 1000 });
  });

  it('sends the same body on a retry a minute later (only the timestamp header and signature change)', () => {
    const retry = replyCallbackRequest('https://bank.example/redress/replies', SECRET, REPLY, new Date(NOW.getTime() + 60_000));
    expect(retry.body).toBe(request.body);
    expect(retry.headers['webhook-signature']).not.toBe(request.headers['webhook-signature']);
  });
});

describe('back-end answers', () => {
  const answer = (status: number, text = '', headers: Record<string, string> = {}) => ({ status, headers: new Headers(headers), text });
  it.each([200, 202, 204])('%i is sent', (status) => {
    expect(callbackOutcome(answer(status), NOW)).toEqual({ status: 'sent' });
  });

  it('fails permanently on a 4xx, with the problem detail', () => {
    expect(callbackOutcome(answer(422, JSON.stringify({ title: 'Unprocessable', detail: 'unknown customer' })), NOW)).toEqual({ status: 'permanent', code: 'http_422', message: 'unknown customer' });
  });

  it('treats a redirect as a failure, not a delivery', () => {
    expect(callbackOutcome(answer(302), NOW).status).toBe('permanent');
  });

  it('retries 5xx, 429 and 408', () => {
    for (const status of [500, 503, 429, 408]) expect(callbackOutcome(answer(status), NOW).status).toBe('transient');
  });
});

describe('back-end reply configuration', () => {
  it('pairs each reply URL with the first secret of its channel', () => {
    const config = ownChannelReplyConfig({ REDRESS_WEB_REPLY_URL: 'https://bank/web', REDRESS_WEB_SECRET: 'whsec_new,whsec_old', REDRESS_MOBILE_SECRET: 'whsec_m', REDRESS_HOTLINE_REPLY_URL: 'ftp://no' });
    expect(config).toEqual({ web: { url: 'https://bank/web', secret: 'whsec_new' }, mobile: { secret: 'whsec_m' }, hotline: {} });
  });
});
