/**
 * OAuth 1.0a request signing with HMAC-SHA1 (RFC 5849 §3.4), as X's "Creating a signature" page
 * describes it for user-context requests: percent-encode every parameter name and value (RFC 3986
 * unreserved characters only), sort, join with `&` and `=`, sign `METHOD&enc(base URL)&enc(params)`
 * with `enc(consumer secret)&enc(token secret)`. A JSON body is not a parameter and is not signed.
 */
import { createHmac } from 'node:crypto';

/** The four credentials of a user-context request. */
export interface OAuth1Credentials {
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
}

/** RFC 3986 percent-encoding: everything but `A-Z a-z 0-9 - . _ ~`, over UTF-8 bytes, upper-case hex. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The base string URI (RFC 5849 §3.4.1.2): lower-case scheme and host, the port only when it is not
 * the scheme's default, the path, no query or fragment.
 */
export function baseStringUri(url: string): string {
  const parsed = new URL(url);
  // URL already lower-cases scheme and host and drops a default port.
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

/**
 * The signature base string for `method` and `url` with `params`: the OAuth parameters and any
 * form-body parameters; the URL's query parameters are added here. Pairs sort by encoded name, then
 * encoded value.
 */
export function signatureBaseString(method: string, url: string, params: readonly (readonly [string, string])[]): string {
  const all = [...params, ...new URL(url).searchParams].map(([k, v]) => [percentEncode(k), percentEncode(v)] as const);
  all.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  const normalized = all.map(([k, v]) => `${k}=${v}`).join('&');
  return `${method.toUpperCase()}&${percentEncode(baseStringUri(url))}&${percentEncode(normalized)}`;
}

/** The HMAC-SHA1 signature (base64) of a base string. */
export function hmacSha1Signature(baseString: string, consumerSecret: string, tokenSecret: string): string {
  return createHmac('sha1', `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`).update(baseString).digest('base64');
}

/** What one signed request needs besides the credentials (nonce and timestamp injectable for tests). */
export interface OAuth1Request {
  method: string;
  url: string;
  /** Form-body parameters (none for a JSON body). */
  bodyParams?: readonly (readonly [string, string])[];
  nonce: string;
  /** Unix seconds. */
  timestamp: number;
}

/**
 * The `Authorization: OAuth …` header for a request: the seven `oauth_*` parameters, sorted, values
 * percent-encoded and quoted, separated by `, `.
 */
export function oauth1AuthorizationHeader(credentials: OAuth1Credentials, request: OAuth1Request): string {
  const oauth: [string, string][] = [
    ['oauth_consumer_key', credentials.consumerKey],
    ['oauth_nonce', request.nonce],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', String(request.timestamp)],
    ['oauth_token', credentials.token],
    ['oauth_version', '1.0'],
  ];
  const base = signatureBaseString(request.method, request.url, [...oauth, ...(request.bodyParams ?? [])]);
  oauth.push(['oauth_signature', hmacSha1Signature(base, credentials.consumerSecret, credentials.tokenSecret)]);
  oauth.sort(([a], [b]) => (a < b ? -1 : 1));
  return `OAuth ${oauth.map(([k, v]) => `${percentEncode(k)}="${percentEncode(v)}"`).join(', ')}`;
}

/** The `oauth_*` parameters of an `Authorization: OAuth …` header, decoded (for verifying fakes and tests). */
export function parseOAuth1Header(header: string): Map<string, string> | undefined {
  const match = /^OAuth\s+(.*)$/s.exec(header.trim());
  if (!match) return undefined;
  const params = new Map<string, string>();
  for (const part of match[1]!.split(',')) {
    const pair = /^\s*([A-Za-z0-9_%.~-]+)="([^"]*)"\s*$/.exec(part);
    if (!pair) return undefined;
    params.set(decodeURIComponent(pair[1]!), decodeURIComponent(pair[2]!));
  }
  return params;
}
