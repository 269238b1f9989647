import { describe, expect, it } from 'vitest';
import { complaintFixture } from '../../admin/test-fixtures.ts';
import type { OutboxEntry, PendingReply } from '../ports/feedback-repository.ts';
import { acceptReply, applyStatusReport, claimReply, commitEffects, giveUpAt, recordOutcome, replyOutboxKey, retryDelayMs } from './reply-lifecycle.ts';

const AT = '2026-03-02T10:00:00.000Z';
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms);

function queued() {
  const item = complaintFixture();
  const accepted = acceptReply(item, { replyId: 'rp_a', message: 'Card 4111 1111 1111 1111 refunded.', via: 'channel', actor: 'agent-a', at: AT, mode: 'unrestricted' });
  const pending = (accepted.outbox[0] as Extract<OutboxEntry, { kind: 'sendReply' }>).reply;
  return { item: commitEffects(accepted, AT).item, pending, outbox: { [replyOutboxKey('rp_a')]: accepted.outbox[0]! } };
}

describe('backoff schedule', () => {
  it('starts at 1 s and doubles up to 15 min', () => {
    expect([1, 2, 3, 4, 11, 30].map((n) => retryDelayMs(n))).toEqual([1_000, 2_000, 4_000, 8_000, 900_000, 900_000]);
  });

  it('never retries sooner than Retry-After', () => {
    expect(retryDelayMs(1, 30_000)).toBe(30_000);
  });

  it('gives up after 24 h, or when the window closes first', () => {
    expect(giveUpAt(AT)).toBe(plus(AT, 24 * 3_600_000).toISOString());
    expect(giveUpAt(AT, plus(AT, 3_600_000).toISOString())).toBe(plus(AT, 3_600_000).toISOString());
  });
});

describe('accepting a reply', () => {
  it('through the channel: queued, masked on the item, the text as written in the outbox, the clock still running', () => {
    const { item, pending } = queued();
    expect(item.replies).toMatchObject([{ id: 'rp_a', status: 'queued', via: 'channel' }]);
    expect(JSON.stringify(item)).not.toContain('4111');
    expect(pending.message).toContain('4111 1111 1111 1111');
    expect(item.clocks.find((c) => c.name === 'first_response')?.state).toBe('running');
  });

  it('via phone: sent at once, the first-response clock met at that time', () => {
    const accepted = acceptReply(complaintFixture(), { replyId: 'rp_p', message: 'Called.', via: 'phone', actor: 'agent-a', at: AT });
    expect(accepted.outbox).toEqual([]);
    expect(accepted.item.status).toBe('responded');
    expect(accepted.item.clocks.find((c) => c.name === 'first_response')).toMatchObject({ state: 'met', stoppedAt: AT });
  });
});

describe('claims', () => {
  it('a claim takes the next attempt and a lease; a second claimer waits for the lease', () => {
    const { outbox } = queued();
    const first = claimReply(outbox, 'rp_a', new Date(AT));
    expect(first).toMatchObject({ kind: 'claim', pending: { attempts: 1 } });
    const held = { [replyOutboxKey('rp_a')]: { kind: 'sendReply', reply: (first as { pending: PendingReply }).pending } as OutboxEntry };
    expect(claimReply(held, 'rp_a', plus(AT, 1_000))).toMatchObject({ kind: 'later' });
  });

  it('nothing to claim once the send left the outbox', () => {
    expect(claimReply({}, 'rp_a', new Date(AT))).toEqual({ kind: 'nothing' });
  });
});

describe('outcomes', () => {
  it('sent: the clock is met at the send time, not at acceptance', () => {
    const { item, pending } = queued();
    const sentAt = plus(AT, 5_000);
    const decision = recordOutcome(item, { ...pending, attempts: 1 }, { status: 'sent', platformMessageId: 'wamid.1' }, sentAt);
    expect(decision.kind).toBe('done');
    const next = commitEffects((decision as { effects: Parameters<typeof commitEffects>[0] }).effects, sentAt.toISOString());
    expect(next.item.replies![0]).toMatchObject({ status: 'sent', sentAt: sentAt.toISOString(), platformMessageId: 'wamid.1' });
    expect(next.item.clocks.find((c) => c.name === 'first_response')).toMatchObject({ state: 'met', stoppedAt: sentAt.toISOString() });
    expect(next.outbox.map((e) => (e.kind === 'event' ? e.event.detailType : e.kind))).toEqual(expect.arrayContaining(['Reply.Sent', 'Complaint.Responded']));
  });

  it('transient: retried after the backoff, within 2 s the first time', () => {
    const { item, pending } = queued();
    const decision = recordOutcome(item, { ...pending, attempts: 1 }, { status: 'transient', code: 'http_503', message: 'busy' }, new Date(AT));
    expect(decision).toMatchObject({ kind: 'retry', at: plus(AT, 1_000).toISOString(), pending: { lastError: { code: 'http_503' } } });
  });

  it('transient past the deadline: failed with the last error, the clock still running', () => {
    const { item, pending } = queued();
    const decision = recordOutcome(item, { ...pending, attempts: 12 }, { status: 'transient', code: 'timeout', message: 'slow' }, plus(AT, 24 * 3_600_000 - 1_000));
    const next = commitEffects((decision as { effects: Parameters<typeof commitEffects>[0] }).effects, AT);
    expect(next.item.replies![0]).toMatchObject({ status: 'failed', error: { code: 'timeout' } });
    expect(next.item.status).toBe('open');
  });

  it('permanent: failed at once with the platform code, Reply.Failed carries it', () => {
    const { item, pending } = queued();
    const decision = recordOutcome(item, { ...pending, attempts: 1 }, { status: 'permanent', code: '131026', message: 'undeliverable' }, new Date(AT));
    const next = commitEffects((decision as { effects: Parameters<typeof commitEffects>[0] }).effects, AT);
    expect(next.item.replies![0]).toMatchObject({ status: 'failed', error: { code: '131026', message: 'undeliverable' } });
    expect(next.outbox[0]).toMatchObject({ kind: 'event', event: { detailType: 'Reply.Failed', detail: { errorCode: '131026', replyId: 'rp_a' } } });
  });
});

describe('a rating request (purpose ratingRequest)', () => {
  const effectsOf = (decision: ReturnType<typeof recordOutcome>) => (decision as { effects: Parameters<typeof commitEffects>[0] }).effects;
  /** A complaint with its first-response clock running and a rating request queued (as a reopened one can have). */
  function ratingQueued(item = complaintFixture()) {
    const accepted = acceptReply(item, { replyId: 'rp_rate', message: 'Please rate us: https://x/survey/t', via: 'channel', actor: 'system', at: AT, mode: 'free_form', purpose: 'ratingRequest' });
    return { item: commitEffects(accepted, AT).item, pending: (accepted.outbox[0] as Extract<OutboxEntry, { kind: 'sendReply' }>).reply };
  }

  it('sent: Reply.Sent says its purpose; it meets no clock, is no response (no Complaint.Responded, no `responded` entry)', () => {
    const { item, pending } = ratingQueued();
    const sentAt = plus(AT, 2_000);
    const next = commitEffects(effectsOf(recordOutcome(item, { ...pending, attempts: 1 }, { status: 'sent', platformMessageId: 'wamid.r' }, sentAt)), sentAt.toISOString());
    expect(next.item.replies![0]).toMatchObject({ id: 'rp_rate', purpose: 'ratingRequest', status: 'sent' });
    expect(next.item.clocks.find((c) => c.name === 'first_response')?.state).toBe('running');
    expect(next.item.status).toBe('open');
    expect(next.item.firstRespondedAt).toBeUndefined();
    expect(next.item.timeline.at(-1)).toMatchObject({ type: 'rating_request_sent', actor: 'system' });
    expect(next.item.timeline.some((e) => e.type === 'responded')).toBe(false);
    expect(next.outbox.map((e) => (e.kind === 'event' ? e.event.detailType : e.kind))).toEqual(['Reply.Sent']);
    expect(next.outbox[0]).toMatchObject({ event: { detail: { replyId: 'rp_rate', purpose: 'ratingRequest', status: 'sent' } } });
    expect(JSON.stringify(next.outbox)).not.toContain('rate us');
  });

  it("a sent rating request does not take away the handler's first response: the next response still meets the clock", () => {
    const { item, pending } = ratingQueued();
    const rated = commitEffects(effectsOf(recordOutcome(item, { ...pending, attempts: 1 }, { status: 'sent' }, new Date(AT))), AT).item;
    const accepted = acceptReply(rated, { replyId: 'rp_h', message: 'Refunded.', via: 'channel', actor: 'agent-a', at: AT, mode: 'free_form' });
    const queuedResponse = commitEffects(accepted, AT).item;
    const response = (accepted.outbox[0] as Extract<OutboxEntry, { kind: 'sendReply' }>).reply;
    const sentAt = plus(AT, 9_000);
    const next = commitEffects(effectsOf(recordOutcome(queuedResponse, { ...response, attempts: 1 }, { status: 'sent' }, sentAt)), sentAt.toISOString());
    expect(next.item.clocks.find((c) => c.name === 'first_response')).toMatchObject({ state: 'met', stoppedAt: sentAt.toISOString() });
    expect(next.item.timeline.at(-1)).toMatchObject({ type: 'responded', actor: 'agent-a', data: { first: true } });
    expect(next.outbox).toEqual(expect.arrayContaining([expect.objectContaining({ event: expect.objectContaining({ detailType: 'Complaint.Responded' }) })]));
  });

  it('failed: Reply.Failed and the timeline say it was the rating request', () => {
    const { item, pending } = ratingQueued();
    const next = commitEffects(effectsOf(recordOutcome(item, { ...pending, attempts: 1 }, { status: 'permanent', code: '131047', message: 're-engagement' }, new Date(AT))), AT);
    expect(next.outbox[0]).toMatchObject({ event: { detailType: 'Reply.Failed', detail: { purpose: 'ratingRequest', errorCode: '131047' } } });
    expect(next.item.timeline.at(-1)).toMatchObject({ type: 'reply_failed', data: { purpose: 'ratingRequest' } });
  });

  it("a handler's reply is a response (purpose on the reply and in its events)", () => {
    const { item, pending } = queued();
    expect(item.replies![0]!.purpose).toBe('response');
    const next = commitEffects(effectsOf(recordOutcome(item, { ...pending, attempts: 1 }, { status: 'sent' }, new Date(AT))), AT);
    expect(next.outbox.find((e) => e.kind === 'event' && e.event.detailType === 'Reply.Sent')).toMatchObject({ event: { detail: { purpose: 'response' } } });
  });
});

describe('delivery reports', () => {
  it('move forward only: read after delivered, a late delivered changes nothing', () => {
    const { item, pending } = queued();
    const sent = commitEffects((recordOutcome(item, pending, { status: 'sent', platformMessageId: 'm1' }, new Date(AT)) as { effects: Parameters<typeof commitEffects>[0] }).effects, AT).item;
    const read = applyStatusReport(sent, 'rp_a', { status: 'read', at: plus(AT, 2_000).toISOString() })!;
    expect(read.item.replies![0]).toMatchObject({ status: 'read', readAt: plus(AT, 2_000).toISOString() });
    expect(applyStatusReport(read.item, 'rp_a', { status: 'delivered', at: plus(AT, 3_000).toISOString() })).toBeUndefined();
  });
});
