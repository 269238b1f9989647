import { describe, expect, it } from 'vitest';
import type { FeedbackItem, Source } from '../../../schemas/feedback.ts';
import type { Suggestion } from '../../../schemas/faq.ts';
import type { OutboxEntry } from '../ports/feedback-repository.ts';
import { replyOutboxKey } from '../replies/reply-lifecycle.ts';
import { faqAutoReplyId, owedFaqAutoReplies, planFaqAutoReply, queueFaqAutoReplies } from './auto-reply.ts';
import type { FaqEntry } from './entry.ts';

const FAQ: FaqEntry[] = [
  { id: 'lost-card-en', question: 'How do I report a lost card?', answer: 'Call our hotline to report it.', language: 'en' },
  { id: 'lost-card-zh', question: '银行卡丢了怎么挂失？', answer: '请拨打客服热线挂失。', language: 'zh' },
];
const RECEIVED = '2026-11-28T09:30:00.000Z';
const NOW = new Date('2026-11-28T09:30:02.000Z');
const suggestion = (faqId: string, score: number): Suggestion => ({ faqId, score, question: 'q', answer: 'a', language: 'en', cues: ['lost card'] });

function inquiry(overrides: Partial<FeedbackItem> = {}): FeedbackItem {
  return {
    id: 'fb_auto1',
    kind: 'inquiry',
    channel: 'web',
    source: 'web',
    externalId: 'msg_1',
    receivedAt: RECEIVED,
    language: 'en',
    text: 'How do I report a lost card?',
    customer: { id: 'c-1' },
    category: 'other',
    severity: 'low',
    sentiment: 0,
    classification: { confidence: 1, reasons: ['test'], codes: { jrt0169: { channel: '00', business: '00', reason: '00' } } },
    status: 'received',
    assignee: null,
    clocks: [],
    timeline: [{ at: RECEIVED, type: 'received', actor: 'channel:web' }],
    satisfaction: null,
    suggestions: [suggestion('lost-card-en', 0.9)],
    version: 1,
    ...overrides,
  } as FeedbackItem;
}

const router = (configured: Source[] = ['web', 'messenger', 'whatsapp'], whatsappTemplateConfigured = false) => ({ configured: (s: Source) => configured.includes(s), whatsappTemplateConfigured });

describe('planFaqAutoReply', () => {
  it('accepts the entry answer as a reply by actor faq, in the same first write (no version bump), with its send owed', () => {
    const plan = planFaqAutoReply(inquiry(), FAQ, 0.8, router(), NOW);
    const replyId = faqAutoReplyId('fb_auto1');
    expect(plan.outcome).toEqual({ answered: true, replyId, faqId: 'lost-card-en', score: 0.9 });
    expect(plan.item.version).toBe(1);
    expect(plan.item.replies).toEqual([{ id: replyId, via: 'channel', status: 'queued', at: NOW.toISOString(), actor: 'faq', message: 'Call our hotline to report it.', purpose: 'response', faqId: 'lost-card-en', mode: 'unrestricted' }]);
    expect(plan.item.timeline.at(-1)).toEqual({ at: NOW.toISOString(), type: 'reply_queued', actor: 'faq', data: { replyId, via: 'channel', purpose: 'response', faqId: 'lost-card-en' } });
    expect(plan.outbox).toHaveLength(1);
    expect(plan.outbox[0]).toMatchObject({ kind: 'sendReply', reply: { replyId, message: 'Call our hotline to report it.', mode: 'unrestricted', attempts: 0 } });
  });

  it('answers in the item language where the FAQ has it', () => {
    const plan = planFaqAutoReply(inquiry({ language: 'zh-CN' }), FAQ, 0.8, router(), NOW);
    expect(plan.item.replies?.[0]?.message).toBe('请拨打客服热线挂失。');
  });

  it('gives the same reply id for the same item (a retried attempt records the same answer)', () => {
    expect(faqAutoReplyId('fb_auto1')).toBe(faqAutoReplyId('fb_auto1'));
    expect(faqAutoReplyId('fb_auto1')).not.toBe(faqAutoReplyId('fb_auto2'));
    expect(faqAutoReplyId('fb_auto1')).toMatch(/^rp_[a-z0-9]{1,64}$/);
  });

  it.each([
    ['not_inquiry', inquiry({ kind: 'complaint', status: 'open' }), 0.8],
    ['triaged', inquiry({ triage: { reason: 'uncertain_kind', dueAt: '2026-11-28T13:30:00.000Z' } }), 0.8],
    ['below_threshold', inquiry(), 0.95],
    ['no_suggestion', inquiry({ suggestions: [] }), 0.8],
    ['off', inquiry(), null],
  ] as const)('leaves the item as it is: %s', (reason, item, threshold) => {
    const plan = planFaqAutoReply(item, FAQ, threshold, router(), NOW);
    expect(plan).toEqual({ outcome: { answered: false, reason }, item, outbox: [] });
  });

  it('does not answer where the channel has no reply credentials', () => {
    const item = inquiry({ source: 'x', channel: 'social' } as Partial<FeedbackItem>);
    expect(planFaqAutoReply(item, FAQ, 0.8, router(['web']), NOW)).toEqual({ outcome: { answered: false, reason: 'reply_channel_not_configured' }, item, outbox: [] });
  });

  it('does not answer outside the platform window, nor with a human-agent tag or a template in place of the answer', () => {
    const twoDaysOld = { receivedAt: '2026-11-26T09:00:00.000Z', occurredAt: '2026-11-26T09:00:00.000Z' };
    const whatsapp = inquiry({ source: 'whatsapp', channel: 'social', ...twoDaysOld } as Partial<FeedbackItem>);
    expect(planFaqAutoReply(whatsapp, FAQ, 0.8, router(), NOW).outcome).toEqual({ answered: false, reason: 'window_closed' });
    expect(planFaqAutoReply(whatsapp, FAQ, 0.8, router(undefined, true), NOW).outcome).toEqual({ answered: false, reason: 'window_closed' });
    const messenger = inquiry({ source: 'messenger', channel: 'social', ...twoDaysOld } as Partial<FeedbackItem>);
    expect(planFaqAutoReply(messenger, FAQ, 0.8, router(), NOW).outcome).toEqual({ answered: false, reason: 'window_closed' });
    // Inside the window the platform's automated mode is used.
    const fresh = inquiry({ source: 'messenger', channel: 'social' } as Partial<FeedbackItem>);
    expect(planFaqAutoReply(fresh, FAQ, 0.8, router(), NOW).item.replies?.[0]?.mode).toBe('response');
  });
});

describe('queueFaqAutoReplies', () => {
  const planned = planFaqAutoReply(inquiry(), FAQ, 0.8, router(), NOW);
  const replyId = faqAutoReplyId('fb_auto1');
  const outbox: Record<string, OutboxEntry> = { [replyOutboxKey(replyId)]: planned.outbox[0]! };

  it('queues the owed send of the automatic answer now', async () => {
    const jobs: Array<[unknown, number]> = [];
    const queued = await queueFaqAutoReplies({ item: planned.item, outbox }, { enqueue: async (job, delay) => void jobs.push([job, delay]) });
    expect(queued).toEqual([replyId]);
    expect(jobs).toEqual([[{ feedbackId: 'fb_auto1', replyId }, 0]]);
  });

  it('queues nothing once the answer was carried out, or for a handler reply', () => {
    expect(owedFaqAutoReplies({ item: planned.item, outbox: {} })).toEqual([]);
    const handlerReply = { ...planned.item, replies: [{ ...planned.item.replies![0]!, actor: 'alice' }] };
    expect(owedFaqAutoReplies({ item: handlerReply, outbox })).toEqual([]);
  });
});
