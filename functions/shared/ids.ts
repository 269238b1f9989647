/** Deterministic ids: one feedback item per (source, platform message id), whoever delivers it and how often. */
import { createHash } from 'node:crypto';

/**
 * The feedback id for a platform message: `fb_` + 26 base32 characters of SHA-256(source:externalId).
 * Redeliveries (days later too) hash to the same id, which the conditional put relies on.
 */
export function feedbackId(source: string, externalId: string): string {
  const digest = createHash('sha256').update(`${source}:${externalId}`, 'utf8').digest();
  return `fb_${base32(digest).slice(0, 26)}`;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}
