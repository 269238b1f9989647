import { describe, expect, it } from 'vitest';
import { MemoryRepository, MemorySentReplyIndex, RecordingBus } from '../../../test/helpers/fakes.ts';
import { complaintFixture } from '../../admin/test-fixtures.ts';
import type { DeliveryUpdate } from '../channels/channel.ts';
import { createLogger } from '../logger.ts';
import type { OutboundReply, ReplySender, SendOutcome } from '../ports/reply-sender.ts';
import { applyDeliveryReport } from './apply-delivery-report.ts';
import { carryOutReply } from './carry-out-reply.ts';
import { acceptReply, commitEffects } from './reply-lifecycle.ts';

const PAGE = '104350012345678';
const PSID = '7012345678901234';
const OTHER_PSID = '7012345678909999';

class MidSender implements ReplySender {
  n = 0;
  async send(_reply: OutboundReply): Promise<SendOutcome> {
    return { status: 'sent', platformMessageId: `m_${++this.n}` };
  }
}

/** A Messenger complaint from `psid` with a reply sent through the carrier at `sentAt` (the sender's clock). */
async function sentMessengerReply(deps: { repository: MemoryRepository; sentReplies: MemorySentReplyIndex; eventBus: RecordingBus }, replyId: string, sentAt: string, psid = PSID) {
  const item = complaintFixture({ source: 'messenger', channel: 'social', customer: { id: psid }, platform: { accountId: PAGE } });
  const accepted = acceptReply(item, { replyId, message: 'Refunded today.', via: 'channel', actor: 'agent-a', at: sentAt, mode: 'unrestricted' });
  await deps.repository.createIfAbsent(commitEffects(accepted, sentAt).item, accepted.outbox);
  const result = await carryOutReply({ ...deps, sender: new MidSender(), logger: createLogger('test', 'silent'), now: () => new Date(sentAt) }, item.id, replyId);
  expect(result).toEqual({ state: 'done', status: 'sent' });
  return item.id;
}

const receipt = (status: 'delivered' | 'read', watermark: string, psid = PSID): DeliveryUpdate => ({ source: 'messenger', status, watermark, recipientId: psid, accountId: PAGE, at: watermark });

function setup() {
  const repository = new MemoryRepository();
  const sentReplies = new MemorySentReplyIndex();
  const eventBus = new RecordingBus();
  return { repository, sentReplies, eventBus, deps: { repository, sentReplies, eventBus, logger: createLogger('test', 'silent') } };
}

const statusOf = async (repository: MemoryRepository, id: string) => (await repository.get(id))!.item.replies![0]!;

describe('applyDeliveryReport: Messenger watermarks', () => {
  it('a reply sent is remembered under its conversation; a watermark moves exactly the replies sent before it, forward only', async () => {
    // Prepare: two replies to the same customer through the same Page, and one to another customer
    const { repository, sentReplies, eventBus, deps } = setup();
    const first = await sentMessengerReply({ repository, sentReplies, eventBus }, 'rp_first', '2026-11-28T10:00:00.000Z');
    const second = await sentMessengerReply({ repository, sentReplies, eventBus }, 'rp_second', '2026-11-28T10:05:00.000Z');
    const other = await sentMessengerReply({ repository, sentReplies, eventBus }, 'rp_other', '2026-11-28T10:01:00.000Z', OTHER_PSID);
    eventBus.published.length = 0;

    // Act + Assess: delivered up to 10:02 covers the first only
    expect(await applyDeliveryReport(deps, receipt('delivered', '2026-11-28T10:02:00.000Z'))).toBe('applied');
    expect(await statusOf(repository, first)).toMatchObject({ status: 'delivered', deliveredAt: '2026-11-28T10:02:00.000Z' });
    expect((await statusOf(repository, second)).status).toBe('sent');
    expect((await statusOf(repository, other)).status).toBe('sent');

    // read up to 10:06 covers both of this conversation
    expect(await applyDeliveryReport(deps, receipt('read', '2026-11-28T10:06:00.000Z'))).toBe('applied');
    expect(await statusOf(repository, first)).toMatchObject({ status: 'read', deliveredAt: '2026-11-28T10:02:00.000Z', readAt: '2026-11-28T10:06:00.000Z' });
    expect(await statusOf(repository, second)).toMatchObject({ status: 'read', deliveredAt: '2026-11-28T10:06:00.000Z' });
    expect((await statusOf(repository, other)).status).toBe('sent');

    // a late delivered watermark never moves them back, and publishes nothing
    const published = eventBus.published.length;
    expect(await applyDeliveryReport(deps, receipt('delivered', '2026-11-28T10:06:00.000Z'))).toBe('unchanged');
    expect((await statusOf(repository, second)).status).toBe('read');
    expect(eventBus.published).toHaveLength(published);
    expect(eventBus.published.map((e) => e.detailType)).toEqual(['Reply.Delivered', 'Reply.Delivered', 'Reply.Delivered']);
    expect(JSON.stringify(eventBus.published)).not.toContain('Refunded');
  });

  it('a watermark before any reply, from another Page, or without the customer matches nothing', async () => {
    const { repository, sentReplies, eventBus, deps } = setup();
    const id = await sentMessengerReply({ repository, sentReplies, eventBus }, 'rp_only', '2026-11-28T10:00:00.000Z');
    expect(await applyDeliveryReport(deps, receipt('read', '2026-11-28T09:59:59.999Z'))).toBe('unknown');
    expect(await applyDeliveryReport(deps, { ...receipt('read', '2026-11-28T10:01:00.000Z'), accountId: '999' })).toBe('unknown');
    const { recipientId: _none, ...anonymous } = receipt('read', '2026-11-28T10:01:00.000Z');
    expect(await applyDeliveryReport(deps, anonymous)).toBe('unknown');
    expect((await statusOf(repository, id)).status).toBe('sent');
    // The watermark at the very millisecond the send started covers it.
    expect(await applyDeliveryReport(deps, receipt('delivered', '2026-11-28T10:00:00.000Z'))).toBe('applied');
  });

  it('a report naming the message id still finds its reply by the id', async () => {
    const { repository, sentReplies, eventBus, deps } = setup();
    const id = await sentMessengerReply({ repository, sentReplies, eventBus }, 'rp_mid', '2026-11-28T10:00:00.000Z');
    const mid = (await statusOf(repository, id)).platformMessageId!;
    expect(await applyDeliveryReport(deps, { source: 'messenger', status: 'delivered', platformMessageId: mid, at: '2026-11-28T10:00:03.000Z' })).toBe('applied');
    expect((await statusOf(repository, id)).status).toBe('delivered');
  });
});
