// Slices from threads, blocks and k6 runners merge exactly: every endpoint's and class's histogram, the
// send lag and the counts are those of all the parts' requests taken together.
import { describe, expect, it } from 'vitest';
import { createHistogram, decodeHistogram, encodeHistogram, recordMs } from '../../src/core/histogram.js';
import { mergeSlices, SliceRecorder, type SliceResult } from '../../src/runners/load/recorder.js';

type Sample = { endpoint: string; cls: '2xx' | '5xx' | 'timeout'; ms: number; lag: number };

function sliceOf(samples: readonly Sample[]): SliceResult {
  const rec = new SliceRecorder('s', 'baseline', 0);
  for (const [i, x] of samples.entries()) {
    rec.lag(x.lag);
    rec.request(x.endpoint, x.cls, x.ms, x.cls !== '2xx', i);
  }
  return rec.finish(samples.length);
}

function encoded(values: readonly number[]): string {
  const h = createHistogram();
  for (const v of values) recordMs(h, v);
  return encodeHistogram(h);
}

describe('mergeSlices', () => {
  // A deterministic spread of samples over three endpoints, three classes and four parts.
  const endpoints = ['GET /a', 'GET /b', 'POST /c'];
  const classes = ['2xx', '5xx', 'timeout'] as const;
  const samples: Sample[] = Array.from({ length: 600 }, (_, i) => ({
    endpoint: endpoints[i % 3]!,
    cls: classes[(i * 7) % 5 === 0 ? 1 : (i * 11) % 13 === 0 ? 2 : 0]!,
    ms: 1 + ((i * 37) % 200) * 0.731,
    lag: ((i * 13) % 50) / 100,
  }));
  const parts = [0, 1, 2, 3].map((p) => sliceOf(samples.filter((_, i) => i % 4 === p)));

  it("merges each endpoint's and class's histogram into that of all the parts' requests", () => {
    const merged = mergeSlices(parts);
    for (const endpoint of endpoints) {
      for (const cls of classes) {
        const mine = samples.filter((x) => x.endpoint === endpoint && x.cls === cls);
        if (mine.length === 0) {
          expect(merged.durations[endpoint]?.[cls]).toBeUndefined();
          continue;
        }
        const slot = merged.durations[endpoint]![cls]!;
        expect(slot.count, `${endpoint} ${cls}`).toBe(mine.length);
        expect(slot.histogram, `${endpoint} ${cls}`).toBe(encoded(mine.map((x) => x.ms)));
      }
    }
    expect(merged.sendLag?.count).toBe(samples.length);
    expect(merged.sendLag?.histogram).toBe(encoded(samples.map((x) => x.lag)));
    expect(merged.failed['GET /a']!.failed + merged.failed['GET /a']!.ok).toBe(200);
  });

  it('gives the same result whatever the order of the parts, and keeps a single part as it is', () => {
    const forward = mergeSlices(parts);
    const backward = mergeSlices([...parts].reverse());
    expect(backward.durations).toEqual(forward.durations);
    expect(backward.sendLag).toEqual(forward.sendLag);
    expect(mergeSlices([parts[0]!])).toEqual(parts[0]);
    const decoded = decodeHistogram(forward.durations['GET /b']!['2xx']!.histogram);
    expect(decoded.totalCount).toBe(forward.durations['GET /b']!['2xx']!.count);
  });
});
