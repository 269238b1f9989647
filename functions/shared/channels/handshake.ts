/**
 * Rules every webhook handshake (Meta `hub.challenge`, X `crc_token`, WeChat `echostr`) follows, so that
 * no handshake becomes an oracle: the X CRC answers with the very HMAC a POST of the same text needs, and
 * the echoes put text of the caller's choosing in a response from the bank's domain. A handshake value is
 * answered only when it has the shape the platform sends: a bounded token of letters, digits and a few
 * marks, which can never be a JSON document (every signed POST body that is accepted is a JSON object
 * or an `<xml>` document) nor markup.
 */
import { ForbiddenError } from '../errors.ts';
import { text, type HttpResult } from '../http.ts';

/** How long a handshake token may be: the platforms send tens of characters (a UUID, base64 of a few bytes, an integer). */
export const MAX_HANDSHAKE_TOKEN_LENGTH = 255;

/** Letters, digits and the marks of base64, base64url and UUIDs; never `{`, `<`, quotes or white space. */
const TOKEN = /^[A-Za-z0-9+/=_.-]+$/;

/**
 * True when `value` is a token a platform could have sent: 1–255 characters of the token alphabet, and
 * not itself a JSON text (digits alone parse as a number, `true` as a boolean).
 */
export function isHandshakeToken(value: string | undefined, maxLength = MAX_HANDSHAKE_TOKEN_LENGTH): value is string {
  if (!value || value.length > maxLength || !TOKEN.test(value)) return false;
  try {
    JSON.parse(value);
    return false;
  } catch {
    return true;
  }
}

/** Like isHandshakeToken, for platforms that send integers (Meta's challenge, WeChat's echostr): digits are fine there. */
export function isEchoToken(value: string | undefined, maxLength = 128): value is string {
  return !!value && value.length <= maxLength && /^[A-Za-z0-9_-]+$/.test(value);
}

/**
 * Refuses a handshake value of the wrong shape with the handshake failure status (403: every platform
 * treats any non-2xx as a failure, so the status is ours to choose; Twilio's own `webhook()` middleware
 * answers 403 too).
 */
export function assertHandshakeToken(ok: boolean, name: string): void {
  if (!ok) throw new ForbiddenError(`${name} is not a token this platform sends (letters, digits, at most a few hundred characters), so it is not answered.`);
}

/** The echo of a handshake token: text/plain, and never sniffed as anything else by a browser. */
export function echo(token: string): HttpResult {
  const answer = text(200, token);
  return { ...answer, headers: { ...answer.headers, 'x-content-type-options': 'nosniff' } };
}
