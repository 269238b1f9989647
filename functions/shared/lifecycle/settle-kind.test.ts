/** Settling a triaged item's kind (PATCH /admin/feedback/{id}): the lifecycle's side, pure. */
import { describe, expect, it } from 'vitest';
import type { FeedbackItem, Triage } from '../../../schemas/feedback.ts';
import { complaintFixture } from '../../admin/test-fixtures.ts';
import { DEFAULT_CLOCK_POLICY } from '../clocks/policy.ts';
import { InvalidTransitionError, applyCommand } from './state-machine.ts';

const RECEIVED = '2026-03-02T09:00:00.000Z';
const TRIAGE: Triage = { reason: 'negative_not_complaint', dueAt: '2026-03-02T13:00:00.000Z' };
const HOUR = 3_600_000;
const after = (hours: number) => new Date(Date.parse(RECEIVED) + hours * HOUR).toISOString();

/** An inquiry waiting in triage (no clocks: it is not a complaint). */
const triagedInquiry = (): FeedbackItem => complaintFixture({ kind: 'inquiry', status: 'received', receivedAt: RECEIVED, triage: TRIAGE });

describe('settleKind', () => {
  it('confirms a complaint settled late with clocks counted from receipt, so its overdue stages are owed at once', () => {
    // Prepare: settled 30 h after receipt, past the 24 h first-response target (warning at 19.2 h).
    const item = triagedInquiry();
    const at = after(30);
    // Act
    const change = applyCommand(item, { type: 'settleKind', kind: 'complaint', reason: 'Money missing: a complaint.' }, { actor: 'agent-a', at, policy: DEFAULT_CLOCK_POLICY });
    // Assess
    expect(change.item).toMatchObject({ kind: 'complaint', status: 'open' });
    expect(change.item.triage).toBeUndefined();
    const firstResponse = change.item.clocks.find((c) => c.name === 'first_response')!;
    expect(firstResponse.dueAt).toBe(after(24));
    expect(firstResponse.state).toBe('breached');
    const timer = change.outbox.find((e) => e.kind === 'startTimer' && e.timer.clock === 'first_response');
    expect(timer).toMatchObject({ timer: { warnAt: new Date(Date.parse(RECEIVED) + 0.8 * 24 * HOUR).toISOString(), dueAt: after(24) } });
    expect(change.outbox.filter((e) => e.kind === 'event').map((e) => e.kind === 'event' && e.event.detailType)).toEqual(['Complaint.Opened']);
  });

  it('is recorded like a reclassification: the model\'s answer beside the handler\'s, the triage it left in the timeline', () => {
    const item = triagedInquiry();
    const change = applyCommand(item, { type: 'settleKind', kind: 'complaint', category: 'transfers_payments' }, { actor: 'agent-a', at: after(1), policy: DEFAULT_CLOCK_POLICY });
    const classification = change.item.classification as FeedbackItem['classification'] & { model?: unknown; override?: unknown };
    expect(classification.model).toEqual({ kind: 'inquiry', category: 'fees_pricing', severity: 'medium' });
    expect(classification.override).toMatchObject({ kind: 'complaint', category: 'transfers_payments', by: 'agent-a' });
    expect(change.entry).toMatchObject({ type: 'reclassified', actor: 'agent-a', data: { triage: TRIAGE, after: { kind: 'complaint', category: 'transfers_payments' } } });
  });

  it('takes an item settled as what it was out of triage, with no event and no clock', () => {
    const change = applyCommand(triagedInquiry(), { type: 'settleKind', kind: 'inquiry' }, { actor: 'agent-a', at: after(1), policy: DEFAULT_CLOCK_POLICY });
    expect(change.item.triage).toBeUndefined();
    expect(change.item).toMatchObject({ kind: 'inquiry', status: 'received', clocks: [] });
    expect(change.outbox).toEqual([]);
  });

  it('cancels the clocks of a complaint in triage (a language the classifier does not read) settled as something else', () => {
    const item = complaintFixture({ receivedAt: RECEIVED, triage: { reason: 'unsupported_language', dueAt: TRIAGE.dueAt } });
    const change = applyCommand(item, { type: 'settleKind', kind: 'praise' }, { actor: 'agent-a', at: after(1), policy: DEFAULT_CLOCK_POLICY });
    expect(change.item).toMatchObject({ kind: 'praise', status: 'received' });
    expect(change.item.triage).toBeUndefined();
    expect(change.item.clocks.every((c) => c.state === 'stopped')).toBe(true);
    expect(change.outbox.some((e) => e.kind === 'stopTimer')).toBe(true);
  });

  it('reclassifies any item that is not a complaint, in triage or not', () => {
    const inquiry = complaintFixture({ kind: 'inquiry', status: 'received' });
    const change = applyCommand(inquiry, { type: 'settleKind', kind: 'suggestion' }, { actor: 'agent-a', at: after(1), policy: DEFAULT_CLOCK_POLICY });
    expect(change.item.kind).toBe('suggestion');
  });

  it('refuses an open complaint that is not in triage (a supervisor reclassifies those)', () => {
    const attempt = () => applyCommand(complaintFixture(), { type: 'settleKind', kind: 'inquiry' }, { actor: 'agent-a', at: after(1), policy: DEFAULT_CLOCK_POLICY });
    expect(attempt).toThrow(InvalidTransitionError);
  });

  it('leaves triage when a supervisor\'s reclassification decides the kind, not when it only corrects the category', () => {
    const categoryOnly = applyCommand(triagedInquiry(), { type: 'reclassify', category: 'waiting_time' }, { actor: 'sup-1', at: after(1) });
    expect(categoryOnly.item.triage).toEqual(TRIAGE);
    const kind = applyCommand(triagedInquiry(), { type: 'reclassify', kind: 'inquiry' }, { actor: 'sup-1', at: after(1) });
    expect(kind.item.triage).toBeUndefined();
  });
});
