import { DynamoDBClient, type AttributeValue } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FeedbackMessage } from '../../../schemas/feedback.ts';
import { isSqsSafe } from '../../../schemas/storable.ts';
import { dynamoRuleViolations } from '../../../test/helpers/dynamo-rules.ts';
import { RecordingBus, RecordingTimer } from '../../../test/helpers/fakes.ts';
import { nastyFeedbackBody } from '../../../test/helpers/nasty-json.ts';
import { DynamoFeedbackRepository, createDocumentClient } from '../adapters/aws/dynamo-feedback-repository.ts';
import type { InboundMessage } from '../channels/channel.ts';
import { parseSubmittedFeedback } from '../channels/standard-webhooks.ts';
import { createLocalClassifier } from '../classification/local-classifier.ts';
import { loadClockPolicy } from '../clocks/policy.ts';
import { ProblemError } from '../errors.ts';
import { isLuhnValid, luhnCheckDigit } from '../pii/checksums.ts';
import { buildFeedbackItem } from './feedback-item.ts';
import { normaliseInbound } from './normalise.ts';
import { createCustomerKeyer } from '../customers/customer-key.ts';
import { parseQueuedMessage, processFeedbackMessage } from './process-feedback.ts';

const AT = new Date('2026-11-28T09:30:00Z');
const inbound = (over: Partial<InboundMessage> = {}): InboundMessage => ({ source: 'web', channel: 'web', externalId: 'msg_1', text: 'hello', ...over });
const VISA = (() => { const p = '411111111111111'; return p + luhnCheckDigit(p); })();

/** Every string (keys included) inside a value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap(strings);
  return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]);
}

describe('normaliseInbound: PII in every field', () => {
  it("masks the bank's customer id and the customer's name when they hold PII", () => {
    const message = normaliseInbound(inbound({ customer: { id: '13812345678', name: 'Jane jane.doe@example.com', contact: 'jane.doe@example.com' } }), AT);
    expect(message.customer).toEqual({ id: '[PHONE]', name: 'Jane [EMAIL]', contact: 'j***@example.com' });
  });

  it("keeps a platform's own identity for the customer (the address replies go to), and masks the display name", () => {
    const message = normaliseInbound(inbound({ source: 'whatsapp', channel: 'social', customer: { id: '16505551234', name: 'call me 13812345678' } }), AT);
    expect(message.customer).toEqual({ id: '16505551234', name: 'call me [PHONE]' });
  });

  it('masks context keys, strings at any depth, and numbers that read as PII', () => {
    let deep: Record<string, unknown> = { card: VISA };
    for (let i = 0; i < 14; i++) deep = { [`level${i}`]: deep };
    const message = normaliseInbound(inbound({ context: { '13812345678': 'key is a phone', deep, phone: 13812345678, amount: 25.5, page: '/cards' } }), AT);
    const json = JSON.stringify(message.context);
    expect(json).not.toContain('13812345678');
    expect(json).not.toContain(VISA);
    expect(message.context).toMatchObject({ '[PHONE]': 'key is a phone', phone: '[PHONE]', amount: 25.5, page: '/cards' });
  });

  it('keeps both values when two keys mask to the same text', () => {
    const message = normaliseInbound(inbound({ context: { '13812345678': 'a', '13912345678': 'b' } }), AT);
    expect(message.context).toEqual({ '[PHONE]': 'a', '[PHONE] (2)': 'b' });
  });

  it("keeps a platform's identifiers of our own Page and of the event, even when one passes Luhn", () => {
    // A Page id is not a card, whatever its check digit says.
    const pageId = (() => { const p = '10435001234567'; return p + luhnCheckDigit(p); })();
    expect(isLuhnValid(pageId)).toBe(true);
    const message = normaliseInbound(inbound({ source: 'messenger', channel: 'social', context: { pageId } }), AT);
    expect(message.context).toEqual({ pageId });
  });
});

describe('normaliseInbound: text SQS and DynamoDB can carry', () => {
  it('replaces U+FFFE, U+FFFF, lone surrogates and controls in every string before queueing', () => {
    const bad = 'a\uFFFEb\uFFFFc\uD800d\u0000e';
    const message = normaliseInbound(inbound({ text: bad, subject: bad, language: 'z\uFFFF', externalId: `id${bad}`, customer: { id: bad, name: bad, contact: bad }, context: { note: bad, list: [bad] } }), AT);
    expect(strings(message).every(isSqsSafe)).toBe(true);
    expect(message.text).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe');
  });

  it('always yields a valid FeedbackMessage of SQS-safe text, whatever the strings (property)', () => {
    const text = fc.string({ unit: 'binary', minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(text, fc.option(fc.string({ unit: 'binary', maxLength: 500 }), { nil: undefined }), fc.string({ unit: 'binary', maxLength: 256 }), fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), text), (t, subject, name, context) => {
        const message = normaliseInbound(inbound({ text: t, ...(subject ? { subject } : {}), customer: { id: name, name, contact: name }, context }), AT);
        expect(FeedbackMessage.safeParse(message).success).toBe(true);
        expect(isSqsSafe(JSON.stringify(message))).toBe(true);
        expect(strings(message).every(isSqsSafe)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the queue → store path, with the real marshaller', () => {
  /** A document client built as the project builds it, whose requests stop after marshalling: what DynamoDB would receive. */
  function capturingRepository(): { repository: DynamoFeedbackRepository; sent: Array<Record<string, unknown>> } {
    const client = new DynamoDBClient({ region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const sent: Array<Record<string, unknown>> = [];
    client.middlewareStack.add(
      () => async (args) => {
        sent.push(args.input as Record<string, unknown>);
        return { output: { $metadata: {} }, response: {} };
      },
      { step: 'build', name: 'captureMarshalledInput' },
    );
    return { repository: new DynamoFeedbackRepository(createDocumentClient(client), 'table'), sent };
  }
  const classifier = createLocalClassifier();
  const clockPolicy = loadClockPolicy({});

  it('stores every generated body that passes validation; what cannot be stored is a 400 (property)', async () => {
    await fc.assert(
      fc.asyncProperty(nastyFeedbackBody, async (body) => {
        // Prepare: ingest's validation and normalisation, then the queue's JSON.
        let inboundMessage: InboundMessage;
        try {
          inboundMessage = parseSubmittedFeedback(Buffer.from(body, 'utf8'), 'msg_fuzz', { channel: 'web', source: 'web' });
        } catch (err) {
          if (err instanceof ProblemError && err.status === 400) return;
          throw err;
        }
        const queued = JSON.stringify(normaliseInbound(inboundMessage, AT));
        expect(isSqsSafe(queued)).toBe(true);
        // Act: the process function's path, through the project's document client.
        const { repository, sent } = capturingRepository();
        await processFeedbackMessage(parseQueuedMessage(queued), { repository, eventBus: new RecordingBus(), classifier, clockTimer: new RecordingTimer(), clockPolicy });
        // Assess: every put is one DynamoDB takes.
        const puts = sent.filter((input) => 'Item' in input).map((input) => input.Item as Record<string, AttributeValue>);
        expect(puts).toHaveLength(1);
        expect(dynamoRuleViolations(puts[0]!)).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });
});

/** A WhatsApp image whose ids look like numbers the PII masker hides (a Luhn-valid Page-like id). */
const mediaInbound: InboundMessage = {
  source: 'whatsapp',
  channel: 'social',
  externalId: 'wamid.1',
  occurredAt: '2026-12-01T00:00:00.000Z',
  text: '[image]',
  customer: { id: '16505551234' },
  attachments: [{ type: 'image', platformMediaId: '104350012345678', mimeType: 'image/jpeg' }],
  platform: { accountId: '104350012345678' },
};

describe('normaliseInbound: media and the platform address', () => {
  it('keeps attachments and the receiving account as given, unmasked, through the queue schema', () => {
    // Act
    const queued = FeedbackMessage.parse(JSON.parse(JSON.stringify(normaliseInbound(mediaInbound, new Date('2026-12-01T00:00:01Z')))));
    // Assess
    expect(queued.attachments).toEqual(mediaInbound.attachments);
    expect(queued.platform).toEqual({ accountId: '104350012345678' });
  });

  it('keeps at most 20 attachments', () => {
    const many = Array.from({ length: 25 }, (_, i) => ({ type: 'image' as const, platformMediaId: `m${i}` }));
    expect(normaliseInbound({ ...mediaInbound, attachments: many }, new Date()).attachments).toHaveLength(20);
  });

  it('carries both onto the stored item', () => {
    const message = normaliseInbound(mediaInbound, new Date('2026-12-01T00:00:01Z'));
    const classification = { kind: 'complaint', category: 'other', severity: 'low', sentiment: 0, language: 'en', confidence: 0.5, reasons: [], codes: { jrt0169: { channel: '', business: '', reason: '' } } } as const;
    const item = buildFeedbackItem(message, { ...classification, reasons: [] });
    expect([item.attachments, item.platform]).toEqual([mediaInbound.attachments, mediaInbound.platform]);
  });
});

describe('customer keys at normalisation', () => {
  const keyer = createCustomerKeyer([{ version: 1, secret: 'test-customer-key-secret-one-0001' }]);

  it('hash the raw bank customer id, before masking changes it', () => {
    // A bank reference that reads as a mobile number is masked in the stored id; the key still tells customers apart.
    const one = normaliseInbound({ source: 'web', channel: 'web', externalId: 'k-1', text: 'hello', customer: { id: '13800138000' } }, AT, keyer);
    const other = normaliseInbound({ source: 'web', channel: 'web', externalId: 'k-2', text: 'hello', customer: { id: '13900139000' } }, AT, keyer);

    expect(one.customer.id).toBe(other.customer.id);
    expect(one.customerKey).toBe(keyer('web', { id: '13800138000' }, one.id).customerKey);
    expect(one.customerKey).not.toBe(other.customerKey);
  });

  it('are the same for a redelivery of the same message', () => {
    const inbound: InboundMessage = { source: 'whatsapp', channel: 'social', externalId: 'wamid.1', text: 'hello', customer: { id: '8613800000001' } };

    expect(normaliseInbound(inbound, AT, keyer).customerKey).toBe(normaliseInbound(inbound, new Date(AT.getTime() + 86_400_000), keyer).customerKey);
  });

  it('travel on the queued message and onto the stored item', () => {
    const message = parseQueuedMessage(JSON.stringify(normaliseInbound({ source: 'mobile', channel: 'mobile', externalId: 'k-3', text: 'hello', customer: { id: 'c-1' } }, AT, keyer)));

    expect(message.customerKey).toMatch(/^ck1_[0-9a-f]{32}$/);
  });
});
