import { describe, expect, it } from 'vitest';
import { MemoryRepository, RecordingBus, RecordingTimer } from '../../../test/helpers/fakes.ts';
import { complaintFixture } from '../../admin/test-fixtures.ts';
import { createLogger } from '../logger.ts';
import type { OutboundReply, ReplySender, SendOutcome } from '../ports/reply-sender.ts';
import { carryOutReply } from './carry-out-reply.ts';
import { acceptReply, commitEffects } from './reply-lifecycle.ts';

/** A sender that answers after a pause, counting the sends it got. */
class SlowSender implements ReplySender {
  readonly sent: OutboundReply[] = [];
  constructor(private readonly outcome: SendOutcome) {}
  async send(reply: OutboundReply): Promise<SendOutcome> {
    this.sent.push(reply);
    await new Promise((r) => setTimeout(r, 20));
    return this.outcome;
  }
}

async function storedReply(repository: MemoryRepository, rating?: { status: 'open' | 'resolved' }) {
  const item = rating ? { ...complaintFixture(), status: rating.status } : complaintFixture();
  const purpose = rating ? { purpose: 'ratingRequest' as const, actor: 'system' } : { actor: 'agent-a' };
  const accepted = acceptReply(item, { replyId: 'rp_once', message: 'Refunded.', via: 'channel', at: new Date().toISOString(), mode: 'unrestricted', ...purpose });
  await repository.createIfAbsent(commitEffects(accepted, new Date().toISOString()).item, accepted.outbox);
  return item.id;
}

describe('carryOutReply', () => {
  it('three carriers at once (a redelivery, a retried request, the sweeper) send once', async () => {
    const repository = new MemoryRepository();
    const id = await storedReply(repository);
    const sender = new SlowSender({ status: 'sent', platformMessageId: 'm-1' });
    const deps = { repository, eventBus: new RecordingBus(), sender, logger: createLogger('test', 'silent') };
    const results = await Promise.all([carryOutReply(deps, id, 'rp_once'), carryOutReply(deps, id, 'rp_once'), carryOutReply(deps, id, 'rp_once')]);
    expect(sender.sent).toHaveLength(1);
    expect(results.filter((r) => r.state === 'done' && r.status === 'sent')).toHaveLength(1);
    expect((await repository.get(id))!.item.replies![0]).toMatchObject({ status: 'sent', platformMessageId: 'm-1' });
  });

  it('a redelivery after the reply was sent sends nothing', async () => {
    const repository = new MemoryRepository();
    const id = await storedReply(repository);
    const sender = new SlowSender({ status: 'sent' });
    const deps = { repository, eventBus: new RecordingBus(), sender, logger: createLogger('test', 'silent') };
    await carryOutReply(deps, id, 'rp_once');
    const again = await carryOutReply(deps, id, 'rp_once');
    expect(again).toEqual({ state: 'done' });
    expect(sender.sent).toHaveLength(1);
    expect(Object.keys((await repository.get(id))!.outbox)).not.toContain('reply:rp_once');
  });

  it('hands the platform the reply\'s purpose (a handler\'s answer)', async () => {
    const repository = new MemoryRepository();
    const id = await storedReply(repository);
    const sender = new SlowSender({ status: 'sent' });
    await carryOutReply({ repository, eventBus: new RecordingBus(), sender, logger: createLogger('test', 'silent') }, id, 'rp_once');
    expect(sender.sent[0]!.purpose).toBe('response');
  });

  it('never sends a rating request once its complaint was reopened: it fails as complaint_reopened', async () => {
    const repository = new MemoryRepository();
    const id = await storedReply(repository, { status: 'open' });
    const sender = new SlowSender({ status: 'sent' });
    const result = await carryOutReply({ repository, eventBus: new RecordingBus(), sender, logger: createLogger('test', 'silent') }, id, 'rp_once');
    expect(sender.sent).toHaveLength(0);
    expect(result).toEqual({ state: 'done', status: 'failed' });
    const stored = (await repository.get(id))!;
    expect(stored.item.replies![0]).toMatchObject({ status: 'failed', error: { code: 'complaint_reopened' } });
    expect(Object.keys(stored.outbox)).not.toContain('reply:rp_once');
  });

  it('sends a rating request while its complaint stays resolved', async () => {
    const repository = new MemoryRepository();
    const id = await storedReply(repository, { status: 'resolved' });
    const sender = new SlowSender({ status: 'sent' });
    await carryOutReply({ repository, eventBus: new RecordingBus(), sender, logger: createLogger('test', 'silent') }, id, 'rp_once');
    expect(sender.sent.map((r) => r.purpose)).toEqual(['ratingRequest']);
  });

  it('never starts a timer: a start the item still owes (another function carrying it out) is left to it', async () => {
    const repository = new MemoryRepository();
    const id = await storedReply(repository);
    const stored = (await repository.get(id))!;
    const owedStart = { kind: 'startTimer' as const, timer: { feedbackId: id, clock: 'first_response', dueAt: '2099-01-01T00:00:00.000Z', generation: 0 } };
    await repository.replace({ ...stored.item, version: stored.item.version + 1 }, stored.item.version, { ...stored.outbox, 'start:first_response:2099-01-01T00:00:00.000Z:0': owedStart } as never);
    const clockTimer = new RecordingTimer();
    const eventBus = new RecordingBus();
    await carryOutReply({ repository, eventBus, clockTimer, sender: new SlowSender({ status: 'sent' }), logger: createLogger('test', 'silent') }, id, 'rp_once');
    expect(clockTimer.started).toEqual([]);
    expect(eventBus.published.map((e) => e.detailType)).toContain('Reply.Sent');
    expect(Object.keys((await repository.get(id))!.outbox)).toEqual(['start:first_response:2099-01-01T00:00:00.000Z:0']);
  });
});
