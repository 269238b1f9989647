/**
 * An append-only JSON-lines journal with group commit: appends issued while a write is in flight are
 * written together in the next write, and each append resolves once its bytes are in the file. A
 * `kill -9` of the process cannot lose a resolved append (the bytes are in the OS page cache, which
 * outlives the process); set fsync to also survive a power cut at some cost in throughput.
 */
import { closeSync, existsSync, fstatSync, fsyncSync, openSync, readFileSync, renameSync, statSync, write, writeFileSync, fsync } from 'node:fs';

interface Pending {
  line: string;
  resolve: () => void;
  reject: (err: Error) => void;
}

export class Journal {
  private fd: number;
  private queue: Pending[] = [];
  private writing = false;
  private closed = false;
  /** The error of the last write, until a write succeeds again. */
  private lastWriteError: Error | undefined;

  private constructor(
    private readonly path: string,
    private readonly fsyncEachWrite: boolean,
  ) {
    this.fd = openSync(path, 'a');
  }

  /**
   * Opens (creating if needed) the journal at `path`, replaying its records through `replay` first, then
   * compacting it to `snapshot()` (the live records only) with an atomic rename.
   */
  static open<T>(path: string, replay: (record: T) => void, snapshot: () => unknown[], options: { fsync?: boolean } = {}): Journal {
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8');
      for (const line of text.split('\n')) {
        if (!line) continue;
        let record: T;
        try {
          record = JSON.parse(line) as T;
        } catch {
          continue; // a line torn by a crash mid-write: its append never resolved, so nobody was told it is stored
        }
        replay(record);
      }
    }
    const tmp = `${path}.compact`;
    writeFileSync(tmp, snapshot().map((r) => JSON.stringify(r) + '\n').join(''));
    if (options.fsync) {
      const fd = openSync(tmp, 'r');
      fsyncSync(fd);
      closeSync(fd);
    }
    renameSync(tmp, path);
    return new Journal(path, options.fsync ?? false);
  }

  /** Appends one record; resolves once it is written. */
  append(record: unknown): Promise<void> {
    return this.appendMany([record]);
  }

  /** Appends several records in one write; resolves once all are written. */
  appendMany(records: unknown[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`journal ${this.path} is closed`));
    const line = records.map((r) => JSON.stringify(r) + '\n').join('');
    return new Promise((resolve, reject) => {
      this.queue.push({ line, resolve, reject });
      if (!this.writing) this.flush();
    });
  }

  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) {
      this.writing = false;
      return;
    }
    this.writing = true;
    const buffer = Buffer.from(batch.map((p) => p.line).join(''), 'utf8');
    const done = (err: Error | null) => {
      this.lastWriteError = err ?? undefined;
      for (const p of batch) (err ? p.reject(err) : p.resolve());
      this.flush();
    };
    writeAll(this.fd, buffer, (err) => {
      if (err || !this.fsyncEachWrite) return done(err);
      fsync(this.fd, (e) => done(e));
    });
  }

  /**
   * Throws when appends would not be kept: the journal is closed, its last write failed, or its file
   * was deleted or replaced under it (appends would go to a file no restart reads). Two fstat/stat
   * calls: cheap enough for a health check that is polled.
   */
  check(): void {
    if (this.closed) throw new Error(`journal ${this.path} is closed`);
    if (this.lastWriteError) throw new Error(`journal ${this.path}: last write failed (${this.lastWriteError.message})`);
    const open = fstatSync(this.fd);
    let onDisk: ReturnType<typeof statSync> | undefined;
    try {
      onDisk = statSync(this.path);
    } catch {
      onDisk = undefined;
    }
    if (open.nlink === 0 || !onDisk || onDisk.ino !== open.ino || onDisk.dev !== open.dev) throw new Error(`journal ${this.path} was deleted or replaced while open`);
  }

  /** Waits for pending writes, then closes the file (once: later calls do nothing). */
  async close(): Promise<void> {
    if (this.closed) return;
    while (this.writing || this.queue.length) await new Promise((r) => setTimeout(r, 5));
    if (this.closed) return; // closed by a concurrent call meanwhile
    this.closed = true;
    closeSync(this.fd);
  }
}

function writeAll(fd: number, buffer: Buffer, cb: (err: Error | null) => void, offset = 0): void {
  write(fd, buffer, offset, buffer.length - offset, null, (err, written) => {
    if (err) return cb(err);
    if (offset + written < buffer.length) return writeAll(fd, buffer, cb, offset + written);
    cb(null);
  });
}
