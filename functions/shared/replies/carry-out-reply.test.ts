import { describe, expect, it } from 'vitest';
import { MemoryRepository, RecordingBus } from '../../../test/helpers/fakes.ts';
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

async function storedReply(repository: MemoryRepository) {
  const item = complaintFixture();
  const accepted = acceptReply(item, { replyId: 'rp_once', message: 'Refunded.', via: 'channel', actor: 'agent-a', at: new Date().toISOString(), mode: 'unrestricted' });
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
});
