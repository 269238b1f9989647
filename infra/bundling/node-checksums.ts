/**
 * Stand-in for `@smithy/core/checksum` in Lambda bundles (an esbuild alias). The SDK picks the native
 * implementation of each hash when Node has it, and otherwise a pure-JavaScript one; Node 22 in Lambda
 * always has sha256 and md5 in node:crypto, so the JavaScript fallbacks and
 * their tables (about 5 KB) are dead weight there. These classes are the SDK's native ones (Sha256Node,
 * Md5Node) without the fallback; the clients we bundle import only `Sha256` and `Md5` (CRC32 is used by
 * event streams only, see no-event-streams.ts), and esbuild fails the build if a bundled module imports
 * anything else from here.
 * Locally and in tests the real module is used; infra/bundling/node-checksums.test.ts compares them.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';

type SourceData = string | ArrayBuffer | ArrayBufferView;

function toBuffer(data: SourceData): string | Buffer {
  if (typeof data === 'string') return data;
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** Bytes of a digest without copying. */
const bytesOf = (buf: Buffer) => new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);

/** SHA-256, or HMAC-SHA256 when constructed with a secret (as @smithy/core's Sha256Node). */
export class Sha256 {
  readonly digestLength = 32;
  private readonly isHmac: boolean;
  private hash: Hash | Hmac;
  private finished = false;

  constructor(private readonly secret?: SourceData) {
    this.isHmac = !!secret;
    this.hash = this.createHash();
  }

  update(data: SourceData): void {
    if (this.finished) throw new Error('Attempted to update an already finished hash.');
    this.hash.update(data as string);
  }

  async digest(): Promise<Uint8Array> {
    if (this.isHmac) {
      this.finished = true;
      return bytesOf(this.hash.digest());
    }
    return bytesOf((this.hash as Hash).copy().digest());
  }

  reset(): void {
    this.hash = this.createHash();
    this.finished = false;
  }

  private createHash(): Hash | Hmac {
    return this.secret ? createHmac('sha256', toBuffer(this.secret)) : createHash('sha256');
  }
}

/** MD5 (SQS checks the MD5 of message bodies it echoes), as @smithy/core's Md5Node. */
export class Md5 {
  readonly digestLength = 16;
  private hash = createHash('md5');

  update(data: SourceData): void {
    this.hash.update(typeof data === 'string' ? Buffer.from(data, 'utf8') : toBuffer(data));
  }

  async digest(): Promise<Uint8Array> {
    return bytesOf(this.hash.copy().digest());
  }

  reset(): void {
    this.hash = createHash('md5');
  }
}
