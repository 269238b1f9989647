/**
 * How much a complaint may carry, so that every complaint stays writable.
 *
 * A feedback item is one DynamoDB item (single-item writes, design invariant 7), and DynamoDB refuses any
 * item over 400 KB. Without a bound, enough notes fill an item and every later write fails, the clock
 * checks included. The decision: **bound the item, in tiers, measured by DynamoDB's own size rules**
 * (dynamo-item-size.ts), rather than moving old timeline entries to overflow items (which would need
 * two writes per change and a second read for every view and every lifecycle decision).
 *
 *   0 ─ notes … ─ RECORD ─ other handler actions … ─ LIFECYCLE ─ closing actions … ─ CLOSING ─ system ─ 400 KB
 *
 * - `record` (notes): allowed while the item stays under RECORD_CEILING. Notes can never take the room
 *   the lifecycle needs.
 * - `lifecycle` (a further response, reopen, reclassify, assign, clock extend/pause/resume): under
 *   LIFECYCLE_CEILING, LIFECYCLE_RESERVE above the notes' ceiling (several worst-case reopen/resolve rounds).
 * - `closing` (the response that answers an open complaint, the resolution, the satisfaction score): under
 *   CLOSING_CEILING. Past LIFECYCLE_CEILING a complaint cannot be reopened or reclassified back to open,
 *   so at most one answer, one resolution and one score can still follow: CLOSING_RESERVE holds all
 *   three at their largest (a test checks it). However an item was filled, it can still be answered
 *   and resolved.
 * - above CLOSING_CEILING, SYSTEM_RESERVE is never used by a handler: it is the room the clock checks
 *   (warning, breach, escalation marks and their events), the sweeper and owed outbox entries write into.
 *
 * A write that would cross its tier's ceiling is refused before anything is written (the admin API's
 * 422, naming the actions that still fit). Text fields are bounded too (schemas/admin.ts), so one write
 * adds at most MAX_CHANGE_BYTES.
 */
import type { FeedbackItem } from '../../../schemas/feedback.ts';
import type { OutboxEntry } from '../ports/feedback-repository.ts';
import { DYNAMO_ITEM_LIMIT_BYTES, dynamoItemSize } from './dynamo-item-size.ts';
import type { CommandType } from './state-machine.ts';

const KB = 1024;

/** Never used by the admin API: clock checks, the sweeper and owed outbox entries write here. */
export const SYSTEM_RESERVE_BYTES = 32 * KB;
/** Kept for one answer, one resolution and one score at their largest once the lifecycle tier is full. */
export const CLOSING_RESERVE_BYTES = 56 * KB;
/** Kept above the notes for the other handler actions. */
export const LIFECYCLE_RESERVE_BYTES = 64 * KB;

export const CLOSING_CEILING_BYTES = DYNAMO_ITEM_LIMIT_BYTES - SYSTEM_RESERVE_BYTES;
export const LIFECYCLE_CEILING_BYTES = CLOSING_CEILING_BYTES - CLOSING_RESERVE_BYTES;
export const RECORD_CEILING_BYTES = LIFECYCLE_CEILING_BYTES - LIFECYCLE_RESERVE_BYTES;

/**
 * The most any one change adds to an item (a response or resolution at its longest, its events and
 * timers in the outbox, its clock marks); a test checks every command against it. Blind appends use it
 * to bound how far an item may have grown since they measured it.
 */
export const MAX_CHANGE_BYTES = 24 * KB;

/**
 * What the stored record adds to the item and its outbox: table keys (`pk`, `sk`) and index attributes
 * (`dayPk`/`daySk`, `queuePk`/`queueSk`, `assigneePk`/`assigneeSk`, `actionPk`/`actionSk`, `triagePk`/`triageSk`).
 * Each is a short key built from ids, timestamps and an assignee of at most 128 characters; a test checks
 * the allowance holds for the longest of them (1.25 KB since the triage keys took it past 1 KB).
 */
export const RECORD_KEYS_ALLOWANCE_BYTES = 1.25 * KB;

export type SizeTier = 'record' | 'lifecycle' | 'closing';

const CEILINGS: Record<SizeTier, number> = {
  record: RECORD_CEILING_BYTES,
  lifecycle: LIFECYCLE_CEILING_BYTES,
  closing: CLOSING_CEILING_BYTES,
};

/** The ceiling of a tier, in DynamoDB bytes. */
export const tierCeiling = (tier: SizeTier): number => CEILINGS[tier];

/**
 * The tier of a command on an item in its current state. Closing commands are the ones that can happen
 * at most once until the complaint is reopened: answering an open complaint, resolving it, rating the
 * resolution.
 */
export function sizeTier(type: CommandType, item: Pick<FeedbackItem, 'status'>): SizeTier {
  switch (type) {
    case 'note':
      return 'record';
    case 'respond':
    case 'reply':
      return item.status === 'open' ? 'closing' : 'lifecycle';
    case 'resolve':
    case 'rate':
      return 'closing';
    default:
      return 'lifecycle';
  }
}

/** The DynamoDB size of the item as stored: its attributes, its outbox, and its keys (an upper bound). */
export function storedItemBytes(item: FeedbackItem, outbox: Record<string, OutboxEntry>): number {
  return dynamoItemSize({ ...item, outbox }) + RECORD_KEYS_ALLOWANCE_BYTES;
}

/** Whether a write of `type` that leaves the item at `bytes` fits its tier. */
export function fitsTier(type: CommandType, item: Pick<FeedbackItem, 'status'>, bytes: number): boolean {
  return bytes <= tierCeiling(sizeTier(type, item));
}

/**
 * How many other writes may land between reading an item at `bytes` and appending to it, so that the
 * item stays under `ceiling` even if each of them adds the most any change adds.
 */
export function appendWindow(bytes: number, ceiling: number): number {
  return Math.max(0, Math.floor((ceiling - bytes) / MAX_CHANGE_BYTES));
}
