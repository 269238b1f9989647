import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { baseStringUri, hmacSha1Signature, oauth1AuthorizationHeader, parseOAuth1Header, percentEncode, signatureBaseString } from './oauth1.ts';

/**
 * X's "Creating a signature" worked example (docs.x.com, fundamentals/authentication/oauth-1-0a):
 * POST /1.1/statuses/update.json?include_entities=true with the body status=Hello Ladies + Gentlemen…
 * The published signature was computed for api.twitter.com; the page now shows the same base string
 * with api.x.com.
 */
const EXAMPLE = {
  consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
  consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
  token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
  tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
  nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg',
  timestamp: 1318622958,
  status: 'Hello Ladies + Gentlemen, a signed OAuth request!',
};
const OAUTH_PARAMS: [string, string][] = [
  ['oauth_consumer_key', EXAMPLE.consumerKey],
  ['oauth_nonce', EXAMPLE.nonce],
  ['oauth_signature_method', 'HMAC-SHA1'],
  ['oauth_timestamp', String(EXAMPLE.timestamp)],
  ['oauth_token', EXAMPLE.token],
  ['oauth_version', '1.0'],
];
const DOCUMENTED_BASE_STRING_X =
  'POST&https%3A%2F%2Fapi.x.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521';

describe('OAuth 1.0a signer: X’s documented example, byte for byte', () => {
  it('percent-encodes the documented status value', () => {
    expect(percentEncode(EXAMPLE.status)).toBe('Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21');
  });

  it('builds the documented signature base string (query and body parameters included, sorted)', () => {
    const base = signatureBaseString('POST', 'https://api.x.com/1.1/statuses/update.json?include_entities=true', [...OAUTH_PARAMS, ['status', EXAMPLE.status]]);
    expect(base).toBe(DOCUMENTED_BASE_STRING_X);
  });

  it('computes the documented signature hCtSmYh+iHYCEqBWrE7C7hYmtUk= with the documented signing key', () => {
    const base = signatureBaseString('POST', 'https://api.twitter.com/1.1/statuses/update.json?include_entities=true', [...OAUTH_PARAMS, ['status', EXAMPLE.status]]);
    expect(hmacSha1Signature(base, EXAMPLE.consumerSecret, EXAMPLE.tokenSecret)).toBe('hCtSmYh+iHYCEqBWrE7C7hYmtUk=');
  });

  it('writes the Authorization header as the documented form: sorted oauth_* pairs, values encoded and quoted', () => {
    const header = oauth1AuthorizationHeader(EXAMPLE, {
      method: 'POST',
      url: 'https://api.twitter.com/1.1/statuses/update.json?include_entities=true',
      bodyParams: [['status', EXAMPLE.status]],
      nonce: EXAMPLE.nonce,
      timestamp: EXAMPLE.timestamp,
    });
    expect(header).toBe(
      'OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", oauth_nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", ' +
        'oauth_signature="hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1318622958", ' +
        'oauth_token="370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", oauth_version="1.0"',
    );
  });
});

describe('OAuth 1.0a signer: the parts RFC 5849 fixes', () => {
  it.each([
    ['https://API.X.com:443/2/dm_conversations/with/1/messages?x=1#f', 'https://api.x.com/2/dm_conversations/with/1/messages'],
    ['http://127.0.0.1:8080/2/x', 'http://127.0.0.1:8080/2/x'],
    ['http://example.com:80/a', 'http://example.com/a'],
  ])('base string URI of %s is %s', (url, expected) => {
    expect(baseStringUri(url)).toBe(expected);
  });

  it('leaves only unreserved characters unencoded, over UTF-8 bytes', () => {
    expect(percentEncode("-._~!*'()é 🙂")).toBe('-._~%21%2A%27%28%29%C3%A9%20%F0%9F%99%82');
  });

  it('signs a request without query or body with the oauth parameters alone', () => {
    const header = oauth1AuthorizationHeader(EXAMPLE, { method: 'POST', url: 'https://api.x.com/2/dm_conversations/with/9/messages', nonce: 'n', timestamp: 1 });
    const fields = parseOAuth1Header(header)!;
    const params = [...fields].filter(([k]) => k !== 'oauth_signature');
    const base = `POST&${percentEncode('https://api.x.com/2/dm_conversations/with/9/messages')}&${percentEncode(params.sort().map(([k, v]) => `${k}=${v}`).join('&'))}`;
    const expected = createHmac('sha1', `${EXAMPLE.consumerSecret}&${EXAMPLE.tokenSecret}`).update(base).digest('base64');
    expect(fields.get('oauth_signature')).toBe(expected);
  });

  it('round-trips any credentials and nonce through the header', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), fc.string(), (key, nonce, token) => {
        const header = oauth1AuthorizationHeader({ ...EXAMPLE, consumerKey: key, token }, { method: 'POST', url: 'https://api.x.com/2/x', nonce, timestamp: 5 });
        const fields = parseOAuth1Header(header);
        expect([fields?.get('oauth_consumer_key'), fields?.get('oauth_nonce'), fields?.get('oauth_token')]).toEqual([key, nonce, token]);
      }),
    );
  });

  it('refuses a header that is not OAuth', () => {
    expect(parseOAuth1Header('Bearer abc')).toBeUndefined();
  });
});
