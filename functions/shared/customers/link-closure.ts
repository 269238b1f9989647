/**
 * Which keys are one customer: the keys reachable from a key through links (a supervisor's, or a key
 * rotation's alias), in either direction, transitively. Pure over the link list; the links store reads
 * the list (one small partition), this decides.
 */

/** One link between two keys (undirected). */
export interface KeyPair {
  a: string;
  b: string;
}

/** The most keys one customer may gather: a link chain past it is cut (and the answer says so). */
export const MAX_CUSTOMER_KEYS = 100;

/**
 * The keys linked to `key`, itself first, then in breadth-first order (each once). Stops at `max` keys.
 */
export function linkedKeys(key: string, links: Iterable<KeyPair>, max = MAX_CUSTOMER_KEYS): string[] {
  const neighbours = new Map<string, string[]>();
  const add = (from: string, to: string) => {
    const list = neighbours.get(from);
    if (list) list.push(to);
    else neighbours.set(from, [to]);
  };
  for (const { a, b } of links) {
    add(a, b);
    add(b, a);
  }
  const seen = [key];
  const known = new Set(seen);
  for (let i = 0; i < seen.length && seen.length < max; i++) {
    for (const next of neighbours.get(seen[i]!) ?? []) {
      if (known.has(next)) continue;
      known.add(next);
      seen.push(next);
      if (seen.length >= max) break;
    }
  }
  return seen;
}

/**
 * A function naming each key's customer: the smallest key of its linked group (union-find), so every
 * key of one customer maps to the same representative and an unlinked key to itself.
 */
export function customerOf(links: Iterable<KeyPair>): (key: string) => string {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let root = k;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
    // Path compression: later lookups of the keys on the way are one step.
    for (let n = k; n !== root; ) {
      const up = parent.get(n)!;
      parent.set(n, root);
      n = up;
    }
    return root;
  };
  for (const { a, b } of links) {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) continue;
    if (ra < rb) parent.set(rb, ra);
    else parent.set(ra, rb);
  }
  return find;
}

/** The canonical pair of two keys (smaller first), so a link is one record whichever way it was made. */
export function pairOf(x: string, y: string): KeyPair {
  return x < y ? { a: x, b: y } : { a: y, b: x };
}
