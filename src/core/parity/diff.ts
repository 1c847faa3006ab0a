// A structural JSON diff in Diffy's vocabulary: every difference is a leaf with its path and kind —
// value, type, missing, extra, length (array size) or order (same elements, another order). Pure.

import type { DifferenceKind } from '../evidence.js';
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

export function diffJson(baseline: unknown, target: unknown, path: PathToken[] = []): RawDifference[] {
  const out: RawDifference[] = [];
  walk(baseline, target, path, out);
  return out;
}

function walk(a: unknown, b: unknown, path: PathToken[], out: RawDifference[]): void {
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
      else walk(ao[key], bo[key], [...path, key], out);
    }
    for (const key of Object.keys(bo)) {
      if (!Object.hasOwn(ao, key))
        out.push({ path: [...path, key], kind: 'extra', baseline: undefined, target: bo[key] });
    }
    return;
  }
  if (ta === 'array') {
    diffArrays(a as unknown[], b as unknown[], path, out);
    return;
  }
  if (a !== b && !(Number.isNaN(a) && Number.isNaN(b)))
    out.push({ path, kind: 'value', baseline: a, target: b });
}

function diffArrays(a: unknown[], b: unknown[], path: PathToken[], out: RawDifference[]): void {
  if (a.length === b.length) {
    // Element by element first: the common case (equal, or a few fields changed) needs no canonical
    // text at all; only when something differs is it worth asking whether the order alone changed.
    const inner: RawDifference[] = [];
    for (let i = 0; i < a.length; i++) walk(a[i], b[i], [...path, i], inner);
    if (inner.length === 0) return;
    const ca = a.map(canonical).sort();
    const cb = b.map(canonical).sort();
    if (ca.every((c, i) => c === cb[i])) out.push({ path, kind: 'order', baseline: a, target: b });
    else out.push(...inner);
    return;
  }
  const ca = a.map(canonical);
  const cb = b.map(canonical);
  out.push({ path, kind: 'length', baseline: a.length, target: b.length });
  // Which elements went missing or appeared: the longest common subsequence keeps the rest aligned, so
  // one removed element is reported once instead of as a change of every element after it.
  const matched = lcs(ca, cb);
  const keptA = new Set(matched.map(([i]) => i));
  const keptB = new Set(matched.map(([, j]) => j));
  const goneA = a.map((_, i) => i).filter((i) => !keptA.has(i));
  const newB = b.map((_, j) => j).filter((j) => !keptB.has(j));
  for (const i of goneA) out.push({ path: [...path, i], kind: 'missing', baseline: a[i], target: undefined });
  for (const j of newB) out.push({ path: [...path, j], kind: 'extra', baseline: undefined, target: b[j] });
}

/** Index pairs of a longest common subsequence; arrays in API responses are small enough for O(n·m). */
function lcs(a: readonly string[], b: readonly string[]): Array<[number, number]> {
  const n = a.length;
  const m = b.length;
  if (n * m > 4_000_000) return [];
  const t: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      t[i]![j] = a[i] === b[j] ? t[i + 1]![j + 1]! + 1 : Math.max(t[i + 1]![j]!, t[i]![j + 1]!);
    }
  }
  const pairs: Array<[number, number]> = [];
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (a[i] === b[j]) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (t[i + 1]![j]! >= t[i]![j + 1]!) i++;
    else j++;
  }
  return pairs;
}
