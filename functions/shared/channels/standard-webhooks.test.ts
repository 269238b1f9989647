import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import vectors from '../../../test/fixtures/standard-webhooks-vectors.json' with { type: 'json' };
import { BadRequestError, UnauthorizedError, UnsupportedMediaTypeError } from '../errors.ts';
import {
  createStandardWebhooksAdapter,
  decodeWebhookSecret,
  signStandardWebhook,
  verifyStandardWebhook,
} from './standard-webhooks.ts';
import type { ChannelRequest } from './channel.ts';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const NOW = new Date('2026-11-28T09:30:00Z');
const TS = Math.floor(NOW.getTime() / 1000);

function request(body: string, headers: Record<string, string>, now = NOW): ChannelRequest {
  return { method: 'POST', path: '/webhooks/web', rawQuery: '', query: {}, headers, body: Buffer.from(body, 'utf8'), now };
}

function signed(body: string, { id = 'msg_1', ts = TS, secret = SECRET, contentType = 'application/json' } = {}): ChannelRequest {
  return request(body, {
    'content-type': contentType,
    'webhook-id': id,
    'webhook-timestamp': String(ts),
    'webhook-signature': signStandardWebhook(secret, id, ts, body),
  });
}

const adapter = createStandardWebhooksAdapter({ route: 'web', channel: 'web', source: 'web', secrets: [SECRET] });
const feedback = (data: Record<string, unknown>) => JSON.stringify({ type: 'feedback.submitted', timestamp: '2026-11-28T09:29:00Z', data });

describe('verifyStandardWebhook on the published vectors', () => {
  for (const v of vectors) {
    it(`${v.expect.valid ? 'accepts' : 'rejects'}: ${v.description}`, () => {
      // Prepare
      const keys = [decodeWebhookSecret(v.secret)];
      const now = new Date((v.now ?? 0) * 1000);
      const act = () => verifyStandardWebhook(v.headers as Record<string, string>, Buffer.from(v.body, 'utf8'), keys, now);
      // Act / Assess
      if (v.expect.valid) expect(act().id).toBe(v.headers['webhook-id']);
      else expect(act).toThrow(UnauthorizedError);
    });
  }

  it('reproduces the library reference signature', () => {
    expect(signStandardWebhook(SECRET, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });
});

describe('Standard Webhooks adapter', () => {
  it('turns a signed feedback.submitted body into one inbound message keyed by webhook-id', async () => {
    const outcome = await adapter.handle(signed(feedback({ text: '转账失败', customer: { id: 'c-1', phone: '13800138000' }, rating: 2 }), { id: 'msg_abc' }));
    expect(outcome.messages).toEqual([
      expect.objectContaining({ source: 'web', channel: 'web', externalId: 'msg_abc', text: '转账失败', rating: 2, customer: { id: 'c-1', contact: '13800138000' } }),
    ]);
    const answer = outcome.respond([{ id: 'fb_x', duplicate: false }]);
    expect(answer.statusCode).toBe(202);
    expect(JSON.parse(String(answer.body))).toEqual({ accepted: [{ id: 'fb_x', duplicate: false }] });
  });

  it('accepts application/json with a charset parameter', async () => {
    const outcome = await adapter.handle(signed(feedback({ text: 'ok' }), { contentType: 'application/json; charset=utf-8' }));
    expect(outcome.messages).toHaveLength(1);
  });

  it('accepts a delivery signed with any active key (rotation)', async () => {
    const rotated = createStandardWebhooksAdapter({ route: 'web', channel: 'web', source: 'web', secrets: ['whsec_bmV3LWtleS1uZXcta2V5LW5ldy1rZXk=', SECRET] });
    expect((await rotated.handle(signed(feedback({ text: 'hi' })))).messages).toHaveLength(1);
  });

  it('refuses other media types with 415 before anything else', () => {
    expect(() => adapter.handle(signed(feedback({ text: 'hi' }), { contentType: 'text/plain' }))).toThrow(UnsupportedMediaTypeError);
  });

  it('refuses unsigned, stale and wrongly signed deliveries with 401', () => {
    const body = feedback({ text: 'hi' });
    expect(() => adapter.handle(request(body, { 'content-type': 'application/json' }))).toThrow(UnauthorizedError);
    expect(() => adapter.handle(signed(body, { ts: TS - 301 }))).toThrow(UnauthorizedError);
    expect(() => adapter.handle(signed(body, { ts: TS + 301 }))).toThrow(UnauthorizedError);
    expect(() => adapter.handle(signed(body, { secret: 'whsec_d3Jvbmctd3Jvbmctd3Jvbmctd3Jvbmc=' }))).toThrow(UnauthorizedError);
  });

  it('names the missing field when data.text is absent, and rejects invalid JSON, after verifying', () => {
    const err = catchError(() => adapter.handle(signed(feedback({ rating: 2 }))));
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).errors?.map((e) => e.field)).toContain('data.text');
    expect(() => adapter.handle(signed('{"type":"feedback.submitted","data":{"text":"unterminated'))).toThrow(BadRequestError);
  });

  it('counts the 5,000-character limit in code points', async () => {
    const fiveThousandEmoji = '😀'.repeat(5000); // 10,000 UTF-16 units, 5,000 code points
    expect((await adapter.handle(signed(feedback({ text: fiveThousandEmoji })))).messages).toHaveLength(1);
    expect(() => adapter.handle(signed(feedback({ text: '😀'.repeat(5001) })))).toThrow(BadRequestError);
    expect(() => adapter.handle(signed(feedback({ text: '   ' })))).toThrow(BadRequestError);
  });

  it('is not configured without a secret', () => {
    expect(createStandardWebhooksAdapter({ route: 'web', channel: 'web', source: 'web', secrets: [] }).configured).toBe(false);
  });
});

describe('only what can be stored is accepted (400 naming the field before any acknowledgement)', () => {
  /** The fields named by the 400 a raw body gets. */
  const refusedFields = (rawBody: string): string[] => {
    const err = catchError(() => adapter.handle(signed(rawBody)));
    expect(err).toBeInstanceOf(BadRequestError);
    return (err as BadRequestError).errors!.map((e) => e.field);
  };
  const withContext = (contextJson: string) => `{"type":"feedback.submitted","data":{"text":"hello","context":${contextJson}}}`;
  let nested = '"x"';
  for (let i = 0; i < 17; i++) nested = `{"k":${nested}}`;

  it.each([
    ['constructor', '{"constructor":{"a":1}}', 'data.context.constructor'],
    ['constructor, nested', '{"page":{"constructor":"String"}}', 'data.context.page.constructor'],
    ['__proto__', '{"__proto__":{"polluted":true}}', 'data.context.__proto__'],
    ['toString', '{"toString":"x"}', 'data.context.toString'],
    ['hasOwnProperty', '{"a":[{"hasOwnProperty":1}]}', 'data.context.a.0.hasOwnProperty'],
    ['an empty key', '{"":1}', 'data.context.'],
    ['a key with U+FFFE', '{"a\\ufffe":1}', 'data.context.a\\ufffe'],
    ['a key with a lone surrogate', '{"\\ud800":1}', 'data.context.\\ud800'],
    ['a number below 1e-130', '{"tiny":1e-131}', 'data.context.tiny'],
    ['a number beyond 2^53', '{"big":9007199254740993}', 'data.context.big'],
    ['nesting deeper than 16 levels', nested, `data.context${'.k'.repeat(16)}`],
  ])('refuses a context with %s', (_label, contextJson, field) => {
    expect(refusedFields(withContext(contextJson))).toEqual([JSON.parse(`"${field}"`)]);
  });

  it('refuses a context over 32 KB as DynamoDB counts it (UTF-8), naming data.context', () => {
    // 11,000 Chinese characters: 11,000 UTF-16 units but 33,000 bytes.
    expect(refusedFields(withContext(JSON.stringify({ note: '投'.repeat(11_000) })))).toEqual(['data.context']);
  });

  it('refuses a rating DynamoDB cannot hold', () => {
    expect(refusedFields('{"type":"feedback.submitted","data":{"text":"hello","rating":1e-200}}')).toEqual(['data.rating']);
  });

  it('refuses an over-long webhook-id, naming it', () => {
    const err = catchError(() => adapter.handle(signed(feedback({ text: 'hi' }), { id: `msg_${'x'.repeat(600)}` })));
    expect((err as BadRequestError).errors).toEqual([{ field: 'webhook-id', message: 'at most 512 characters' }]);
  });

  it.each([
    ['NUL characters', '\\u0000\\u0000'],
    ['zero-width characters', '\\u200b\\u200c\\u200d\\u2060\\ufeff'],
    ['Unicode spaces and tabs', '\\u3000\\u00a0\\t \\u2003'],
    ['a Hangul filler and a variation selector', '\\u3164\\ufe0f'],
  ])('refuses text made only of %s, naming data.text', (_label, text) => {
    expect(refusedFields(`{"type":"feedback.submitted","data":{"text":"${text}"}}`)).toEqual(['data.text']);
  });

  it('accepts a context of ordinary keys and values as sent', async () => {
    const context = { page: '/transfer', appVersion: '5.2.1', platform: 'ios', callId: 'c-77', attempts: 3, ratio: 0.25, tags: ['a', 'b'], flags: { beta: true, none: null } };
    expect((await adapter.handle(signed(feedback({ text: 'hi', context })))).messages[0]!.context).toEqual(context);
  });
});

describe('webhook-signature is parsed strictly', () => {
  const body = feedback({ text: 'My card was declined twice today.' });
  const good = signed(body, { id: 'msg_strict' });
  const sig = good.headers['webhook-signature']!;
  const verify = (header: string) => () => verifyStandardWebhook({ ...good.headers, 'webhook-signature': header }, good.body, [decodeWebhookSecret(SECRET)], NOW);

  it('accepts the exact entry, and it among other entries (rotation, other versions)', () => {
    expect(verify(sig)().id).toBe('msg_strict');
    expect(verify(`v1,${'A'.repeat(43)}= ${sig} v1a,${'B'.repeat(86)}==`)().id).toBe('msg_strict');
  });

  it.each([
    ['trailing junk', `${sig}!!!`],
    ['a trailing comma field', `${sig},x`],
    ['the padding dropped', sig.slice(0, -1)],
    ['a trailing newline', `${sig}\n`],
    ['upper-case version', sig.replace('v1,', 'V1,')],
  ])('rejects a matching signature with %s (401)', (_label, header) => {
    expect(verify(header)).toThrow(UnauthorizedError);
  });

  it('rejects a non-canonical base64 spelling of the right HMAC (401)', () => {
    // 43 characters carry 258 bits: the last character's two low bits are padding, which a decoder ignores.
    const last = sig.at(-2)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const twin = alphabet[alphabet.indexOf(last) ^ 1]!;
    const header = `${sig.slice(0, -2)}${twin}=`;
    expect(Buffer.from(header.slice(3), 'base64')).toEqual(Buffer.from(sig.slice(3), 'base64'));
    expect(verify(header)).toThrow(UnauthorizedError);
  });

  it('rejects the signature with any characters appended (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), (junk) => {
        fc.pre(!junk.startsWith(' '));
        expect(verify(sig + junk)).toThrow(UnauthorizedError);
      }),
    );
  });
});

describe('tampering (property)', () => {
  const body = feedback({ text: 'My card was declined twice today.' });
  const good = signed(body, { id: 'msg_prop' });

  it('any change to the body is rejected', () => {
    fc.assert(
      fc.property(fc.nat({ max: body.length - 1 }), fc.integer({ min: 1, max: 255 }), (pos, delta) => {
        const bytes = Buffer.from(body, 'utf8');
        bytes[pos] = (bytes[pos]! + delta) % 256;
        const req = { ...good, body: bytes };
        expect(() => verifyStandardWebhook(req.headers, req.body, [decodeWebhookSecret(SECRET)], NOW)).toThrow(UnauthorizedError);
      }),
    );
  });

  it('any other signature, id or timestamp is rejected', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60 }), fc.constantFrom('webhook-signature', 'webhook-id', 'webhook-timestamp'), (value, header) => {
        fc.pre(value !== good.headers[header]);
        const headers = { ...good.headers, [header]: value };
        expect(() => verifyStandardWebhook(headers, good.body, [decodeWebhookSecret(SECRET)], NOW)).toThrow(UnauthorizedError);
      }),
    );
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}
