// A latency distribution as the gate statistics read it: the buckets of an HdrHistogram (value in ms,
// count), with cumulative counts so an order statistic is a binary search, not a walk over raw samples.
// Built from core/histogram.ts's bucketsMs, so everything downstream works on mergeable histograms.
import { decodeHistogram } from '../histogram.js';

export interface Distribution {
  /** Bucket values in ms, ascending. */
  readonly values: Float64Array;
  /** cum[i] = number of samples in buckets 0..i. */
  readonly cum: Float64Array;
  readonly n: number;
}

export function distributionOf(buckets: ReadonlyArray<readonly [number, number]>): Distribution {
  const values = new Float64Array(buckets.length);
  const cum = new Float64Array(buckets.length);
  let total = 0;
  buckets.forEach(([v, c], i) => {
    total += c;
    values[i] = v;
    cum[i] = total;
  });
  return { values, cum, n: total };
}

/** The k-th smallest sample (1-based rank), as its bucket's value. */
export function orderStatistic(d: Distribution, rank: number): number {
  const k = Math.min(Math.max(1, rank), d.n);
  let lo = 0;
  let hi = d.cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (d.cum[mid]! >= k) hi = mid;
    else lo = mid + 1;
  }
  return d.values[lo]!;
}

/** The q-quantile as HdrHistogram reports it: the value at rank ⌈q·n⌉. */
export function quantileOf(d: Distribution, q: number): number {
  return orderStatistic(d, Math.ceil(q * d.n));
}

/** How many samples are ≤ value. */
export function countAtOrBelow(d: Distribution, value: number): number {
  let lo = 0;
  let hi = d.values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (d.values[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? 0 : d.cum[lo - 1]!;
}

export function meanOf(d: Distribution): { mean: number; sd: number } {
  let sum = 0;
  let sq = 0;
  let prev = 0;
  for (let i = 0; i < d.values.length; i++) {
    const c = d.cum[i]! - prev;
    prev = d.cum[i]!;
    sum += c * d.values[i]!;
    sq += c * d.values[i]! * d.values[i]!;
  }
  const mean = sum / d.n;
  const variance = d.n > 1 ? Math.max(0, (sq - d.n * mean * mean) / (d.n - 1)) : 0;
  return { mean, sd: Math.sqrt(variance) };
}

export function minOf(d: Distribution): number {
  return d.values[0] ?? Number.NaN;
}

export function maxOf(d: Distribution): number {
  return d.values[d.values.length - 1] ?? Number.NaN;
}

/** Merges distributions (histograms of several series) into one. */
export function mergeDistributions(parts: readonly Distribution[]): Distribution {
  if (parts.length === 1) return parts[0]!;
  const counts = new Map<number, number>();
  for (const d of parts) {
    let prev = 0;
    for (let i = 0; i < d.values.length; i++) {
      counts.set(d.values[i]!, (counts.get(d.values[i]!) ?? 0) + d.cum[i]! - prev);
      prev = d.cum[i]!;
    }
  }
  return distributionOf([...counts.entries()].sort((a, b) => a[0] - b[0]));
}

/** The part of hdr-histogram-js's JsHistogram read here (its type is not exported). */
interface CountsView {
  countsArrayLength: number;
  getCountAtIndex(index: number): number;
  valueFromIndex(index: number): number;
  medianEquivalentValue(value: number): number;
}

/**
 * An encoded HdrHistogram (core/histogram.ts's format, values in µs) as a distribution in ms — the
 * same buckets and values as `distributionOf(bucketsMs(decodeHistogram(encoded)))`, about 20 times
 * faster: decoding into plain 64-bit counts and walking them once costs ~3 ms, where the packed
 * array and hdr-histogram-js's RecordedValuesIterator cost ~70 ms per histogram, and a gate reads
 * dozens of histograms (the seeded simulation thousands).
 */
export function distributionFromEncoded(encoded: string): Distribution {
  const h = decodeHistogram(encoded, 64) as unknown as CountsView;
  const values: number[] = [];
  const cum: number[] = [];
  let total = 0;
  for (let i = 0; i < h.countsArrayLength; i++) {
    const c = h.getCountAtIndex(i);
    if (c === 0) continue;
    total += c;
    values.push(h.medianEquivalentValue(h.valueFromIndex(i)) / 1000);
    cum.push(total);
  }
  return { values: Float64Array.from(values), cum: Float64Array.from(cum), n: total };
}
