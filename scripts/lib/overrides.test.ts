import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOverrideLine, readOverrides } from './overrides.ts';

describe('parseOverrideLine', () => {
  it('reads the handler labels of a stored item as the admin API returns it', () => {
    // Arrange
    const item = { id: 'fb_1', text: 'My card was declined', kind: 'inquiry', classification: { confidence: 0.7, override: { kind: 'complaint', category: 'card_issues', severity: 'medium', by: 'sup-1', at: '2026-01-01T00:00:00.000Z' } } };
    // Act
    const record = parseOverrideLine(JSON.stringify(item), 1);
    // Assert
    expect(record).toEqual({ text: 'My card was declined', kind: 'complaint', category: 'card_issues', severity: 'medium' });
  });

  it('reads a flat record and skips a stored item no handler reclassified', () => {
    expect(parseOverrideLine('{"text":"年费怎么收？","kind":"inquiry"}', 1)).toEqual({ text: '年费怎么收？', kind: 'inquiry' });
    expect(parseOverrideLine('{"text":"hello","classification":{"confidence":0.5}}', 2)).toBeNull();
  });

  it('names the line and the field of a bad record', () => {
    expect(() => parseOverrideLine('{"text":"x","kind":"angry"}', 7)).toThrow(/line 7: kind/);
    expect(() => parseOverrideLine('{"text":"x","kind":"complaint","category":"nope"}', 3)).toThrow(/line 3: category/);
    expect(() => parseOverrideLine('{"kind":"complaint"}', 4)).toThrow(/line 4: no text/);
  });
});

describe('readOverrides', () => {
  it('turns a JSON-lines file into labelled rows of source bank, with language and folds', () => {
    // Arrange
    const file = join(mkdtempSync(join(tmpdir(), 'overrides-')), 'o.jsonl');
    writeFileSync(file, ['# exported 2026-01-01', '{"text":"转账三天没到账","kind":"complaint","category":"transfers_payments"}', '', '{"text":"How do I activate my card?","kind":"inquiry"}'].join('\n'));
    // Act
    const rows = readOverrides(file);
    // Assert
    expect(rows.map((r) => [r.src, r.gold.lang, r.gold.kinds, r.gold.cats])).toEqual([
      ['bank', 'zh', ['complaint'], ['transfers_payments']],
      ['bank', 'en', ['inquiry'], null],
    ]);
    expect(rows.every((r) => r.fold >= 0 && r.fold < 5)).toBe(true);
  });
});
