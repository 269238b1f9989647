import { describe, expect, it } from 'vitest';
import { MemoryRepository, RecordingBus, RecordingTimer } from '../../test/helpers/fakes.ts';
import { complaintFixture } from '../admin/test-fixtures.ts';
import { createLogger } from '../shared/logger.ts';
import type { ReplyJob } from '../shared/ports/reply-queue.ts';
import { acceptReply, commitEffects } from '../shared/replies/reply-lifecycle.ts';
import { createSweeperHandler } from './handler.ts';

const AT = '2026-11-28T09:00:00.000Z';

async function setup(clocksFail: boolean) {
  const repository = new MemoryRepository();
  const item = complaintFixture({}, { clocks: false });
  const accepted = acceptReply(item, { replyId: 'rp_stranded', message: 'Refunded.', via: 'channel', actor: 'agent-a', at: AT, mode: 'unrestricted' });
  await repository.createIfAbsent(commitEffects(accepted, AT).item, accepted.outbox);
  const queued: ReplyJob[] = [];
  const handler = createSweeperHandler({
    repository,
    eventBus: new RecordingBus(),
    clockTimer: new RecordingTimer(),
    actions: { overdue: async () => (clocksFail ? Promise.reject(new Error('index unavailable')) : []) },
    repliesDue: { due: async () => [item.id] },
    replyQueue: { enqueue: async (job) => void queued.push(job) },
    logger: createLogger('test', 'silent'),
    now: () => new Date(Date.parse(AT) + 10 * 60_000),
  });
  return { handler, queued, id: item.id };
}

describe('the sweeper handler', () => {
  it('sweeps clocks and re-queues overdue replies, reporting both', async () => {
    const { handler, queued, id } = await setup(false);
    expect(await handler({}, {} as never)).toEqual({ examined: 0, announced: 0, replies: { examined: 1, requeued: 1 } });
    expect(queued).toEqual([{ feedbackId: id, replyId: 'rp_stranded' }]);
  });

  it('still re-queues replies when the clock sweep fails, then reports the failure', async () => {
    const { handler, queued } = await setup(true);
    await expect(handler({}, {} as never)).rejects.toThrow('index unavailable');
    expect(queued).toHaveLength(1);
  });
});
