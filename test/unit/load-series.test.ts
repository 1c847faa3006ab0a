// The per-second load series in the run record: the step chosen for long runs, exact merging of
// seconds into coarser points, the bound on points, placement of A/B blocks on the scenario's
// timeline, and the record's schema (old run.json files without series still read; a killed run
// keeps its series through events.jsonl).
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import {
  createHistogram,
  encodeHistogram,
  type Histogram,
  quantileMs,
  recordMs,
} from '../../src/core/histogram.js';
import {
  addSeriesPoint,
  type LoadSeries,
  type LoadSeriesPoint,
  MAX_SERIES_POINTS,
  type SecondSample,
  SeriesDownsampler,
  seriesStep,
} from '../../src/core/series.js';
import { readRun } from '../../src/record/reader.js';
import { RunRecorder } from '../../src/record/recorder.js';
import type { RunMeta } from '../../src/record/run-schema.js';
import { parseLine } from '../../src/runners/k6/parse.js';
import { K6SeriesBuilder, seriesOfRunners } from '../../src/runners/k6/series.js';
import { SeriesMerger, type SeriesPoint } from '../../src/runners/load/series.js';
import type { LoadPlan } from '../../src/suites/performance/plan.js';
import { SeriesTimeline } from '../../src/suites/performance/timeline.js';
import { tmpDir } from '../helpers/project.js';

/** A second with `n` requests of latency base, base+1, … ms (64-bit counts, as the engine's merger). */
function second(t: number, n: number, base: number, extra: Partial<SecondSample> = {}): SecondSample {
  const h = createHistogram(64);
  for (let i = 0; i < n; i++) recordMs(h, base + i);
  return {
    t,
    requests: n,
    failed: 0,
    dropped: 0,
    p50Ms: n ? quantileMs(h, 0.5) : 0,
    p95Ms: n ? quantileMs(h, 0.95) : 0,
    p99Ms: n ? quantileMs(h, 0.99) : 0,
    maxMs: n ? h.maxValue / 1000 : 0,
    ...(n ? { histogram: h } : {}),
    ...extra,
  };
}

function collect(stepS: number, maxPoints?: number) {
  const points: LoadSeriesPoint[] = [];
  const d = new SeriesDownsampler(stepS, (p) => points.push(p), maxPoints);
  return { d, points };
}

describe('SeriesMerger', () => {
  it('closes a second once every thread reported it, with the merged histogram handed on', () => {
    const out: SeriesPoint[] = [];
    const m = new SeriesMerger('s', 'target', 2, (p) => out.push(p));
    const report = (n: number, base: number) => {
      const h = createHistogram();
      for (let i = 0; i < n; i++) recordMs(h, base + i);
      return { second: 0, requests: n, failed: 1, dropped: 0, histogram: encodeHistogram(h) };
    };
    m.add(report(50, 1));
    expect(out).toEqual([]);
    m.add(report(50, 51));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ second: 0, requests: 100, failed: 2 });
    expect(out[0]!.histogram!.totalCount).toBe(100);
    expect(out[0]!.p50Ms).toBeCloseTo(50, 0);
    m.add({ second: 1, requests: 0, failed: 0, dropped: 3, histogram: '' });
    m.flush(); // the other thread finished early
    expect(out[1]).toMatchObject({ second: 1, requests: 0, dropped: 3, p95Ms: 0 });
    expect(out[1]!.histogram).toBeUndefined();
  });
});

describe('K6SeriesBuilder', () => {
  const line = (metric: string, value: number, time: string, tags: Record<string, string> = {}) =>
    parseLine(JSON.stringify({ type: 'Point', metric, data: { time, value, tags } }))!;

  it('rebuilds seconds from k6 output time stamps, closing each once later points arrive', () => {
    const out: SeriesPoint[] = [];
    const b = new K6SeriesBuilder('s', 'target', 3, (p) => out.push(p));
    // k6's older docs shape: a local offset and nanoseconds.
    expect(line('http_req_duration', 5, '2017-05-09T14:34:45.239531499+02:00').time).toBe(
      Date.parse('2017-05-09T12:34:45.239Z'),
    );
    const at = (ms: number) => new Date(Date.UTC(2026, 10, 28, 3, 0, 0) + ms).toISOString();
    for (let i = 0; i < 10; i++) {
      b.add(line('http_req_duration', 10 + i, at(i * 50)));
      b.add(line('http_req_failed', i < 2 ? 1 : 0, at(i * 50)));
    }
    b.add(line('dropped_iterations', 3, at(600)));
    b.add(line('http_req_duration', 99, at(1500)));
    expect(out).toEqual([]);
    b.add(line('http_req_duration', 7, at(2100)));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ scenario: 's', environment: 'target', block: 3, second: 0 });
    expect(out[0]).toMatchObject({ requests: 10, failed: 2, dropped: 3 });
    expect(out[0]!.p50Ms).toBeCloseTo(14, 1);
    expect(out[0]!.maxMs).toBeCloseTo(19, 1);
    b.flush();
    expect(out.map((p) => [p.second, p.requests])).toEqual([
      [0, 10],
      [1, 1],
      [2, 1],
    ]);
  });

  it('merges k6-operator runners by time stamp, so each second holds every runner once', () => {
    const at = (ms: number) => new Date(Date.UTC(2026, 10, 28, 3, 0, 0) + ms).toISOString();
    const log = (offset: number) =>
      [
        'time="2026-11-28T03:00:00Z" level=info msg="k6 starting"',
        ...Array.from({ length: 30 }, (_, i) =>
          JSON.stringify({
            type: 'Point',
            metric: 'http_req_duration',
            data: { time: at(offset + i * 100), value: 5, tags: { scenario: 's' } },
          }),
        ),
        JSON.stringify({
          type: 'Point',
          metric: 'http_req_duration',
          data: { time: at(50), value: 5, tags: { scenario: 'other' } },
        }),
        '{"type":"Point","metric":"http_req_dur',
      ].join('\n');
    const out: SeriesPoint[] = [];
    seriesOfRunners(
      [log(0), log(40), log(1000)],
      's',
      new K6SeriesBuilder('s', 'target', 0, (p) => out.push(p)),
    );
    // Fed one runner after the other, seconds 0–2 would close on the first and come again.
    expect(out.map((p) => [p.second, p.requests])).toEqual([
      [0, 20],
      [1, 30],
      [2, 30],
      [3, 10],
    ]);
  });

  it('ignores points without a time and metrics it does not chart', () => {
    const out: SeriesPoint[] = [];
    const b = new K6SeriesBuilder('s', 'target', 0, (p) => out.push(p));
    b.add(
      parseLine(
        JSON.stringify({ type: 'Point', metric: 'http_req_duration', data: { value: 3, tags: null } }),
      )!,
    );
    b.add(line('vus', 5, '2026-11-28T03:00:00Z'));
    b.flush();
    expect(out).toEqual([]);
  });
});

describe('series step', () => {
  it('is one second up to the cap, then the smallest readable step that keeps within it', () => {
    expect(seriesStep(5)).toBe(1);
    expect(seriesStep(MAX_SERIES_POINTS)).toBe(1);
    expect(seriesStep(MAX_SERIES_POINTS + 1)).toBe(2);
    expect(seriesStep(1800)).toBe(3); // a 30-minute run: 600 points of 3 s
    expect(seriesStep(3000)).toBe(5);
    expect(seriesStep(24 * 3600)).toBe(300);
    expect(Math.ceil((24 * 3600) / seriesStep(24 * 3600))).toBeLessThanOrEqual(MAX_SERIES_POINTS);
  });
});

describe('SeriesDownsampler', () => {
  it('at a step of one second emits every second as it arrives, unchanged', () => {
    const { d, points } = collect(1);
    const s = second(0, 100, 5, { failed: 3, dropped: 2 });
    d.add(s);
    expect(points).toEqual([
      {
        t: 0,
        requests: 100,
        failed: 3,
        dropped: 2,
        p50Ms: s.p50Ms,
        p95Ms: s.p95Ms,
        p99Ms: s.p99Ms,
        maxMs: s.maxMs,
      },
    ]);
    d.add(second(1, 0, 0));
    expect(points[1]).toMatchObject({ t: 1, requests: 0, p95Ms: 0 });
  });

  it('merges the seconds of a coarser step exactly through their histograms', () => {
    const { d, points } = collect(3);
    const parts = [second(0, 100, 1), second(1, 100, 101), second(2, 100, 201, { failed: 4 })];
    const all = createHistogram();
    for (const p of parts) all.add(p.histogram as Histogram);
    d.add(parts[0]!);
    d.add(parts[1]!);
    expect(points).toEqual([]); // the interval is not whole yet
    d.add(parts[2]!);
    expect(points).toHaveLength(1);
    expect(points[0]).toMatchObject({ t: 0, requests: 300, failed: 4 });
    expect(points[0]!.p50Ms).toBeCloseTo(quantileMs(all, 0.5), 3);
    expect(points[0]!.p99Ms).toBeCloseTo(quantileMs(all, 0.99), 3);
    expect(points[0]!.maxMs).toBeCloseTo(all.maxValue / 1000, 3);
    // Not the mean or the largest of the per-second p50s: the merged distribution's.
    expect(points[0]!.p50Ms).toBeGreaterThan(parts[0]!.p50Ms);
    expect(points[0]!.p50Ms).toBeLessThan(parts[2]!.p50Ms);
  });

  it('keeps a 30-minute run within the cap, and folds seconds past it into the last point', () => {
    const step = seriesStep(1800);
    const { d, points } = collect(step);
    for (let t = 0; t < 1800 + 40; t++) d.add(second(t, 2, 1));
    d.flush();
    expect(points).toHaveLength(MAX_SERIES_POINTS);
    expect(points.at(-1)!.t).toBe((MAX_SERIES_POINTS - 1) * step);
    expect(points.at(-1)!.requests).toBe(2 * (step + 40));
    expect(points.reduce((n, p) => n + p.requests, 0)).toBe(2 * 1840);
  });

  it('flushes an open point at the end, and bounds seconds without a histogram from above', () => {
    const { d, points } = collect(5);
    const { histogram: _, ...bare } = second(0, 10, 50);
    d.add(bare);
    d.add(second(1, 10, 1));
    d.flush();
    expect(points).toHaveLength(1);
    expect(points[0]!.p50Ms).toBe(bare.p50Ms);
    expect(points[0]!.requests).toBe(20);
  });
});

describe('addSeriesPoint', () => {
  const key = { suite: 'performance', scenario: 's', service: 'svc', environment: 'target', stepS: 1 };
  const point = (t: number, p95Ms: number): LoadSeriesPoint => ({
    t,
    requests: 10,
    failed: 1,
    dropped: 0,
    p50Ms: 1,
    p95Ms,
    p99Ms: p95Ms,
    maxMs: p95Ms,
  });

  it('keeps points in time order and folds a late point for the same interval in', () => {
    const all: LoadSeries[] = [];
    addSeriesPoint(all, key, point(2, 5));
    addSeriesPoint(all, key, point(0, 5));
    addSeriesPoint(all, key, point(1, 5));
    addSeriesPoint(all, key, point(1, 9));
    addSeriesPoint(all, { ...key, environment: 'baseline' }, point(0, 1));
    expect(all).toHaveLength(2);
    expect(all[0]!.points.map((p) => p.t)).toEqual([0, 1, 2]);
    expect(all[0]!.points[1]).toMatchObject({ requests: 20, failed: 2, p95Ms: 9 });
  });
});

describe('SeriesTimeline', () => {
  const plan = {
    durationMs: 4000,
    blocks: [
      { environments: ['baseline'], fromMs: 0, toMs: 2000 },
      { environments: ['target'], fromMs: 0, toMs: 2000 },
      { environments: ['baseline'], fromMs: 2000, toMs: 4000 },
      { environments: ['target'], fromMs: 2000, toMs: 4000 },
    ],
    scenarios: [
      { module: { scenario: { name: 'rentguy', service: 'rentguy-api' } }, profile: { durationMs: 4000 } },
    ],
  } as unknown as LoadPlan;
  const sample = (environment: string, block: number, s: number) => ({
    ...second(s, 5, 2),
    scenario: 'rentguy',
    environment,
    block,
    second: s,
  });

  it('places each block on the scenario timeline, so both sides share their seconds', () => {
    const got: Array<[string, number]> = [];
    const tl = new SeriesTimeline(plan, 'performance', (k, p) => got.push([k.environment, p.t]));
    tl.add(sample('baseline', -1, 0)); // the warm-up is not recorded
    for (const [env, block] of [
      ['baseline', 0],
      ['target', 1],
      ['baseline', 2],
      ['target', 3],
    ] as const) {
      tl.add(sample(env, block, 0));
      tl.add(sample(env, block, 1));
    }
    tl.flush();
    expect(got.filter(([e]) => e === 'baseline').map(([, t]) => t)).toEqual([0, 1, 2, 3]);
    expect(got.filter(([e]) => e === 'target').map(([, t]) => t)).toEqual([0, 1, 2, 3]);
  });

  it('merges blocks shorter than a second into whole seconds, exactly', () => {
    const half = {
      ...plan,
      blocks: [0, 500, 1000].map((fromMs) => ({ environments: ['target'], fromMs, toMs: fromMs + 500 })),
    } as unknown as LoadPlan;
    const got: LoadSeriesPoint[] = [];
    const tl = new SeriesTimeline(half, 'performance', (_k, p) => got.push(p));
    const parts = [0, 1, 2].map((block) => ({
      ...sample('target', block, 0),
      ...second(0, 10, 1 + block * 50),
    }));
    const all = createHistogram();
    for (const p of parts.slice(0, 2)) all.add(p.histogram as Histogram);
    for (const p of parts) tl.add(p);
    expect(got).toHaveLength(1); // the second half-second completed second 0; second 1 is still open
    expect(got[0]).toMatchObject({ t: 0, requests: 20 });
    expect(got[0]!.p50Ms).toBeCloseTo(quantileMs(all, 0.5), 3);
    tl.flush();
    expect(got.map((p) => p.t)).toEqual([0, 1]);
  });

  it('names the series by suite, scenario, service, environment and step', () => {
    const keys: unknown[] = [];
    const tl = new SeriesTimeline(plan, 'performance', (k) => keys.push(k));
    tl.add(sample('target', 1, 0));
    expect(keys[0]).toEqual({
      suite: 'performance',
      scenario: 'rentguy',
      service: 'rentguy-api',
      environment: 'target',
      stepS: 1,
      timelineS: 4,
    });
  });
});

const meta = (id: string): RunMeta => ({
  id,
  command: 'perf',
  startedAt: '2026-11-28T00:00:00.000Z',
  tool: { name: 'cutover', version: '0.1.0', node: 'v20.20.2' },
  config: { file: 'cutover.config.ts', project: 'p' },
  environments: [],
  services: [],
  faults: [],
});

describe('series in the run record', () => {
  const key = { suite: 'performance', scenario: 's', service: 'svc', environment: 'target', stepS: 1 };
  const p = (t: number): LoadSeriesPoint => ({
    t,
    requests: 3,
    failed: 0,
    dropped: 1,
    p50Ms: 1.5,
    p95Ms: 2.5,
    p99Ms: 3.5,
    maxMs: 4,
  });

  it('is written to run.json and read back', () => {
    const r = RunRecorder.start(tmpDir('series-record'), meta('s1'));
    r.seriesPoint(key, p(0));
    r.seriesPoint(key, p(1));
    r.finish('completed', new Date('2026-11-28T00:00:05Z'));
    expect(readRun(r.dir).series).toEqual([{ ...key, points: [p(0), p(1)] }]);
  });

  it('survives a kill: a run without run.json is rebuilt with the series it recorded', () => {
    const r = RunRecorder.start(tmpDir('series-killed'), meta('s2'));
    r.seriesPoint(key, p(0));
    r.seriesPoint({ ...key, environment: 'baseline' }, p(0));
    r.seriesPoint(key, p(1));
    appendFileSync(join(r.dir, 'events.jsonl'), '{"type":"series-point","series":{"su');
    const back = readRun(r.dir);
    expect(back.partial).toBe(true);
    expect(back.series).toEqual([
      { ...key, points: [p(0), p(1)] },
      { ...key, environment: 'baseline', points: [p(0)] },
    ]);
  });

  it('reads a run.json from before the series (and before evidence) as one without', () => {
    const dir = tmpDir('series-old');
    const r = RunRecorder.start(dir, meta('s3'));
    const record = r.finish('completed', new Date('2026-11-28T00:00:05Z'), 'GO');
    const { series: _s, evidence: _e, ...old } = record;
    writeFileSync(join(r.dir, 'run.json'), JSON.stringify(old));
    const back = readRun(r.dir);
    expect(back.series).toBeUndefined();
    expect(back.evidence).toEqual([]);
    expect(back.verdict).toBe('GO');
  });

  it('rejects a malformed series with the file and the field', () => {
    const r = RunRecorder.start(tmpDir('series-bad'), meta('s4'));
    r.finish('completed', new Date('2026-11-28T00:00:05Z'));
    const file = join(r.dir, 'run.json');
    const record = JSON.parse(readFileSync(file, 'utf8'));
    record.series = [{ ...key, stepS: 0, points: [{ t: 'soon' }] }];
    writeFileSync(file, JSON.stringify(record));
    expect(() => readRun(r.dir)).toThrow(UserError);
    expect(() => readRun(r.dir)).toThrow(/run\.json is not a valid run record: .*series/);
  });
});
