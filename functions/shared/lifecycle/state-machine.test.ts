import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FeedbackItem } from '../../../schemas/feedback.ts';
import { complaintFixture } from '../../admin/test-fixtures.ts';
import { DEFAULT_CLOCK_POLICY } from '../clocks/policy.ts';
import { InvalidTransitionError, allowedCommands, applyCommand, type Command, type CommandType } from './state-machine.ts';

const AT = '2026-03-02T10:00:00.000Z';
const ctx = { actor: 'sup-1', at: AT, policy: DEFAULT_CLOCK_POLICY };
const commands: Record<CommandType, Command> = {
  assign: { type: 'assign', assignee: 'agent-a' },
  respond: { type: 'respond', message: 'We are looking into it.', via: 'phone', replyId: 'rp_test' },
  reply: { type: 'reply', message: 'Thanks for the idea.', via: 'channel', replyId: 'rp_test2' },
  resolve: { type: 'resolve', outcome: 'upheld', summary: 'Refunded.' },
  reopen: { type: 'reopen', reason: 'Refund never arrived.' },
  note: { type: 'note', text: 'Called back.' },
  reclassify: { type: 'reclassify', category: 'waiting_time' },
  rate: { type: 'rate', score: 4 },
  extendClock: { type: 'extendClock', clock: 'resolution_cn', reason: 'complex' },
  pauseClock: { type: 'pauseClock', clock: 'resolution_cn', reason: 'external_appraisal' },
  resumeClock: { type: 'resumeClock', clock: 'resolution_cn' },
  settleKind: { type: 'settleKind', kind: 'inquiry' },
};

/** An item in each lifecycle state, reached through the machine itself. */
function inState(state: 'open' | 'responded' | 'resolved' | 'rated' | 'inquiry'): FeedbackItem {
  if (state === 'inquiry') return complaintFixture({ kind: 'inquiry', status: 'received' });
  let item = complaintFixture();
  if (state === 'open') return item;
  item = applyCommand(item, commands.respond, ctx).item;
  if (state === 'responded') return item;
  item = applyCommand(item, commands.resolve, ctx).item;
  if (state === 'resolved') return item;
  return applyCommand(item, commands.rate, ctx).item;
}

describe('lifecycle transitions (table)', () => {
  // state → commands allowed there; every other command must be refused with 409 semantics.
  // (resumeClock needs a paused clock: never allowed in these states, see admin-clock-actions tests.)
  const table: Array<[Parameters<typeof inState>[0], CommandType[]]> = [
    ['open', ['assign', 'respond', 'reply', 'resolve', 'note', 'reclassify', 'extendClock', 'pauseClock']],
    ['responded', ['assign', 'respond', 'reply', 'resolve', 'note', 'reclassify', 'extendClock', 'pauseClock']],
    ['resolved', ['reply', 'reopen', 'note', 'reclassify', 'rate']],
    ['rated', ['reply', 'reopen', 'note', 'reclassify']],
    ['inquiry', ['reply', 'note', 'reclassify', 'settleKind']],
  ];
  it.each(table)('%s allows exactly %j', (state, allowed) => {
    // Prepare
    const item = inState(state);
    // Act / Assess
    expect(allowedCommands(item)).toEqual(allowed);
    for (const type of Object.keys(commands) as CommandType[]) {
      const attempt = () => applyCommand(item, commands[type], ctx);
      if (allowed.includes(type)) expect(attempt().item.version).toBe(item.version + 1);
      else {
        expect(attempt).toThrow(InvalidTransitionError);
        try {
          attempt();
        } catch (err) {
          expect((err as InvalidTransitionError).allowed).toEqual(allowed);
        }
      }
    }
  });

  it.each([
    ['respond', 'open', 'responded', 'Complaint.Responded'],
    ['resolve', 'open', 'resolved', 'Complaint.Resolved'],
    ['resolve', 'responded', 'resolved', 'Complaint.Resolved'],
    ['reopen', 'resolved', 'open', 'Complaint.Reopened'],
  ] as const)('%s moves %s → %s and owes one %s event qualified by the new version', (type, from, to, event) => {
    // Prepare
    const item = inState(from);
    // Act
    const change = applyCommand(item, commands[type], ctx);
    // Assess
    expect(change.item.status).toBe(to);
    // A reply's own Reply.* events are the reply lifecycle's (replies/reply-lifecycle.test.ts).
    const events = change.outbox.filter((e) => e.kind === 'event' && e.event.detailType.startsWith('Complaint.'));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ event: { id: `${item.id}:${event}:v${item.version + 1}`, detailType: event, detail: { status: to, complaintId: item.id } } });
    expect(change.item.timeline.at(-1)).toMatchObject({ at: AT, actor: 'sup-1' });
  });
});

describe('clocks', () => {
  it('a first response stops the first-response clock as met, and owes a stopTimer for it', () => {
    // Prepare
    const item = complaintFixture();
    // Act
    const change = applyCommand(item, commands.respond, ctx);
    // Assess
    const first = change.item.clocks.find((c) => c.name === 'first_response');
    expect(first).toMatchObject({ state: 'met', stoppedAt: AT });
    expect(change.item.clocks.filter((c) => c.name !== 'first_response').every((c) => c.state === 'running')).toBe(true);
    expect(change.outbox).toContainEqual({ kind: 'stopTimer', timer: { feedbackId: item.id, clock: 'first_response', dueAt: first!.dueAt } });
  });

  it('a response after the due time records the clock breached', () => {
    const item = complaintFixture();
    const late = applyCommand(item, commands.respond, { ...ctx, at: '2026-03-04T09:00:00.000Z' });
    expect(late.item.clocks.find((c) => c.name === 'first_response')).toMatchObject({ state: 'breached', stoppedAt: '2026-03-04T09:00:00.000Z' });
  });

  it('a resolution stops every running clock; a reopening resumes the ones it stopped', () => {
    // Prepare
    const responded = applyCommand(complaintFixture(), commands.respond, ctx).item;
    // Act
    const resolved = applyCommand(responded, commands.resolve, { ...ctx, at: '2026-03-03T10:00:00.000Z' });
    const reopened = applyCommand(resolved.item, commands.reopen, { ...ctx, at: '2026-03-03T11:00:00.000Z' });
    // Assess
    expect(resolved.item.clocks.every((c) => c.state !== 'running')).toBe(true);
    expect(resolved.outbox.filter((e) => e.kind === 'stopTimer').map((e) => (e.kind === 'stopTimer' ? e.timer.clock : ''))).toEqual(['resolution_cn']);
    expect(reopened.item.clocks.find((c) => c.name === 'resolution_cn')?.state).toBe('running');
    expect(reopened.item.clocks.find((c) => c.name === 'first_response')?.state).toBe('met');
    expect(reopened.outbox.some((e) => e.kind === 'startTimer' && e.timer.clock === 'resolution_cn')).toBe(true);
  });
});

describe('reclassification and satisfaction', () => {
  it('keeps the model answer and the handler answer with who and why, and records before/after', () => {
    const item = complaintFixture();
    const change = applyCommand(item, { type: 'reclassify', category: 'waiting_time', severity: 'high', reason: 'queue times' }, ctx);
    expect(change.item).toMatchObject({ category: 'waiting_time', severity: 'high' });
    expect(change.item.classification).toMatchObject({
      model: { kind: 'complaint', category: 'fees_pricing', severity: 'medium' },
      override: { kind: 'complaint', category: 'waiting_time', severity: 'high', by: 'sup-1', at: AT, reason: 'queue times' },
    });
    expect(change.entry.data).toEqual({ before: { kind: 'complaint', category: 'fees_pricing', severity: 'medium' }, after: { kind: 'complaint', category: 'waiting_time', severity: 'high' }, reason: 'queue times' });
    const again = applyCommand(change.item, { type: 'reclassify', category: 'other' }, ctx);
    expect((again.item.classification as { model?: unknown }).model).toEqual({ kind: 'complaint', category: 'fees_pricing', severity: 'medium' });
  });

  it('raising a complaint to critical replans its first-response clock (a quarter of the target) with a new timer', () => {
    const item = complaintFixture(); // received 09:00, severity medium: first response due 24 h later
    const before = item.clocks.find((c) => c.name === 'first_response')!;
    expect(before.dueAt).toBe('2026-03-03T09:00:00.000Z');
    const change = applyCommand(item, { type: 'reclassify', severity: 'critical', reason: 'money lost' }, ctx);
    const after = change.item.clocks.find((c) => c.name === 'first_response')!;
    expect(after).toMatchObject({ dueAt: '2026-03-02T15:00:00.000Z', state: 'running' });
    expect(change.outbox.filter((e) => e.kind !== 'event')).toEqual([
      { kind: 'stopTimer', timer: { feedbackId: item.id, clock: 'first_response', dueAt: before.dueAt } },
      expect.objectContaining({ kind: 'startTimer', timer: expect.objectContaining({ clock: 'first_response', dueAt: after.dueAt, generation: 1 }) }),
    ]);
    // The other clocks keep their deadlines; a category change alone replans nothing.
    expect(change.item.clocks.filter((c) => c.name !== 'first_response')).toEqual(item.clocks.filter((c) => c.name !== 'first_response'));
    expect(applyCommand(item, { type: 'reclassify', category: 'other' }, ctx).outbox.filter((e) => e.kind !== 'event')).toEqual([]);
    // Once answered, the first-response clock is done and a severity change leaves it alone.
    const responded = applyCommand(item, commands.respond, ctx).item;
    expect(applyCommand(responded, { type: 'reclassify', severity: 'critical' }, ctx).outbox.filter((e) => e.kind !== 'event')).toEqual([]);
  });

  it('an inquiry reclassified as a complaint opens with clocks and a Complaint.Opened event; the reverse cancels its clocks', () => {
    const inquiry = inState('inquiry');
    const opened = applyCommand(inquiry, { type: 'reclassify', kind: 'complaint' }, ctx);
    expect(opened.item.status).toBe('open');
    expect(opened.item.clocks.length).toBeGreaterThan(0);
    expect(opened.outbox.filter((e) => e.kind === 'event').map((e) => (e.kind === 'event' ? e.event.detailType : ''))).toEqual(['Complaint.Opened']);
    const back = applyCommand(opened.item, { type: 'reclassify', kind: 'suggestion' }, ctx);
    expect(back.item.status).toBe('received');
    expect(back.item.clocks.every((c) => c.state === 'stopped')).toBe(true);
  });

  it('satisfaction is recorded once per resolution, and again after the next resolution', () => {
    const rated = inState('rated');
    expect(rated.satisfaction).toEqual({ score: 4, at: AT, source: 'handler' });
    expect(() => applyCommand(rated, commands.rate, ctx)).toThrow(/already been recorded/);
    const reopened = applyCommand(rated, commands.reopen, ctx).item;
    expect(() => applyCommand(reopened, commands.rate, ctx)).toThrow(/after the complaint is resolved/);
    const resolvedAgain = applyCommand(reopened, commands.resolve, ctx).item;
    expect(applyCommand(resolvedAgain, { type: 'rate', score: 2, comment: 'slow' }, ctx).item.satisfaction).toEqual({ score: 2, comment: 'slow', at: AT, source: 'handler' });
  });

  it('records who rated: the customer\'s rating carries source customer and Complaint.Rated says so, without the comment', () => {
    const resolved = applyCommand(inState('responded'), commands.resolve, ctx).item;
    const change = applyCommand(resolved, { type: 'rate', score: 5, comment: 'great service', source: 'customer' }, { ...ctx, actor: 'customer' });
    expect(change.item.satisfaction).toMatchObject({ score: 5, source: 'customer' });
    const rated = change.outbox.flatMap((e) => (e.kind === 'event' && e.event.detailType === 'Complaint.Rated' ? [e.event] : []));
    expect(rated).toHaveLength(1);
    expect(rated[0]!.detail).toMatchObject({ score: 5, ratedBy: 'customer', ratedAt: AT });
    expect(JSON.stringify(rated[0])).not.toContain('great service');
  });

  describe('the rating request on resolution (survey configured)', () => {
    const request = { feedbackId: 'x', source: 'wechat' as const, language: 'zh' as const, surveyUrl: 'https://bank.example/survey/t0k', expiresAt: AT, resolvedAt: AT, replyWithRating: true, message: '请评分 https://bank.example/survey/t0k' };
    const survey = { ...ctx, ratingRequest: () => request };
    const requestedIn = (outbox: ReturnType<typeof applyCommand>['outbox']) => outbox.flatMap((e) => (e.kind === 'event' && e.event.detailType === 'Complaint.SatisfactionRequested' ? [e.event] : []));

    it('queues it as a system reply (purpose ratingRequest) in the same change, and the event names the reply, never the text', () => {
      const change = applyCommand(inState('responded'), { ...commands.resolve, ratingRequest: { replyId: 'rp_rate', mode: 'free_form', windowClosesAt: '2026-03-03T09:00:00.000Z' } } as Command, survey);
      expect(change.item.status).toBe('resolved');
      expect(change.item.replies!.at(-1)).toMatchObject({ id: 'rp_rate', purpose: 'ratingRequest', actor: 'system', via: 'channel', status: 'queued', mode: 'free_form' });
      expect(change.item.timeline.slice(-2).map((e) => e.type)).toEqual(['resolved', 'reply_queued']);
      const send = change.outbox.find((e) => e.kind === 'sendReply');
      expect(send).toMatchObject({ kind: 'sendReply', reply: { replyId: 'rp_rate', message: request.message, mode: 'free_form', giveUpAt: '2026-03-03T09:00:00.000Z' } });
      const [requested] = requestedIn(change.outbox);
      expect(requested!.detail).toMatchObject({ surveyUrl: request.surveyUrl, replyWithRating: true, messageLanguage: 'zh', replyId: 'rp_rate' });
      expect(requested!.detail).not.toHaveProperty('notSent');
      expect(JSON.stringify(requested)).not.toContain('请评分');
    });

    it('records it as not sent, with the reason, when the channel cannot take it (the resolution still stands)', () => {
      const change = applyCommand(inState('responded'), { ...commands.resolve, ratingRequest: { notSent: 'whatsapp_24h_customer_service' } } as Command, survey);
      expect(change.item.status).toBe('resolved');
      expect(change.item.replies!.some((r) => r.purpose === 'ratingRequest')).toBe(false);
      expect(change.outbox.some((e) => e.kind === 'sendReply')).toBe(false);
      expect(requestedIn(change.outbox)[0]!.detail).toMatchObject({ surveyUrl: request.surveyUrl, notSent: 'whatsapp_24h_customer_service' });
      // A caller that planned no delivery has no reply path: not configured.
      expect(requestedIn(applyCommand(inState('responded'), commands.resolve, survey).outbox)[0]!.detail).toMatchObject({ notSent: 'reply_channel_not_configured' });
    });

    it('is neither published nor queued where no survey is configured', () => {
      const change = applyCommand(inState('responded'), { ...commands.resolve, ratingRequest: { replyId: 'rp_rate' } } as Command, ctx);
      expect(requestedIn(change.outbox)).toEqual([]);
      expect(change.outbox.some((e) => e.kind === 'sendReply')).toBe(false);
    });
  });

  it("masks PII in the satisfaction comment (the customer's own words) in the item and its timeline", () => {
    const resolved = applyCommand(inState('responded'), commands.resolve, ctx).item;
    const rated = applyCommand(resolved, { type: 'rate', score: 5, comment: 'happy, call 13812345678' }, ctx).item;
    expect(rated.satisfaction?.comment).toBe('happy, call [PHONE]');
    expect(JSON.stringify(rated.timeline)).not.toContain('13812345678');
  });
});

describe('PII in what handlers type', () => {
  // A handler pastes what the customer said: a card, a phone number, an e-mail address.
  const PASTED = 'card 4111 1111 1111 1111, phone 13812345678, mail li.lei@example.com';
  const LEAKS = ['4111', '13812345678', 'li.lei@example.com'];
  const cases: Array<[string, () => FeedbackItem, Command]> = [
    ['note text', () => inState('open'), { type: 'note', text: PASTED }],
    ['response message', () => inState('open'), { type: 'respond', message: PASTED, via: 'phone', replyId: 'rp_test' }],
    ['resolution summary', () => inState('responded'), { type: 'resolve', outcome: 'upheld', summary: PASTED }],
    ['reopening reason', () => inState('resolved'), { type: 'reopen', reason: PASTED }],
    ['reclassification reason', () => inState('open'), { type: 'reclassify', severity: 'high', reason: PASTED }],
  ];
  it.each(cases)('masks the %s before it is recorded anywhere on the item', (_label, item, command) => {
    // Act
    const { item: next, entry } = applyCommand(item(), command, ctx);
    // Assess
    const stored = JSON.stringify(next);
    for (const leak of LEAKS) expect(stored).not.toContain(leak);
    // A reply's text is recorded once, on the reply; every other text on its timeline entry.
    const recorded = JSON.stringify(entry.data) + JSON.stringify(next.replies ?? []);
    expect(recorded).toContain('[CARD]');
    expect(recorded).toContain('[PHONE]');
    expect(recorded).toContain('[EMAIL]');
  });
});

const CLOCK_COMMANDS = new Set<CommandType>(['extendClock', 'pauseClock', 'resumeClock']);

describe('properties', () => {
  it('any sequence of commands: each accepted change bumps the version by one, appends one timeline entry, and event ids never repeat', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...(Object.keys(commands) as CommandType[])), { maxLength: 25 }), (sequence) => {
        let item = complaintFixture();
        const eventIds = new Set<string>();
        for (const type of sequence) {
          const allowed = allowedCommands(item).includes(type);
          let change;
          try {
            change = applyCommand(item, commands[type], ctx);
          } catch (err) {
            expect(err).toBeInstanceOf(InvalidTransitionError);
            // A clock command type may be allowed (another extension is left) while this exact one is not.
            if (!CLOCK_COMMANDS.has(type)) expect(allowed).toBe(false);
            continue;
          }
          expect(allowed).toBe(true);
          expect(change.item.version).toBe(item.version + 1);
          expect(change.item.timeline).toHaveLength(item.timeline.length + 1);
          for (const e of change.outbox) if (e.kind === 'event') {
            expect(eventIds.has(e.event.id)).toBe(false);
            eventIds.add(e.event.id);
          }
          item = change.item;
        }
      }),
    );
  });
});

describe('firstRespondedAt (the compact first-response fact the metrics index projects)', () => {
  it('is set by the first response and kept by later ones and by the resolution', () => {
    const first = applyCommand(complaintFixture(), { type: 'respond', message: 'We are on it', via: 'phone', replyId: 'rp_test' }, { actor: 'a', at: '2026-11-28T10:00:00.000Z' }).item;
    expect(first.firstRespondedAt).toBe('2026-11-28T10:00:00.000Z');
    const again = applyCommand(first, { type: 'respond', message: 'Update', via: 'phone', replyId: 'rp_test' }, { actor: 'a', at: '2026-11-28T11:00:00.000Z' }).item;
    const resolved = applyCommand(again, { type: 'resolve', outcome: 'upheld', summary: 'Refunded' }, { actor: 'a', at: '2026-11-28T12:00:00.000Z' }).item;
    expect(resolved.firstRespondedAt).toBe('2026-11-28T10:00:00.000Z');
  });

  it('is set by a resolution without a response', () => {
    const resolved = applyCommand(complaintFixture(), { type: 'resolve', outcome: 'rejected', summary: 'No fault found' }, { actor: 'a', at: '2026-11-28T12:00:00.000Z' }).item;
    expect(resolved.firstRespondedAt).toBe('2026-11-28T12:00:00.000Z');
  });
});
