// Which element of one array answers which element of another. Many APIs list in no fixed order
// (Prometheus's /api/v1/targets, a set rendered from a hash map): comparing by position would set each
// element against a stranger, and a whole list would read as different, or, where the order alone is
// noisy, as noise. Elements are paired instead — identical ones first, then by an identity key, then by
// the fewest differing leaves — and the pairs are diffed field by field. Pure.

import { jsonType } from './diff.js';
import { type PathToken, readTokens } from './path.js';

export interface Matching {
  /** Index pairs [baseline, target], in baseline order. */
  pairs: Array<[number, number]>;
  /** Baseline elements with no counterpart. */
  missing: number[];
  /** Target elements with no counterpart. */
  extra: number[];
}

/** How many leaves differ between two elements (for pairing by content). */
export type Cost = (i: number, j: number) => number;

/**
 * Field names that usually identify an element, tried first when several fields would do. Any other
 * field that is unique on both sides and shared between them serves too (`scrapeUrl`).
 */
const PREFERRED_KEYS = ['id', 'uid', 'uuid', 'key', 'name', 'slug', 'code'];

/** Beyond this many candidate pairs, leftovers are paired by position: content pairing is quadratic. */
const MAX_CONTENT_PAIRS = 4_096;

/**
 * Pairs the elements of `a` (baseline side) with those of `b`. `key` is the identity a scenario
 * declared (`{ kind: 'unordered', key: 'scrapeUrl' }`); without one, a key is looked for among the
 * elements' fields.
 */
export function matchElements(
  a: readonly unknown[],
  b: readonly unknown[],
  canonA: readonly string[],
  canonB: readonly string[],
  cost: Cost,
  key?: readonly PathToken[],
): Matching {
  const pairs: Array<[number, number]> = [];
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  const pair = (i: number, j: number) => {
    pairs.push([i, j]);
    usedA.add(i);
    usedB.add(j);
  };
  const left = () => ({
    la: a.map((_, i) => i).filter((i) => !usedA.has(i)),
    lb: b.map((_, j) => j).filter((j) => !usedB.has(j)),
  });

  // Identical elements: the n-th copy in a goes with the n-th copy in b, so duplicates keep their order.
  const copies = new Queues();
  canonB.forEach((c, j) => {
    copies.add(c, j);
  });
  canonA.forEach((c, i) => {
    const j = copies.take(c);
    if (j !== undefined) pair(i, j);
  });

  // By identity: a declared key, else the field that pairs most elements.
  let { la, lb } = left();
  const identity =
    key ??
    inferKey(
      la.map((i) => a[i]),
      lb.map((j) => b[j]),
    );
  if (identity && la.length > 0 && lb.length > 0) {
    const byKey = new Queues();
    for (const j of lb) {
      const k = keyOf(b[j], identity);
      if (k !== undefined) byKey.add(k, j);
    }
    for (const i of la) {
      const k = keyOf(a[i], identity);
      const j = k === undefined ? undefined : byKey.take(k);
      if (j !== undefined) pair(i, j);
    }
    ({ la, lb } = left());
  }

  // By content: the pairs with the fewest differing leaves first, nearer positions breaking ties.
  // Primitives of arrays whose length changed are not paired: `[1, 2, 3]` to `[1, 4]` lost 2 and 3
  // and gained 4, rather than 2 becoming 4.
  const sameLength = a.length === b.length;
  const pairable = (i: number, j: number) => {
    const ta = jsonType(a[i]);
    return ta === jsonType(b[j]) && (sameLength || ta === 'object' || ta === 'array');
  };
  if (la.length * lb.length <= MAX_CONTENT_PAIRS) {
    const candidates: Array<[number, number, number]> = [];
    for (const i of la) for (const j of lb) if (pairable(i, j)) candidates.push([i, j, cost(i, j)]);
    candidates.sort((x, y) => x[2] - y[2] || Math.abs(x[0] - x[1]) - Math.abs(y[0] - y[1]) || x[0] - y[0]);
    for (const [i, j] of candidates) if (!usedA.has(i) && !usedB.has(j)) pair(i, j);
  } else {
    for (let n = 0; n < Math.min(la.length, lb.length); n++)
      if (pairable(la[n]!, lb[n]!)) pair(la[n]!, lb[n]!);
  }
  ({ la, lb } = left());
  pairs.sort((x, y) => x[0] - y[0]);
  return { pairs, missing: la, extra: lb };
}

/** Indices waiting under a text (an element's canonical form, a key), taken first in, first out. */
class Queues {
  private readonly waiting = new Map<string, { items: number[]; next: number }>();

  add(text: string, index: number): void {
    const q = this.waiting.get(text);
    if (q) q.items.push(index);
    else this.waiting.set(text, { items: [index], next: 0 });
  }

  take(text: string): number | undefined {
    const q = this.waiting.get(text);
    return q && q.next < q.items.length ? q.items[q.next++] : undefined;
  }
}

/** Whether the pairs cross: the same elements, or some of them, in another order. */
export function reordered(pairs: ReadonlyArray<readonly [number, number]>): boolean {
  for (let n = 1; n < pairs.length; n++) if (pairs[n]![1] < pairs[n - 1]![1]) return true;
  return false;
}

function keyOf(element: unknown, key: readonly PathToken[]): string | undefined {
  const v = readTokens(element, key);
  if (typeof v === 'string') return `s${v}`;
  if (typeof v === 'number') return `n${v}`;
  return undefined;
}

/**
 * A top-level field that identifies elements: a string or number in every object on both sides,
 * different in each element of a side, with the most values found on both sides. Fresh per-answer
 * values (a timestamp, a generated id) are unique too, but shared by no element, so they lose. A field
 * that numbers the elements by position (`rank: 0, 1, 2`) is unique and shared as well, but pairs
 * positions, not elements: in a shuffled list it would set strangers against each other.
 */
export function inferKey(a: readonly unknown[], b: readonly unknown[]): PathToken[] | undefined {
  const objects = (xs: readonly unknown[]) =>
    xs.every((x) => jsonType(x) === 'object') ? (xs as Array<Record<string, unknown>>) : undefined;
  const oa = objects(a);
  const ob = objects(b);
  if (!oa || !ob || oa.length === 0 || ob.length === 0) return undefined;
  const values = (xs: Array<Record<string, unknown>>, field: string): Set<string> | undefined => {
    const seen = new Set<string>();
    let positional = xs.length > 1;
    for (const [i, x] of xs.entries()) {
      const v = Object.hasOwn(x, field) ? x[field] : undefined;
      const k = keyOf(v, []);
      if (k === undefined || seen.has(k)) return undefined;
      seen.add(k);
      if (v !== i && v !== i + 1) positional = false;
    }
    return positional ? undefined : seen;
  };
  let best: { field: string; shared: number; rank: number } | undefined;
  for (const field of Object.keys(oa[0]!)) {
    const va = values(oa, field);
    const vb = va && values(ob, field);
    if (!va || !vb) continue;
    let shared = 0;
    for (const v of va) if (vb.has(v)) shared++;
    const rank = PREFERRED_KEYS.includes(field) ? PREFERRED_KEYS.indexOf(field) : PREFERRED_KEYS.length;
    if (shared > 0 && (!best || shared > best.shared || (shared === best.shared && rank < best.rank)))
      best = { field, shared, rank };
  }
  return best ? [best.field] : undefined;
}
