/**
 * WeChat Official Account (微信公众号) server messages: the GET server verification, plaintext pushes
 * (XML, or the JSON data format) and safe mode (`encrypt_type=aes`), as WeChat specifies
 * (https://developers.weixin.qq.com/doc/subscription/guide/dev/push/encryption.html).
 *
 * Every failure to authenticate answers 403 (bad signature, stale timestamp, undecryptable or foreign
 * ciphertext); malformed content answers 400. Success is always the bare text `success`, which tells
 * WeChat not to retry and not to show the customer an error.
 */
import * as z from 'zod/mini';
import '../../../schemas/zod-locale.ts';
import { createHash } from 'node:crypto';
import { secretList } from '../config.ts';
import { BadRequestError, ForbiddenError, MethodNotAllowedError } from '../errors.ts';
import { text } from '../http.ts';
import type { NonceClaim } from '../ports/nonce-store.ts';
import type { Attachment } from '../../../schemas/feedback.ts';
import type { ChannelAdapter, ChannelOutcome, ChannelRequest, InboundMessage } from './channel.ts';
import { constantTimeEqual } from './crypto-compare.ts';
import { echo, isEchoToken } from './handshake.ts';
import { isoFromSeconds, nonBlank, onFirstUse, parseJsonBody, parseWith } from './payload.ts';
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

/**
 * The console's message encryption mode (消息加解密方式), which says which POSTs are genuine:
 * - `safe` (安全模式): every message is encrypted; a plaintext POST is refused, because its `signature`
 *   covers only the token, timestamp and nonce, never the body;
 * - `compatible` (兼容模式): encrypted messages, and plaintext ones too (for the minutes while the console
 *   is switched from plaintext to safe mode);
 * - `plaintext` (明文模式): no EncodingAESKey.
 */
export const WECHAT_MODES = ['plaintext', 'compatible', 'safe'] as const;
export type WechatMode = (typeof WECHAT_MODES)[number];

/** Configuration the adapter reads from the environment. */
export interface WechatConfig {
  /** Active tokens (comma-separated `REDRESS_WECHAT_TOKEN`; any verifies). */
  tokens: string[];
  /** AES keys from `REDRESS_WECHAT_AES_KEY` (current, previous); empty when safe mode is off. */
  aesKeys: Buffer[];
  /** `REDRESS_WECHAT_APP_ID`, checked inside every safe-mode plaintext. */
  appId: string;
  /** `REDRESS_WECHAT_MODE`; by default `safe` when an EncodingAESKey is set, else `plaintext`. */
  mode: WechatMode;
}

/** Reads the WeChat configuration; `valid` is false when the settings are present but unusable. */
export function wechatConfig(env: NodeJS.ProcessEnv): WechatConfig & { valid: boolean } {
  const tokens = secretList(env.REDRESS_WECHAT_TOKEN);
  const rawKeys = secretList(env.REDRESS_WECHAT_AES_KEY);
  const aesKeys = rawKeys.map(decodeEncodingAesKey).filter((k): k is Buffer => k !== undefined);
  const appId = (env.REDRESS_WECHAT_APP_ID ?? '').trim();
  const setMode = (env.REDRESS_WECHAT_MODE ?? '').trim();
  const mode = (WECHAT_MODES as readonly string[]).includes(setMode) ? (setMode as WechatMode) : rawKeys.length ? 'safe' : 'plaintext';
  // A key that does not decode, keys without an AppID to check, an unknown mode or an encrypted mode
  // without keys would silently break the channel: it answers 503 (not configured) instead.
  const keysUsable = aesKeys.length === rawKeys.length && (rawKeys.length === 0 || appId.length > 0) && (mode === 'plaintext' || aesKeys.length > 0);
  const valid = tokens.length > 0 && keysUsable && (setMode === '' || setMode === mode);
  return { tokens, aesKeys, appId, mode, valid };
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
      if (req.method === 'GET') return answerWechatVerification(req.query, config.tokens, req.now);
      if (req.method !== 'POST') throw new MethodNotAllowedError('WeChat webhooks use GET (verification) and POST.', ['GET', 'POST']);
      const messages = req.query.encrypt_type === 'aes' ? readSafeMode(req, config) : readPlaintext(req, config);
      return { messages, respond: () => text(200, 'success'), nonce: nonceClaim(req.query, `POST:${digest(req.body)}`, req.now) };
    },
  };
}

/**
 * GET server verification: echo `echostr` (text/plain, never sniffed) when sha1(sort[token, timestamp,
 * nonce]) matches and it is token-shaped (WeChat sends digits); else 403. The signed query is the same
 * one a plaintext POST carries, so a fresh one is claimed here: it cannot be replayed onto a POST.
 */
export function answerWechatVerification(query: Record<string, string>, tokens: readonly string[], now: Date): ChannelOutcome {
  const { signature = '', timestamp = '', nonce = '', echostr } = query;
  if (!isEchoToken(echostr) || !signatureMatches(signature, tokens, (token) => [token, timestamp, nonce])) {
    throw new ForbiddenError('WeChat server verification failed: the signature does not match.');
  }
  // WeChat sets no freshness window on the verification itself; a stale pair is refused by every POST anyway.
  const fresh = /^\d{1,12}$/.test(timestamp) && Math.abs(now.getTime() / 1000 - Number(timestamp)) <= WECHAT_TOLERANCE_SECONDS;
  return { messages: [], respond: () => echo(echostr), ...(fresh && NONCE.test(nonce) ? { nonce: nonceClaim(query, `GET:${digest(echostr)}`, now) } : {}) };
}

/** WeChat's nonces are digits; anything else is refused before it is used as part of a store key. */
const NONCE = /^[A-Za-z0-9]{1,64}$/;

/** The claim on a signed (timestamp, nonce) pair, fingerprinted by what the signature does not cover. */
function nonceClaim(query: Record<string, string>, fingerprint: string, now: Date): NonceClaim {
  return {
    key: `wechat:${query.timestamp}:${query.nonce}`,
    fingerprint,
    expiresAt: new Date(Math.max(now.getTime(), Number(query.timestamp) * 1000) + WECHAT_TOLERANCE_SECONDS * 1000),
  };
}

const digest = (data: Buffer | string): string => createHash('sha256').update(data).digest('base64url');

/** True when `given` equals the signature computed with any active token (every token tried). */
function signatureMatches(given: string, tokens: readonly string[], parts: (token: string) => string[]): boolean {
  const normalized = given.toLowerCase();
  let ok = false;
  for (const token of tokens) if (constantTimeEqual(normalized, wechatSignature(...parts(token)))) ok = true;
  return /^[0-9a-f]{40}$/.test(normalized) && ok;
}

/** Rejects a missing, malformed or stale (±300 s of `now`) timestamp, and a nonce that is not WeChat's, with 403. */
function assertFreshTimestamp(timestamp: string, nonce: string, now: Date): void {
  if (!/^\d{1,12}$/.test(timestamp)) throw new ForbiddenError('timestamp is missing or not Unix seconds.');
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > WECHAT_TOLERANCE_SECONDS) {
    throw new ForbiddenError('timestamp is outside the 5-minute window.');
  }
  if (!NONCE.test(nonce)) throw new ForbiddenError('nonce is missing or not a WeChat nonce.');
}

/**
 * Plaintext mode: `signature` over [token, timestamp, nonce], then the body (XML or JSON). The signature
 * does not cover the body, so it is refused when the console is in safe mode, and the pair is claimed
 * once (with the body's digest) by the ingest handler in every mode.
 */
function readPlaintext(req: ChannelRequest, config: WechatConfig): InboundMessage[] {
  const { signature = '', timestamp = '', nonce = '' } = req.query;
  if (!signatureMatches(signature, config.tokens, (token) => [token, timestamp, nonce])) {
    throw new ForbiddenError('WeChat signature does not match.');
  }
  if (config.mode === 'safe') {
    throw new ForbiddenError('This account is in safe mode (REDRESS_WECHAT_MODE=safe): only encrypted messages (encrypt_type=aes) are accepted, because a plaintext signature does not cover the body.');
  }
  assertFreshTimestamp(timestamp, nonce, req.now);
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
  assertFreshTimestamp(timestamp, nonce, req.now);
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
