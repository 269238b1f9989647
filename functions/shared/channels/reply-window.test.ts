import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SOURCES } from '../../../schemas/feedback.ts';
import { replyWindow, type WindowInput } from './reply-window.ts';

const LAST = new Date('2026-12-01T10:00:00.000Z');
const H = 60 * 60 * 1000;
const after = (ms: number) => new Date(LAST.getTime() + ms);
const decide = (input: Partial<WindowInput> & Pick<WindowInput, 'source'>, elapsedMs: number) => replyWindow({ lastCustomerMessageAt: LAST, now: after(elapsedMs), ...input });

describe('replyWindow: Messenger and Instagram', () => {
  it.each(['messenger', 'instagram'] as const)('%s: RESPONSE within 24 h, saying when RESPONSE ends and when the conversation closes', (source) => {
    expect(decide({ source }, 23 * H)).toEqual({ allowed: true, mode: 'response', modeEndsAt: after(24 * H).toISOString(), closesAt: after(168 * H).toISOString() });
  });

  it.each(['messenger', 'instagram'] as const)('%s: HUMAN_AGENT from 24 h (the boundary is closed to RESPONSE) up to 7 days', (source) => {
    expect(decide({ source }, 24 * H)).toMatchObject({ allowed: true, mode: 'human_agent', closesAt: after(168 * H).toISOString() });
    expect(decide({ source }, 168 * H - 1)).toMatchObject({ allowed: true, mode: 'human_agent' });
  });

  it('refuses after 7 days, naming the rule and what is still allowed', () => {
    expect(decide({ source: 'messenger' }, 168 * H)).toEqual({
      allowed: false,
      rule: 'meta_human_agent_7d',
      message: expect.stringContaining('HUMAN_AGENT'),
      stillAllowed: ['phone', 'email', 'letter', 'in_person'],
      closedAt: after(168 * H).toISOString(),
    });
  });

  it('answers an Instagram comment with a private reply for 7 days, then refuses', () => {
    expect(decide({ source: 'instagram', isComment: true }, 100 * H)).toEqual({ allowed: true, mode: 'private_reply', closesAt: after(168 * H).toISOString() });
    expect(decide({ source: 'instagram', isComment: true }, 168 * H)).toMatchObject({ allowed: false, rule: 'instagram_private_reply_7d' });
  });
});

describe('replyWindow: WhatsApp', () => {
  it('sends free-form text within 24 h; the window closes at 24 h without a template', () => {
    expect(decide({ source: 'whatsapp' }, 1 * H)).toEqual({ allowed: true, mode: 'free_form', modeEndsAt: after(24 * H).toISOString(), closesAt: after(24 * H).toISOString() });
  });

  it('never closes when a template is configured: free-form within 24 h, then the template', () => {
    expect(decide({ source: 'whatsapp', whatsappTemplateConfigured: true }, 1 * H)).toEqual({ allowed: true, mode: 'free_form', modeEndsAt: after(24 * H).toISOString() });
    expect(decide({ source: 'whatsapp', whatsappTemplateConfigured: true }, 30 * 24 * H)).toEqual({ allowed: true, mode: 'template' });
  });

  it('refuses after 24 h without a template, saying the template is what is missing', () => {
    const decision = decide({ source: 'whatsapp' }, 24 * H);
    expect(decision).toMatchObject({ allowed: false, rule: 'whatsapp_24h_customer_service', closedAt: after(24 * H).toISOString() });
    expect(decision.allowed === false && decision.message).toContain('REDRESS_WHATSAPP_TEMPLATE');
  });
});

describe('replyWindow: WeChat and the channels without a window', () => {
  it('WeChat: customer-service messages within 48 h, refused from 48 h', () => {
    expect(decide({ source: 'wechat' }, 47 * H)).toEqual({ allowed: true, mode: 'free_form', closesAt: after(48 * H).toISOString() });
    expect(decide({ source: 'wechat' }, 48 * H)).toMatchObject({ allowed: false, rule: 'wechat_48h_customer_service' });
  });

  it.each(['x', 'twilio', 'web', 'mobile', 'hotline'] as const)('%s has no window', (source) => {
    expect(decide({ source }, 400 * 24 * H)).toEqual({ allowed: true, mode: 'unrestricted' });
  });

  it('counts a last message stamped in the future (clock skew) as just now', () => {
    expect(decide({ source: 'wechat' }, -5 * H)).toMatchObject({ allowed: true, closesAt: after(48 * H).toISOString() });
  });
});

describe('replyWindow: properties', () => {
  it('is monotonic: once a source refuses, it refuses at every later time; an allowed decision closes after now', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SOURCES), fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 30 * 24 * H }), fc.integer({ min: 0, max: 30 * 24 * H }), (source, isComment, template, a, b) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        const input = { source, isComment, whatsappTemplateConfigured: template };
        const first = decide(input, early);
        const second = decide(input, late);
        if (!first.allowed) expect(second.allowed).toBe(false);
        if (first.allowed && first.closesAt) expect(Date.parse(first.closesAt)).toBeGreaterThan(after(early).getTime());
      }),
    );
  });
});
