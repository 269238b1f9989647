/**
 * The complaint lifecycle as one pure state machine. A command applied to an item yields the next item
 * (version bumped, one timeline entry appended, clocks updated) and the outbox entries the change owes
 * (its event, timers to stop or start). Anything the lifecycle forbids throws InvalidTransitionError
 * naming the commands that are allowed in the item's state (the handler's 409).
 *
 *   open ──respond──▶ responded ──resolve──▶ resolved ──reopen──▶ open
 *     └──────────────resolve─────────────────▲
 *   assign: any time before resolution; note: any time; reclassify: any time (to or from a complaint
 *   opens or cancels its clocks); rate: once per resolution, after it.
 */
import type { FeedbackItem, TimelineEntry } from '../../../schemas/feedback.ts';
import type { EventType } from '../../../schemas/events.ts';
import type { ClockPolicy } from '../clocks/policy.ts';
import { domainEvent } from '../pipeline/feedback-item.ts';
import type { OutboxEntry } from '../ports/feedback-repository.ts';
import { openClocks, resumeClocks, stopClocks, type ClockChange } from './clocks.ts';
import type { AssignBody, NoteBody, ReclassifyBody, ReopenBody, ResolveBody, RespondBody, SatisfactionBody } from '../../../schemas/admin.ts';

export type Command =
  | ({ type: 'assign' } & AssignBody)
  | ({ type: 'respond' } & RespondBody)
  | ({ type: 'resolve' } & ResolveBody)
  | ({ type: 'reopen' } & ReopenBody)
  | ({ type: 'note' } & NoteBody)
  | ({ type: 'reclassify' } & ReclassifyBody)
  | ({ type: 'rate' } & SatisfactionBody);
export type CommandType = Command['type'];
export const COMMAND_TYPES: CommandType[] = ['assign', 'respond', 'resolve', 'reopen', 'note', 'reclassify', 'rate'];

export interface ChangeContext {
  /** The user id making the change (the timeline's actor). */
  actor: string;
  /** When, ISO 8601 UTC. */
  at: string;
  /** The clock policy, for an item reclassified into a complaint (its clocks are planned then). */
  policy?: ClockPolicy;
}

export interface Change {
  /** The next item, version bumped. */
  item: FeedbackItem;
  /** What the change owes: its event (exactly one per change, where the change has one) and timers. */
  outbox: OutboxEntry[];
  /** The timeline entry appended. */
  entry: TimelineEntry;
}

/** A command the lifecycle forbids in the item's state. */
export class InvalidTransitionError extends Error {
  override name = 'InvalidTransitionError';
  constructor(
    readonly command: CommandType,
    readonly state: string,
    readonly allowed: CommandType[],
    why: string,
  ) {
    super(why);
  }
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
      return undefined;
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
  }
}

/** The commands the lifecycle allows on the item now (named in a 409). */
export function allowedCommands(item: FeedbackItem): CommandType[] {
  return COMMAND_TYPES.filter((t) => refusal(item, t) === undefined);
}

/**
 * Applies a command to an item (pure).
 * @throws InvalidTransitionError when the lifecycle forbids it in the item's state.
 */
export function applyCommand(item: FeedbackItem, command: Command, ctx: ChangeContext): Change {
  const why = refusal(item, command.type);
  if (why) throw new InvalidTransitionError(command.type, `${item.kind}/${item.status}`, allowedCommands(item), why);
  const version = item.version + 1;
  const { at, actor } = ctx;
  let next: FeedbackItem = item;
  let clocks: ClockChange | undefined;
  let eventType: EventType | undefined;
  let type: string;
  let data: Record<string, unknown>;

  switch (command.type) {
    case 'assign':
      type = 'assigned';
      data = { from: item.assignee, to: command.assignee };
      next = { ...item, assignee: command.assignee };
      break;
    case 'respond': {
      type = 'responded';
      const first = !item.timeline.some((e) => e.type === 'responded');
      clocks = stopClocks(item, 'first_response', at);
      next = { ...clocks.item, status: 'responded' };
      data = { message: command.message, first };
      eventType = 'Complaint.Responded';
      break;
    }
    case 'resolve':
      type = 'resolved';
      clocks = stopClocks(item, 'resolution', at);
      next = { ...clocks.item, status: 'resolved' };
      data = { outcome: command.outcome, summary: command.summary };
      eventType = 'Complaint.Resolved';
      break;
    case 'reopen': {
      type = 'reopened';
      const resolvedAt = lastEntry(item, 'resolved')?.entry.at;
      clocks = resolvedAt ? resumeClocks(item, resolvedAt, at) : undefined;
      next = { ...(clocks?.item ?? item), status: 'open' };
      data = { reason: command.reason };
      eventType = 'Complaint.Reopened';
      break;
    }
    case 'note':
      type = 'note';
      data = { text: command.text };
      break;
    case 'reclassify': {
      type = 'reclassified';
      const before = { kind: item.kind, category: item.category, severity: item.severity };
      const after = { kind: command.kind ?? item.kind, category: command.category ?? item.category, severity: command.severity ?? item.severity };
      const classification = item.classification as FeedbackItem['classification'] & { model?: typeof before };
      next = {
        ...item,
        ...after,
        classification: {
          ...classification,
          // The model's own answer is kept once, before the first override, so both stay visible.
          model: classification.model ?? before,
          override: { ...after, by: actor, at, ...(command.reason ? { reason: command.reason } : {}) },
        } as FeedbackItem['classification'],
      };
      if (before.kind !== 'complaint' && after.kind === 'complaint') {
        clocks = ctx.policy ? openClocks(next, ctx.policy, at) : undefined;
        next = { ...(clocks?.item ?? next), status: 'open' };
        eventType = 'Complaint.Opened';
      } else if (before.kind === 'complaint' && after.kind !== 'complaint') {
        clocks = stopClocks(next, 'cancel', at);
        next = { ...clocks.item, status: 'received' };
      }
      data = { before, after, ...(command.reason ? { reason: command.reason } : {}) };
      break;
    }
    case 'rate':
      type = 'satisfaction';
      data = { score: command.score, ...(command.comment !== undefined ? { comment: command.comment } : {}) };
      next = { ...item, satisfaction: { score: command.score, ...(command.comment !== undefined ? { comment: command.comment } : {}), at } };
      break;
  }

  if (clocks?.names.length) data = { ...data, clocks: clocks.names };
  const entry: TimelineEntry = { at, type, actor, data };
  next = { ...next, timeline: [...item.timeline, entry], version };
  const outbox: OutboxEntry[] = [];
  // The version qualifies the event id: each occurrence (a second resolution after a reopening) is its own event.
  if (eventType) outbox.push({ kind: 'event', event: domainEvent(next, eventType, at, `v${version}`) });
  for (const timer of clocks?.stopped ?? []) outbox.push({ kind: 'stopTimer', timer });
  for (const timer of clocks?.started ?? []) outbox.push({ kind: 'startTimer', timer });
  return { item: next, outbox, entry };
}
