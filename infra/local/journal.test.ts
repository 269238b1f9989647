import { afterEach, describe, expect, it } from 'vitest';
import { closeSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal } from './journal.ts';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'redress-journal-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const open = (path: string) => Journal.open(path, () => undefined, () => []);

describe('Journal.check', () => {
  it('passes for an open journal whose appends are landing', async () => {
    const journal = open(join(tempDir(), 'j.jsonl'));
    await journal.append({ n: 1 });
    expect(() => journal.check()).not.toThrow();
    await journal.close();
  });

  it('fails once the last write failed', async () => {
    const journal = open(join(tempDir(), 'j.jsonl'));
    // Take the file descriptor away, as a failing disk would make the write fail.
    closeSync((journal as unknown as { fd: number }).fd);
    await expect(journal.append({ n: 1 })).rejects.toThrow();
    expect(() => journal.check()).toThrow(/last write failed/);
  });

  it('fails when its file was replaced by another', async () => {
    const dir = tempDir();
    const path = join(dir, 'j.jsonl');
    const journal = open(path);
    writeFileSync(join(dir, 'other'), '');
    renameSync(join(dir, 'other'), path);
    expect(() => journal.check()).toThrow(/deleted or replaced/);
    await journal.close();
  });
});
