/** The Map-based LRU stand-in behaves as mnemonist's LRUCache for every call the SDK's endpoint cache makes. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import mnemonist from 'mnemonist/lru-cache.js';
import LRUCache from './lru-cache.ts';

// mnemonist is CommonJS (`module.exports = LRUCache`) while its typings declare a default export.
const MnemonistLRU = mnemonist as unknown as typeof mnemonist.default;

type Op = { op: 'get' | 'peek' | 'has'; key: string } | { op: 'set'; key: string; value: number } | { op: 'clear' };

const key = fc.constantFrom('a', 'b', 'c', 'd', 'e', '{"accessKeyId":"AK"}', '1');
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constantFrom('get' as const, 'peek' as const, 'has' as const), key }),
  fc.record({ op: fc.constant('set' as const), key, value: fc.integer() }),
  fc.record({ op: fc.constant('clear' as const) }),
);

describe('LRU cache stand-in (mnemonist/lru-cache alias)', () => {
  it('answers every get, peek, has, set and clear sequence as mnemonist does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(op, { maxLength: 60 }), (capacity, ops) => {
        const real = new MnemonistLRU<string, number>(capacity);
        const ours = new LRUCache<number>(capacity);
        for (const o of ops) {
          if (o.op === 'set') {
            real.set(o.key, o.value);
            ours.set(o.key, o.value);
          } else if (o.op === 'clear') {
            real.clear();
            ours.clear();
          } else {
            expect(ours[o.op](o.key)).toEqual(real[o.op](o.key));
          }
          expect(ours.size).toBe(real.size);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('evicts the least recently used entry, where get counts as use and peek does not', () => {
    const c = new LRUCache<number>(2);
    c.set('a', 1);
    c.set('b', 2);
    c.get('a');
    c.peek('b');
    c.set('c', 3);
    expect([c.has('a'), c.has('b'), c.has('c')]).toEqual([true, false, true]);
  });

  it('refuses a capacity that is not positive, as mnemonist does', () => {
    expect(() => new LRUCache(0)).toThrow(/capacity/);
  });
});
