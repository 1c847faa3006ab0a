// Latency distributions as HdrHistograms: mergeable across workers, runs and k6 runners, compact when
// serialised (the standard compressed-base64 interchange format), exact to 3 significant digits.
// Values are recorded in microseconds so sub-millisecond loopback latencies keep their precision.
import type * as hdr from 'hdr-histogram-js';
// The parts used, not the package index: the index also loads the WebAssembly build (a large base64
// string) and the log writer, which builds an Intl.NumberFormat as it loads — together ~40 ms of CPU
// per thread at start-up, which every `cutover perf` and each load thread paid. Importing the
// encoding module installs encodeIntoCompressedBase64 on every histogram. Files under dist/ are not the
// package's public interface and may move in any release, so package.json pins the exact version.
import * as encoding from 'hdr-histogram-js/dist/JsHistogram.encoding.js';
import { constructorFromBucketSize } from 'hdr-histogram-js/dist/JsHistogramFactory.js';
// Not re-exported by the package index; the dist file is a CommonJS module with a default export.
import * as recordedValues from 'hdr-histogram-js/dist/RecordedValuesIterator.js';

/** The parts of hdr-histogram-js's JsHistogram used here beyond `Histogram` (its type is not exported). */
type JsHistogram = Histogram & {
  medianEquivalentValue(value: number): number;
  encodeIntoCompressedBase64(): string;
};
type IteratorCtor = new (
  h: JsHistogram,
) => { hasNext(): boolean; next(): { valueIteratedTo: number; countAtValueIteratedTo: number } };
const RecordedValuesIterator = ((
  recordedValues as unknown as { default: { default?: IteratorCtor } & IteratorCtor }
).default.default ?? (recordedValues as unknown as { default: IteratorCtor }).default) as IteratorCtor;

export type Histogram = hdr.Histogram;

/**
 * How counts are held: 64-bit counts take ~190 kB but are some 30 times faster to merge into and to
 * read quantiles from than 'packed' ones — the default, since every histogram here is a short-lived
 * working copy (what is kept is the encoded string). Packed ones are small, for holding many at once.
 * A run's merging and summaries took ~150 ms of CPU with packed histograms, a tenth of a short run.
 */
export type HistogramLayout = 'packed' | 64;

/** 1 µs … 1 hour at 3 significant digits. */
export function createHistogram(layout: HistogramLayout = 64): Histogram {
  const Layout = constructorFromBucketSize(layout);
  const h = new Layout(1, 3_600_000_000, 3);
  // As hdr-histogram-js's build() sets it: a value beyond an hour widens the histogram, not throws.
  h.autoResize = true;
  return h;
}

export function recordMs(h: Histogram, ms: number): void {
  h.recordValue(Math.max(1, Math.round(ms * 1000)));
}

export function encodeHistogram(h: Histogram): string {
  return (h as JsHistogram).encodeIntoCompressedBase64();
}

/** Throws on anything that is not a compressed V2 HdrHistogram in base64. */
export function decodeHistogram(encoded: string, layout: HistogramLayout = 64): Histogram {
  const bytes = Buffer.from(encoded.trim(), 'base64');
  return encoding.doDecode(encoding.decompress(bytes), layout);
}

export function mergeHistograms(parts: readonly Histogram[]): Histogram {
  const out = createHistogram();
  for (const p of parts) out.add(p);
  return out;
}

/** The histogram's buckets as [value in ms, count], ascending: what the gate statistics read. */
export function bucketsMs(h: Histogram): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const js = h as unknown as JsHistogram;
  const it = new RecordedValuesIterator(js);
  while (it.hasNext()) {
    const v = it.next();
    // The bucket's middle value stands for every value recorded in it (HdrHistogram's convention).
    out.push([js.medianEquivalentValue(v.valueIteratedTo) / 1000, v.countAtValueIteratedTo]);
  }
  return out;
}

export function quantileMs(h: Histogram, q: number): number {
  return h.getValueAtPercentile(q * 100) / 1000;
}
