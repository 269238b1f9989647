/**
 * Twilio callbacks for the hotline (https://www.twilio.com/docs/usage/webhooks/webhooks-security,
 * https://www.twilio.com/docs/api/voice/recording-transcription): Voice `transcribeCallback` deliveries become
 * hotline feedback; Messaging status callbacks of the SMS replies Redress sends (`StatusCallback` =
 * `/webhooks/hotline/twilio/status`) become delivery updates; recording-status and call-status callbacks
 * are acknowledged and dropped (the feedback is taken from the transcription alone).
 *
 * `X-Twilio-Signature` = base64(HMAC-SHA1(auth token, URL + each POST param name+value, names sorted
 * ordinally, repeated values sorted)). The URL is the configured public one (`REDRESS_PUBLIC_URL` +
 * path + `?` + raw query), never one rebuilt from the Host header. JSON callbacks sign the URL alone,
 * which carries `bodySHA256`, the hex SHA-256 of the raw body.
 */
import { createHash } from 'node:crypto';
import { secretList } from '../config.ts';
import { ForbiddenError, MethodNotAllowedError, UnsupportedMediaTypeError } from '../errors.ts';
import { mediaType, text } from '../http.ts';
import type { ChannelAdapter, ChannelOutcome, ChannelRequest, DeliveryStatus, DeliveryUpdate, InboundMessage } from './channel.ts';
import { constantTimeEqual, hmac, matchingSecretIndex } from './crypto-compare.ts';
import { displayNameOf, nonBlank, parseJsonBody } from './payload.ts';

/** The empty TwiML every status and transcription callback is answered with. */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/** One received parameter, in arrival order (names may repeat). */
export type TwilioParam = readonly [name: string, value: string];

const ordinal = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The string Twilio signs: the URL, then every param name followed by its value, names and repeated values in ordinal order. */
export function twilioSignedString(url: string, params: readonly TwilioParam[]): string {
  const byName = new Map<string, string[]>();
  for (const [name, value] of params) byName.set(name, [...(byName.get(name) ?? []), value]);
  let data = url;
  for (const name of [...byName.keys()].sort(ordinal)) for (const value of byName.get(name)!.sort(ordinal)) data += name + value;
  return data;
}

/** The `X-Twilio-Signature` for a URL and its POST params, as Twilio computes it. */
export function twilioSignature(authToken: string, url: string, params: readonly TwilioParam[]): string {
  return hmac('sha1', authToken, Buffer.from(twilioSignedString(url, params), 'utf8'), 'base64');
}

/** The URL Twilio signed: the configured public base (no trailing slash) + path + `?rawQuery` when there is one. */
export function twilioSignedUrl(publicUrl: string, path: string, rawQuery: string): string {
  return publicUrl.replace(/\/+$/, '') + path + (rawQuery ? `?${rawQuery}` : '');
}

/**
 * The Twilio adapter (route `hotline/twilio`, also serving sub-paths such as `/transcription`).
 * Configuration: `REDRESS_TWILIO_AUTH_TOKEN` (comma-separated: primary and secondary during rotation)
 * and `REDRESS_PUBLIC_URL` (scheme and host Twilio calls, e.g. `https://api.example-bank.com`).
 */
export function createTwilioAdapter(env: NodeJS.ProcessEnv): ChannelAdapter {
  const tokens = secretList(env.REDRESS_TWILIO_AUTH_TOKEN);
  const publicUrl = (env.REDRESS_PUBLIC_URL ?? '').trim();
  return {
    route: 'hotline/twilio',
    // Callback URLs may carry a sub-path (…/twilio/transcription); the signature covers it.
    acceptsSubPaths: true,
    configured: tokens.length > 0 && /^https?:\/\/[^/?#]+/.test(publicUrl),
    handle(req: ChannelRequest): ChannelOutcome {
      if (req.method !== 'POST') throw new MethodNotAllowedError('Twilio callbacks are POSTs.', ['POST']);
      const url = twilioSignedUrl(publicUrl, req.path, req.rawQuery);
      const params = verifyTwilioRequest(req, url, tokens);
      const messages = params ? transcriptionToInbound(params, req.query) : [];
      const deliveryUpdates = params ? messageStatusToUpdates(params, req.now) : [];
      return { messages, deliveryUpdates, respond: () => text(200, EMPTY_TWIML, 'text/xml') };
    },
  };
}

/**
 * Verifies a Twilio callback and returns its parameters (form callbacks) or the JSON body's string
 * fields (JSON callbacks). Throws 403 for a missing or wrong signature or a body that does not match
 * `bodySHA256`, 415 for a content type Twilio does not send.
 */
export function verifyTwilioRequest(req: ChannelRequest, url: string, tokens: readonly string[]): Map<string, string> | undefined {
  const given = req.headers['x-twilio-signature'] ?? '';
  const type = mediaType(req.headers['content-type']);
  const isJson = type === 'application/json';
  if (!isJson && type !== 'application/x-www-form-urlencoded') {
    throw new UnsupportedMediaTypeError(req.headers['content-type'], 'application/x-www-form-urlencoded or application/json');
  }
  if (!/^[A-Za-z0-9+/]{27}=$/.test(given)) throw new ForbiddenError('X-Twilio-Signature is missing or malformed.');
  // Form params must be decoded to be signed; the signature is still checked before anything is read from them.
  const params: TwilioParam[] = isJson ? [] : [...new URLSearchParams(req.body.toString('utf8'))];
  if (matchingSecretIndex(tokens, given, (token) => twilioSignature(token, url, params)) < 0) {
    throw new ForbiddenError('X-Twilio-Signature does not match this URL and these parameters.');
  }
  if (!isJson) return firstValues(params);
  // A JSON body is covered by the signature only through bodySHA256 in the (signed) URL.
  const bodySha256 = (req.query.bodySHA256 ?? '').toLowerCase();
  const actual = createHash('sha256').update(req.body).digest('hex');
  if (!/^[0-9a-f]{64}$/.test(bodySha256) || !constantTimeEqual(bodySha256, actual)) {
    throw new ForbiddenError('The JSON body does not match bodySHA256 in the signed URL.');
  }
  return jsonStringFields(parseJsonBody(req.body));
}

function firstValues(params: readonly TwilioParam[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const [name, value] of params) if (!map.has(name)) map.set(name, value);
  return map;
}

/** The top-level string fields of a JSON callback (Twilio's JSON products use the same names as forms). */
function jsonStringFields(value: unknown): Map<string, string> | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const map = new Map<string, string>();
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') map.set(k, v);
  return map;
}

/**
 * A completed transcription becomes one hotline message keyed by TranscriptionSid. Recording and call
 * status callbacks, failed transcriptions and empty texts carry no feedback: dropped.
 */
export function transcriptionToInbound(params: Map<string, string>, query: Record<string, string>): InboundMessage[] {
  const transcriptionSid = params.get('TranscriptionSid');
  const status = params.get('TranscriptionStatus');
  const body = nonBlank(params.get('TranscriptionText'));
  if (!transcriptionSid || !body || (status !== undefined && status !== 'completed')) return [];
  const caller = params.get('From') || params.get('Caller');
  const callerName = displayNameOf(params.get('CallerName'));
  const context: Record<string, unknown> = {};
  for (const [key, name] of [
    ['callSid', 'CallSid'],
    ['recordingSid', 'RecordingSid'],
    ['recordingUrl', 'RecordingUrl'],
    ['called', 'Called'],
  ] as const) {
    const value = params.get(name);
    if (value) context[key] = value;
  }
  if (query.line) context.line = query.line; // which IVR line the callback URL was configured for
  return [
    {
      source: 'twilio',
      channel: 'hotline',
      externalId: transcriptionSid.slice(0, 512),
      text: body,
      // The caller number is both the customer reference and the contact; the ingest handler masks `contact`.
      customer: { ...(caller ? { id: caller.slice(0, 256), contact: caller.slice(0, 256) } : {}), ...(callerName ? { name: callerName } : {}) },
      context,
    },
  ];
}

/** Twilio `MessageStatus` values that are reply states; queued/sending/accepted/scheduled are steps before `sent`. */
const TWILIO_MESSAGE_STATUS: Readonly<Record<string, DeliveryStatus>> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'failed',
  failed: 'failed',
};

/** What the common delivery error codes mean (Twilio's error dictionary); others are named by code. */
const TWILIO_DELIVERY_ERRORS: Readonly<Record<string, string>> = {
  '30001': 'Queue overflow',
  '30002': 'Account suspended',
  '30003': 'Unreachable destination handset',
  '30004': 'Message blocked',
  '30005': 'Unknown destination handset',
  '30006': 'Landline or unreachable carrier',
  '30007': 'Message filtered',
  '30008': 'Unknown error',
};

/**
 * A Messaging status callback (`MessageSid`, `MessageStatus`, `ErrorCode` on failure) as a delivery
 * update of the SMS reply it reports on. Twilio dates none of them: `now` is when it arrived. Voice
 * callbacks carry no `MessageStatus` and yield nothing.
 */
export function messageStatusToUpdates(params: Map<string, string>, now: Date): DeliveryUpdate[] {
  const sid = params.get('MessageSid') || params.get('SmsSid');
  const status = TWILIO_MESSAGE_STATUS[params.get('MessageStatus') || params.get('SmsStatus') || ''];
  if (!sid || !status) return [];
  const errorCode = params.get('ErrorCode');
  const to = params.get('To');
  const from = params.get('From');
  return [
    {
      source: 'twilio',
      status,
      platformMessageId: sid.slice(0, 64),
      ...(to ? { recipientId: to.slice(0, 256) } : {}),
      ...(from ? { accountId: from.slice(0, 256) } : {}),
      at: now.toISOString(),
      ...(status === 'failed'
        ? { error: { code: errorCode || 'unknown', message: TWILIO_DELIVERY_ERRORS[errorCode ?? ''] ?? `Twilio reports the message ${params.get('MessageStatus') ?? 'failed'}` } }
        : {}),
    },
  ];
}
