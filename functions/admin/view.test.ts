import { describe, expect, it } from 'vitest';
import { complaintFixture } from './test-fixtures.ts';
import type { Reply } from '../../schemas/feedback.ts';
import { maskCustomer, replyNeedsAction, toView } from './view.ts';

describe('admin view', () => {
  it.each(['messenger', 'instagram', 'whatsapp', 'x', 'wechat', 'twilio'] as const)('masks the platform identity of %s customers', (source) => {
    const masked = maskCustomer({ id: '447700900123', name: 'Pat' }, source);
    expect(masked.id).not.toContain('4477009');
    expect(masked.id).toMatch(/^\*\*\*0123$/);
    expect(masked.name).toBe('Pat');
  });

  it('keeps our own back ends\' customer numbers and masks a contact that is not masked yet', () => {
    expect(maskCustomer({ id: 'c-1029', contact: 'pat@example.com' }, 'web')).toEqual({ id: 'c-1029', contact: '***om' });
    expect(maskCustomer({ contact: '***@example.com' }, 'web').contact).toBe('***@example.com');
  });

  it('drops internal clock records and evaluates clocks now', () => {
    const item = complaintFixture();
    expect((item as { clockPlans?: unknown }).clockPlans).toBeDefined();
    const view = toView(item, '2026-03-20T00:00:00.000Z');
    expect('clockPlans' in view).toBe(false);
    expect(view.clocks.find((c) => c.name === 'first_response')?.state).toBe('breached');
  });

  describe('needs action', () => {
    const reply = (id: string, status: Reply['status'], extra: Partial<Reply> = {}): Reply => ({ id, via: 'channel', status, at: '2026-03-01T10:00:00.000Z', actor: 'agent-1', message: 'm', ...extra });
    const failed = reply('rp_2', 'failed', { failedAt: '2026-03-01T10:05:00.000Z', error: { code: '131047', message: 'Re-engagement message' } });

    it('flags an open item whose latest answer failed, with the platform code', () => {
      const view = toView({ ...complaintFixture(), replies: [reply('rp_1', 'sent'), failed] }, '2026-03-01T11:00:00.000Z');
      expect(view.needsAction).toEqual({ reason: 'reply_failed', replyId: 'rp_2', at: '2026-03-01T10:05:00.000Z', code: '131047' });
    });

    it('clears once a later answer is queued or sent, or the item is resolved', () => {
      expect(replyNeedsAction({ status: 'open', replies: [failed, reply('rp_3', 'queued')] })).toBeUndefined();
      expect(replyNeedsAction({ status: 'open', replies: [failed, reply('rp_3', 'delivered')] })).toBeUndefined();
      expect(replyNeedsAction({ status: 'resolved', replies: [failed] })).toBeUndefined();
      expect(replyNeedsAction({ status: 'open', replies: [] })).toBeUndefined();
    });

    it('does not count a failed rating request as the bank\'s answer', () => {
      const rating = reply('rp_9', 'failed', { purpose: 'ratingRequest', error: { code: 'complaint_reopened', message: 'x' } });
      expect(replyNeedsAction({ status: 'open', replies: [reply('rp_1', 'sent'), rating] })).toBeUndefined();
      expect(replyNeedsAction({ status: 'open', replies: [failed, rating] })?.replyId).toBe('rp_2');
    });
  });
});
