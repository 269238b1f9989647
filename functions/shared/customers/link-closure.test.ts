import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { customerOf, linkedKeys, pairOf } from './link-closure.ts';

describe('linkedKeys', () => {
  it('follows links transitively, in either direction, the key first', () => {
    const links = [pairOf('a', 'b'), pairOf('c', 'b'), pairOf('d', 'c'), pairOf('x', 'y')];

    expect(linkedKeys('a', links)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('is the key alone without links', () => {
    expect(linkedKeys('a', [pairOf('x', 'y')])).toEqual(['a']);
  });

  it('splits the customer again when the middle link is removed', () => {
    const links = [pairOf('a', 'b'), pairOf('b', 'c')];

    expect(linkedKeys('a', links.filter((l) => !(l.a === 'b' && l.b === 'c')))).toEqual(['a', 'b']);
  });

  it('stops at the most keys a customer may gather', () => {
    const chain = Array.from({ length: 300 }, (_, i) => pairOf(`k${i}`, `k${i + 1}`));

    expect(linkedKeys('k0', chain, 100)).toHaveLength(100);
  });
});

describe('customerOf', () => {
  it('names one customer for exactly the keys linkedKeys reaches', () => {
    const key = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g');
    fc.assert(
      fc.property(fc.array(fc.tuple(key, key).map(([x, y]) => pairOf(x, y)), { maxLength: 12 }), key, key, (links, x, y) => {
        const customer = customerOf(links);
        expect(customer(x) === customer(y)).toBe(linkedKeys(x, links).includes(y));
      }),
    );
  });
});
