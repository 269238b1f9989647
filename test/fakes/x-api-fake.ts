/**
 * A fake of the X API v2 direct-message endpoint that checks what X checks: the path, a JSON body
 * with `text`, and OAuth 1.0a user context: the consumer key and access token it knows, HMAC-SHA1,
 * version 1.0, a fresh timestamp, a nonce not seen before, and the signature, recomputed here
 * independently of the code under test (RFC 5849 §3.4: the JSON body is not signed).
 */
import { createHmac } from 'node:crypto';
import { asObject, FakeServer, hexId, jsonBody, type FakeAnswer, type FakeBehaviour, type RecordedRequest } from './fake-server.ts';

export interface XFakeCredentials {
  consumerKey: string;
  consumerSecret: string;
  accessToken: string;
  accessTokenSecret: string;
}

/** How far a request's oauth_timestamp may be from the fake's clock. */
const TIMESTAMP_TOLERANCE_S = 300;

/** RFC 3986 encoding, written again here on purpose (the fake must not share the signer's bugs). */
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

const problem = (status: number, title: string, detail: string, type = 'about:blank'): FakeAnswer => ({ status, body: { title, detail, type, status } });

/** A DM X accepted. */
export interface AcceptedDm {
  participantId: string;
  text: string;
  eventId: string;
}

export class XApiFake extends FakeServer {
  readonly accepted: AcceptedDm[] = [];
  /** Participants who do not take DMs from the bank's account (403). */
  readonly closedDms = new Set<string>();
  private readonly nonces = new Set<string>();

  constructor(private readonly credentials: XFakeCredentials, private readonly now: () => Date = () => new Date()) {
    const self: { fake?: XApiFake } = {};
    const behaviour: FakeBehaviour = {
      handle: (req) => self.fake!.answer(req),
      failure: (failure) => {
        if (failure.kind === 'server_error') return problem(503, 'Service Unavailable', 'Service Unavailable');
        if (failure.kind === 'rate_limited') {
          // X says when the window resets (epoch seconds), not Retry-After.
          const reset = Math.floor(self.fake!.now().getTime() / 1000) + (failure.retryAfterSeconds ?? 1);
          return { ...problem(429, 'Too Many Requests', 'Too Many Requests'), headers: { 'x-rate-limit-limit': '15', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(reset) } };
        }
        return problem(400, 'Invalid Request', 'One or more parameters to your request was invalid.', 'https://api.twitter.com/2/problems/invalid-request');
      },
    };
    super(behaviour);
    self.fake = this;
  }

  private answer(req: RecordedRequest): FakeAnswer {
    const match = /^\/2\/dm_conversations\/with\/([^/]+)\/messages$/.exec(req.path);
    if (req.method !== 'POST' || !match) return problem(404, 'Not Found Error', `Could not find ${req.method} ${req.path}`);
    const authError = this.checkOAuth(req);
    if (authError) return problem(401, 'Unauthorized', authError);
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return problem(400, 'Invalid Request', 'Content-Type must be application/json');
    const text = asObject(jsonBody(req))?.text;
    if (typeof text !== 'string' || text.length === 0 || [...text].length > 10000) {
      return problem(400, 'Invalid Request', 'One or more parameters to your request was invalid.', 'https://api.twitter.com/2/problems/invalid-request');
    }
    const participantId = decodeURIComponent(match[1]!);
    if (this.closedDms.has(participantId)) return problem(403, 'Forbidden', 'You are not permitted to send a DM to this user.', 'https://api.twitter.com/2/problems/not-authorized-for-resource');
    const eventId = String(BigInt(`0x${hexId(15)}`));
    this.accepted.push({ participantId, text, eventId });
    return { status: 201, body: { data: { dm_conversation_id: `1000-${participantId}`, dm_event_id: eventId } } };
  }

  /** Why the OAuth header does not authenticate, or undefined when it does. */
  private checkOAuth(req: RecordedRequest): string | undefined {
    const header = req.headers.authorization ?? '';
    if (!header.startsWith('OAuth ')) return 'Authorization is not OAuth 1.0a.';
    const params = new Map<string, string>();
    for (const part of header.slice(6).split(',')) {
      const m = /^\s*([a-z_]+)="([^"]*)"\s*$/.exec(part);
      if (!m) return `Malformed Authorization parameter: ${part.trim()}`;
      params.set(m[1]!, decodeURIComponent(m[2]!));
    }
    const c = this.credentials;
    if (params.get('oauth_consumer_key') !== c.consumerKey) return 'Unknown consumer key.';
    if (params.get('oauth_token') !== c.accessToken) return 'Unknown access token.';
    if (params.get('oauth_signature_method') !== 'HMAC-SHA1') return 'oauth_signature_method must be HMAC-SHA1.';
    if (params.has('oauth_version') && params.get('oauth_version') !== '1.0') return 'oauth_version must be 1.0.';
    const timestamp = Number(params.get('oauth_timestamp'));
    if (!Number.isInteger(timestamp) || Math.abs(this.now().getTime() / 1000 - timestamp) > TIMESTAMP_TOLERANCE_S) return 'oauth_timestamp is missing or stale.';
    const nonce = params.get('oauth_nonce') ?? '';
    if (!nonce || this.nonces.has(nonce)) return 'oauth_nonce is missing or was used before.';
    const signed = [...params].filter(([k]) => k !== 'oauth_signature').concat([...req.query]);
    const normalized = signed
      .map(([k, v]) => [rfc3986(k), rfc3986(v)])
      .sort((a, b) => (a[0] === b[0] ? (a[1]! < b[1]! ? -1 : 1) : a[0]! < b[0]! ? -1 : 1))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const host = req.headers.host ?? '';
    const base = ['POST', rfc3986(`http://${host}${req.path}`), rfc3986(normalized)].join('&');
    const expected = createHmac('sha1', `${rfc3986(c.consumerSecret)}&${rfc3986(c.accessTokenSecret)}`).update(base).digest('base64');
    if (params.get('oauth_signature') !== expected) return 'Could not authenticate you (signature mismatch).';
    this.nonces.add(nonce);
    return undefined;
  }
}
