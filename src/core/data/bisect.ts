// Bisection planning and the comparison at the bottom of it, pure. A segment whose checksums (count and
// summed row hashes) agree on both sides is equal; one that differs is split into `factor` segments —
// arithmetically for a single integer key (no query), else at every n-th key of the side with more rows —
// until it holds few enough rows to download keys and row hashes of both sides and compare them here.
import type { KeyValues } from './model.js';
import type { Segment } from './sql.js';

export interface BisectionOptions {
  /** Segments a differing segment is split into. @default 32 */
  factor: number;
  /** A differing segment with at most this many rows (on the larger side) is downloaded. @default 1024 */
  threshold: number;
}

export const DEFAULT_BISECTION: BisectionOptions = { factor: 32, threshold: 1024 };

/**
 * Up to `parts - 1` integer boundaries strictly inside [min, max], evenly spaced: splitting [min, max]
 * into segments [min, b1), [b1, b2), … [bn, max]. Fewer when the range is narrower than `parts`.
 */
export function splitIntegerRange(min: bigint, max: bigint, parts: number): bigint[] {
  const span = max - min + 1n;
  const n = BigInt(Math.max(2, parts));
  const step = span / n > 0n ? span / n : 1n;
  const out: bigint[] = [];
  for (let b = min + step; b <= max && out.length < parts - 1; b += step) out.push(b);
  return out;
}

/** The segments between boundaries, inside the segment they split (boundaries sorted, exclusive of its ends). */
export function segmentsBetween(segment: Segment, boundaries: string[][]): Segment[] {
  const out: Segment[] = [];
  let lo = segment.lo;
  for (const b of boundaries) {
    out.push({ lo, hi: b });
    lo = b;
  }
  out.push({ lo, hi: segment.hi });
  return out;
}

export interface RowHash {
  key: string[];
  hash: string;
}

export interface RowComparison {
  missing: string[][];
  extra: string[][];
  changed: string[][];
}

const keyId = (key: string[]) => JSON.stringify(key);

/** Rows of both sides by key: missing from the target, extra in it, or present on both with another hash. */
export function compareRowHashes(baseline: RowHash[], target: RowHash[]): RowComparison {
  const targetByKey = new Map(target.map((r) => [keyId(r.key), r]));
  const baselineKeys = new Set<string>();
  const result: RowComparison = { missing: [], extra: [], changed: [] };
  for (const row of baseline) {
    const id = keyId(row.key);
    baselineKeys.add(id);
    const other = targetByKey.get(id);
    if (!other) result.missing.push(row.key);
    else if (other.hash !== row.hash) result.changed.push(row.key);
  }
  for (const row of target) if (!baselineKeys.has(keyId(row.key))) result.extra.push(row.key);
  return result;
}

/** Which columns of one row differ, from both sides' normalised values (same column order). */
export function changedColumns(
  columns: string[],
  baseline: Array<string | null>,
  target: Array<string | null>,
): string[] {
  return columns.filter((_, i) => baseline[i] !== target[i]);
}

/** Multisets of row hashes (tables without a key): how many rows only one side has. */
export function compareHashCounts(
  baseline: Map<string, number>,
  target: Map<string, number>,
): { missing: Array<{ hash: string; count: number }>; extra: Array<{ hash: string; count: number }> } {
  const missing: Array<{ hash: string; count: number }> = [];
  const extra: Array<{ hash: string; count: number }> = [];
  for (const [hash, n] of baseline) {
    const m = target.get(hash) ?? 0;
    if (n > m) missing.push({ hash, count: n - m });
  }
  for (const [hash, n] of target) {
    const m = baseline.get(hash) ?? 0;
    if (n > m) extra.push({ hash, count: n - m });
  }
  return { missing, extra };
}

export const toKeyValues = (names: string[], key: string[]): KeyValues =>
  Object.fromEntries(names.map((n, i) => [n, key[i] ?? '']));
