import { describe, expect, it } from 'vitest';
import { applyFaqUpdate } from './merge.ts';
import { entry } from './test-entries.ts';

const current = [entry('a', '年费'), entry('b', '挂失'), entry('c', '转账')];

describe('applying an upload', () => {
  it('replace: the FAQ becomes the upload, and the diff names what was added, changed and removed', () => {
    const { entries, diff } = applyFaqUpdate(current, [entry('b', '挂失'), entry('c', '跨行转账'), entry('d', '网银')], 'replace');
    expect(entries.map((e) => e.id)).toEqual(['b', 'c', 'd']);
    expect(diff).toEqual({ added: ['d'], updated: ['c'], removed: ['a'], unchanged: 1 });
  });

  it('upsert: entries with an uploaded id are replaced in place, new ones appended, others kept', () => {
    const { entries, diff } = applyFaqUpdate(current, [entry('d', '网银'), entry('a', '信用卡年费')], 'upsert');
    expect(entries.map((e) => `${e.id}:${e.question}`)).toEqual(['a:信用卡年费', 'b:挂失', 'c:转账', 'd:网银']);
    expect(diff).toEqual({ added: ['d'], updated: ['a'], removed: [], unchanged: 2 });
  });

  it('upsert replaces an entry whole (a dropped category or phrasing goes)', () => {
    const { entries } = applyFaqUpdate([entry('a', '年费', 'zh', { category: 'fees', phrasings: ['免年费'] })], [entry('a', '年费')], 'upsert');
    expect(entries).toEqual([entry('a', '年费')]);
  });

  it('an identical upload changes nothing', () => {
    expect(applyFaqUpdate(current, current, 'replace').diff).toEqual({ added: [], updated: [], removed: [], unchanged: 3 });
  });
});
