/**
 * The complaint lifecycle as one pure state machine. A command applied to an item yields the next item
 * (version bumped, one timeline entry appended, clocks updated) and the outbox entries the change owes
 * (its events, timers to stop or start). Anything the lifecycle forbids throws InvalidTransitionError
 * naming the commands that are allowed in the item's state (the handler's 409); a clock command naming a
 * clock the complaint does not have throws UnknownClockError (the handler's 404).
 *
 *   open ──respond──▶ responded ──resolve──▶ resolved ──reopen──▶ open
 *     └──────────────resolve─────────────────▲
 *   assign: any time before resolution; note: any time; reclassify: any time (to or from a complaint
 *   opens or cancels its clocks); rate: once per resolution, after it.
 *   settleKind (triage): a handler decides the kind of an item in triage, or of any item that is not a
 *   complaint; recorded as a reclassification, and the item leaves triage. A complaint opened this way
 *   has its clocks counted from its receipt, so one settled late is already due (its timers fire at once).
 *   extendClock / pauseClock / resumeClock: on a running clock of an unresolved complaint, as the clock's
 *   rule allows (each extension once; pause only where the rule lists the reason; resume a paused clock).
 */
import { maskPii } from '../pii/mask.ts';
import type { FeedbackItem, TimelineEntry } from '../../../schemas/feedback.ts';
import type { EventType } from '../../../schemas/event-names.ts';
import { CalendarRangeError, ClockOperationError } from '../clocks/errors.ts';
import type { ClockPolicy } from '../clocks/policy.ts';
import { domainEvent } from '../events/domain-events.ts';
import type { OutboxEntry } from '../ports/feedback-repository.ts';
import { clockRecords } from '../clocks/complaint-clocks.ts';
import { clockStateAt, needsSummaryResolutionCommunication } from '../clocks/plan.ts';
import {
  clockActionAvailable,
  extendItemClock,
  openClocks,
  replanFirstResponse,
  pauseItemClock,
  reopenClocks,
  resumeItemClock,
  stopClocks,
  type ClockChange,
} from './clocks.ts';
import type { CommandFields } from './commands.ts';
import type { ReplyMode } from '../ports/reply-sender.ts';
import { acceptReply } from '../replies/reply-lifecycle.ts';
import type { RatingRequest } from '../survey/rating-request.ts';
import type { RatingRequestDelivery } from '../survey/rating-request-reply.ts';

import { InvalidTransitionError } from './errors.ts';

export { InvalidTransitionError, LifecycleError, UnknownClockError } from './errors.ts';

export type Command =
  | ({ type: 'assign' } & CommandFields['assign'])
  | ({ type: 'respond' } & CommandFields['respond'] & ReplyPlan)
  /** A reply on any kind of item (`POST /admin/feedback/{id}/replies`); on a complaint, the same as respond. */
  | ({ type: 'reply' } & CommandFields['reply'] & ReplyPlan)
  /** `ratingRequest`: how the resolution's rating request reaches the customer (decided by the handler, like a reply's plan). */
  | ({ type: 'resolve'; ratingRequest?: RatingRequestDelivery } & CommandFields['resolve'])
  | ({ type: 'reopen' } & CommandFields['reopen'])
  | ({ type: 'note' } & CommandFields['note'])
  | ({ type: 'reclassify' } & CommandFields['reclassify'])
  | ({ type: 'settleKind' } & CommandFields['settleKind'])
  /** `source`: `customer` when the customer rated (survey link, "reply 1–5"); a handler's otherwise. `ref`: the message id of a bare reply. */
  | ({ type: 'rate'; source?: 'customer' | 'handler'; ref?: string } & CommandFields['rate'])
  /** `clock` is a clock name from the path (`clocks[].name`). */
  | ({ type: 'extendClock'; clock: string } & CommandFields['extendClock'])
  | ({ type: 'pauseClock'; clock: string } & CommandFields['pauseClock'])
  | { type: 'resumeClock'; clock: string };
export type CommandType = Command['type'];
export const COMMAND_TYPES: CommandType[] = ['assign', 'respond', 'reply', 'resolve', 'reopen', 'note', 'reclassify', 'rate', 'extendClock', 'pauseClock', 'resumeClock', 'settleKind'];

/**
 * What the handler decides for a reply before the lifecycle records it: the reply's id (chosen once per
 * request, so the handler's own retries on a version conflict record one reply) and, through the
 * channel, how the platform's window lets it be sent and when that window closes.
 */
export interface ReplyPlan {
  replyId: string;
  mode?: ReplyMode;
  windowClosesAt?: string;
  /** With `faqId`: whether `message` (resolved by the handler from the entry) is the handler's edit of its answer. */
  faqEdited?: boolean;
}

export interface ChangeContext {
  /** The user id making the change (the timeline's actor). */
  actor: string;
  /** When, ISO 8601 UTC. */
  at: string;
  /**
   * The clock policy: plans the clocks of an item reclassified into a complaint, and says (by its
   * jurisdiction) whether a quick resolution owes a summary resolution communication (UK DISP 1.5).
   */
  policy?: ClockPolicy;
  /**
   * The rating request a resolution of `item` at `resolvedAt` owes the customer (survey/rating-request.ts
   * `ratingRequestFor`), published as `Complaint.SatisfactionRequested`; absent where no survey is configured.
   */
  ratingRequest?: (item: FeedbackItem, resolvedAt: string) => RatingRequest | undefined;
}

export interface Change {
  /** The next item, version bumped. */
  item: FeedbackItem;
  /** What the change owes: its event (exactly one per change, where the change has one) and timers. */
  outbox: OutboxEntry[];
  /** The timeline entry appended. */
  entry: TimelineEntry;
}

/** The lifecycle's refusal of `command` for `item` (the admin API's 409, naming the commands still allowed). */
function refuse(item: FeedbackItem, command: Command, why: string, options?: ErrorOptions): InvalidTransitionError {
  return new InvalidTransitionError({ id: item.id, version: item.version }, command.type, `${item.kind}/${item.status}`, allowedCommands(item), why, options);
}

const isComplaint = (item: FeedbackItem) => item.kind === 'complaint';

/** The latest timeline entry of a type, if any. */
function lastEntry(item: FeedbackItem, type: string): { entry: TimelineEntry; index: number } | undefined {
  for (let i = item.timeline.length - 1; i >= 0; i--) if (item.timeline[i]!.type === type) return { entry: item.timeline[i]!, index: i };
  return undefined;
}

/** Whether the item's latest resolution has been rated already. */
function ratedSinceResolution(item: FeedbackItem): boolean {
  const resolved = lastEntry(item, 'resolved');
  const rated = lastEntry(item, 'satisfaction');
  return !!resolved && !!rated && rated.index > resolved.index;
}

/** Why `type` is not allowed on `item` now, or undefined when it is. */
export function refusal(item: FeedbackItem, type: CommandType): string | undefined {
  switch (type) {
    case 'note':
    case 'reclassify':
    case 'reply':
      return undefined;
    case 'settleKind':
      // An open complaint's kind is a supervisor's to change (PATCH /admin/complaints/{id}); in triage it is anyone's to settle.
      return isComplaint(item) && !item.triage ? 'a complaint that is not in triage is reclassified by a supervisor (PATCH /admin/complaints/{id})' : undefined;
    case 'assign':
      if (!isComplaint(item)) return 'only complaints are assigned';
      return item.status === 'resolved' ? 'a resolved complaint cannot be assigned; reopen it first' : undefined;
    case 'respond':
      if (!isComplaint(item)) return 'only complaints are responded to here';
      return item.status === 'resolved' ? 'the complaint is resolved; reopen it first' : undefined;
    case 'resolve':
      if (!isComplaint(item)) return 'only complaints are resolved';
      return item.status === 'resolved' ? 'the complaint is already resolved' : undefined;
    case 'reopen':
      if (!isComplaint(item)) return 'only complaints are reopened';
      return item.status !== 'resolved' ? `only a resolved complaint can be reopened (it is ${item.status})` : undefined;
    case 'rate':
      if (!isComplaint(item)) return 'only complaints are rated';
      if (item.status !== 'resolved') return 'satisfaction is recorded after the complaint is resolved';
      return ratedSinceResolution(item) ? 'satisfaction has already been recorded for this resolution' : undefined;
    case 'extendClock':
    case 'pauseClock':
    case 'resumeClock': {
      const why = clockCommandStatusRefusal(item);
      if (why) return why;
      if (type === 'extendClock' && !clockActionAvailable(item, 'extend')) return 'no running clock of this complaint has an extension left to apply';
      if (type === 'pauseClock' && !clockActionAvailable(item, 'pause')) return 'no running clock of this complaint may be paused';
      if (type === 'resumeClock' && !clockActionAvailable(item, 'resume')) return 'no clock of this complaint is paused';
      return undefined;
    }
  }
}

/** Why no clock command applies to the item in its state (not a complaint, resolved), or undefined. */
function clockCommandStatusRefusal(item: FeedbackItem): string | undefined {
  if (!isComplaint(item)) return 'only complaints have clocks';
  return item.status === 'resolved' ? 'the complaint is resolved; its clocks have stopped (reopen it first)' : undefined;
}

/**
 * Whether resolving the item at `at` owes a summary resolution communication under the policy's
 * jurisdiction (UK DISP 1.5: resolved by the end of the third business day after receipt).
 * `unknown` carries why it could not be decided (receipt outside the holiday data): the timeline says so.
 */
function summaryResolutionDue(item: FeedbackItem, at: string, policy: ClockPolicy | undefined): { required: boolean; unknown?: string } {
  if (!policy || Date.parse(at) < Date.parse(item.receivedAt)) return { required: false };
  try {
    return { required: needsSummaryResolutionCommunication(item.receivedAt, at, policy.jurisdiction, policy) };
  } catch (err) {
    if (err instanceof CalendarRangeError) return { required: false, unknown: err.message };
    throw err;
  }
}

/**
 * Why this command is refused before it is tried. Clock commands are first judged by the complaint's state;
 * then, for a clock the complaint has, the clock's own rule decides inside applyCommand (so the answer
 * names the precise reason: "already applied", "is not paused"). For a clock it does not have, the answer
 * is a 409 when no clock of the complaint could take such a command at all, else UnknownClockError (404).
 */
function commandRefusal(item: FeedbackItem, command: Command): string | undefined {
  if (command.type !== 'extendClock' && command.type !== 'pauseClock' && command.type !== 'resumeClock') return refusal(item, command.type);
  const why = clockCommandStatusRefusal(item);
  if (why) return why;
  const known = clockRecords(item).some((r) => r.name === command.clock);
  return known ? undefined : refusal(item, command.type);
}

/** The commands the lifecycle allows on the item now (named in a 409). */
export function allowedCommands(item: FeedbackItem): CommandType[] {
  return COMMAND_TYPES.filter((t) => refusal(item, t) === undefined);
}

/**
 * A handler's decision on the classification (pure): `reclassify` changes any of kind, category and
 * severity; `settleKind` decides the kind (and perhaps the category) of an item in triage. The model's own
 * answer is kept beside the override. Deciding the kind takes the item out of triage (the triage it left
 * is recorded in the timeline). Into a complaint: it opens with clocks counted from its receipt (as if it
 * had been one from the start), announced by Complaint.Opened; out of one: its clocks are cancelled.
 */
function reclassification(item: FeedbackItem, command: Extract<Command, { type: 'reclassify' | 'settleKind' }>, ctx: ChangeContext): { item: FeedbackItem; clocks?: ClockChange; data: Record<string, unknown>; events: Array<{ type: EventType }> } {
  const { actor, at } = ctx;
  const before = { kind: item.kind, category: item.category, severity: item.severity };
  const reason = command.reason ? { reason: maskPii(command.reason) } : {};
  const severity = command.type === 'reclassify' ? command.severity : undefined;
  const after = { kind: command.kind ?? item.kind, category: command.category ?? item.category, severity: severity ?? item.severity };
  const classification = item.classification as FeedbackItem['classification'] & { model?: typeof before };
  const { triage, ...untriaged } = item;
  const leavesTriage = triage !== undefined && command.kind !== undefined;
  let next: FeedbackItem = {
    ...(leavesTriage ? untriaged : item),
    ...after,
    classification: {
      ...classification,
      // The model's own answer is kept once, before the first override, so both stay visible.
      model: classification.model ?? before,
      override: { ...after, by: actor, at, ...reason },
    } as FeedbackItem['classification'],
  };
  let clocks: ClockChange | undefined;
  const events: Array<{ type: EventType }> = [];
  if (before.kind !== 'complaint' && after.kind === 'complaint') {
    clocks = ctx.policy ? openClocks(next, ctx.policy, at) : undefined;
    next = { ...(clocks?.item ?? next), status: 'open' };
    events.push({ type: 'Complaint.Opened' });
  } else if (before.kind === 'complaint' && after.kind !== 'complaint') {
    clocks = stopClocks(next, 'cancel', at);
    next = { ...clocks.item, status: 'received' };
  } else if (after.kind === 'complaint' && before.severity !== after.severity && ctx.policy) {
    // The first-response target depends on severity: raising a complaint to critical shortens its clock.
    clocks = replanFirstResponse(next, ctx.policy, at);
    next = clocks.item;
  }
  return { item: next, ...(clocks ? { clocks } : {}), data: { before, after, ...reason, ...(leavesTriage ? { triage } : {}) }, events };
}

/**
 * What one command decides, before the shared wrapper (applyCommand) appends its timeline entry, bumps
 * the version and turns it into outbox entries. Fields left out mean "nothing": the item unchanged, no
 * clocks, no events.
 */
interface Decision {
  /** The timeline entry's type and data (the wrapper adds the clocks' names to `data`). */
  type: string;
  data: Record<string, unknown>;
  /** The next item, without its new timeline entry and version. */
  item?: FeedbackItem;
  clocks?: ClockChange;
  /** Timeline entries after the command's own (a reply recorded as sent at once, a rating request's reply). */
  extraEntries?: TimelineEntry[];
  /** Outbox entries that come before the events (a reply's send, a rating request's). */
  outbox?: OutboxEntry[];
  /** Timers stopped outside `clocks` (a reply's first-response clock). */
  stoppedTimers?: ClockChange['stopped'];
  /** The events the change owes, each with the fields its detail adds to the common ones. */
  events?: Array<{ type: EventType; detail?: Record<string, unknown> }>;
}

/** One command's decision (pure), given the command already passed the lifecycle's check. */
type CommandHandler<T extends CommandType> = (item: FeedbackItem, command: Extract<Command, { type: T }>, ctx: ChangeContext) => Decision;

/**
 * A clock command refused by the clock's rule (already extended, not paused…) is a 409 like any other;
 * so is one whose new times run past the holiday data (it can be applied once the data covers them).
 */
function clockRule<T>(item: FeedbackItem, command: Command, apply: () => T): T {
  try {
    return apply();
  } catch (err) {
    if (!(err instanceof ClockOperationError) && !(err instanceof CalendarRangeError)) throw err;
    const why = err instanceof CalendarRangeError ? `the new times cannot be counted: ${err.message}` : err.message;
    throw refuse(item, command, why, { cause: err });
  }
}

/**
 * The reply is queued for its channel (or counts at once when made outside Redress): the clock is met
 * when it is sent (replies/reply-lifecycle.ts), not when the handler pressed the button.
 */
function replied(item: FeedbackItem, command: Extract<Command, { type: 'respond' | 'reply' }>, { actor, at }: ChangeContext): Decision {
  // An FAQ reply's text is resolved from the entry before the lifecycle sees it (admin/replies.ts).
  if (command.message === undefined) throw refuse(item, command, 'a reply needs its text');
  const faq = command.faqId ? { faqId: command.faqId, faqEdited: command.faqEdited === true } : {};
  const accepted = acceptReply(item, { replyId: command.replyId, message: command.message, via: command.via ?? 'channel', actor, at, ...faq, ...(command.mode ? { mode: command.mode } : {}), ...(command.windowClosesAt ? { windowClosesAt: command.windowClosesAt } : {}) });
  const [queued, ...more] = accepted.entries;
  return { type: queued!.type, data: queued!.data ?? {}, item: accepted.item, extraEntries: more, outbox: accepted.outbox, stoppedTimers: accepted.stoppedTimers, events: accepted.events };
}

/** Resolution stops every clock; it asks the customer for a rating and, where the rule says, for a summary resolution notice. */
function resolved(item: FeedbackItem, command: Extract<Command, { type: 'resolve' }>, ctx: ChangeContext): Decision {
  const { at } = ctx;
  const clocks = stopClocks(item, 'resolution', at);
  // A resolution without a response also answers the customer first.
  let next: FeedbackItem = { ...clocks.item, status: 'resolved', firstRespondedAt: item.firstRespondedAt ?? at };
  let data: Record<string, unknown> = { outcome: command.outcome, summary: maskPii(command.summary) };
  const events: NonNullable<Decision['events']> = [{ type: 'Complaint.Resolved' }];
  let extraEntries: TimelineEntry[] = [];
  let outbox: OutboxEntry[] = [];
  // The customer is asked to rate this resolution (survey link; "reply 1–5" on messaging channels):
  // a reply from the system, queued in this same write and carried out by the reply path.
  const request = isComplaint(item) ? ctx.ratingRequest?.(item, at) : undefined;
  if (request) {
    const delivery = command.ratingRequest ?? { notSent: 'reply_channel_not_configured' };
    const { surveyUrl, expiresAt, resolvedAt, replyWithRating, language: messageLanguage } = request;
    if ('replyId' in delivery) {
      const { replyId, mode, windowClosesAt } = delivery;
      const accepted = acceptReply(next, { replyId, message: request.message, via: 'channel', actor: 'system', at, purpose: 'ratingRequest', ...(mode ? { mode } : {}), ...(windowClosesAt ? { windowClosesAt } : {}) });
      next = accepted.item;
      extraEntries = accepted.entries;
      outbox = accepted.outbox;
    }
    // The event names the reply (its Reply.* events follow), or says why none went; never the text.
    const sending = 'replyId' in delivery ? { replyId: delivery.replyId } : { notSent: delivery.notSent };
    events.push({ type: 'Complaint.SatisfactionRequested', detail: { surveyUrl, expiresAt, resolvedAt, replyWithRating, messageLanguage, ...sending } });
  }
  const summary = summaryResolutionDue(item, at, ctx.policy);
  if (summary.required) {
    data = { ...data, summaryResolutionRequired: true };
    events.push({ type: 'Complaint.SummaryResolutionRequired', detail: { jurisdiction: ctx.policy!.jurisdiction, resolvedAt: at } });
  } else if (summary.unknown) {
    data = { ...data, summaryResolutionUndecided: summary.unknown };
  }
  return { type: 'resolved', data, item: next, clocks, events, extraEntries, outbox };
}

/**
 * One handler per command: adding a command is one entry here (and its type in `Command` and the
 * lifecycle's rule in `refusal`). The timeline, version and outbox are applyCommand's, shared by all.
 */
export const COMMAND_HANDLERS: { readonly [T in CommandType]: CommandHandler<T> } = {
  assign: (item, command) => ({ type: 'assigned', data: { from: item.assignee, to: command.assignee }, item: { ...item, assignee: command.assignee } }),
  respond: replied,
  reply: replied,
  resolve: resolved,
  reopen: (item, command, { at }) => {
    const resolvedAt = lastEntry(item, 'resolved')?.entry.at;
    const clocks = resolvedAt ? reopenClocks(item, resolvedAt, at) : undefined;
    return { type: 'reopened', data: { reason: maskPii(command.reason) }, item: { ...(clocks?.item ?? item), status: 'open' }, ...(clocks ? { clocks } : {}), events: [{ type: 'Complaint.Reopened' }] };
  },
  note: (_item, command) => ({ type: 'note', data: { text: maskPii(command.text) } }),
  reclassify: (item, command, ctx) => reclassified(item, command, ctx),
  settleKind: (item, command, ctx) => reclassified(item, command, ctx),
  rate: (item, command, { at }) => {
    // The comment is the customer's own words (as the handler took them down): masked like any feedback text.
    const comment = command.comment !== undefined ? { comment: maskPii(command.comment) } : {};
    const source = command.source ?? 'handler';
    return {
      type: 'satisfaction',
      // `ref`: the customer's message a bare "reply 1–5" came in (its id), so a redelivery is recognised.
      data: { score: command.score, ...comment, source, ...(command.ref ? { ref: command.ref } : {}) },
      item: { ...item, satisfaction: { score: command.score, ...comment, at, source } },
      // The score and who gave it; never the comment (the customer's own words stay on the item).
      events: [{ type: 'Complaint.Rated', detail: { score: command.score, ratedBy: source, ratedAt: at } }],
    };
  },
  extendClock: (item, command, { at }) => {
    const { clock, reason } = command;
    const change = clockRule(item, command, () => extendItemClock(item, clock, reason, at));
    const { before, after } = change;
    const escalationLevel = clockStateAt(after, at).escalationLevel;
    const events: NonNullable<Decision['events']> = [{ type: 'Complaint.ClockExtended', detail: { clock, reason, previousDueAt: before.dueAt, dueAt: after.dueAt, escalationLevel } }];
    if (change.customerNotice) events.push({ type: 'Complaint.CustomerNoticeRequired', detail: { clock, reason, dueAt: after.dueAt } });
    return { type: 'clock_extended', data: { clock, reason, previousDueAt: before.dueAt, dueAt: after.dueAt, customerNotice: change.customerNotice }, item: change.item, clocks: change, events };
  },
  pauseClock: (item, command, { at }) => {
    const { clock, reason } = command;
    const change = clockRule(item, command, () => pauseItemClock(item, clock, reason, at));
    const escalationLevel = clockStateAt(change.after, at).escalationLevel;
    return {
      type: 'clock_paused',
      data: { clock, reason, dueAt: change.before.dueAt },
      item: change.item,
      clocks: change,
      events: [{ type: 'Complaint.ClockPaused', detail: { clock, reason, pausedAt: change.after.pausedAt, dueAt: change.after.dueAt, escalationLevel } }],
    };
  },
  resumeClock: (item, command, { at }) => {
    const { clock } = command;
    const change = clockRule(item, command, () => resumeItemClock(item, clock, at));
    const { before, after, pausedMs } = change;
    const escalationLevel = clockStateAt(after, at).escalationLevel;
    return {
      type: 'clock_resumed',
      data: { clock, pausedMs, previousDueAt: before.dueAt, dueAt: after.dueAt },
      item: change.item,
      clocks: change,
      events: [{ type: 'Complaint.ClockResumed', detail: { clock, resumedAt: at, pausedMs, previousDueAt: before.dueAt, dueAt: after.dueAt, escalationLevel } }],
    };
  },
};

/** `reclassify` and `settleKind` are both recorded as a reclassification. */
function reclassified(item: FeedbackItem, command: Extract<Command, { type: 'reclassify' | 'settleKind' }>, ctx: ChangeContext): Decision {
  const decided = reclassification(item, command, ctx);
  return { type: 'reclassified', data: decided.data, item: decided.item, ...(decided.clocks ? { clocks: decided.clocks } : {}), events: decided.events };
}

/**
 * Applies a command to an item (pure): the lifecycle's check, the command's own decision
 * (COMMAND_HANDLERS), then what every change shares: one timeline entry, the version bumped, and the
 * outbox (the decision's own entries, its events, timers to stop and start). Every text
 * a handler types (note, response, resolution summary, reopening and reclassification reasons,
 * satisfaction comment) is PII-masked before it is recorded: a handler pastes what the customer said,
 * card numbers and phone numbers included.
 * @throws InvalidTransitionError when the lifecycle forbids it in the item's state, or the clock's rule
 *   forbids a clock command.
 * @throws UnknownClockError when a clock command names a clock the complaint does not have.
 */
export function applyCommand(item: FeedbackItem, command: Command, ctx: ChangeContext): Change {
  const why = commandRefusal(item, command);
  if (why) throw refuse(item, command, why);
  const handler = COMMAND_HANDLERS[command.type] as CommandHandler<CommandType>;
  const decision = handler(item, command as Extract<Command, { type: CommandType }>, ctx);
  return recordDecision(item, decision, ctx);
}

/** The wrapper every command shares: timeline entry, version and outbox from one decision. */
function recordDecision(item: FeedbackItem, decision: Decision, { at, actor }: ChangeContext): Change {
  const version = item.version + 1;
  const { clocks } = decision;
  const data = clocks?.names.length ? { ...decision.data, clocks: clocks.names } : decision.data;
  const entry: TimelineEntry = { at, type: decision.type, actor, data };
  const next: FeedbackItem = { ...(decision.item ?? item), timeline: [...item.timeline, entry, ...(decision.extraEntries ?? [])], version };
  const outbox: OutboxEntry[] = [...(decision.outbox ?? [])];
  // The version qualifies the event id: each occurrence (a second resolution after a reopening) is its own event.
  for (const { type: eventType, detail } of decision.events ?? []) {
    const event = domainEvent(next, eventType, at, `v${version}`);
    outbox.push({ kind: 'event', event: detail ? { ...event, detail: { ...event.detail, ...detail } } : event });
  }
  for (const timer of [...(clocks?.stopped ?? []), ...(decision.stoppedTimers ?? [])]) outbox.push({ kind: 'stopTimer', timer });
  for (const timer of clocks?.started ?? []) outbox.push({ kind: 'startTimer', timer });
  return { item: next, outbox, entry };
}
