/**
 * A hand-made quarter (2027-Q1 in Asia/Shanghai) for the report's tests: every figure the tests expect is
 * worked out by hand from these items in quarter-figures.test.ts. Made-up data, no real people.
 */
import type { Command } from '../../shared/lifecycle/state-machine.ts';
import { applyCommand } from '../../shared/lifecycle/state-machine.ts';
import type { FeedbackItem } from '../../../schemas/feedback.ts';
import { complaintFixture } from '../test-fixtures.ts';
import type { ReportItem } from '../../shared/reports/report-facts.ts';

/** Applies a handler's (or the customer's) command at an instant. */
export function act(item: FeedbackItem, command: Command, actor: string, at: string): FeedbackItem {
  return applyCommand(item, command, { actor, at }).item;
}

const respond = (item: FeedbackItem, actor: string, at: string) => act(item, { type: 'respond', message: 'We are on it.', via: 'phone', replyId: 'rp_test' }, actor, at);
const resolve = (item: FeedbackItem, actor: string, at: string) => act(item, { type: 'resolve', outcome: 'upheld', summary: 'Done.' }, actor, at);
const note = (item: FeedbackItem, actor: string, at: string) => act(item, { type: 'note', text: 'Called the branch.' }, actor, at);

/** A rating given by the customer (survey or bare reply): actor `customer`, `satisfaction.source: customer`. */
export function customerRates(item: FeedbackItem, score: number, at: string): FeedbackItem {
  const rated = act(item, { type: 'rate', score }, 'customer', at);
  const satisfaction = { ...rated.satisfaction!, source: 'customer' } as FeedbackItem['satisfaction'];
  return { ...rated, satisfaction };
}

const complaint = (receivedAt: string, channel: FeedbackItem['channel'], source: FeedbackItem['source']) => complaintFixture({ receivedAt, channel, source });
const withKey = (item: FeedbackItem, customerKey: string): ReportItem => ({ ...item, customerKey });

/** The items, by name (see quarter-figures.test.ts for what each is there to show). */
export function quarterItems() {
  // c1: answered in an hour by alice, resolved two days later, rated 5 by the customer.
  let c1 = complaint('2027-01-05T02:00:00.000Z', 'web', 'web');
  c1 = respond(c1, 'alice', '2027-01-05T03:00:00.000Z');
  c1 = resolve(c1, 'alice', '2027-01-07T02:00:00.000Z');
  c1 = customerRates(c1, 5, '2027-01-08T00:00:00.000Z');
  // c2: received at 23:30 on 31 March Beijing time (Q1); answered and resolved by bob in Q2.
  let c2 = complaint('2027-03-31T15:30:00.000Z', 'mobile', 'mobile');
  c2 = respond(c2, 'bob', '2027-04-01T10:00:00.000Z');
  c2 = resolve(c2, 'bob', '2027-04-02T00:00:00.000Z');
  // c3: received at 00:30 on 1 April Beijing time: Q2.
  const c3 = complaint('2027-03-31T16:30:00.000Z', 'hotline', 'hotline');
  // c4: received in Q4 2026, resolved (without a response) by alice in Q1, rated 2 by the customer in Q1.
  let c4 = complaint('2026-12-20T00:00:00.000Z', 'web', 'web');
  c4 = resolve(c4, 'alice', '2027-01-10T03:00:00.000Z');
  c4 = customerRates(c4, 2, '2027-01-11T00:00:00.000Z');
  // c5: never answered; alice notes it at 23:45 on 31 March Beijing (Q1) and at 00:15 on 1 April (Q2).
  let c5 = complaint('2027-02-01T00:00:00.000Z', 'hotline', 'hotline');
  c5 = note(c5, 'alice', '2027-03-31T15:45:00.000Z');
  c5 = note(c5, 'alice', '2027-03-31T16:15:00.000Z');
  // c6: bob answers late and resolves; carol reopens, resolves again and records a handler score of 3.
  let c6 = complaint('2027-02-10T00:00:00.000Z', 'web', 'web');
  c6 = respond(c6, 'bob', '2027-02-11T06:00:00.000Z');
  c6 = resolve(c6, 'bob', '2027-02-12T00:00:00.000Z');
  c6 = act(c6, { type: 'reopen', reason: 'Not refunded.' }, 'carol', '2027-02-13T00:00:00.000Z');
  c6 = resolve(c6, 'carol', '2027-02-14T00:00:00.000Z');
  c6 = act(c6, { type: 'rate', score: 3 }, 'carol', '2027-02-14T01:00:00.000Z');
  // c7: the same customer as c6, more than 90 days before it.
  const c7 = complaint('2026-09-01T00:00:00.000Z', 'web', 'web');
  // c8: never answered, no customer key.
  const c8 = complaint('2027-03-20T00:00:00.000Z', 'social', 'wechat');
  // Other kinds: an inquiry the FAQ answered (intake rating 8 from the web app), one with rating 4 from mobile.
  const i1Base = complaintFixture({ receivedAt: '2027-01-20T00:00:00.000Z', kind: 'inquiry', status: 'received', channel: 'web', source: 'web', rating: 8 });
  const i1: FeedbackItem = {
    ...i1Base,
    timeline: [...i1Base.timeline, { at: '2027-01-20T00:00:01.000Z', type: 'reply_queued', actor: 'faq', data: { replyId: 'rp_faq1', via: 'channel', faqId: 'fees-en' } }, { at: '2027-01-20T00:00:05.000Z', type: 'responded', actor: 'faq', data: { replyId: 'rp_faq1', via: 'channel', first: true, faqId: 'fees-en' } }],
  };
  // i2: the FAQ's automatic answer failed (the platform refused it): not answered automatically.
  const i2Base = complaintFixture({ receivedAt: '2027-01-21T00:00:00.000Z', kind: 'inquiry', status: 'received', channel: 'mobile', source: 'mobile', rating: 4 });
  const i2: FeedbackItem = {
    ...i2Base,
    timeline: [...i2Base.timeline, { at: '2027-01-21T00:00:01.000Z', type: 'reply_queued', actor: 'faq', data: { replyId: 'rp_faq2', via: 'channel', faqId: 'fees-en' } }, { at: '2027-01-21T00:00:02.000Z', type: 'reply_failed', actor: 'faq', data: { replyId: 'rp_faq2', code: 'blocked' } }],
  };
  const p1 = complaintFixture({ receivedAt: '2027-02-01T00:00:00.000Z', kind: 'praise', status: 'received', channel: 'social', source: 'x' });
  const s1 = complaintFixture({ receivedAt: '2027-03-01T00:00:00.000Z', kind: 'suggestion', status: 'received', channel: 'hotline', source: 'hotline' });
  return {
    c1: withKey(c1, 'k1'),
    c2: withKey(c2, 'k1'),
    c3: withKey(c3, 'k2'),
    c4: withKey(c4, 'k2'),
    c5: withKey(c5, 'k2'),
    c6: withKey(c6, 'k3'),
    c7: withKey(c7, 'k3'),
    c8: c8 as ReportItem,
    i1: i1 as ReportItem,
    i2: i2 as ReportItem,
    p1: p1 as ReportItem,
    s1: s1 as ReportItem,
  };
}
