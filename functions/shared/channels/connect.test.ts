import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FeedbackMessage } from '../../../schemas/feedback.ts';
import { storableIssues } from '../../../schemas/storable.ts';
import { ProblemError } from '../errors.ts';
import { feedbackId } from '../ids.ts';
import { normaliseInbound } from '../pipeline/normalise.ts';
import { findAdapter, createChannelAdapters } from './registry.ts';
import { connectEventToInbound, connectKeyMatches, contactIdOf, createConnectAdapter, CONNECT_KEY_HEADER } from './connect.ts';
import { channelRequest, channelVectors, handleOrProblem } from './test-request.ts';

const CONTACT_ID = 'efgh4567-pqrs-5678-t9c0-111111111111';
const INSTANCE = 'arn:aws:connect:eu-west-2:111122223333:instance/abcd1234-defg-5678-h9j0-7c822889931e';

describe('Amazon Connect adapter: every amazon-connect-eventbridge vector', () => {
  const vectors = channelVectors('amazon-connect-eventbridge');

  it('has the three Connect vectors of test/fixtures/channel-vectors.json (#31–33)', () => {
    expect(vectors.map((v) => v.index)).toEqual([31, 32, 33]);
  });

  for (const vector of vectors) {
    it(`#${vector.index} ${vector.description}`, async () => {
      // Prepare: the vector's secret is the one active key.
      const adapter = createConnectAdapter({ REDRESS_CONNECT_KEY: vector.secret });
      const req = channelRequest({ method: vector.method, url: vector.url, headers: vector.headers, body: vector.body });
      // Act
      const outcome = await handleOrProblem(adapter, req);
      // Assess
      if (!vector.expect.valid) {
        expect(outcome).toBeInstanceOf(ProblemError);
        expect((outcome as ProblemError).status).toBe(vector.expect.status);
        return;
      }
      if (outcome instanceof ProblemError) throw outcome;
      expect(outcome.respond([]).statusCode).toBe(vector.expect.status);
      if (vector.index === 32) {
        expect(outcome.messages).toEqual([
          {
            source: 'hotline',
            channel: 'hotline',
            externalId: CONTACT_ID,
            dedupeKey: 'connect:0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d',
            occurredAt: '2026-01-01T09:21:03.000Z',
            text: '[Contact Lens rule: customer-negative-sentiment-fees]',
            context: {
              contactId: CONTACT_ID,
              ruleName: 'customer-negative-sentiment-fees',
              detailType: 'Contact Lens Post Call Rules Matched',
              eventId: '0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d',
              actionName: 'GenerateEventBridgeEvent',
              instanceArn: INSTANCE,
              agentArn: `${INSTANCE}/agent/99999999-8888-7777-6666-555555555555`,
              queueArn: `${INSTANCE}/queue/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee`,
            },
          },
        ]);
      } else {
        // #31: a DISCONNECTED contact event has no caller and no words: housekeeping.
        expect(outcome.messages).toEqual([]);
      }
    });
  }

  it('still takes #31 and #32 during a key rotation (the vector key second of two) and refuses #33 with both', async () => {
    const [v31, v32, v33] = vectors;
    const adapter = createConnectAdapter({ REDRESS_CONNECT_KEY: `cx-new-key-0001, ${v31!.secret}` });
    for (const v of [v31!, v32!]) expect(await handleOrProblem(adapter, channelRequest({ url: v.url, headers: v.headers, body: v.body }))).not.toBeInstanceOf(ProblemError);
    const refused = await handleOrProblem(adapter, channelRequest({ url: v33!.url, headers: v33!.headers, body: v33!.body }));
    expect((refused as ProblemError).status).toBe(401);
  });
});

const KEY = 'cx-test-key-5b1e0c7a9d';
const adapter = createConnectAdapter({ REDRESS_CONNECT_KEY: KEY });

const ruleMatch = (detailType: string, overrides: Record<string, unknown> = {}, envelope: Record<string, unknown> = {}) =>
  JSON.stringify({
    version: '0',
    id: 'evt-1',
    'detail-type': detailType,
    source: 'aws.connect',
    account: '111122223333',
    time: '2026-03-02T10:00:00Z',
    region: 'eu-west-2',
    resources: [],
    detail: { ruleName: 'fees-complaint', actionName: 'GenerateEventBridgeEvent', instanceArn: INSTANCE, contactArn: `${INSTANCE}/contact/${CONTACT_ID}`, ...overrides },
    ...envelope,
  });

const post = (body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', [CONNECT_KEY_HEADER]: KEY }) =>
  channelRequest({ url: '/webhooks/hotline/connect', headers, body });

const statusOf = async (req: ReturnType<typeof channelRequest>, a = adapter): Promise<number> => {
  const outcome = await handleOrProblem(a, req);
  return outcome instanceof ProblemError ? outcome.status : outcome.respond([]).statusCode;
};

describe('Amazon Connect adapter: which events make items', () => {
  for (const detailType of ['Contact Lens Post Call Rules Matched', 'Contact Lens Realtime Rules Matched', 'Contact Lens Post Chat Rules Matched']) {
    it(`${detailType}: one hotline item naming the rule, keyed by the event id, for the contact in contactArn`, async () => {
      const outcome = await handleOrProblem(adapter, post(ruleMatch(detailType)));
      if (outcome instanceof ProblemError) throw outcome;
      expect(outcome.messages).toHaveLength(1);
      expect(outcome.messages[0]).toMatchObject({ source: 'hotline', channel: 'hotline', externalId: CONTACT_ID, dedupeKey: 'connect:evt-1', text: '[Contact Lens rule: fees-complaint]' });
      expect(outcome.messages[0]!.context).toMatchObject({ detailType, contactId: CONTACT_ID, ruleName: 'fees-complaint' });
    });
  }

  it('acknowledges contact events, other Connect detail-types and other sources with 200 and no item', async () => {
    for (const body of [
      ruleMatch('Amazon Connect Contact Event', { eventType: 'INITIATED' }),
      ruleMatch('Contact Lens Analysis State Change', { state: 'FAILED' }),
      ruleMatch('Metrics Rules Matched'),
      ruleMatch('Contact Lens Post Call Rules Matched', {}, { source: 'aws.s3' }),
      // Housekeeping is not parsed beyond the envelope: a contact event with a detail of any shape is fine.
      ruleMatch('Amazon Connect Contact Event', { ruleName: 42, contactArn: null }),
    ]) {
      const outcome = await handleOrProblem(adapter, post(body));
      if (outcome instanceof ProblemError) throw outcome;
      expect(outcome.messages).toEqual([]);
      expect(outcome.respond([])).toMatchObject({ statusCode: 200, body: JSON.stringify({ accepted: [] }) });
    }
  });

  it('takes the contact from detail.contactId when there is no contact ARN', async () => {
    const outcome = await handleOrProblem(adapter, post(ruleMatch('Contact Lens Realtime Rules Matched', { contactArn: undefined, contactId: 'c-42' })));
    if (outcome instanceof ProblemError) throw outcome;
    expect(outcome.messages[0]!.externalId).toBe('c-42');
  });

  it('answers the accepted ids, duplicates marked', async () => {
    const outcome = await handleOrProblem(adapter, post(ruleMatch('Contact Lens Post Call Rules Matched')));
    if (outcome instanceof ProblemError) throw outcome;
    const answer = outcome.respond([{ id: 'fb_x', duplicate: true }]);
    expect(answer).toMatchObject({ statusCode: 200, body: JSON.stringify({ accepted: [{ id: 'fb_x', duplicate: true }] }) });
  });
});

describe('Amazon Connect adapter: refusals', () => {
  it('401 without the key, with a wrong, longer, shorter or differently cased key: before the body is read', async () => {
    const body = ruleMatch('Contact Lens Post Call Rules Matched');
    for (const key of [undefined, '', 'nope', `${KEY}x`, KEY.slice(0, -1), KEY.toUpperCase()]) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (key !== undefined) headers[CONNECT_KEY_HEADER] = key;
      expect(await statusOf(post(body, headers))).toBe(401);
    }
    // Unauthenticated junk is 401 too, not 400 or 415: nothing about it is examined.
    expect(await statusOf(post('not json', { 'content-type': 'text/plain' }))).toBe(401);
  });

  it('400 for a body that is not an EventBridge event or a rule match without its fields', async () => {
    for (const body of [
      'not json',
      '[]',
      '"event"',
      JSON.stringify({ id: 'e', 'detail-type': 'Contact Lens Post Call Rules Matched', source: 'aws.connect' }), // no detail
      JSON.stringify({ 'detail-type': 'Amazon Connect Contact Event', source: 'aws.connect', detail: {} }), // no id
      JSON.stringify({ id: '', 'detail-type': 'Amazon Connect Contact Event', source: 'aws.connect', detail: {} }),
      JSON.stringify({ id: 'e', 'detail-type': 'Amazon Connect Contact Event', source: 'aws.connect', detail: [] }),
      ruleMatch('Contact Lens Post Call Rules Matched', { ruleName: undefined }),
      ruleMatch('Contact Lens Post Call Rules Matched', { ruleName: '' }),
      ruleMatch('Contact Lens Post Call Rules Matched', { agentArn: 7 }),
      ruleMatch('Contact Lens Post Call Rules Matched', { contactArn: undefined }),
      ruleMatch('Contact Lens Post Call Rules Matched', { contactArn: `${INSTANCE}/queue/q1` }),
      ruleMatch('Contact Lens Post Call Rules Matched', { contactArn: undefined, contactId: 'has space' }),
    ]) {
      const outcome = await handleOrProblem(adapter, post(body));
      expect(outcome, body).toBeInstanceOf(ProblemError);
      expect((outcome as ProblemError).status, body).toBe(400);
    }
  });

  it('405 for anything but POST, 415 for a type other than JSON', async () => {
    expect(await statusOf(channelRequest({ method: 'GET', url: '/webhooks/hotline/connect', headers: { [CONNECT_KEY_HEADER]: KEY } }))).toBe(405);
    expect(await statusOf(post(ruleMatch('Contact Lens Post Call Rules Matched'), { 'content-type': 'text/plain', [CONNECT_KEY_HEADER]: KEY }))).toBe(415);
  });

  it('is not configured without a key (the ingest handler then answers 503), and a blank list is no key', () => {
    expect(createConnectAdapter({}).configured).toBe(false);
    expect(createConnectAdapter({ REDRESS_CONNECT_KEY: ' , ' }).configured).toBe(false);
    expect(adapter.configured).toBe(true);
  });

  it('owns /webhooks/hotline/connect in the registry, beside the CTI and Twilio routes', () => {
    const adapters = createChannelAdapters({ REDRESS_CONNECT_KEY: KEY, REDRESS_HOTLINE_SECRET: 'whsec_MDEyMzQ1Njc4OWFiY2RlZg==' });
    expect(findAdapter(adapters, 'hotline/connect')?.route).toBe('hotline/connect');
    expect(findAdapter(adapters, 'hotline')?.route).toBe('hotline');
    expect(findAdapter(adapters, 'hotline/connect/x')).toBeUndefined();
  });
});

describe('Amazon Connect: keys, contacts and ids', () => {
  it('compares keys against every active one', () => {
    expect(connectKeyMatches(KEY, [KEY])).toBe(true);
    expect(connectKeyMatches(KEY, ['other', KEY])).toBe(true);
    expect(connectKeyMatches(KEY, ['other'])).toBe(false);
    expect(connectKeyMatches(undefined, [KEY])).toBe(false);
    expect(connectKeyMatches('', [''])).toBe(false);
  });

  it('reads the contact id from a contact ARN only', () => {
    expect(contactIdOf(`${INSTANCE}/contact/${CONTACT_ID}`)).toBe(CONTACT_ID);
    expect(contactIdOf(`arn:aws-cn:connect:cn-north-1:111122223333:instance/i-1/contact/c-1`)).toBe('c-1');
    expect(contactIdOf(`${INSTANCE}/agent/a-1`)).toBeUndefined();
    expect(contactIdOf(`${INSTANCE}/contact/c-1/extra`)).toBeUndefined();
    expect(contactIdOf(undefined)).toBeUndefined();
  });

  it('gives each event its own item id (two rule matches on one call are two items) and a redelivery the same one', () => {
    const [first] = connectEventToInbound(JSON.parse(ruleMatch('Contact Lens Post Call Rules Matched', {}, { id: 'evt-a' })));
    const [again] = connectEventToInbound(JSON.parse(ruleMatch('Contact Lens Post Call Rules Matched', {}, { id: 'evt-a' })));
    const [second] = connectEventToInbound(JSON.parse(ruleMatch('Contact Lens Realtime Rules Matched', { ruleName: 'other-rule' }, { id: 'evt-b' })));
    const at = new Date('2026-03-02T10:00:01Z');
    const ids = [first!, again!, second!].map((m) => normaliseInbound(m, at).id);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[0]).not.toBe(ids[2]);
    expect(ids[0]).toBe(feedbackId('hotline', 'connect:evt-a'));
    // The item still names the call: externalId is the contact for both.
    expect([first, second].map((m) => normaliseInbound(m!, at).externalId)).toEqual([CONTACT_ID, CONTACT_ID]);
  });
});

describe('Amazon Connect adapter: any request', () => {
  // Each field is usually well formed and sometimes not, so many bodies reach the rule-match parsing and
  // some make items (a property over junk alone would never get past the envelope).
  const sometimes = <T,>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown>) => fc.oneof({ arbitrary: good, weight: 4 }, { arbitrary: bad, weight: 1 });
  const anyJson = fc.oneof(fc.jsonValue(), fc.constant(undefined));
  const envelope = fc.record({
    id: sometimes(fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 300 })), anyJson),
    'detail-type': sometimes(fc.constantFrom('Contact Lens Post Call Rules Matched', 'Contact Lens Realtime Rules Matched', 'Contact Lens Post Chat Rules Matched', 'Amazon Connect Contact Event'), fc.string()),
    source: sometimes(fc.constant('aws.connect'), fc.oneof(fc.string(), anyJson)),
    time: sometimes(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.oneof(fc.string(), anyJson)),
    detail: sometimes(
      fc.record({
        ruleName: sometimes(fc.string({ minLength: 1, maxLength: 3000 }), anyJson),
        contactArn: sometimes(fc.oneof(fc.constant(`${INSTANCE}/contact/${CONTACT_ID}`), fc.string().map((s) => `${INSTANCE}/contact/${s}`)), anyJson),
        contactId: sometimes(fc.string({ maxLength: 300 }), anyJson),
        agentArn: sometimes(fc.string({ maxLength: 3000 }), anyJson),
        queueArn: sometimes(fc.string(), anyJson),
        actionName: sometimes(fc.string(), anyJson),
      }),
      anyJson,
    ),
  });
  const arbitraryBody = fc.oneof(
    fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)),
    fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v))),
    { arbitrary: envelope.map((v) => Buffer.from(JSON.stringify(v))), weight: 4 },
  );

  it('never throws: a keyed request is a result or a 4xx problem; an unkeyed one is always 401', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryBody, fc.boolean(), fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', ''), async (body, keyed, contentType) => {
        // Prepare
        const headers: Record<string, string> = { 'content-type': contentType };
        if (keyed) headers[CONNECT_KEY_HEADER] = KEY;
        // Act
        const outcome = await handleOrProblem(adapter, post(body, headers));
        // Assess: handleOrProblem fails the property on any non-problem error.
        if (!keyed) return outcome instanceof ProblemError && outcome.status === 401;
        if (outcome instanceof ProblemError) return outcome.status >= 400 && outcome.status < 500;
        // Whatever is accepted is one item naming its rule, and normalises into a message the queue schema takes.
        return outcome.messages.every((m) => {
          const queued = normaliseInbound(m, new Date());
          return queued.text.startsWith('[Contact Lens rule: ') && FeedbackMessage.safeParse(queued).success && storableIssues(queued.context).length === 0;
        });
      }),
      { numRuns: 500 },
    );
  });
});
