/**
 * Constant-time comparisons for webhook signatures. Every platform adapter compares the signature it
 * received with the one it computed through these helpers, so no adapter leaks through timing how many
 * leading characters of a forged signature were right.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * True when `given` and `expected` are the same bytes, compared in constant time.
 * Different lengths answer false at once: the length of a well-formed signature is public anyway.
 */
export function constantTimeEqual(given: string | Buffer, expected: string | Buffer): boolean {
  const a = typeof given === 'string' ? Buffer.from(given, 'utf8') : given;
  const b = typeof expected === 'string' ? Buffer.from(expected, 'utf8') : expected;
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

/**
 * Compares two secrets of any length (verify tokens) in constant time by comparing their SHA-256
 * digests, so neither the content nor the length of the configured value shows in the timing.
 */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

/**
 * The index of the first secret whose signature equals `given`, or -1. Every secret is tried (no early
 * exit), so the timing does not reveal which of the active secrets matched.
 */
export function matchingSecretIndex(secrets: readonly string[], given: string, sign: (secret: string) => string): number {
  let found = -1;
  secrets.forEach((secret, index) => {
    if (constantTimeEqual(given, sign(secret)) && found === -1) found = index;
  });
  return found;
}

/** HMAC of raw bytes keyed with a secret used as its UTF-8 string, in the encoding the platform sends. */
export function hmac(algorithm: 'sha1' | 'sha256', secret: string, data: Buffer | string, encoding: 'hex' | 'base64'): string {
  return createHmac(algorithm, Buffer.from(secret, 'utf8')).update(data).digest(encoding);
}
