import { describe, expect, it } from 'vitest';
import type { Source } from '../../../schemas/feedback.ts';
import type { ReplyRouter } from '../ports/reply-sender.ts';
import { planRatingRequestReply } from './rating-request-reply.ts';

const NOW = new Date('2026-12-06T10:00:00.000Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();
const router = (configured: Source[], whatsappTemplateConfigured = false): ReplyRouter => ({
  configured: (s) => configured.includes(s),
  whatsappTemplateConfigured,
  send: async () => ({ status: 'sent' }),
});
const item = (source: Source, lastMessageHoursAgo: number) => ({ source, receivedAt: hoursAgo(lastMessageHoursAgo), occurredAt: hoursAgo(lastMessageHoursAgo) });

describe('planRatingRequestReply', () => {
  it('plans a reply like a handler\'s where the window is open (WhatsApp free-form until 24 h after the last message)', () => {
    expect(planRatingRequestReply(item('whatsapp', 2), 'rp_r', NOW, router(['whatsapp']))).toEqual({ replyId: 'rp_r', mode: 'free_form', windowClosesAt: hoursAgo(2 - 24) });
  });

  it('plans the bank back end\'s callback with no window (web)', () => {
    expect(planRatingRequestReply(item('web', 24 * 30), 'rp_r', NOW, router(['web']))).toEqual({ replyId: 'rp_r', mode: 'unrestricted' });
  });

  it('names the closed window\'s rule instead of failing the resolution', () => {
    expect(planRatingRequestReply(item('whatsapp', 30), 'rp_r', NOW, router(['whatsapp']))).toEqual({ notSent: 'whatsapp_24h_customer_service' });
    expect(planRatingRequestReply(item('wechat', 49), 'rp_r', NOW, router(['wechat']))).toEqual({ notSent: 'wechat_48h_customer_service' });
  });

  it('goes out as the template after 24 h where WhatsApp has one', () => {
    expect(planRatingRequestReply(item('whatsapp', 30), 'rp_r', NOW, router(['whatsapp'], true))).toMatchObject({ replyId: 'rp_r', mode: 'template' });
  });

  it('is not sent where the channel has no reply credentials, or the stack sends no replies', () => {
    expect(planRatingRequestReply(item('web', 1), 'rp_r', NOW, router(['whatsapp']))).toEqual({ notSent: 'reply_channel_not_configured' });
    expect(planRatingRequestReply(item('whatsapp', 1), 'rp_r', NOW, undefined)).toEqual({ notSent: 'reply_channel_not_configured' });
  });
});
