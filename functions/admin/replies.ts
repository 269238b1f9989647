/**
 * The admin side of replies to customers (`POST /admin/complaints/{id}/responses`,
 * `POST /admin/feedback/{id}/replies`): what is decided before the reply is recorded (the channel has
 * reply credentials, the platform's window allows it, and how), and what happens after the conditional
 * write (the send is queued, and a first attempt is made before answering, so a handler usually sees
 * `sent` on the next read; the queue carries out retries and whatever the request could not finish).
 */
import { randomBytes } from 'node:crypto';
import type { FeedbackItem, ReplyVia } from '../../schemas/feedback.ts';
import { replyWindowFor } from '../shared/channels/reply-router.ts';
import { ReplyRefusedError } from '../shared/replies/errors.ts';
import { json, type HttpResult } from '../shared/http.ts';
import { errorFields, type Logger } from '../shared/logger.ts';
import type { ReplyPlan } from '../shared/lifecycle/state-machine.ts';
import type { OutboxDeps } from '../shared/pipeline/outbox.ts';
import type { FeedbackRepository, PendingReply, StoredFeedback } from '../shared/ports/feedback-repository.ts';
import type { ReplyQueue } from '../shared/ports/reply-queue.ts';
import type { ReplyRouter } from '../shared/ports/reply-sender.ts';
import type { SentReplyIndex } from '../shared/ports/sent-reply-index.ts';
import { resolveFaqReply } from '../shared/faq/auto-answer.ts';
import type { FaqEntry } from '../shared/faq/entry.ts';
import { carryOutReply } from '../shared/replies/carry-out-reply.ts';
import { enqueueRetry } from '../shared/replies/reply-jobs.ts';

/** A new reply id: `rp_` + 26 random base-32 characters (the Standard Webhooks `webhook-id` of its callback). */
export function newReplyId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return `rp_${[...randomBytes(26)].map((b) => alphabet[b & 31]).join('')}`;
}

/**
 * The plan for a reply through the channel, or the 409 that refuses it: no reply credentials for the
 * item's source, or the platform's window closed (naming the rule and what is still allowed). A
 * response made outside Redress (`via` phone, email, letter, in person) needs neither.
 */
export function planReply(item: FeedbackItem, body: { via?: ReplyVia | undefined }, replyId: string, now: Date, router: ReplyRouter | undefined): ReplyPlan {
  if ((body.via ?? 'channel') !== 'channel') return { replyId };
  if (!router || !router.configured(item.source)) {
    throw new ReplyRefusedError('reply channel not configured', { rule: 'reply_channel_not_configured', source: item.source, stillAllowed: ['phone', 'email', 'letter', 'in_person'] });
  }
  const window = replyWindowFor(item, now, router);
  if (!window.allowed) {
    throw new ReplyRefusedError(`${window.rule}: ${window.message}`, { rule: window.rule, closedAt: window.closedAt, stillAllowed: window.stillAllowed });
  }
  return { replyId, mode: window.mode, ...(window.closesAt ? { windowClosesAt: window.closesAt } : {}) };
}

/**
 * A `{faqId}` reply's text: the entry's answer in the item's language, or the handler's edit of it
 * (`message`); undefined for a plain reply. An entry not in the current FAQ is a 400 naming `faqId`.
 */
export function faqReplyText(body: { faqId?: string | undefined; message?: string | undefined }, item: FeedbackItem, entries: readonly FaqEntry[]): { message: string; faqEdited: boolean } | undefined {
  if (body.faqId === undefined) return undefined;
  const resolved = resolveFaqReply(entries, { faqId: body.faqId, ...(body.message !== undefined ? { message: body.message } : {}) }, item.language);
  return { message: resolved.text, faqEdited: resolved.edited };
}

export interface ReplyAcceptedDeps extends OutboxDeps {
  repository: Pick<FeedbackRepository, 'get' | 'replace' | 'completeOutbox'>;
  replies?: { router: ReplyRouter; queue: ReplyQueue; sentReplies?: SentReplyIndex };
  logger: Logger;
  now?: () => Date;
}

/**
 * After the reply is stored: a channel reply is queued (a message one second out, the durable path) and
 * tried once now; the answer is 202 with the reply's status as accepted (`queued`, or `sent` for a
 * response made outside Redress). Nothing here can lose the reply: it is in the item's outbox, and the
 * queue message, a retry or the sweeper carries it out.
 */
export async function replyAccepted(written: StoredFeedback, replyId: string, deps: ReplyAcceptedDeps, held?: PendingReply): Promise<HttpResult> {
  const reply = written.item.replies?.find((r) => r.id === replyId);
  await startReply(written, replyId, deps, held);
  return json(202, { reply: { id: replyId, status: reply?.status ?? 'queued' } });
}

/**
 * Starts carrying out a channel reply just stored (a handler's, or the rating request a resolution
 * queued): queued for the reply function, then one attempt now (under the claim the write that stored
 * it made, `held`, when it made one). Never throws: what fails here is
 * logged, and the queue, a retry or the sweeper carries the reply out from the item's outbox.
 */
export async function startReply(written: StoredFeedback, replyId: string, deps: ReplyAcceptedDeps, held?: PendingReply): Promise<void> {
  const reply = written.item.replies?.find((r) => r.id === replyId);
  if (!deps.replies || reply?.via !== 'channel') return;
  const job = { feedbackId: written.item.id, replyId };
  // Queued before the attempt, so a crash during it still leaves a message; that one message then
  // follows the reply (each delivery re-queues at most one successor) until it is sent or failed.
  let queued = true;
  try {
    await deps.replies.queue.enqueue(job, 1);
  } catch (err) {
    queued = false;
    deps.logger.warn('reply not queued (the sweeper will)', { ...job, ...errorFields(err) });
  }
  try {
    // `held`: the write that stored the reply claimed its send (claimInOutbox), so the attempt needs no claim write.
    const result = await carryOutReply({ ...deps, sender: deps.replies.router, ...(deps.replies.sentReplies ? { sentReplies: deps.replies.sentReplies } : {}) }, job.feedbackId, replyId, held ? { stored: written, pending: held } : undefined);
    if (result.state === 'later' && !queued) await enqueueRetry(deps.replies.queue, job, result.at, deps.now?.() ?? new Date());
  } catch (err) {
    deps.logger.warn('first reply attempt failed (the queue retries)', { ...job, ...errorFields(err) });
  }
}
