/** The checksum stand-ins give the same digests as @smithy/core/checksum's native classes. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as real from '@smithy/core/checksum';
import { Md5, Sha256 } from './node-checksums.ts';

const data = fc.oneof(fc.string(), fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ minLength: 8, maxLength: 64 }).map((a) => new DataView(a.buffer, 3, 5)));

async function digests(make: () => { update(d: never): void; digest(): Promise<Uint8Array> }, chunks: unknown[]) {
  const h = make();
  for (const c of chunks) h.update(c as never);
  return Array.from(await h.digest());
}

describe('checksum stand-ins (@smithy/core/checksum alias)', () => {
  it('Sha256 (plain and HMAC) and Md5 digest every input as the SDK does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(data, { maxLength: 4 }), fc.option(fc.string({ minLength: 1 }), { nil: undefined }), async (chunks, secret) => {
        expect(await digests(() => new Sha256(secret), chunks)).toEqual(await digests(() => new real.Sha256(secret), chunks));
        expect(await digests(() => new Md5(), chunks)).toEqual(await digests(() => new real.Md5(), chunks));
      }),
      { numRuns: 200 },
    );
  });

  it('keep the SDK classes’ reset and finish rules', async () => {
    const h = new Sha256('key');
    h.update('a');
    await h.digest();
    expect(() => h.update('b')).toThrow(/already finished/);
    h.reset();
    h.update('a');
    expect(Array.from(await h.digest())).toEqual(await digests(() => new real.Sha256('key'), ['a']));
    const m = new Md5();
    m.update('x');
    m.reset();
    m.update('a');
    expect(Array.from(await m.digest())).toEqual(await digests(() => new real.Md5(), ['a']));
  });
});
