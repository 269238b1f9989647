import { describe, expect, it } from 'vitest';
import { SOURCES } from '../../../schemas/feedback.ts';
import type { FetchLike } from './reply-http.ts';
import { createReplySender, outboundReplyFor, replyTimeoutMs, replyWindowFor } from './reply-router.ts';

const neverCalled: FetchLike = async () => {
  throw new Error('no request may be made');
};

describe('createReplySender: configured', () => {
  it('says no source can be answered on a stack without reply credentials', () => {
    const router = createReplySender({}, { fetch: neverCalled });
    expect(SOURCES.filter((s) => router.configured(s))).toEqual([]);
  });

  it('enables each source by its own credentials', () => {
    const router = createReplySender(
      {
        REDRESS_META_PAGE_TOKENS: '1=t',
        REDRESS_WHATSAPP_TOKEN: 't',
        REDRESS_X_CONSUMER_KEY: 'k', REDRESS_X_CONSUMER_SECRET: 's', REDRESS_X_ACCESS_TOKEN: 't', REDRESS_X_ACCESS_TOKEN_SECRET: 's',
        REDRESS_WECHAT_APP_ID: 'wx', REDRESS_WECHAT_APP_SECRET: 's',
        REDRESS_TWILIO_ACCOUNT_SID: 'AC', REDRESS_TWILIO_AUTH_TOKEN: 't', REDRESS_TWILIO_FROM: '+1',
        REDRESS_MOBILE_REPLY_URL: 'https://bank/m', REDRESS_MOBILE_SECRET: 'whsec_bQ==',
      },
      { fetch: neverCalled },
    );
    expect(SOURCES.filter((s) => router.configured(s))).toEqual(['mobile', 'twilio', 'messenger', 'instagram', 'whatsapp', 'x', 'wechat']);
  });

  it('answers not_configured without a request for every source when nothing is configured', async () => {
    const router = createReplySender({}, { fetch: neverCalled });
    for (const source of SOURCES) {
      const outcome = await router.send({ replyId: 'rp_1', feedbackId: 'fb_1', source, externalId: 'e', message: 'm', recipient: { customerId: 'c', accountId: 'a' }, mode: 'unrestricted' });
      expect(outcome).toMatchObject({ status: 'not_configured', code: 'reply_channel_not_configured' });
    }
  });

  it('knows whether a WhatsApp template is configured', () => {
    expect(createReplySender({ REDRESS_WHATSAPP_TEMPLATE: 'reply:en' }).whatsappTemplateConfigured).toBe(true);
    expect(createReplySender({}).whatsappTemplateConfigured).toBe(false);
  });

  it.each([[undefined, 10_000], ['2.5', 2500], ['0', 10_000], ['soon', 10_000]])('reads REDRESS_REPLY_TIMEOUT_SECONDS=%s as %i ms', (value, ms) => {
    expect(replyTimeoutMs({ REDRESS_REPLY_TIMEOUT_SECONDS: value })).toBe(ms);
  });
});

describe('outboundReplyFor', () => {
  const item = { id: 'fb_1', source: 'messenger' as const, externalId: 'm_1', language: 'zh', customer: { id: '7012345678901234', name: 'N' } };

  it('addresses the customer by the stored id and the account that received the message', () => {
    const reply = outboundReplyFor({ ...item, platform: { accountId: '104350012345678' } }, { replyId: 'rp_1', message: 'Hi', mode: 'response' });
    expect(reply).toEqual({ replyId: 'rp_1', feedbackId: 'fb_1', source: 'messenger', externalId: 'm_1', message: 'Hi', language: 'zh', recipient: { customerId: '7012345678901234', accountId: '104350012345678' }, mode: 'response' });
  });

  it('falls back to an unmasked account id in context for items stored before `platform`, never a masked one', () => {
    expect(outboundReplyFor({ ...item, context: { pageId: '2002' } }, { replyId: 'r', message: 'm', mode: 'response' }).recipient.accountId).toBe('2002');
    expect(outboundReplyFor({ ...item, context: { pageId: '[CARD]' } }, { replyId: 'r', message: 'm', mode: 'response' }).recipient.accountId).toBeUndefined();
  });

  it('carries the comment a private reply answers', () => {
    const reply = outboundReplyFor({ ...item, source: 'instagram', platform: { accountId: 'ig', commentId: 'c1' } }, { replyId: 'r', message: 'm', mode: 'private_reply' });
    expect(reply.recipient).toEqual({ customerId: '7012345678901234', accountId: 'ig', commentId: 'c1' });
  });
});

describe('replyWindowFor', () => {
  it('counts from the platform’s timestamp (occurredAt), not from when Redress received it', () => {
    const item = { source: 'wechat' as const, occurredAt: '2026-12-01T00:00:00.000Z', receivedAt: '2026-12-02T00:00:00.000Z' };
    expect(replyWindowFor(item, new Date('2026-12-03T00:00:00.000Z'), { whatsappTemplateConfigured: false })).toMatchObject({ allowed: false, rule: 'wechat_48h_customer_service' });
  });

  it('treats an item with a comment id as a comment', () => {
    const item = { source: 'instagram' as const, receivedAt: '2026-12-01T00:00:00.000Z', platform: { commentId: 'c' } };
    expect(replyWindowFor(item, new Date('2026-12-01T01:00:00.000Z'), { whatsappTemplateConfigured: false })).toMatchObject({ mode: 'private_reply' });
  });
});
