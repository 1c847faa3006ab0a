// The load engine counts latencies in HDR buckets with its own integer arithmetic (BucketCounter) and
// turns them into real histograms only when encoding. Whatever it counts must encode to exactly the
// histogram hdr-histogram-js would have made from the same values recorded one by one.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BucketCounter } from '../../src/core/bucket-counter.js';
import { createHistogram, decodeHistogram, encodeHistogram, recordMs } from '../../src/core/histogram.js';

function direct(values: readonly number[]): string {
  const h = createHistogram();
  for (const v of values) recordMs(h, v);
  return encodeHistogram(h);
}

function counted(values: readonly number[], counter = new BucketCounter()): string {
  for (const v of values) counter.record(v);
  const h = createHistogram();
  counter.drainInto(h);
  return encodeHistogram(h);
}

// Latencies in ms from sub-microsecond to ~an hour, spread over every bucket (log-uniform).
const latency = fc.double({ min: -6, max: 6.5, noNaN: true }).map((e) => 10 ** e);

describe('BucketCounter', () => {
  it('encodes exactly as recording each value into an HdrHistogram would', () => {
    fc.assert(
      fc.property(fc.array(latency, { minLength: 1, maxLength: 300 }), (values) => {
        expect(counted(values)).toBe(direct(values));
      }),
      { numRuns: 300 },
    );
  });

  it('lands on the same buckets at every boundary of the layout', () => {
    // Values just around each power of two (where a bucket ends) and at the sub-bucket edges.
    const edges: number[] = [];
    for (let p = 0; p < 32; p++) {
      for (const d of [-1, 0, 1]) {
        const micros = 2 ** p + d;
        if (micros >= 1 && micros <= 3_600_000_000) edges.push(micros / 1000);
      }
    }
    for (const v of edges) expect(counted([v]), `${v} ms`).toBe(direct([v]));
    expect(counted(edges)).toBe(direct(edges));
  });

  it('keeps counts and min/max-equivalent values through the encoding', () => {
    const values = [0.0004, 0.2, 20, 20.0004, 950, 3_599_999];
    const counter = new BucketCounter();
    for (const v of values) counter.record(v);
    expect(counter.count).toBe(values.length);
    const h = createHistogram();
    counter.drainInto(h);
    expect(h.totalCount).toBe(values.length);
    const reference = createHistogram();
    for (const v of values) recordMs(reference, v);
    for (const q of [0, 10, 50, 90, 99, 100])
      expect(h.getValueAtPercentile(q)).toBe(reference.getValueAtPercentile(q));
  });

  it('starts from zero after a drain or a clear, reusing its buckets', () => {
    const counter = new BucketCounter();
    expect(counted([5, 6, 7], counter)).toBe(direct([5, 6, 7]));
    expect(counter.count).toBe(0);
    // The second drain holds only what came after the first.
    expect(counted([1, 900], counter)).toBe(direct([1, 900]));
    counter.record(3);
    counter.record(4000);
    counter.clear();
    expect(counter.count).toBe(0);
    expect(counted([42], counter)).toBe(direct([42]));
    const empty = createHistogram();
    counter.drainInto(empty);
    expect(empty.totalCount).toBe(0);
  });

  it('counts what no timeout allows (over an hour) at the top of the range instead of failing', () => {
    const counter = new BucketCounter();
    counter.record(5 * 3_600_000);
    const h = createHistogram();
    counter.drainInto(h);
    expect(h.totalCount).toBe(1);
    // The same bucket as an hour itself.
    expect(encodeHistogram(h)).toBe(direct([3_600_000]));
  });

  it('round-trips through the interchange encoding in either layout, and refuses what is not one', () => {
    const values = [0.5, 1, 20, 20.5, 250, 9000];
    const text = direct(values);
    for (const layout of [64, 'packed'] as const) {
      const h = decodeHistogram(text, layout);
      expect(h.totalCount).toBe(values.length);
      expect(encodeHistogram(h)).toBe(text);
    }
    // The base64 text of a histogram made by hdr-histogram-js's own index build (recorded 1…5 µs).
    expect(
      decodeHistogram('HISTFAAAACZ4nJNpmSzMwMDAxsDAwMjAwMDMAAEgNsO1yUsY4HwmEAAAXZQDag==').totalCount,
    ).toBe(5);
    expect(() => decodeHistogram('not a histogram')).toThrow();
    expect(() => decodeHistogram('')).toThrow();
  });
});
