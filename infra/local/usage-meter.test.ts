import { describe, expect, it } from 'vitest';
import { entryUnits, indexWriteUnits, updateIndexUnits, updatedAttributes, valueSize } from './usage-meter.ts';
import type { TableIndex } from '../../functions/shared/adapters/table-design.ts';

const ALL: TableIndex = { name: 'All', partitionKey: 'aPk', sortKey: 'aSk' };
const SOME: TableIndex = { name: 'Some', partitionKey: 'sPk', sortKey: 'sSk', projection: ['id', 'status'] };
const indexes = [ALL, SOME];
const base = { pk: 'FB#1', sk: 'ITEM', id: '1', status: 'open', version: 1, aPk: 'A', aSk: '1', sPk: 'S', sSk: '1' };

describe('usage meter: index writes by DynamoDB rules', () => {
  it('sizes values as DynamoDB does (names and values, lists and maps with their overhead)', () => {
    expect(valueSize('abc')).toBe(3);
    expect(valueSize('年')).toBe(3);
    expect(valueSize(true)).toBe(1);
    expect(valueSize(['a', 'b'])).toBe(3 + 2 + 2);
    expect(valueSize({ a: 'xy' })).toBe(3 + 1 + 1 + 2);
    // the same values as a raw client sends them
    expect(valueSize({ S: 'abc' })).toBe(3);
    expect(valueSize({ M: { a: { S: 'xy' } } })).toBe(3 + 1 + 1 + 2);
  });

  it('a new item is put into every index whose keys it has; a whole-item index costs the item, an INCLUDE one its projection', () => {
    const big = { ...base, text: 'x'.repeat(3000) };
    expect(entryUnits(ALL, big)).toBe(4);
    expect(entryUnits(SOME, big)).toBe(1);
    expect(indexWriteUnits(indexes, undefined, big)).toBe(5);
    const { sPk: _p, sSk: _s, ...outOfSome } = big;
    expect(indexWriteUnits(indexes, undefined, outOfSome)).toBe(4);
  });

  it('a replace that changes only attributes an INCLUDE index leaves out writes the whole-item indexes alone', () => {
    expect(indexWriteUnits(indexes, base, { ...base, version: 2 })).toBe(1);
    expect(indexWriteUnits([SOME], base, { ...base, version: 2 })).toBe(0);
    expect(indexWriteUnits([SOME], base, { ...base, status: 'resolved' })).toBe(1);
    expect(indexWriteUnits([SOME], base, { ...base })).toBe(0);
  });

  it('a changed index key is a delete and a put; leaving an index is a delete', () => {
    expect(indexWriteUnits([SOME], base, { ...base, sSk: '2' })).toBe(2);
    const { sPk: _p, sSk: _s, ...left } = base;
    expect(indexWriteUnits([SOME], base, left)).toBe(1);
    expect(indexWriteUnits(indexes, base, undefined)).toBe(2);
  });

  it('an update writes the indexes whose projection or keys its expression names', () => {
    const changed = updatedAttributes({ UpdateExpression: 'SET #timeline = list_append(if_not_exists(#timeline, :none), :entries), #version = #version + :one', ExpressionAttributeNames: { '#timeline': 'timeline', '#version': 'version' } });
    expect([...changed].sort()).toEqual(['timeline', 'version']);
    expect(updateIndexUnits(indexes, base, changed)).toBe(1);
    const removed = updatedAttributes({ UpdateExpression: 'REMOVE outbox.#k0, outbox.#k1', ExpressionAttributeNames: { '#k0': 'status', '#k1': 'x' } });
    expect([...removed]).toEqual(['outbox']);
    expect(updateIndexUnits([SOME], base, removed)).toBe(0);
    expect(updateIndexUnits([SOME], base, new Set(['status']))).toBe(1);
    expect(updateIndexUnits([SOME], base, new Set(['sSk']))).toBe(2);
  });
});
