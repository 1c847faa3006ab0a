// Latencies counted in HdrHistogram's buckets with integer arithmetic, for the load engine's hot path,
// then added to a real histogram (createHistogram) when one is needed: per second, or at the end of a
// slice. Written by hand because hdr-histogram-js finds a value's bucket with Math.log2 and two
// Math.pow calls on every record; at 100 000 requests per second, recording each twice (endpoint and
// second), that was ~2 % of a load thread's CPU in perf. The layout is createHistogram's — 1 µs to
// 1 hour, 3 significant digits: 2048 sub-buckets, the lower half shared — so the counts land on exactly
// the indexes direct recording would use, and the encoded histogram is the same.
import type { Histogram } from './histogram.js';

/** log2 of half the sub-bucket count: 3 significant digits need 2000 single-unit values, so 2048. */
const HALF_MAGNITUDE = 10;
const HALF_COUNT = 1 << HALF_MAGNITUDE;
/** createHistogram's highest trackable value, 1 hour in µs: below 2^32, so the bit arithmetic holds. */
const HIGHEST = 3_600_000_000;
const LENGTH = indexOf(HIGHEST) + 1;

function indexOf(micros: number): number {
  // The bucket: how many powers of two the value lies above the first bucket's range.
  const bucket = Math.max(0, 31 - Math.clz32(micros) - HALF_MAGNITUDE);
  // Within it, the value shifted down to 1024…2047 (the first bucket also uses 0…1023).
  return bucket * HALF_COUNT + (micros >>> bucket);
}

/**
 * The bucket a latency in milliseconds is counted in: rounded to the microsecond like recordMs, and
 * clamped to 1 µs … 1 hour. The k6 bundles count their requests by this index (runners/k6/runtime.ts),
 * so a k6 runner's histogram has the embedded engine's buckets exactly.
 */
export function latencyBucket(ms: number): number {
  let micros = Math.round(ms * 1000);
  if (micros < 1) micros = 1;
  // Beyond an hour, which no request timeout allows: counted at the top rather than thrown.
  else if (micros > HIGHEST) micros = HIGHEST;
  return indexOf(micros);
}

/** The lowest value (µs) of an index's bucket: recorded in its place, it lands on the same index. */
export function bucketValueMicros(index: number): number {
  const bucket = Math.max(0, (index >>> HALF_MAGNITUDE) - 1);
  return (index - bucket * HALF_COUNT) * 2 ** bucket;
}

export class BucketCounter {
  // 32-bit counts (94 kB a counter): no slice can count 2^32 requests, since performance.limits
  // caps a run at 2 billion.
  private readonly counts = new Uint32Array(LENGTH);
  /** The range of indexes touched since the last drain, so draining reads only those. */
  private low = LENGTH;
  private high = -1;
  count = 0;

  /** Records a latency in milliseconds, rounded to the microsecond like recordMs. */
  record(ms: number): void {
    const i = latencyBucket(ms);
    this.counts[i]!++;
    if (i < this.low) this.low = i;
    if (i > this.high) this.high = i;
    this.count++;
  }

  /** Adds everything counted to `h` and starts again from zero. */
  drainInto(h: Histogram): void {
    const counts = this.counts;
    for (let i = this.low; i <= this.high; i++) {
      const n = counts[i]!;
      if (n > 0) {
        h.recordValueWithCount(bucketValueMicros(i), n);
        counts[i] = 0;
      }
    }
    this.low = LENGTH;
    this.high = -1;
    this.count = 0;
  }

  /** Forgets everything counted. */
  clear(): void {
    this.counts.fill(0, this.low, this.high + 1);
    this.low = LENGTH;
    this.high = -1;
    this.count = 0;
  }
}
