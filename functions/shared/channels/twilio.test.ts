import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProblemError } from '../errors.ts';
import { channelRequest, channelVectors, handleOrProblem } from './test-request.ts';
import { createTwilioAdapter, EMPTY_TWIML, twilioSignature, type TwilioParam } from './twilio.ts';

describe('Twilio adapter: every twilio vector', () => {
  for (const vector of channelVectors('twilio')) {
    it(`#${vector.index} ${vector.description}`, async () => {
      // Prepare: REDRESS_PUBLIC_URL is the vector URL's origin; the request carries its path and query.
      const url = new URL(vector.url);
      const adapter = createTwilioAdapter({ REDRESS_TWILIO_AUTH_TOKEN: vector.secret, REDRESS_PUBLIC_URL: url.origin });
      const req = channelRequest({ method: vector.method, url: url.pathname + url.search, headers: vector.headers, body: vector.body });
      // Act
      const outcome = await handleOrProblem(adapter, req);
      // Assess
      if (!vector.expect.valid) {
        expect(outcome).toBeInstanceOf(ProblemError);
        expect((outcome as ProblemError).status).toBe(vector.expect.status);
        return;
      }
      if (outcome instanceof ProblemError) throw outcome;
      const answer = outcome.respond([]);
      expect(answer).toMatchObject({ statusCode: 200, body: EMPTY_TWIML, headers: { 'content-type': 'text/xml' } });
      if (vector.expect.responseBody !== undefined) expect(answer.body).toBe(vector.expect.responseBody);
      if (vector.index === 27) {
        expect(outcome.messages).toEqual([
          {
            source: 'twilio',
            channel: 'hotline',
            externalId: 'TR0a1b2c3d4e5f60718293a4b5c6d7e8f9',
            text: 'Hi, I waited forty minutes on hold about a blocked card. Please call me back.',
            customer: { id: '+447700900123', contact: '+447700900123' },
            context: {
              callSid: 'CA9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d',
              recordingSid: 'RE1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f',
              recordingUrl: 'https://api.twilio.com/2010-04-01/Accounts/AC3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c/Recordings/RE1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f',
              called: '+442080001234',
              line: 'cards',
            },
          },
        ]);
      } else {
        expect(outcome.messages).toEqual([]); // voice webhooks without a transcription, and #30's JSON
      }
    });
  }

  it('computes every valid form vector signature from its decoded params', () => {
    for (const vector of channelVectors('twilio').filter((v) => v.params && v.expect.valid)) {
      expect(twilioSignature(vector.secret, vector.url, Object.entries(vector.params!))).toBe(vector.headers['x-twilio-signature']);
    }
  });
});

const TOKEN = '9d2f6c1a8e4b7d30f5a2c9e1b6d8f047';
const PUBLIC_URL = 'https://api.example-bank.com';
const adapter = createTwilioAdapter({ REDRESS_TWILIO_AUTH_TOKEN: TOKEN, REDRESS_PUBLIC_URL: `${PUBLIC_URL}/` });

const transcription = (overrides: Record<string, string> = {}): Record<string, string> => ({
  AccountSid: 'AC0000', CallSid: 'CA1111', CallStatus: 'completed', From: '+447700900123', Caller: '+447700900123', To: '+442080001234',
  RecordingSid: 'RE2222', TranscriptionSid: 'TR3333', TranscriptionStatus: 'completed', TranscriptionText: 'The fee on my account is wrong.', ...overrides,
});

/** A form POST to `pathQuery`, signed over `signedParams` (default: the params sent) with `token`. */
const formPost = (pathQuery: string, params: readonly TwilioParam[] | Record<string, string>, { token = TOKEN, signedUrl = PUBLIC_URL + pathQuery, signedParams = undefined as readonly TwilioParam[] | undefined } = {}) => {
  const entries = Array.isArray(params) ? (params as readonly TwilioParam[]) : Object.entries(params);
  return channelRequest({
    url: pathQuery,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(token, signedUrl, signedParams ?? entries) },
    body: new URLSearchParams(entries as [string, string][]).toString(),
  });
};

const statusOf = async (req: ReturnType<typeof channelRequest>): Promise<number> => {
  const outcome = await handleOrProblem(adapter, req);
  return outcome instanceof ProblemError ? outcome.status : outcome.respond([]).statusCode;
};

describe('Twilio adapter: callbacks', () => {
  it('turns a transcription on the bare route into one hotline message, with the caller name when given', async () => {
    const outcome = await adapter.handle(formPost('/webhooks/hotline/twilio', transcription({ CallerName: 'PAT DOE' })));
    expect(outcome.messages).toEqual([
      { source: 'twilio', channel: 'hotline', externalId: 'TR3333', text: 'The fee on my account is wrong.', customer: { id: '+447700900123', contact: '+447700900123', name: 'PAT DOE' }, context: { callSid: 'CA1111', recordingSid: 'RE2222' } },
    ]);
  });

  it.each([
    ['a recording-status callback', { AccountSid: 'AC0', CallSid: 'CA1', RecordingSid: 'RE1', RecordingUrl: 'https://api.twilio.com/r', RecordingStatus: 'completed', RecordingDuration: '14', RecordingChannels: '1', RecordingSource: 'RecordVerb' }],
    ['a call-status callback', { AccountSid: 'AC0', CallSid: 'CA1', CallStatus: 'completed', From: '+447700900123', To: '+442080001234', Direction: 'inbound' }],
    ['a failed transcription', transcription({ TranscriptionStatus: 'failed', TranscriptionText: '' })],
    ['a blank transcription', transcription({ TranscriptionText: '   ' })],
  ])('acknowledges %s with empty TwiML and no message', async (_label, params) => {
    const outcome = await adapter.handle(formPost('/webhooks/hotline/twilio/recording?line=cards', params));
    expect(outcome.messages).toEqual([]);
    expect(outcome.respond([])).toMatchObject({ statusCode: 200, body: EMPTY_TWIML });
  });

  it('signs repeated parameter names with their values sorted', async () => {
    const params: TwilioParam[] = [...Object.entries(transcription()), ['Tag', 'zeta'], ['Tag', 'alpha']];
    expect(await statusOf(formPost('/webhooks/hotline/twilio', params))).toBe(200);
  });

  it('accepts a transcription in a JSON callback covered by bodySHA256', async () => {
    const body = JSON.stringify(transcription());
    const pathQuery = `/webhooks/hotline/twilio?bodySHA256=${createHash('sha256').update(body).digest('hex')}`;
    const req = channelRequest({ url: pathQuery, headers: { 'content-type': 'application/json', 'x-twilio-signature': twilioSignature(TOKEN, PUBLIC_URL + pathQuery, []) }, body });
    expect((await adapter.handle(req)).messages.map((m) => m.externalId)).toEqual(['TR3333']);
  });

  it('accepts the secondary auth token during rotation', async () => {
    const rotating = createTwilioAdapter({ REDRESS_TWILIO_AUTH_TOKEN: `new-token,${TOKEN}`, REDRESS_PUBLIC_URL: PUBLIC_URL });
    expect((await rotating.handle(formPost('/webhooks/hotline/twilio', transcription()))).messages).toHaveLength(1);
  });
});

describe('Twilio adapter: rejections', () => {
  it('refuses a signature over a URL rebuilt from another host', async () => {
    const req = formPost('/webhooks/hotline/twilio', transcription(), { signedUrl: 'http://evil.example/webhooks/hotline/twilio' });
    expect(await statusOf(req)).toBe(403);
  });

  it('refuses a JSON body that does not match bodySHA256, or has none', async () => {
    const body = JSON.stringify(transcription());
    const pathQuery = `/webhooks/hotline/twilio?bodySHA256=${createHash('sha256').update(body).digest('hex')}`;
    const sig = twilioSignature(TOKEN, PUBLIC_URL + pathQuery, []);
    const edited = channelRequest({ url: pathQuery, headers: { 'content-type': 'application/json', 'x-twilio-signature': sig }, body: body.replace('wrong', 'right') });
    const unhashed = channelRequest({ url: '/webhooks/hotline/twilio', headers: { 'content-type': 'application/json', 'x-twilio-signature': twilioSignature(TOKEN, `${PUBLIC_URL}/webhooks/hotline/twilio`, []) }, body });
    expect(await statusOf(edited)).toBe(403);
    expect(await statusOf(unhashed)).toBe(403);
  });

  it.each([['missing', undefined], ['short', 'AAAA'], ['garbage', '!!!!!!!!!!!!!!!!!!!!!!!!!!!=']])('refuses a %s signature with 403', async (_label, signature) => {
    const req = channelRequest({ url: '/webhooks/hotline/twilio', headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature ? { 'x-twilio-signature': signature } : {}) }, body: new URLSearchParams(transcription()).toString() });
    expect(await statusOf(req)).toBe(403);
  });

  it('answers 415 to a content type Twilio does not send, and 405 to GET', async () => {
    const req = formPost('/webhooks/hotline/twilio', transcription());
    expect(await statusOf({ ...req, headers: { ...req.headers, 'content-type': 'text/plain' } })).toBe(415);
    expect(await statusOf(channelRequest({ method: 'GET', url: '/webhooks/hotline/twilio' }))).toBe(405);
  });

  it('is configured only with an auth token and a public URL', () => {
    expect(adapter.configured).toBe(true);
    expect(adapter.route).toBe('hotline/twilio');
    expect(createTwilioAdapter({ REDRESS_TWILIO_AUTH_TOKEN: TOKEN }).configured).toBe(false);
    expect(createTwilioAdapter({ REDRESS_PUBLIC_URL: PUBLIC_URL }).configured).toBe(false);
  });
});

describe('Twilio adapter: properties', () => {
  const pathQuery = '/webhooks/hotline/twilio?line=cards';
  const params = transcription();
  const signature = twilioSignature(TOKEN, PUBLIC_URL + pathQuery, Object.entries(params));
  const sendWith = (sent: Record<string, string>, path = pathQuery, sig = signature) =>
    channelRequest({ url: path, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sig }, body: new URLSearchParams(sent).toString() });

  it('rejects any change to a signed parameter value, an added parameter, or a dropped one with 403', async () => {
    const names = Object.keys(params);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), fc.string({ maxLength: 30 }), fc.constantFrom('edit', 'add', 'drop'), async (name, value, change) => {
        const sent = { ...params };
        if (change === 'edit') sent[name] = value;
        else if (change === 'add') sent[`X${name}${value}`] = value;
        else delete sent[name];
        fc.pre(JSON.stringify(sent) !== JSON.stringify(params));
        return (await statusOf(sendWith(sent))) === 403;
      }),
      { numRuns: 300 },
    );
  });

  it('rejects the signature on any other URL path or query with 403', async () => {
    await fc.assert(
      fc.asyncProperty(fc.webPath(), fc.webQueryParameters(), async (path, query) => {
        const other = `/webhooks/hotline/twilio${path}${query ? `?${query}` : ''}`;
        fc.pre(other !== pathQuery);
        return (await statusOf(sendWith(params, other))) === 403;
      }),
      { numRuns: 200 },
    );
  });

  it('rejects a signature made with any other auth token with 403', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40 }), async (token) => {
        fc.pre(token !== TOKEN);
        const sig = createHmac('sha1', token).update(PUBLIC_URL + pathQuery + Object.keys(params).sort().map((k) => k + params[k]).join('')).digest('base64');
        return (await statusOf(sendWith(params, pathQuery, sig))) === 403;
      }),
      { numRuns: 200 },
    );
  });

  it('answers any correctly signed form body with 200 and never throws', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => {
        const body = Buffer.from(bytes);
        const decoded = [...new URLSearchParams(body.toString('utf8'))];
        const req = channelRequest({ url: pathQuery, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(TOKEN, PUBLIC_URL + pathQuery, decoded) }, body });
        return (await statusOf(req)) === 200;
      }),
      { numRuns: 200 },
    );
  });
});
