import { describe, expect, it } from 'vitest';
import type { SQSEvent } from 'aws-lambda';
import { MemoryRepository, MemorySentReplyIndex, RecordingBus } from '../../../test/helpers/fakes.ts';
import { complaintFixture } from '../../admin/test-fixtures.ts';
import { createReplyHandler } from '../../reply/handler.ts';
import { replyDueAttributes } from '../adapters/table-design.ts';
import { createLogger } from '../logger.ts';
import type { OutboundReply, ReplySender, SendOutcome } from '../ports/reply-sender.ts';
import type { ReplyJob, ReplyQueue } from '../ports/reply-queue.ts';
import type { RepliesDueIndex } from '../ports/replies-due.ts';
import { acceptReply, commitEffects } from '../replies/reply-lifecycle.ts';
import { sweepReplies } from './sweep-replies.ts';

const AT = '2026-11-28T09:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(AT) + ms);

/** The index as DynamoDB would answer it: items carrying RepliesDue keys sorting before `before`. */
function indexOf(repository: MemoryRepository): RepliesDueIndex {
  return {
    due: async (before) =>
      [...repository.items.values()]
        .map((s) => ({ id: s.item.id, sk: replyDueAttributes(s.item.id, s.outbox).replyDueSk }))
        .filter((r) => r.sk !== undefined && r.sk < before)
        .sort((a, b) => a.sk!.localeCompare(b.sk!))
        .map((r) => r.id),
  };
}

class RecordingQueue implements ReplyQueue {
  readonly jobs: Array<{ job: ReplyJob; delaySeconds: number }> = [];
  async enqueue(job: ReplyJob, delaySeconds: number): Promise<void> {
    this.jobs.push({ job, delaySeconds });
  }
}

class CountingSender implements ReplySender {
  readonly sent: OutboundReply[] = [];
  async send(reply: OutboundReply): Promise<SendOutcome> {
    this.sent.push(reply);
    return { status: 'sent', platformMessageId: `m-${this.sent.length}` };
  }
}

/** A complaint with a reply accepted at AT whose queue message was never sent (the write landed, the send failed). */
async function strandedReply(repository: MemoryRepository, acceptedAt = AT) {
  const item = complaintFixture();
  const accepted = acceptReply(item, { replyId: 'rp_stranded', message: 'Refunded today.', via: 'channel', actor: 'agent-a', at: acceptedAt, mode: 'unrestricted' });
  await repository.createIfAbsent(commitEffects(accepted, acceptedAt).item, accepted.outbox);
  return item.id;
}

const sqsEvent = (jobs: ReplyJob[]): SQSEvent => ({ Records: jobs.map((job, i) => ({ messageId: `msg-${i}`, body: JSON.stringify(job) })) }) as unknown as SQSEvent;

describe('sweepReplies', () => {
  it('re-queues a reply whose next attempt is overdue past the grace, and leaves one not yet overdue alone', async () => {
    const repository = new MemoryRepository();
    const id = await strandedReply(repository);
    const replyQueue = new RecordingQueue();
    const deps = { repository, repliesDue: indexOf(repository), replyQueue };
    expect(await sweepReplies({ ...deps, now: () => at(30_000) }, 60_000)).toEqual({ examined: 0, requeued: 0 });
    expect(await sweepReplies({ ...deps, now: () => at(90_000) }, 60_000)).toEqual({ examined: 1, requeued: 1 });
    expect(replyQueue.jobs).toEqual([{ job: { feedbackId: id, replyId: 'rp_stranded' }, delaySeconds: 0 }]);
  });

  it('leaves a reply held by a live claim alone until its lease ends', async () => {
    const repository = new MemoryRepository();
    const id = await strandedReply(repository);
    const stored = (await repository.get(id))!;
    const entry = stored.outbox['reply:rp_stranded']!;
    if (entry.kind !== 'sendReply') throw new Error('no reply entry');
    await repository.replace({ ...stored.item, version: stored.item.version + 1 }, stored.item.version, {
      'reply:rp_stranded': { kind: 'sendReply', reply: { ...entry.reply, attempts: 1, leaseUntil: at(10 * 60_000).toISOString() } },
    });
    const replyQueue = new RecordingQueue();
    const deps = { repository, repliesDue: indexOf(repository), replyQueue };
    expect((await sweepReplies({ ...deps, now: () => at(5 * 60_000) }, 60_000)).requeued).toBe(0);
    expect((await sweepReplies({ ...deps, now: () => at(12 * 60_000) }, 60_000)).requeued).toBe(1);
  });

  it('a re-queued reply is sent once by the reply function; re-queued again after it was sent, it is not sent again and leaves the index', async () => {
    const repository = new MemoryRepository();
    // Accepted five minutes ago (the reply function decides on the real clock, within the reply's 24 h).
    const id = await strandedReply(repository, new Date(Date.now() - 5 * 60_000).toISOString());
    const replyQueue = new RecordingQueue();
    const sender = new CountingSender();
    const sentReplies = new MemorySentReplyIndex();
    const handler = createReplyHandler({ repository, eventBus: new RecordingBus(), sender, queue: replyQueue, sentReplies, logger: createLogger('test', 'silent') });
    const deps = { repository, repliesDue: indexOf(repository), replyQueue };

    await sweepReplies(deps, 60_000);
    const requeued = replyQueue.jobs.map((j) => j.job);
    // The sweep's message and a late duplicate of it (SQS at-least-once) in one batch, then again later.
    await handler(sqsEvent([...requeued, ...requeued]), {} as never);
    await handler(sqsEvent(requeued), {} as never);

    expect(sender.sent).toHaveLength(1);
    const stored = (await repository.get(id))!;
    expect(stored.item.replies![0]).toMatchObject({ id: 'rp_stranded', status: 'sent' });
    expect(replyDueAttributes(id, stored.outbox)).toEqual({});
    expect(await sweepReplies(deps, 60_000)).toEqual({ examined: 0, requeued: 0 });
  });
});

describe('replyDueAttributes', () => {
  it('keys an item by its soonest due reply (the later of next attempt and lease), and by nothing without one', () => {
    const reply = { replyId: 'rp_a', message: 'x', mode: 'unrestricted' as const, createdAt: AT, giveUpAt: at(86_400_000).toISOString(), attempts: 1 };
    expect(replyDueAttributes('fb_1', {})).toEqual({});
    expect(
      replyDueAttributes('fb_1', {
        'reply:rp_a': { kind: 'sendReply', reply: { ...reply, nextAttemptAt: at(1_000).toISOString(), leaseUntil: at(60_000).toISOString() } },
        'reply:rp_b': { kind: 'sendReply', reply: { ...reply, replyId: 'rp_b', nextAttemptAt: at(30_000).toISOString() } },
      }),
    ).toEqual({ replyDuePk: 'REPLIES', replyDueSk: `${at(30_000).toISOString()}#fb_1` });
  });
});
