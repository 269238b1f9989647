/**
 * The life of a reply to the customer, as pure functions over the stored item and its outbox:
 *
 *   accepted ──via channel──▶ queued ──claim──▶ (send) ──sent──▶ sent ──report──▶ delivered ──▶ read
 *      │                        ▲                  │ transient: back off, queued again (until the deadline)
 *      │                        └──────────────────┤ permanent, or the deadline passed: failed
 *      └──via phone/email/letter/in_person──▶ sent at once (nothing is sent)
 *
 * A queued reply is an outbox entry (`sendReply`) written in the same conditional write as the reply
 * itself, so nothing accepted is lost. Whoever carries it out (the reply queue's consumer, the admin
 * request's first attempt, the sweeper) must first *claim* it: a conditional write that bumps the item's
 * version and the entry's attempt count and sets a lease. Only one claimer can win a given attempt, so a
 * redelivered message, a retried request or the sweeper never sends while another send is under way.
 * The admin request claims in the same conditional write that queues the reply (`claimInOutbox`): the
 * entry is written already claimed, so its first attempt needs no write of its own.
 *
 * The first-response clock is met when the first reply is *sent* (the platform accepted it, or it was
 * recorded with another `via`), at that time; a failed reply leaves it running. A rating request (the
 * reply Redress sends on resolution, `purpose: ratingRequest`) travels the same path but is never a
 * response: it meets no clock, and its sending is recorded as `rating_request_sent`, not `responded`.
 */
import type { FeedbackItem, Reply, ReplyPurpose, ReplyStatus, ReplyVia, TimelineEntry } from '../../../schemas/feedback.ts';
import type { EventType } from '../../../schemas/event-names.ts';
import { maskPii } from '../pii/mask.ts';
import { domainEvent } from '../events/domain-events.ts';
import type { OutboxEntry, PendingReply } from '../ports/feedback-repository.ts';
import type { TimerRef } from '../ports/clock-timer.ts';
import type { ReplyMode, SendOutcome } from '../ports/reply-sender.ts';
import { stopClocks } from '../lifecycle/clocks.ts';

/** The first retry comes this long after a transient failure (the contract: within 2 s). */
export const FIRST_RETRY_MS = 1_000;
/** Retries back off exponentially up to this gap. */
export const MAX_RETRY_GAP_MS = 15 * 60_000;
/** A reply is retried for at most this long after it was made (or until the platform's window closes). */
export const MAX_RETRY_SPAN_MS = 24 * 60 * 60_000;
/** How long a claim holds: longer than one platform call with its timeout, so a live sender is never overtaken. */
export const DEFAULT_LEASE_MS = 60_000;

/** What a reply needs to be accepted. */
export interface NewReply {
  replyId: string;
  /** The handler's text, exactly as the platform will receive it (stored masked). */
  message: string;
  via: ReplyVia;
  actor: string;
  at: string;
  /** How the platform window says to send it (via channel only). */
  mode?: ReplyMode;
  /** When the platform's window closes (via channel only): retries stop there. */
  windowClosesAt?: string;
  /** `response` unless said (the rating request on resolution is `ratingRequest`). */
  purpose?: ReplyPurpose;
  /** The FAQ entry answered with (a handler's `{faqId}` reply, or an automatic answer), and whether the handler edited it. */
  faqId?: string;
  faqEdited?: boolean;
}

/** What a state change of a reply does to the item, before the version bump and timeline entry. */
export interface ReplyEffects {
  item: FeedbackItem;
  /** Timeline entries to append (the caller appends them and bumps the version once). */
  entries: TimelineEntry[];
  events: Array<{ type: EventType; detail?: Record<string, unknown> }>;
  stoppedTimers: TimerRef[];
  /** The outbox key to remove (a carried-out send), if any. */
  doneKey?: string;
}

/** The outbox key of a reply's send. */
export const replyOutboxKey = (replyId: string) => `reply:${replyId}`;

/** The delay before retry number `attempt` (1 = after the first failure): 1 s, 2 s, 4 s… up to 15 min, never less than the platform asked. */
export function retryDelayMs(attempt: number, retryAfterMs?: number): number {
  const exponential = Math.min(MAX_RETRY_GAP_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempt - 1));
  return retryAfterMs !== undefined && retryAfterMs > exponential ? retryAfterMs : exponential;
}

/** When retries of a reply made at `at` stop: 24 h later, or when the platform's window closes, whichever is first. */
export function giveUpAt(at: string, windowClosesAt?: string): string {
  const cap = Date.parse(at) + MAX_RETRY_SPAN_MS;
  const closes = windowClosesAt ? Date.parse(windowClosesAt) : Infinity;
  return new Date(Math.min(cap, closes)).toISOString();
}

const purposeOf = (reply: Reply): ReplyPurpose => reply.purpose ?? 'response';
// Who replied and which FAQ entry it was, never the text: an automatic answer is told apart by `actor: "faq"`.
const replyDetail = (reply: Reply, extra: Record<string, unknown> = {}) => ({ replyId: reply.id, purpose: purposeOf(reply), status: reply.status, via: reply.via, actor: reply.actor, ...(reply.faqId ? { faqId: reply.faqId } : {}), ...extra });

function withReply(item: FeedbackItem, reply: Reply): FeedbackItem {
  const replies = item.replies ?? [];
  const i = replies.findIndex((r) => r.id === reply.id);
  return { ...item, replies: i < 0 ? [...replies, reply] : replies.map((r, j) => (j === i ? reply : r)) };
}

/**
 * The effects of a reply reaching the customer (sent): the reply's status, and for the first sent
 * response of a complaint the first-response clock met at `sentAt`, the status `responded` (from `open`)
 * and `Complaint.Responded`. A later reply is `Reply.Sent` only; so is a rating request, which is not a
 * response (no clock, no `responded` entry: reports count handlers' responses from those).
 */
export function replySent(item: FeedbackItem, reply: Reply, sentAt: string, platformMessageId?: string): ReplyEffects {
  const sent: Reply = { ...reply, status: 'sent', sentAt, ...(platformMessageId ? { platformMessageId } : {}) };
  let next = withReply(item, sent);
  const events: ReplyEffects['events'] = [{ type: 'Reply.Sent', detail: replyDetail(sent) }];
  if (purposeOf(reply) === 'ratingRequest') {
    return { item: next, entries: [{ at: sentAt, type: 'rating_request_sent', actor: reply.actor, data: { replyId: reply.id, via: reply.via } }], events, stoppedTimers: [] };
  }
  const first = !(item.replies ?? []).some((r) => r.id !== reply.id && r.sentAt !== undefined && purposeOf(r) === 'response');
  let stoppedTimers: TimerRef[] = [];
  let clocks: string[] = [];
  if (item.kind === 'complaint' && first) {
    const change = stopClocks(next, 'first_response', sentAt);
    stoppedTimers = change.stopped;
    clocks = change.names;
    next = { ...change.item, firstRespondedAt: item.firstRespondedAt ?? sentAt, status: item.status === 'open' ? 'responded' : item.status };
    events.push({ type: 'Complaint.Responded' });
  }
  const data = { replyId: reply.id, via: reply.via, first, ...(reply.faqId ? { faqId: reply.faqId } : {}), ...(clocks.length ? { clocks } : {}) };
  return { item: next, entries: [{ at: sentAt, type: 'responded', actor: reply.actor, data }], events, stoppedTimers };
}

/** The effects of a reply failing for good (permanent error, or retries exhausted): the clock keeps running. */
export function replyFailed(item: FeedbackItem, reply: Reply, at: string, error: { code: string; message: string }): ReplyEffects {
  const failed: Reply = { ...reply, status: 'failed', failedAt: at, error };
  return {
    item: withReply(item, failed),
    entries: [{ at, type: 'reply_failed', actor: reply.actor, data: { replyId: reply.id, purpose: purposeOf(reply), code: error.code } }],
    events: [{ type: 'Reply.Failed', detail: replyDetail(failed, { errorCode: error.code }) }],
    stoppedTimers: [],
  };
}

/**
 * Accepting a reply (pure; the lifecycle's `respond` and `reply` commands): the reply entry (text
 * masked), and either the outbox entry that will send it (via channel) or, for a response made outside
 * Redress, its effects as sent at once.
 */
export function acceptReply(item: FeedbackItem, input: NewReply): ReplyEffects & { reply: Reply; outbox: OutboxEntry[] } {
  const faq = input.faqId ? { faqId: input.faqId, ...(input.faqEdited ? { faqEdited: true } : {}) } : {};
  const base: Reply = { id: input.replyId, via: input.via, status: 'queued', at: input.at, actor: input.actor, message: maskPii(input.message), purpose: input.purpose ?? 'response', ...faq };
  // The text lives once, in `replies`: the timeline says what happened and points at it.
  if (input.via !== 'channel') {
    const sent = replySent(withReply(item, base), base, input.at);
    return { ...sent, reply: sent.item.replies!.find((r) => r.id === base.id)!, outbox: [] };
  }
  const queuedEntry: TimelineEntry = { at: input.at, type: 'reply_queued', actor: input.actor, data: { replyId: input.replyId, via: input.via, purpose: base.purpose, ...faq } };
  const reply: Reply = { ...base, ...(input.mode ? { mode: input.mode } : {}) };
  const pending: PendingReply = {
    replyId: input.replyId,
    message: input.message,
    mode: input.mode ?? 'unrestricted',
    createdAt: input.at,
    giveUpAt: giveUpAt(input.at, input.windowClosesAt),
    attempts: 0,
    nextAttemptAt: input.at,
  };
  return { item: withReply(item, reply), entries: [queuedEntry], events: [], stoppedTimers: [], reply, outbox: [{ kind: 'sendReply', reply: pending }] };
}

/** A claim's answer: send now with this entry, try again at a time, or nothing left to do. */
export type ClaimDecision =
  | { kind: 'claim'; pending: PendingReply }
  | { kind: 'later'; at: string }
  | { kind: 'nothing' };

/** Whether the reply's send can be claimed at `now` (pure), and the entry a claim writes. */
export function claimReply(outbox: Record<string, OutboxEntry>, replyId: string, now: Date, leaseMs = DEFAULT_LEASE_MS): ClaimDecision {
  const entry = outbox[replyOutboxKey(replyId)];
  if (!entry || entry.kind !== 'sendReply') return { kind: 'nothing' };
  const pending = entry.reply;
  const t = now.getTime();
  if (pending.leaseUntil && Date.parse(pending.leaseUntil) > t) return { kind: 'later', at: pending.leaseUntil };
  if (Date.parse(pending.nextAttemptAt) > t) return { kind: 'later', at: pending.nextAttemptAt };
  return { kind: 'claim', pending: { ...pending, attempts: pending.attempts + 1, leaseUntil: new Date(t + leaseMs).toISOString() } };
}

/**
 * The outbox with reply `replyId`'s send claimed at `now` (pure), for the write that queues it: the
 * admin request that accepts a reply (or queues the rating request) then holds the send from its own
 * conditional write, and makes its first attempt without a claim write of its own. Undefined when
 * there is no send to claim (a response recorded with another `via`).
 */
export function claimInOutbox(outbox: Record<string, OutboxEntry>, replyId: string, now: Date): { outbox: Record<string, OutboxEntry>; pending: PendingReply } | undefined {
  const d = claimReply(outbox, replyId, now);
  return d.kind === 'claim' ? { outbox: { ...outbox, [replyOutboxKey(replyId)]: { kind: 'sendReply', reply: d.pending } }, pending: d.pending } : undefined;
}

/** What recording an attempt's outcome does: the effects (sent, failed) or the entry to retry with. */
export type OutcomeDecision =
  | { kind: 'done'; effects: ReplyEffects }
  | { kind: 'retry'; pending: PendingReply; at: string };

/**
 * Records one attempt's outcome (pure). Sent → `sent`; permanent → `failed` with the platform's code;
 * transient → the next attempt after the backoff (honouring Retry-After), unless that falls after the
 * deadline (24 h, or the window's close): then `failed` with the last error. A channel found without
 * credentials at send time fails at once (it was configured when accepted; retrying will not help).
 */
export function recordOutcome(item: FeedbackItem, pending: PendingReply, outcome: SendOutcome, now: Date): OutcomeDecision {
  const reply = (item.replies ?? []).find((r) => r.id === pending.replyId);
  const at = now.toISOString();
  const doneKey = replyOutboxKey(pending.replyId);
  if (!reply) return { kind: 'done', effects: { item, entries: [], events: [], stoppedTimers: [], doneKey } };
  if (outcome.status === 'sent') return { kind: 'done', effects: { ...replySent(item, reply, at, outcome.platformMessageId), doneKey } };
  const error = { code: outcome.code, message: outcome.message };
  if (outcome.status === 'transient') {
    const next = now.getTime() + retryDelayMs(pending.attempts, outcome.retryAfterMs);
    if (next < Date.parse(pending.giveUpAt)) {
      const { leaseUntil: _released, ...rest } = pending;
      const nextAttemptAt = new Date(next).toISOString();
      return { kind: 'retry', pending: { ...rest, nextAttemptAt, lastError: error }, at: nextAttemptAt };
    }
  }
  return { kind: 'done', effects: { ...replyFailed(item, reply, at, error), doneKey } };
}

/** A reply's send that is past its deadline before it could be tried again (the sweeper's case): failed with the last error. */
export function expiredReply(item: FeedbackItem, pending: PendingReply, now: Date): OutcomeDecision | undefined {
  if (Date.parse(pending.giveUpAt) > now.getTime()) return undefined;
  const reply = (item.replies ?? []).find((r) => r.id === pending.replyId);
  if (!reply) return undefined;
  const error = pending.lastError ?? { code: 'expired', message: 'The reply could not be sent before its deadline.' };
  return { kind: 'done', effects: { ...replyFailed(item, reply, now.toISOString(), error), doneKey: replyOutboxKey(pending.replyId) } };
}

/**
 * A rating request still waiting for its send when the complaint was reopened: failed with code
 * `complaint_reopened`, never sent (its survey link would answer 410, and asking for a rating on an open
 * complaint would tell the customer it is settled). Anything else: undefined.
 */
export function supersededRatingRequest(item: FeedbackItem, pending: PendingReply, now: Date): OutcomeDecision | undefined {
  const reply = (item.replies ?? []).find((r) => r.id === pending.replyId);
  if (reply?.purpose !== 'ratingRequest' || item.status === 'resolved') return undefined;
  const error = { code: 'complaint_reopened', message: 'The complaint was reopened before the rating request was sent.' };
  return { kind: 'done', effects: { ...replyFailed(item, reply, now.toISOString(), error), doneKey: replyOutboxKey(pending.replyId) } };
}

/**
 * Applies the effects to the item (one version bump, the timeline entries appended) and builds the
 * outbox entries they owe (events with deterministic ids qualified by the new version, timers to stop).
 */
export function commitEffects(effects: ReplyEffects, at: string): { item: FeedbackItem; outbox: OutboxEntry[] } {
  const version = effects.item.version + 1;
  const item: FeedbackItem = { ...effects.item, timeline: [...effects.item.timeline, ...effects.entries], version };
  const outbox: OutboxEntry[] = effects.events.map(({ type, detail }) => {
    const event = domainEvent(item, type, at, `v${version}`);
    return { kind: 'event', event: detail ? { ...event, detail: { ...event.detail, ...detail } } : event };
  });
  for (const timer of effects.stoppedTimers) outbox.push({ kind: 'stopTimer', timer });
  return { item, outbox };
}

/** The status order a delivery report may only move forward along (a late `delivered` after `read` changes nothing). */
const STATUS_RANK: Record<ReplyStatus, number> = { queued: 0, sent: 1, delivered: 2, read: 3, failed: 4 };

/** A platform's report about a sent message (WhatsApp `statuses`, Twilio `MessageStatus`). */
export interface ReplyStatusReport {
  status: 'sent' | 'delivered' | 'read' | 'failed';
  at: string;
  error?: { code: string; message: string };
}

/**
 * Applies a delivery report to one reply (pure): forward only (`sent` → `delivered` → `read`; `failed`
 * from `sent` or `delivered`), so repeats and reports arriving out of order change nothing. Answers
 * undefined when nothing changes.
 */
export function applyStatusReport(item: FeedbackItem, replyId: string, report: ReplyStatusReport): ReplyEffects | undefined {
  const reply = (item.replies ?? []).find((r) => r.id === replyId);
  if (!reply || reply.status === 'failed' || reply.status === 'queued') return undefined;
  if (report.status === 'failed') {
    if (reply.status === 'read') return undefined;
    return replyFailed(item, reply, report.at, report.error ?? { code: 'undelivered', message: 'The platform reported the message undelivered.' });
  }
  if (STATUS_RANK[report.status] <= STATUS_RANK[reply.status]) return undefined;
  const next: Reply = {
    ...reply,
    status: report.status,
    ...(report.status === 'delivered' || report.status === 'read' ? { deliveredAt: reply.deliveredAt ?? report.at } : {}),
    ...(report.status === 'read' ? { readAt: report.at } : {}),
  };
  return { item: withReply(item, next), entries: [], events: [{ type: 'Reply.Delivered', detail: replyDetail(next) }], stoppedTimers: [] };
}
