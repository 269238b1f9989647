import { describe, expect, it } from 'vitest';
import { FeedbackMessage } from '../../../schemas/feedback.ts';
import type { InboundMessage } from '../channels/channel.ts';
import { buildFeedbackItem } from './feedback-item.ts';
import { normaliseInbound } from './normalise.ts';

/** A WhatsApp image whose ids look like numbers the PII masker hides (a Luhn-valid Page-like id). */
const inbound: InboundMessage = {
  source: 'whatsapp',
  channel: 'social',
  externalId: 'wamid.1',
  occurredAt: '2026-12-01T00:00:00.000Z',
  text: '[image]',
  customer: { id: '16505551234' },
  attachments: [{ type: 'image', platformMediaId: '104350012345678', mimeType: 'image/jpeg' }],
  platform: { accountId: '104350012345678' },
};

describe('normaliseInbound: media and the platform address', () => {
  it('keeps attachments and the receiving account as given, unmasked, through the queue schema', () => {
    // Act
    const queued = FeedbackMessage.parse(JSON.parse(JSON.stringify(normaliseInbound(inbound, new Date('2026-12-01T00:00:01Z')))));
    // Assess
    expect(queued.attachments).toEqual(inbound.attachments);
    expect(queued.platform).toEqual({ accountId: '104350012345678' });
  });

  it('keeps at most 20 attachments', () => {
    const many = Array.from({ length: 25 }, (_, i) => ({ type: 'image' as const, platformMediaId: `m${i}` }));
    expect(normaliseInbound({ ...inbound, attachments: many }, new Date()).attachments).toHaveLength(20);
  });

  it('carries both onto the stored item', () => {
    const message = normaliseInbound(inbound, new Date('2026-12-01T00:00:01Z'));
    const classification = { kind: 'complaint', category: 'other', severity: 'low', sentiment: 0, language: 'en', confidence: 0.5, reasons: [], codes: { jrt0169: { channel: '', business: '', reason: '' } } } as const;
    const item = buildFeedbackItem(message, { ...classification, reasons: [] });
    expect([item.attachments, item.platform]).toEqual([inbound.attachments, inbound.platform]);
  });
});
