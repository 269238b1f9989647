import { describe, expect, it } from 'vitest';
import type { FeedbackItem } from '../../../schemas/feedback.ts';
import { METRIC_ATTRIBUTES } from './metrics.ts';
import { complaintFixture } from '../../admin/test-fixtures.ts';
import { TABLE_INDEXES } from '../adapters/table-design.ts';
import { factsOf, isHandlerActor, REPORT_ATTRIBUTES, reportAttributes, reportFactsOf, satisfactionSource } from './report-facts.ts';
import { act, customerRates } from '../../admin/reports/report-test-items.ts';
import { applyCommand, type Command } from '../lifecycle/state-machine.ts';
import { commitEffects, recordOutcome } from '../replies/reply-lifecycle.ts';
import { firstResponseAt } from './metrics.ts';

const R = '2027-02-01T00:00:00.000Z';

describe('reportFactsOf', () => {
  let item = complaintFixture({ receivedAt: R });
  item = act(item, { type: 'assign', assignee: 'bob' }, 'alice', '2027-02-01T01:00:00.000Z');
  item = act(item, { type: 'note', text: 'a' }, 'bob', '2027-02-01T01:05:00.000Z');
  item = act(item, { type: 'note', text: 'b' }, 'bob', '2027-02-01T01:10:00.000Z');
  item = act(item, { type: 'respond', message: 'Sorry.', via: 'phone', replyId: 'rp_test' }, 'bob', '2027-02-01T01:20:00.000Z');
  item = act(item, { type: 'resolve', outcome: 'upheld', summary: 'x' }, 'bob', '2027-02-02T00:00:00.000Z');
  item = act(item, { type: 'reopen', reason: 'y' }, 'carol', '2027-02-03T00:00:00.000Z');
  item = act(item, { type: 'resolve', outcome: 'upheld', summary: 'x' }, 'carol', '2027-02-04T00:00:00.000Z');
  item = customerRates(item, 4, '2027-02-05T00:00:00.000Z');
  const facts = reportFactsOf(item);

  it('keeps handler actions, one per handler per quarter-hour, and no channel or customer entries', () => {
    expect(facts.acts).toEqual([
      ['alice', '2027-02-01T01:00:00.000Z'],
      ['bob', '2027-02-01T01:05:00.000Z'], // 01:10 is the same quarter-hour
      ['bob', '2027-02-01T01:20:00.000Z'],
      ['bob', '2027-02-02T00:00:00.000Z'],
      ['carol', '2027-02-03T00:00:00.000Z'],
      ['carol', '2027-02-04T00:00:00.000Z'],
    ]);
  });

  it('lists every resolution, with the reopening that undid it', () => {
    expect(facts.resolutions).toEqual([
      { by: 'bob', at: '2027-02-02T00:00:00.000Z', reopenedAt: '2027-02-03T00:00:00.000Z' },
      { by: 'carol', at: '2027-02-04T00:00:00.000Z' },
    ]);
  });

  it('names the first responder and the latest activity (the customer rating)', () => {
    expect(facts.firstResponder).toBe('bob');
    expect(facts.lastActivityAt).toBe('2027-02-05T00:00:00.000Z');
    expect(facts.autoAnsweredAt).toBeUndefined();
  });

  it('a resolution without a response makes its resolver the first responder', () => {
    const resolved = act(complaintFixture({ receivedAt: R }), { type: 'resolve', outcome: 'rejected', summary: 'x' }, 'dan', '2027-02-01T05:00:00.000Z');
    expect(reportFactsOf(resolved).firstResponder).toBe('dan');
  });

  it('an FAQ reply that was sent marks the item answered automatically; a failed one does not', () => {
    const inquiry = complaintFixture({ receivedAt: R, kind: 'inquiry', status: 'received' });
    const replies = [
      { actor: 'faq', status: 'failed', at: '2027-02-01T00:00:01.000Z' },
      { actor: 'faq', status: 'delivered', at: '2027-02-01T00:00:02.000Z', sentAt: '2027-02-01T00:00:03.000Z' },
    ];
    expect(reportFactsOf({ ...inquiry, replies }).autoAnsweredAt).toBe('2027-02-01T00:00:03.000Z');
    expect(reportFactsOf({ ...inquiry, replies: [replies[0]!] }).autoAnsweredAt).toBeUndefined();
  });

  it('stored facts are used as they are; otherwise they are derived', () => {
    const stored = { acts: [], resolutions: [], lastActivityAt: R };
    expect(factsOf({ ...item, reportFacts: stored })).toBe(stored);
    expect(factsOf(item)).toEqual(facts);
  });
});

describe('the rating request Redress sends on resolution', () => {
  it("is neither a handler's act nor the first response", () => {
    const request = { feedbackId: 'x', source: 'whatsapp' as const, language: 'en' as const, surveyUrl: 'https://x/survey/t', expiresAt: R, resolvedAt: R, replyWithRating: true, message: 'Rate us' };
    const resolvedAt = '2027-02-02T00:00:00.000Z';
    const resolve = { type: 'resolve', outcome: 'upheld', summary: 'x', ratingRequest: { replyId: 'rp_rate', mode: 'free_form' } } as Command;
    const change = applyCommand(complaintFixture({ receivedAt: R }), resolve, { actor: 'bob', at: resolvedAt, ratingRequest: () => request });
    const pending = change.outbox.flatMap((e) => (e.kind === 'sendReply' ? [e.reply] : []))[0]!;
    const decision = recordOutcome(change.item, { ...pending, attempts: 1 }, { status: 'sent' }, new Date('2027-02-02T00:00:05.000Z'));
    const sent = commitEffects((decision as { effects: Parameters<typeof commitEffects>[0] }).effects, '2027-02-02T00:00:05.000Z').item;
    expect(sent.replies).toMatchObject([{ purpose: 'ratingRequest', status: 'sent' }]);
    const facts = reportFactsOf(sent);
    expect(facts.acts).toEqual([['bob', resolvedAt]]);
    expect(facts.firstResponder).toBe('bob');
    expect(firstResponseAt(sent)).toBe(resolvedAt);
  });
});

describe('actors and sources', () => {
  it('handlers are user ids; channels, the system, the FAQ and the customer are not', () => {
    expect(isHandlerActor('alice')).toBe(true);
    for (const actor of ['channel:web', 'system', 'faq', 'customer', '']) expect(isHandlerActor(actor)).toBe(false);
  });

  it("a satisfaction without a source is a handler's (all were before customers rated)", () => {
    expect(satisfactionSource({ score: 3, at: R })).toBe('handler');
    expect(satisfactionSource({ score: 3, at: R, source: 'customer' } as FeedbackItem['satisfaction'])).toBe('customer');
    expect(satisfactionSource(null)).toBe('handler');
  });

  it('the report reads the metrics attributes and a few more', () => {
    expect(REPORT_ATTRIBUTES.slice(0, METRIC_ATTRIBUTES.length)).toEqual([...METRIC_ATTRIBUTES]);
    expect(REPORT_ATTRIBUTES).toContain('reportFacts');
    expect(REPORT_ATTRIBUTES).not.toContain('timeline');
  });

  it('the report indexes project exactly what it reads, never `version` (every write changes it: each write would rewrite them)', () => {
    expect(REPORT_ATTRIBUTES).not.toContain('version');
    expect([...TABLE_INDEXES.reportByDay.projection].sort()).toEqual([...REPORT_ATTRIBUTES].sort());
    expect([...TABLE_INDEXES.complaintActivity.projection].sort()).toEqual([...REPORT_ATTRIBUTES].sort());
  });
});

describe('reportAttributes (stored beside the item on every put)', () => {
  it('a complaint: its facts, the activity index keys (by latest activity, sorted by receipt) and, with a customer, the complaints-by-day keys', () => {
    const item = act(complaintFixture({ receivedAt: R }), { type: 'respond', message: 'x', via: 'phone', replyId: 'rp_test' }, 'bob', '2027-02-03T10:00:00.000Z');
    const attrs = reportAttributes({ ...item, customerKey: 'k9' });
    expect(attrs).toMatchObject({ actPk: 'ACT#2027-02-03', actSk: `${R}#${item.id}`, cdayPk: 'CDAY#2027-02-01', cdaySk: `${R}#${item.id}` });
    expect(attrs.reportFacts).toMatchObject({ firstResponder: 'bob', lastActivityAt: '2027-02-03T10:00:00.000Z' });
  });

  it('a complaint without a customer key stays out of the complaints-by-day index', () => {
    expect(reportAttributes(complaintFixture({ receivedAt: R }))).not.toHaveProperty('cdayPk');
  });

  it('feedback nobody worked on stores nothing; an FAQ answer stores only when', () => {
    const inquiry = complaintFixture({ receivedAt: R, kind: 'inquiry', status: 'received' });
    expect(reportAttributes(inquiry)).toEqual({});
    const queued = { ...inquiry, timeline: [...inquiry.timeline, { at: '2027-02-01T00:00:01.000Z', type: 'reply_queued', actor: 'faq' }] };
    expect(reportAttributes(queued)).toEqual({});
    const answered = { ...queued, timeline: [...queued.timeline, { at: '2027-02-01T00:00:04.000Z', type: 'responded', actor: 'faq' }] };
    expect(reportAttributes(answered)).toEqual({ reportFacts: { autoAnsweredAt: '2027-02-01T00:00:04.000Z' } });
  });

  it('an automatic answer is nobody\'s first response and no handler action: the handler who follows up is', () => {
    let item = complaintFixture({ receivedAt: R });
    item = { ...item, timeline: [...item.timeline, { at: '2027-02-01T00:00:01.000Z', type: 'reply_queued', actor: 'faq' }, { at: '2027-02-01T00:00:02.000Z', type: 'responded', actor: 'faq' }] };
    item = act(item, { type: 'respond', message: 'Following up.', via: 'phone', replyId: 'rp_follow' }, 'erin', '2027-02-01T02:00:00.000Z');
    const facts = reportFactsOf(item);
    expect(facts.firstResponder).toBe('erin');
    expect(facts.acts).toEqual([['erin', '2027-02-01T02:00:00.000Z']]);
  });
});
