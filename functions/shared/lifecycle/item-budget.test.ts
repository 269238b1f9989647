import { describe, expect, it } from 'vitest';
import { HANDLER_TEXT_MAX, SHORT_TEXT_MAX } from '../../../schemas/admin.ts';
import type { FeedbackItem } from '../../../schemas/feedback.ts';
import { complaintFixture } from '../../admin/test-fixtures.ts';
import { ITEM_SK, indexAttributes, itemPk } from '../adapters/table-design.ts';
import { DEFAULT_CLOCK_POLICY, loadClockPolicy, type ClockPolicy } from '../clocks/policy.ts';
import { outboxOf } from '../pipeline/outbox.ts';
import type { OutboxEntry } from '../ports/feedback-repository.ts';
import { DYNAMO_ITEM_LIMIT_BYTES, dynamoItemSize } from './dynamo-item-size.ts';
import {
  CLOSING_CEILING_BYTES,
  CLOSING_RESERVE_BYTES,
  LIFECYCLE_CEILING_BYTES,
  MAX_CHANGE_BYTES,
  RECORD_CEILING_BYTES,
  RECORD_KEYS_ALLOWANCE_BYTES,
  SYSTEM_RESERVE_BYTES,
  appendWindow,
  sizeTier,
  storedItemBytes,
} from './item-budget.ts';
import { applyCommand, type Command } from './state-machine.ts';

const AT = '2026-03-02T10:00:00.000Z';
/** The longest texts the schemas accept, in the script that costs most in UTF-8 (3 bytes a UTF-16 unit). */
const LONGEST = '投'.repeat(HANDLER_TEXT_MAX);
const LONGEST_SHORT = '投'.repeat(SHORT_TEXT_MAX);
/** The longest subject a token may carry (principal.ts), in 3-byte characters. */
const ACTOR = '审'.repeat(256);
const UK = loadClockPolicy({ REDRESS_JURISDICTION: 'uk' });

interface Stored {
  item: FeedbackItem;
  outbox: Record<string, OutboxEntry>;
}

/** Applies a command the way the admin handler does (the outbox kept, as when the bus is down), measuring the growth. */
function grow(stored: Stored, command: Command, policy: ClockPolicy = DEFAULT_CLOCK_POLICY): { next: Stored; bytes: number } {
  const change = applyCommand(stored.item, command, { actor: ACTOR, at: AT, policy });
  const next = { item: change.item, outbox: { ...stored.outbox, ...outboxOf(change.outbox) } };
  return { next, bytes: storedItemBytes(next.item, next.outbox) - storedItemBytes(stored.item, stored.outbox) };
}

const fresh = (policy: ClockPolicy = DEFAULT_CLOCK_POLICY): Stored => ({
  item: complaintFixture({ receivedAt: '2026-03-02T09:00:00.000Z', category: 'transfers_payments' }, { policy }),
  outbox: {},
});

describe('item budget tiers', () => {
  it('stack up under the DynamoDB limit in order: notes, lifecycle, closing, system', () => {
    expect(RECORD_CEILING_BYTES).toBeLessThan(LIFECYCLE_CEILING_BYTES);
    expect(LIFECYCLE_CEILING_BYTES).toBeLessThan(CLOSING_CEILING_BYTES);
    expect(CLOSING_CEILING_BYTES + SYSTEM_RESERVE_BYTES).toBe(DYNAMO_ITEM_LIMIT_BYTES);
  });

  it('puts notes in the record tier, the answer to an open complaint, resolution and rating in the closing tier', () => {
    expect(sizeTier('note', { status: 'open' })).toBe('record');
    expect(sizeTier('respond', { status: 'open' })).toBe('closing');
    expect(sizeTier('respond', { status: 'responded' })).toBe('lifecycle');
    expect(sizeTier('resolve', { status: 'responded' })).toBe('closing');
    expect(sizeTier('rate', { status: 'resolved' })).toBe('closing');
    for (const type of ['reopen', 'reclassify', 'assign', 'extendClock', 'pauseClock', 'resumeClock'] as const) expect(sizeTier(type, { status: 'open' })).toBe('lifecycle');
  });

  it('lets as many blind appends land as the room left holds changes of the largest size', () => {
    expect(appendWindow(RECORD_CEILING_BYTES - 3 * MAX_CHANGE_BYTES, RECORD_CEILING_BYTES)).toBe(3);
    expect(appendWindow(RECORD_CEILING_BYTES - 1, RECORD_CEILING_BYTES)).toBe(0);
    expect(appendWindow(RECORD_CEILING_BYTES + 1, RECORD_CEILING_BYTES)).toBe(0);
  });
});

describe('worst-case growth (longest texts in 3-byte characters, longest actor, outbox kept)', () => {
  it('no single command adds more than MAX_CHANGE_BYTES', () => {
    // Prepare: every command once, in an order the lifecycle allows, on each jurisdiction's clocks.
    for (const policy of [DEFAULT_CLOCK_POLICY, UK]) {
      let stored = fresh(policy);
      const steps: Command[] = [
        { type: 'note', text: LONGEST },
        { type: 'assign', assignee: '审'.repeat(128) },
        { type: 'reclassify', severity: 'critical', category: 'card_issues', reason: LONGEST_SHORT },
        { type: 'respond', message: LONGEST, via: 'phone', replyId: 'rp_test' },
        { type: 'respond', message: LONGEST, via: 'phone', replyId: 'rp_test' },
        { type: 'resolve', outcome: 'partially_upheld', summary: LONGEST },
        { type: 'rate', score: 2, comment: LONGEST_SHORT },
        { type: 'reopen', reason: LONGEST },
        { type: 'resolve', outcome: 'upheld', summary: LONGEST },
      ];
      for (const command of steps) {
        // Act
        const { next, bytes } = grow(stored, command, policy);
        // Assess
        expect(bytes, `${policy.jurisdiction} ${command.type}`).toBeLessThanOrEqual(MAX_CHANGE_BYTES);
        stored = next;
      }
    }
  });

  it('the closing reserve holds an answer, a resolution and a score at their largest, with room for clock marks', () => {
    for (const policy of [DEFAULT_CLOCK_POLICY, UK]) {
      // Act
      const respond = grow(fresh(policy), { type: 'respond', message: LONGEST, via: 'phone', replyId: 'rp_test' }, policy);
      const resolve = grow(respond.next, { type: 'resolve', outcome: 'upheld', summary: LONGEST }, policy);
      const rate = grow(resolve.next, { type: 'rate', score: 1, comment: LONGEST_SHORT }, policy);
      // Assess
      expect(respond.bytes + resolve.bytes + rate.bytes + 6 * 1024, policy.jurisdiction).toBeLessThanOrEqual(CLOSING_RESERVE_BYTES);
    }
  });

  it('the keys allowance covers the table keys and every index attribute of the longest item', () => {
    // Prepare: the longest id the admin API accepts, the longest assignee, an open complaint with clocks,
    // in triage too (a complaint in a language the classifier does not read).
    const triage = { reason: 'unsupported_language' as const, dueAt: '2026-03-02T13:00:00.000Z' };
    const item = { ...fresh().item, id: `fb_${'z'.repeat(64)}`, assignee: '审'.repeat(128), triage };
    const keys = { pk: itemPk(item.id), sk: ITEM_SK, ...indexAttributes(item) };
    // Act / Assess
    expect(Object.keys(keys)).toEqual(expect.arrayContaining(['queueSk', 'assigneeSk', 'actionSk', 'daySk', 'triageSk']));
    expect(dynamoItemSize(keys)).toBeLessThanOrEqual(RECORD_KEYS_ALLOWANCE_BYTES);
  });

  it('measures the item with its outbox: owed events count', () => {
    const { item } = fresh();
    const owed = grow({ item, outbox: {} }, { type: 'respond', message: 'We refunded the fee.', via: 'phone', replyId: 'rp_test' }).next;
    expect(storedItemBytes(owed.item, owed.outbox)).toBeGreaterThan(storedItemBytes(owed.item, {}));
  });
});
