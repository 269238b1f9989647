/**
 * WeChat Official Account (微信公众号) server messages: the GET server verification, plaintext pushes
 * (XML, or the JSON data format) and safe mode (`encrypt_type=aes`), as channels.md §4 specifies.
 *
 * Every failure to authenticate answers 403 (bad signature, stale timestamp, undecryptable or foreign
 * ciphertext); malformed content answers 400. Success is always the bare text `success`, which tells
 * WeChat not to retry and not to show the customer an error.
 */
import * as z from 'zod/mini';
import '../../../schemas/zod-locale.ts';
import { secretList } from '../config.ts';
import { BadRequestError, ForbiddenError, MethodNotAllowedError } from '../errors.ts';
import { text } from '../http.ts';
import type { Attachment } from '../../../schemas/feedback.ts';
import type { ChannelAdapter, ChannelOutcome, ChannelRequest, InboundMessage } from './channel.ts';
import { constantTimeEqual } from './crypto-compare.ts';
import { assertBodySize, isoFromSeconds, nonBlank, onFirstUse, parseJsonBody, parseWith } from './payload.ts';
import { decodeEncodingAesKey, decryptWechatMessage, wechatSignature } from './wechat-crypto.ts';
import { parseFlatXml } from './xml.ts';

/** Our replay window on POST timestamps (WeChat documents none; retries come within seconds). */
export const WECHAT_TOLERANCE_SECONDS = 300;

/** The fields of a pushed message we read; everything else (PicUrl, Location_X…) is ignored. Built on first use. */
const wechatMessage = onFirstUse(() => z.object({
  MsgType: z.string().check(z.minLength(1)),
  FromUserName: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
  CreateTime: z.optional(z.union([z.string(), z.number()])),
  Content: z.optional(z.string()),
  Recognition: z.optional(z.string()),
  // Read leniently: an odd MediaId or Format loses the attachment, never the message.
  MediaId: z.optional(z.string()),
  Format: z.optional(z.string()),
  MsgId: z.optional(z.pipe(z.union([z.string().check(z.regex(/^\d{1,20}$/)), z.number().check(z.int())]), z.transform(String))),
  Event: z.optional(z.string()),
}));

/** Configuration the adapter reads from the environment. */
export interface WechatConfig {
  /** Active tokens (comma-separated `REDRESS_WECHAT_TOKEN`; any verifies). */
  tokens: string[];
  /** AES keys from `REDRESS_WECHAT_AES_KEY` (current, previous); empty when safe mode is off. */
  aesKeys: Buffer[];
  /** `REDRESS_WECHAT_APP_ID`, checked inside every safe-mode plaintext. */
  appId: string;
}

/** Reads the WeChat configuration; `valid` is false when safe-mode settings are present but unusable. */
export function wechatConfig(env: NodeJS.ProcessEnv): WechatConfig & { valid: boolean } {
  const tokens = secretList(env.REDRESS_WECHAT_TOKEN);
  const rawKeys = secretList(env.REDRESS_WECHAT_AES_KEY);
  const aesKeys = rawKeys.map(decodeEncodingAesKey).filter((k): k is Buffer => k !== undefined);
  const appId = (env.REDRESS_WECHAT_APP_ID ?? '').trim();
  // A key that does not decode, or keys without an AppID to check, would silently break safe mode.
  const valid = tokens.length > 0 && aesKeys.length === rawKeys.length && (rawKeys.length === 0 || appId.length > 0);
  return { tokens, aesKeys, appId, valid };
}

/**
 * The WeChat adapter. Configuration: `REDRESS_WECHAT_TOKEN`, and for safe mode `REDRESS_WECHAT_AES_KEY`
 * (current,previous EncodingAESKey) and `REDRESS_WECHAT_APP_ID`.
 */
export function createWechatAdapter(env: NodeJS.ProcessEnv): ChannelAdapter {
  const config = wechatConfig(env);
  return {
    route: 'wechat',
    configured: config.valid,
    handle(req: ChannelRequest): ChannelOutcome {
      if (req.method === 'GET') return answerWechatVerification(req.query, config.tokens);
      if (req.method !== 'POST') throw new MethodNotAllowedError('WeChat webhooks use GET (verification) and POST.', ['GET', 'POST']);
      assertBodySize(req.body);
      const messages = req.query.encrypt_type === 'aes' ? readSafeMode(req, config) : readPlaintext(req, config);
      return { messages, respond: () => text(200, 'success') };
    },
  };
}

/** GET server verification: echo `echostr` verbatim when sha1(sort[token, timestamp, nonce]) matches; else 403. */
export function answerWechatVerification(query: Record<string, string>, tokens: readonly string[]): ChannelOutcome {
  const { signature = '', timestamp = '', nonce = '', echostr = '' } = query;
  if (!echostr || !signatureMatches(signature, tokens, (token) => [token, timestamp, nonce])) {
    throw new ForbiddenError('WeChat server verification failed: the signature does not match.');
  }
  return { messages: [], respond: () => text(200, echostr) };
}

/** True when `given` equals the signature computed with any active token (every token tried). */
function signatureMatches(given: string, tokens: readonly string[], parts: (token: string) => string[]): boolean {
  const normalized = given.toLowerCase();
  let ok = false;
  for (const token of tokens) if (constantTimeEqual(normalized, wechatSignature(...parts(token)))) ok = true;
  return /^[0-9a-f]{40}$/.test(normalized) && ok;
}

/** Rejects a missing, malformed or stale (±300 s of `now`) timestamp with 403. */
function assertFreshTimestamp(timestamp: string, now: Date): void {
  if (!/^\d{1,12}$/.test(timestamp)) throw new ForbiddenError('timestamp is missing or not Unix seconds.');
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > WECHAT_TOLERANCE_SECONDS) {
    throw new ForbiddenError('timestamp is outside the 5-minute window.');
  }
}

/** Plaintext mode: `signature` over [token, timestamp, nonce], then the body (XML or JSON). */
function readPlaintext(req: ChannelRequest, config: WechatConfig): InboundMessage[] {
  const { signature = '', timestamp = '', nonce = '' } = req.query;
  if (!signatureMatches(signature, config.tokens, (token) => [token, timestamp, nonce])) {
    throw new ForbiddenError('WeChat signature does not match.');
  }
  assertFreshTimestamp(timestamp, req.now);
  return messagesFrom(readFields(req.body.toString('utf8')));
}

/**
 * Safe mode: take `Encrypt` from the envelope, check `msg_signature` over [token, timestamp, nonce,
 * Encrypt] before decrypting, decrypt with the current then the previous key, check the AppID, then
 * read the inner message like a plaintext one.
 */
function readSafeMode(req: ChannelRequest, config: WechatConfig): InboundMessage[] {
  if (!config.aesKeys.length) throw new ForbiddenError('Safe mode (encrypt_type=aes) is not configured here.');
  const { msg_signature: msgSignature = '', timestamp = '', nonce = '' } = req.query;
  assertFreshTimestamp(timestamp, req.now);
  const envelope = readFields(req.body.toString('utf8'));
  const encrypt = envelope.Encrypt;
  if (typeof encrypt !== 'string' || encrypt.length === 0) {
    throw new BadRequestError('Safe-mode body has no Encrypt field.', [{ field: 'Encrypt', message: 'required' }]);
  }
  if (!signatureMatches(msgSignature, config.tokens, (token) => [token, timestamp, nonce, encrypt])) {
    throw new ForbiddenError('WeChat msg_signature does not match.');
  }
  const plaintext = decryptWechatMessage(encrypt, config.aesKeys, config.appId);
  if (!plaintext) throw new ForbiddenError('Encrypt does not decrypt to a message for this AppID with any configured EncodingAESKey.');
  return messagesFrom(readFields(plaintext.message));
}

/**
 * A WeChat document's top-level fields, from XML (`<xml>…</xml>`) or the JSON data format, told apart by
 * their first character. JSON keeps MsgId's exact digits.
 */
function readFields(document: string): Record<string, unknown> {
  const start = document.trimStart()[0];
  if (start === '<') return parseFlatXml(document);
  if (start === '{') {
    const parsed = parseJsonBody(document, ['MsgId']);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  }
  throw new BadRequestError('The body is neither WeChat XML nor a JSON object.', [{ field: '(body)', message: 'expected <xml> or {…}' }]);
}

/** WeChat media message types, as Redress names them (`shortvideo` is a video). */
const WECHAT_MEDIA: Readonly<Record<string, Attachment['type']>> = { image: 'image', voice: 'voice', video: 'video', shortvideo: 'video' };

/**
 * The feedback in one pushed message: text messages, and media messages (image, voice, video,
 * short video), whose text is WeChat's speech recognition for a voice note or a placeholder such as
 * `[image]`, with the `MediaId` kept as an attachment. Events (subscribe, menu clicks…), locations and
 * links are acknowledged and dropped.
 */
function messagesFrom(fields: Record<string, unknown>): InboundMessage[] {
  const message = parseWith(wechatMessage(), fields, 'WeChat message');
  const mediaType = WECHAT_MEDIA[message.MsgType];
  const attachment: Attachment | undefined =
    mediaType && message.MediaId && message.MediaId.length <= 512
      ? { type: mediaType, platformMediaId: message.MediaId, ...(mediaType === 'voice' && /^[a-z0-9]{1,16}$/i.test(message.Format ?? '') ? { mimeType: `audio/${message.Format!.toLowerCase()}` } : {}) }
      : undefined;
  const body = message.MsgType === 'text' ? nonBlank(message.Content) : mediaType ? (nonBlank(message.Recognition) ?? `[${mediaType}]`) : undefined;
  if (!body) return [];
  if (!message.MsgId || !message.FromUserName) {
    const missing = [!message.MsgId && 'MsgId', !message.FromUserName && 'FromUserName'].filter((f): f is string => !!f);
    throw new BadRequestError(`WeChat ${message.MsgType} message lacks ${missing.join(', ')}.`, missing.map((field) => ({ field, message: 'required' })));
  }
  // CreateTime is when WeChat stamped the customer's message: the 48-hour reply window counts from it.
  const occurredAt = isoFromSeconds(message.CreateTime);
  return [
    {
      source: 'wechat',
      channel: 'social',
      externalId: message.MsgId,
      ...(occurredAt ? { occurredAt } : {}),
      text: body,
      customer: { id: message.FromUserName },
      context: { msgType: message.MsgType },
      ...(attachment ? { attachments: [attachment] } : {}),
    },
  ];
}
