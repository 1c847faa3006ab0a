// A structural JSON diff in Diffy's vocabulary: every difference is a leaf with its path and kind —
// value, type, missing, extra, length (array size) or order (elements matched in another order). Pure.

import type { DifferenceKind } from '../evidence.js';
import { matchElements, reordered } from './match.js';
import type { PathToken } from './path.js';

export interface RawDifference {
  path: PathToken[];
  kind: DifferenceKind;
  baseline: unknown;
  target: unknown;
}

export type JsonType = 'null' | 'array' | 'object' | 'string' | 'number' | 'boolean' | 'undefined';

export function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  if (t === 'string' || t === 'number' || t === 'boolean' || t === 'object') return t;
  return 'undefined';
}

/** JSON with sorted keys: two values are deeply equal exactly when their canonical texts are. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/** How the diff treats what a scenario or a response pair knows better than plain JSON equality. */
export interface DiffOptions {
  /**
   * Two different primitive leaves that stand for the same thing: each environment's own address or
   * captured id, for instance. Asked only when the values differ.
   */
  same?: (baseline: unknown, target: unknown, path: readonly PathToken[]) => boolean;
  /** How the elements of the array at a path are paired; default: by content, order counts. */
  arrays?: (path: readonly PathToken[]) => ArrayRule | undefined;
}

export interface ArrayRule {
  /** The order of elements means nothing here: no `order` difference is reported. */
  unordered: boolean;
  /** The field (path within an element) that identifies an element. */
  key?: readonly PathToken[];
}

export function diffJson(
  baseline: unknown,
  target: unknown,
  path: PathToken[] = [],
  options: DiffOptions = {},
): RawDifference[] {
  const out: RawDifference[] = [];
  walk(baseline, target, path, out, options);
  return out;
}

function walk(a: unknown, b: unknown, path: PathToken[], out: RawDifference[], o: DiffOptions): void {
  const ta = jsonType(a);
  const tb = jsonType(b);
  if (ta !== tb) {
    out.push({ path, kind: 'type', baseline: a, target: b });
    return;
  }
  if (ta === 'object') {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    for (const key of Object.keys(ao)) {
      if (!Object.hasOwn(bo, key))
        out.push({ path: [...path, key], kind: 'missing', baseline: ao[key], target: undefined });
      else walk(ao[key], bo[key], [...path, key], out, o);
    }
    for (const key of Object.keys(bo)) {
      if (!Object.hasOwn(ao, key))
        out.push({ path: [...path, key], kind: 'extra', baseline: undefined, target: bo[key] });
    }
    return;
  }
  if (ta === 'array') {
    diffArrays(a as unknown[], b as unknown[], path, out, o);
    return;
  }
  if (a !== b && !(Number.isNaN(a) && Number.isNaN(b)) && !o.same?.(a, b, path))
    out.push({ path, kind: 'value', baseline: a, target: b });
}

/**
 * Elements are diffed pair by pair after matching (see match.ts), and a path inside an element names
 * the baseline's index: the baseline's first answer is the left side of every comparison (against its
 * own repeats and against the target), so noise learned at `items[3].at` and a difference at
 * `items[3].at` are about the same element, wherever the other answers put it.
 */
function diffArrays(
  a: unknown[],
  b: unknown[],
  path: PathToken[],
  out: RawDifference[],
  o: DiffOptions,
): void {
  if (a.length === b.length) {
    // Element by element first: the common case (equal) needs no matching at all.
    const inner: RawDifference[] = [];
    for (let i = 0; i < a.length; i++) walk(a[i], b[i], [...path, i], inner, o);
    if (inner.length === 0) return;
  }
  const rule = o.arrays?.(path);
  const cost = (i: number, j: number) => diffJson(a[i], b[j], [...path, i], o).length;
  const m = matchElements(a, b, a.map(canonical), b.map(canonical), cost, rule?.key);
  if (a.length !== b.length) out.push({ path, kind: 'length', baseline: a.length, target: b.length });
  if (!rule?.unordered && reordered(m.pairs)) out.push({ path, kind: 'order', baseline: a, target: b });
  for (const [i, j] of m.pairs) walk(a[i], b[j], [...path, i], out, o);
  for (const i of m.missing)
    out.push({ path: [...path, i], kind: 'missing', baseline: a[i], target: undefined });
  for (const j of m.extra) out.push({ path: [...path, j], kind: 'extra', baseline: undefined, target: b[j] });
}
