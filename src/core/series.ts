// The per-second load series as the run record keeps it: one series per suite, scenario and
// environment, on the scenario's own timeline (the same seconds on baseline and target, whichever A/B
// block measured them), so charts can lay the two sides over each other. Bounded: a run longer than
// MAX_SERIES_POINTS seconds is recorded at a coarser step chosen before it starts (2, 3, 5, 10 … s per
// point), and the seconds of one point are merged exactly through their HDR histograms. The types are
// inferred from the zod schemas a run record reads them back with (core/model.ts says why).
import { z } from 'zod';
import { figure } from './figure.js';
import { type Histogram, quantileMs } from './histogram.js';

export const loadSeriesPointSchema = z.object({
  /** Start of the interval in seconds on the scenario's timeline. */
  t: figure,
  requests: figure,
  failed: figure,
  dropped: figure,
  p50Ms: figure,
  p95Ms: figure,
  p99Ms: figure,
  maxMs: figure,
});

/** One interval of one series: counts over its step, latency quantiles of its answered requests. */
export type LoadSeriesPoint = z.output<typeof loadSeriesPointSchema>;

export const loadSeriesKeySchema = z.object({
  suite: z.string(),
  scenario: z.string(),
  service: z.string(),
  environment: z.string(),
  /** Seconds each point covers: 1 unless the run was longer than MAX_SERIES_POINTS seconds. */
  stepS: z.number().positive(),
  /**
   * The scenario's planned timeline per environment: requests still answered after it (a graceful
   * stop) make a last, partial point, which a mean rate should not count as a whole interval.
   */
  timelineS: z.number().positive().optional(),
});

/** What names a series. */
export type LoadSeriesKey = z.output<typeof loadSeriesKeySchema>;

export const loadSeriesSchema = loadSeriesKeySchema.extend({
  /** Ascending by t, one point per step (a step nothing happened in has no point). */
  points: z.array(loadSeriesPointSchema),
});

/** The per-second load series of one suite, scenario and environment: bounded, as the record keeps it. */
export type LoadSeries = z.output<typeof loadSeriesSchema>;

/** Points per series at most: enough for a chart's width, and a 30-minute run still fits at 3 s. */
export const MAX_SERIES_POINTS = 600;

const NICE_STEPS = [1, 2, 3, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1800, 3600];

/** The smallest readable step that keeps a timeline of `timelineS` seconds within `maxPoints` points. */
export function seriesStep(timelineS: number, maxPoints = MAX_SERIES_POINTS): number {
  const needed = Math.max(1, Math.ceil(timelineS / maxPoints));
  return NICE_STEPS.find((s) => s >= needed) ?? Math.ceil(needed / 3600) * 3600;
}

/**
 * One second as the engine reports it; `histogram` (its latencies) makes merging exact. The downsampler
 * takes the histogram over and may add later seconds into it: the caller must not use it afterwards.
 */
export interface SecondSample extends LoadSeriesPoint {
  histogram?: Histogram;
  /** Where the time this second covers ends: t + 1, or earlier when its A/B block ends first. */
  endT?: number;
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/**
 * Folds seconds into points of `stepS` seconds for one series and emits each point once it is whole
 * (the second that ends its interval has arrived), so a killed run loses at most one open point. Only
 * the open point's histogram is held. Seconds past the last of `maxPoints` points fold into it, which
 * keeps the bound even when a run outlasts its plan (a graceful stop).
 */
export class SeriesDownsampler {
  private open:
    | {
        index: number;
        /** The first second's histogram, taken over (the engine hands it on and drops it). */
        h: Histogram | undefined;
        exact: boolean;
        requests: number;
        failed: number;
        dropped: number;
        p: [number, number, number, number];
      }
    | undefined;

  constructor(
    private readonly stepS: number,
    private readonly emit: (p: LoadSeriesPoint) => void,
    private readonly maxPoints = MAX_SERIES_POINTS,
  ) {}

  add(s: SecondSample): void {
    const index = Math.min(Math.max(0, Math.floor(s.t / this.stepS)), this.maxPoints - 1);
    if (this.open && this.open.index !== index) this.flush();
    if (!this.open)
      this.open = {
        index,
        h: undefined,
        exact: true,
        requests: 0,
        failed: 0,
        dropped: 0,
        p: [0, 0, 0, 0],
      };
    const o = this.open;
    o.requests += s.requests;
    o.failed += s.failed;
    o.dropped += s.dropped;
    if (s.requests > 0) {
      // At a step of one second nothing is merged; above it, into the first second's histogram.
      if (!s.histogram) o.exact = false;
      else if (!o.h) o.h = s.histogram;
      else o.h.add(s.histogram);
      // Kept for a second without a histogram: the largest of each quantile bounds the merged one above.
      o.p = [
        Math.max(o.p[0], s.p50Ms),
        Math.max(o.p[1], s.p95Ms),
        Math.max(o.p[2], s.p99Ms),
        Math.max(o.p[3], s.maxMs),
      ];
    }
    const last = index === this.maxPoints - 1;
    // Whole once the time covered reaches the interval's end (a block shorter than a second covers less).
    if (!last && (s.endT ?? s.t + 1) >= (index + 1) * this.stepS - 1e-9) this.flush();
  }

  /** Emits the open point, if any (at the end of a run, or when a later interval starts). */
  flush(): void {
    const o = this.open;
    if (!o) return;
    this.open = undefined;
    const h = o.exact && o.h && o.h.totalCount > 0 ? o.h : undefined;
    const q = (p: number, fallback: number) => round(h ? quantileMs(h, p) : fallback);
    this.emit({
      t: o.index * this.stepS,
      requests: o.requests,
      failed: o.failed,
      dropped: o.dropped,
      p50Ms: q(0.5, o.p[0]),
      p95Ms: q(0.95, o.p[1]),
      p99Ms: q(0.99, o.p[2]),
      maxMs: round(h ? h.maxValue / 1000 : o.p[3]),
    });
  }
}

function sameKey(a: LoadSeriesKey, b: LoadSeriesKey): boolean {
  return (
    a.suite === b.suite && a.scenario === b.scenario && a.environment === b.environment && a.stepS === b.stepS
  );
}

/**
 * Adds a point to the record's series (the recorder while a run goes, the reader rebuilding a killed
 * run from its events). A second point for the same interval — seconds a slow thread reported after
 * the interval was emitted — is folded in: counts add up, each quantile takes the larger value (an
 * upper bound, since the histograms are gone by then).
 */
export function addSeriesPoint(all: LoadSeries[], key: LoadSeriesKey, point: LoadSeriesPoint): void {
  let series = all.find((s) => sameKey(s, key));
  if (!series) {
    series = { ...key, points: [] };
    all.push(series);
  }
  const points = series.points;
  let i = points.length;
  while (i > 0 && points[i - 1]!.t > point.t) i--;
  const same = points[i - 1];
  if (same && same.t === point.t) {
    same.requests += point.requests;
    same.failed += point.failed;
    same.dropped += point.dropped;
    same.p50Ms = Math.max(same.p50Ms, point.p50Ms);
    same.p95Ms = Math.max(same.p95Ms, point.p95Ms);
    same.p99Ms = Math.max(same.p99Ms, point.p99Ms);
    same.maxMs = Math.max(same.maxMs, point.maxMs);
  } else points.splice(i, 0, { ...point });
}
