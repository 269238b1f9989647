/**
 * The admin request's first attempt at a channel reply holds the send from the conditional write that
 * stores the reply (claimInOutbox): the outbox entry is written already claimed (attempt 1, a lease), so
 * there is no claim write of its own; a queue delivery or the sweeper meanwhile finds the lease and waits.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createAdminHandler, type AdminDeps } from '../../functions/admin/handler.ts';
import { createCursorCodec } from '../../functions/admin/cursor.ts';
import { complaintFixture } from '../../functions/admin/test-fixtures.ts';
import type { HttpResult } from '../../functions/shared/http.ts';
import { createLogger } from '../../functions/shared/logger.ts';
import type { AdminQueries } from '../../functions/shared/ports/admin-queries.ts';
import type { OutboxEntry, StoredFeedback } from '../../functions/shared/ports/feedback-repository.ts';
import type { ReplyJob, ReplyQueue } from '../../functions/shared/ports/reply-queue.ts';
import type { OutboundReply, ReplyRouter, SendOutcome } from '../../functions/shared/ports/reply-sender.ts';
import { carryOutReply, type CarryOutResult } from '../../functions/shared/replies/carry-out-reply.ts';
import { DEFAULT_LEASE_MS, claimInOutbox, replyOutboxKey } from '../../functions/shared/replies/reply-lifecycle.ts';
import type { FeedbackItem } from '../../schemas/feedback.ts';
import { MemoryRepository, RecordingBus, RecordingTimer } from '../helpers/fakes.ts';
import { httpEvent } from '../helpers/http-events.ts';

/** A repository that keeps every replace it was asked for (the item's conditional writes). */
class WriteLog extends MemoryRepository {
  readonly writes: StoredFeedback[] = [];
  override async replace(item: FeedbackItem, expectedVersion: number, outbox: Record<string, OutboxEntry>): Promise<StoredFeedback> {
    const stored = await super.replace(item, expectedVersion, outbox);
    this.writes.push(structuredClone(stored));
    return stored;
  }
}

const NOW = new Date('2026-03-02T10:00:00.000Z');
const noQueries: AdminQueries = { openQueue: async () => ({ items: [] }), byDay: async () => ({ items: [] }), triageQueue: async () => ({ items: [] }), projectDays: async () => [] };

let repo: WriteLog;
let queued: ReplyJob[];
let onSend: (reply: OutboundReply) => Promise<void>;
let outcome: SendOutcome;
let deps: AdminDeps;

beforeEach(() => {
  repo = new WriteLog();
  queued = [];
  onSend = async () => {};
  outcome = { status: 'sent', platformMessageId: 'm-1' };
  const router: ReplyRouter = {
    configured: () => true,
    whatsappTemplateConfigured: false,
    send: async (reply) => {
      await onSend(reply);
      return outcome;
    },
  };
  const queue: ReplyQueue = { enqueue: async (job) => void queued.push(job) };
  deps = { repository: repo, queries: noQueries, eventBus: new RecordingBus(), clockTimer: new RecordingTimer(), cursors: createCursorCodec(['k']), logger: createLogger('test', 'silent'), now: () => NOW, replies: { router, queue } };
});

async function respond(id: string): Promise<HttpResult & { json: any }> {
  const event = httpEvent('POST', `/admin/complaints/${id}/responses`, JSON.stringify({ message: 'We have refunded the duplicate charge.' }), { 'content-type': 'application/json' });
  (event.requestContext as unknown as Record<string, unknown>).authorizer = { jwt: { claims: { sub: 'sup-1', 'cognito:groups': ['supervisor'] }, scopes: [] } };
  const res = (await createAdminHandler(deps)(event, {} as never)) as HttpResult;
  return { ...res, json: res.body ? JSON.parse(res.body) : undefined };
}

describe('a reply claimed in the write that stores it', () => {
  it('is written already claimed and sent on that claim: two writes (the reply, its outcome), no claim write between them', async () => {
    const item = complaintFixture();
    await repo.createIfAbsent(item, []);
    let atSend: StoredFeedback | undefined;
    onSend = async () => {
      atSend = await repo.get(item.id);
    };

    const res = await respond(item.id);

    expect(res.statusCode).toBe(202);
    const replyId = res.json.reply.id as string;
    expect(repo.writes).toHaveLength(2);
    const [accepted, recorded] = repo.writes;
    const entry = accepted!.outbox[replyOutboxKey(replyId)];
    expect(entry).toMatchObject({ kind: 'sendReply', reply: { replyId, attempts: 1, leaseUntil: new Date(NOW.getTime() + DEFAULT_LEASE_MS).toISOString() } });
    expect(accepted!.item.replies!.find((r) => r.id === replyId)!.status).toBe('queued');
    // The claim was stored before the platform was called: the write that stored the reply made it.
    expect(atSend!.item.version).toBe(accepted!.item.version);
    expect(atSend!.outbox[replyOutboxKey(replyId)]).toEqual(entry);
    expect(recorded!.item.version).toBe(accepted!.item.version + 1);
    expect(recorded!.outbox[replyOutboxKey(replyId)]).toBeUndefined();
    expect(recorded!.item.replies!.find((r) => r.id === replyId)).toMatchObject({ status: 'sent', platformMessageId: 'm-1' });
    expect(queued).toEqual([{ feedbackId: item.id, replyId }]);
  });

  it('keeps another carrier (the queue message, the sweeper) from sending while the request holds it', async () => {
    const item = complaintFixture();
    await repo.createIfAbsent(item, []);
    let other: CarryOutResult | undefined;
    let sends = 0;
    onSend = async (reply) => {
      sends++;
      if (sends === 1) other = await carryOutReply({ repository: repo, eventBus: new RecordingBus(), sender: deps.replies!.router, logger: deps.logger, now: () => NOW }, item.id, reply.replyId);
    };

    await respond(item.id);

    expect(sends).toBe(1);
    expect(other).toEqual({ state: 'later', at: new Date(NOW.getTime() + DEFAULT_LEASE_MS).toISOString() });
  });

  it('a transient failure on the held claim is written as the next attempt (attempt 1 counted, the lease released)', async () => {
    const item = complaintFixture();
    await repo.createIfAbsent(item, []);
    outcome = { status: 'transient', code: 'http_503', message: 'unavailable' };

    const res = await respond(item.id);

    const replyId = res.json.reply.id as string;
    expect(repo.writes).toHaveLength(2);
    const retry = repo.writes[1]!.outbox[replyOutboxKey(replyId)];
    expect(retry).toMatchObject({ kind: 'sendReply', reply: { attempts: 1, lastError: { code: 'http_503' } } });
    expect((retry as { reply: { leaseUntil?: string } }).reply.leaseUntil).toBeUndefined();
  });

  it('claimInOutbox claims only a send that is due and free, as a claim write would', () => {
    expect(claimInOutbox({}, 'rp_x', NOW)).toBeUndefined();
    const pending = { replyId: 'rp_x', message: 'm', mode: 'unrestricted' as const, createdAt: NOW.toISOString(), giveUpAt: new Date(NOW.getTime() + 86_400_000).toISOString(), attempts: 0, nextAttemptAt: NOW.toISOString() };
    const held = claimInOutbox({ [replyOutboxKey('rp_x')]: { kind: 'sendReply', reply: pending } }, 'rp_x', NOW)!;
    expect(held.pending).toMatchObject({ attempts: 1, leaseUntil: new Date(NOW.getTime() + DEFAULT_LEASE_MS).toISOString() });
    expect(claimInOutbox(held.outbox, 'rp_x', NOW)).toBeUndefined();
  });
});
