/**
 * The admin routes that are lifecycle commands (`command` in routes.ts): read the item, check the
 * caller, decide with the lifecycle, measure the changed item against its tier, write it on its version
 * (retrying a lost race on the fresh item, unless If-Match pinned it), carry out its outbox, answer.
 */
import type { FeedbackItem } from '../../schemas/feedback.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { ConflictError, PreconditionFailedError, ProblemError } from '../shared/errors.ts';
import { lowerHeaders, type HttpEvent, type HttpResult } from '../shared/http.ts';
import { DYNAMO_ITEM_LIMIT_BYTES } from '../shared/lifecycle/dynamo-item-size.ts';
import { MAX_CHANGE_BYTES, appendWindow, fitsTier, sizeTier, storedItemBytes, tierCeiling } from '../shared/lifecycle/item-budget.ts';
import { allowedCommands, applyCommand, type Change, type Command } from '../shared/lifecycle/state-machine.ts';
import { errorFields } from '../shared/logger.ts';
import { flushOutbox, outboxOf } from '../shared/pipeline/outbox.ts';
import { VersionConflictError, type OutboxEntry, type StoredFeedback } from '../shared/ports/feedback-repository.ts';
import { acceptsBareRating } from '../shared/survey/rating-request.ts';
import { planRatingRequestReply } from '../shared/survey/rating-request-reply.ts';
import { claimInOutbox } from '../shared/replies/reply-lifecycle.ts';
import { parseWith } from '../shared/validation.ts';
import type { AdminContext } from './context.ts';
import { faqReplyText, newReplyId, planReply, replyAccepted, startReply } from './replies.ts';
import { etag, jsonBody, parseIfMatch } from './request.ts';
import type { AdminRoute } from './routes.ts';

/** Without If-Match, a write that lost a race is decided again on the fresh item, a few times. */
const MAX_ATTEMPTS = 6;
/** The random pause before deciding again grows from up to 20 ms (RETRY_BASE_MS × 2) to at most 250 ms. */
const RETRY_BASE_MS = 10;
const RETRY_CAP_MS = 250;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The lifecycle routes over the handler's context: `mutate` answers any route that names a command.
 * Long: the write path's steps (room, decision, write, rating pointer, the request itself), each a short
 * closure over the same context.
 */
export function createLifecycleRoutes(ctx: AdminContext) {
  const { deps, now, policy, ratingRequest } = ctx;

  /**
   * The DynamoDB size the item will have after the change, or a 422 when that is past the ceiling of the
   * command's tier (item-budget.ts): the answer names the commands that still fit.
   */
  function requireRoom(id: string, stored: StoredFeedback, command: Command, next: FeedbackItem, outbox: Record<string, OutboxEntry>): number {
    const bytes = storedItemBytes(next, outbox);
    const tier = sizeTier(command.type, stored.item);
    if (fitsTier(command.type, stored.item, bytes)) return bytes;
    const size = storedItemBytes(stored.item, stored.outbox);
    const allowed = allowedCommands(stored.item).filter((t) => fitsTier(t, stored.item, size + MAX_CHANGE_BYTES));
    throw new ProblemError(
      422,
      'Unprocessable Content',
      `${id} has no room for this ${command.type}: the complaint would be ${bytes} bytes, over the ${tierCeiling(tier)} its ${tier} entries may fill (DynamoDB items are at most ${DYNAMO_ITEM_LIMIT_BYTES}). ` +
        (tier === 'record' ? 'Answering, resolving and the other actions keep their own room.' : 'Shorten the text, or record it elsewhere and refer to it.'),
      undefined,
      { allowed, itemBytes: size, limitBytes: tierCeiling(tier), currentVersion: stored.item.version },
    );
  }

  /** Applies the command to the item read; a refusal (LifecycleError) is answered by the problem middleware (409, 404). */
  function decide(current: FeedbackItem, command: Command, principal: Principal): Change {
    return applyCommand(current, command, { actor: principal.sub, at: now().toISOString(), policy, ...(ratingRequest ? { ratingRequest } : {}) });
  }

  /**
   * Writes the change, or throws VersionConflictError when another write got there first. A note without
   * If-Match is appended (nothing it depends on can change under it, so racing notes all land); anything
   * else replaces the item on its version.
   */
  async function write(command: Command, current: FeedbackItem, change: Change, outbox: Record<string, OutboxEntry>, bytes: number, ifMatch: unknown) {
    if (command.type === 'note' && ifMatch === undefined) {
      const window = appendWindow(bytes, tierCeiling(sizeTier('note', current)));
      return deps.repository.appendTimeline(current.id, change.entry, current.version + window);
    }
    return deps.repository.replace(change.item, current.version, outbox);
  }

  /**
   * After a resolution on a messaging platform: the pointer a bare "reply 1–5" from this customer finds
   * until the survey window closes. A second write: when it fails, the link still rates the resolution
   * and a bare reply becomes feedback, so it is logged, not answered as a failure.
   */
  async function leaveRatingPointer(item: FeedbackItem, resolvedAt: string): Promise<void> {
    const customerId = item.customer?.id;
    if (!deps.ratingPointers || !deps.survey || !customerId || !acceptsBareRating(item.source)) return;
    const expiresAt = new Date(Date.parse(resolvedAt) + deps.survey.ttlMs).toISOString();
    try {
      await deps.ratingPointers.put(item.source, customerId, { feedbackId: item.id, resolvedAt, expiresAt });
    } catch (err) {
      deps.logger.warn('rating pointer not written', { id: item.id, ...errorFields(err) });
    }
  }

  /**
   * Applies the route's command to item `id` (`clock` from the path for clock commands): parse, then per
   * attempt read, check, plan the reply or rating request, decide, measure, write (or retry), outbox, answer.
   */
  async function mutate(event: HttpEvent, principal: Principal, route: AdminRoute, id: string, clock?: string): Promise<HttpResult> {
    const body = parseWith(route.body!, jsonBody(event), 'body') as Record<string, unknown>;
    // The clock comes from the path, after the body, so a body cannot name another clock.
    let command = { ...body, type: route.command!, ...(clock !== undefined ? { clock } : {}) } as Command;
    const isReply = command.type === 'respond' || command.type === 'reply';
    // One id per request: a write retried after losing a race records the same reply (or rating request), once.
    const replyId = isReply || (command.type === 'resolve' && ratingRequest) ? newReplyId() : undefined;
    // A `{faqId}` reply sends the entry's answer as the FAQ is now (no FAQ store: every faqId is unknown, a 400).
    const faqEntries = isReply && body.faqId !== undefined ? ((await deps.faq?.cache.current())?.index.entries ?? []) : [];
    const ifMatch = parseIfMatch(lowerHeaders(event.headers)['if-match']);
    for (let attempt = 1; ; attempt++) {
      const stored = await ctx.itemOrNotFound(id);
      const current = stored.item;
      ctx.requireAllowed(principal, route.action, current, command.type === 'assign' ? command.assignee : undefined);
      // A reply on a complaint follows the complaint's rules (its assignee, or a supervisor), whichever route it came by.
      if (command.type === 'reply' && current.kind === 'complaint') ctx.requireAllowed(principal, 'respond', current);
      if (ifMatch !== undefined && ifMatch !== '*' && !ifMatch.includes(current.version)) {
        throw new PreconditionFailedError(`If-Match does not name the current version (${etag(current.version)}); read it again.`, { currentVersion: current.version });
      }
      if (command.type === 'respond' || command.type === 'reply') command = { ...command, ...faqReplyText(body, current, faqEntries), ...planReply(current, command, replyId!, now(), deps.replies?.router) };
      // Set here, never from the body: whether the channel can take the rating request now.
      if (command.type === 'resolve') command = { ...command, ratingRequest: replyId ? planRatingRequestReply(current, replyId, now(), deps.replies?.router) : undefined };
      const change = decide(current, command, principal);
      // Carry over whatever the item still owes (a crash after an earlier change), plus this change's work.
      const owed = { ...stored.outbox, ...outboxOf(change.outbox) };
      // A channel reply this request will attempt at once is claimed in this same write (no claim write of its own).
      const claim = replyId && deps.replies ? claimInOutbox(owed, replyId, now()) : undefined;
      const outbox = claim?.outbox ?? owed;
      const bytes = requireRoom(id, stored, command, change.item, outbox);
      let written;
      try {
        written = await write(command, current, change, outbox, bytes, ifMatch);
      } catch (err) {
        if (!(err instanceof VersionConflictError)) throw err;
        if (ifMatch !== undefined) throw new PreconditionFailedError(`${id} changed while this request was applied; read it again.`);
        if (attempt >= MAX_ATTEMPTS) throw new ConflictError(`${id} keeps changing; retry.`);
        // Decided again on the fresh item, after a random pause so racing writers spread out.
        await sleep(Math.random() * Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** attempt));
        continue;
      }
      try {
        await flushOutbox(written, deps);
      } catch (err) {
        // The change is stored with its outbox: the next change or the sweeper carries it out.
        deps.logger.warn('outbox not flushed', { id, ...errorFields(err) });
      }
      if (command.type === 'resolve') {
        await leaveRatingPointer(written.item, change.entry.at);
        if (replyId) await startReply(written, replyId, deps, claim?.pending);
      }
      deps.logger.info('complaint changed', { id, command: command.type, actor: principal.sub, version: written.item.version });
      if (isReply) return replyAccepted(written, replyId!, deps, claim?.pending);
      // The rating request's first attempt wrote the item again: answer with it as it is now, so the
      // ETag the handler gets is current (their next If-Match would otherwise be refused with a 412).
      if (command.type === 'resolve' && replyId) return ctx.read((await deps.repository.get(id))?.item ?? written.item);
      return ctx.read(written.item);
    }
  }

  return { mutate };
}
