/**
 * WeChat Official Account message signatures and safe-mode (安全模式) encryption, as the official
 * WXBizMsgCrypt does it (https://developers.weixin.qq.com/doc/subscription/guide/dev/push/encryption.html):
 * - signature = sha1 of the sorted, concatenated [token, timestamp, nonce(, Encrypt)];
 * - AES key = base64decode(EncodingAESKey + "="), IV = its first 16 bytes, AES-256-CBC with PKCS#7
 *   padding to a 32-byte block; plaintext = random(16) ‖ msg_len (4 bytes BE) ‖ msg ‖ AppID.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** WeChat pads to 32 bytes, not AES's 16. */
const PAD_BLOCK = 32;

/** sha1 hex over the lexicographically sorted parts, joined with nothing (GET, plaintext and msg_signature). */
export function wechatSignature(...parts: string[]): string {
  return createHash('sha1').update([...parts].sort().join(''), 'utf8').digest('hex');
}

/** The 32-byte AES key of a 43-character EncodingAESKey, or undefined when the value is not one. */
export function decodeEncodingAesKey(encodingAesKey: string): Buffer | undefined {
  if (!/^[A-Za-z0-9]{43}$/.test(encodingAesKey)) return undefined;
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  return key.length === 32 ? key : undefined;
}

/** What a safe-mode ciphertext holds once decrypted and unpacked. */
export interface WechatPlaintext {
  message: string;
  appId: string;
  /** Which of the configured keys decrypted it (0 = current, 1 = previous). */
  keyIndex: number;
}

/**
 * Decrypts and unpacks a safe-mode `Encrypt` value with each key in turn (current, then previous), and
 * returns the first result whose AppID is ours. Undefined when no key yields a well-formed plaintext
 * for our AppID: bad base64, wrong length, bad padding, bad length prefix or another AppID.
 */
export function decryptWechatMessage(encrypt: string, keys: readonly Buffer[], appId: string): WechatPlaintext | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encrypt) || encrypt.length % 4 !== 0) return undefined;
  const ciphertext = Buffer.from(encrypt, 'base64');
  if (ciphertext.length < PAD_BLOCK || ciphertext.length % 16 !== 0) return undefined;
  for (const [keyIndex, key] of keys.entries()) {
    const unpacked = unpack(decryptRaw(ciphertext, key));
    if (unpacked && unpacked.appId === appId) return { ...unpacked, keyIndex };
  }
  return undefined;
}

function decryptRaw(ciphertext: Buffer, key: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

/** Strips the 32-byte PKCS#7 padding (every pad byte checked) and splits random ‖ len ‖ msg ‖ appid. */
function unpack(full: Buffer): { message: string; appId: string } | undefined {
  const pad = full[full.length - 1];
  if (pad === undefined || pad < 1 || pad > PAD_BLOCK || pad > full.length) return undefined;
  for (let i = full.length - pad; i < full.length; i++) if (full[i] !== pad) return undefined;
  const plain = full.subarray(0, full.length - pad);
  if (plain.length < 20) return undefined;
  const length = plain.readUInt32BE(16);
  if (20 + length > plain.length) return undefined;
  return {
    message: plain.subarray(20, 20 + length).toString('utf8'),
    appId: plain.subarray(20 + length).toString('utf8'),
  };
}

/** Packs and encrypts a message for our AppID (safe-mode replies; tests build deliveries with it). */
export function encryptWechatMessage(message: string, key: Buffer, appId: string, random16: Buffer = randomBytes(16)): string {
  const body = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const packed = Buffer.concat([random16.subarray(0, 16), length, body, Buffer.from(appId, 'utf8')]);
  const pad = PAD_BLOCK - (packed.length % PAD_BLOCK);
  const padded = Buffer.concat([packed, Buffer.alloc(pad, pad)]);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
}

/** An encrypted passive reply in WeChat's JSON data format. */
export interface WechatEncryptedReply {
  Encrypt: string;
  MsgSignature: string;
  TimeStamp: number;
  Nonce: string;
}

/**
 * Builds an encrypted passive reply (only needed when replying inline; `success` needs no encryption):
 * Encrypt as above, MsgSignature = sha1(sort([token, TimeStamp, Nonce, Encrypt])).
 */
export function encryptWechatReply(
  message: string,
  options: { token: string; key: Buffer; appId: string; timestamp: string; nonce: string; random16?: Buffer },
): WechatEncryptedReply {
  const encrypt = encryptWechatMessage(message, options.key, options.appId, options.random16);
  return {
    Encrypt: encrypt,
    MsgSignature: wechatSignature(options.token, options.timestamp, options.nonce, encrypt),
    TimeStamp: Number(options.timestamp),
    Nonce: options.nonce,
  };
}
