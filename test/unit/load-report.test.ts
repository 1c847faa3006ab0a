// The load sections of the reports: a record from before series and status classes renders as before
// (no empty sections in Markdown, a plain note in HTML), an interval without answers is a gap in the
// latency chart rather than a drop to zero, and hostile scenario names stay text.
import { describe, expect, it } from 'vitest';
import type { LoadSeries } from '../../src/core/series.js';
import type { RunRecord } from '../../src/record/run-schema.js';
import { renderReportFiles } from '../../src/report/files.js';
import { summariseSeries } from '../../src/report/load-figures.js';
import { gateRecord } from '../helpers/gate-record.js';

function series(scenario: string, environment: string, requests: number[]): LoadSeries {
  return {
    suite: 'performance',
    scenario,
    service: 'svc',
    environment,
    stepS: 2,
    points: requests.map((n, i) => ({
      t: i * 2,
      requests: n,
      failed: 0,
      dropped: 0,
      p50Ms: n ? 1 + i : 0,
      p95Ms: n ? 2 + i : 0,
      p99Ms: n ? 3 + i : 0,
      maxMs: n ? 4 + i : 0,
    })),
  };
}

describe('load sections of the reports', () => {
  it('leave a record without series or status classes as it was', () => {
    const { series: _, ...old } = gateRecord();
    const plain: RunRecord = {
      ...old,
      evidence: old.evidence.map((e) => {
        if (e.kind !== 'metric') return e;
        const { status_class: _c, ...tags } = e.tags;
        return { ...e, tags };
      }),
    };
    const files = renderReportFiles(plain);
    expect(files['report.md']).not.toContain('## Performance over time');
    expect(files['report.md']).not.toContain('## Latency by status class');
    expect(files['report.html']).toContain('No per-second series in this run');
  });

  it('draw an interval without answers as a gap, at the recorded step', () => {
    const record = { ...gateRecord(), series: [series('gappy', 'target', [10, 0, 12, 14])] };
    const html = renderReportFiles(record)['report.html']!;
    const chart = html.slice(html.indexOf('aria-label="gappy: latency per 2 s'));
    const p50 = /<path d="([^"]+)"/.exec(chart)![1]!;
    expect(p50.match(/M/g)).toHaveLength(2);
    expect(p50.match(/L/g)).toHaveLength(1);
    expect(html).toContain('gappy: requests per 2 s');
    const s = summariseSeries(record.series[0]!)!;
    expect(s).toMatchObject({ spanS: 8, requests: 36, peakRate: 7, worstP95: { value: 5, t: 6 } });
    expect(s.meanRate).toBeCloseTo(36 / 8);
    // Answers after the planned 6 s (a graceful stop) do not stretch the span the mean rate covers.
    expect(summariseSeries({ ...record.series[0]!, timelineS: 6 })).toMatchObject({ spanS: 6, meanRate: 6 });
  });

  it('escape hostile names', () => {
    const record = { ...gateRecord(), series: [series('<img src=x onerror=alert(1)>', 'target', [5, 6])] };
    const files = renderReportFiles(record);
    expect(files['report.html']).not.toContain('<img src=x');
    // Markdown escapes a tag with a backslash, which reads as it renders: `\<img …>` shows `<img …>`.
    expect(files['report.md']).not.toMatch(/(?<!\\)<img src=x/);
    expect(files['report.md']).toContain('\\<img src=x');
  });
});
