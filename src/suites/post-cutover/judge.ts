// One evaluation of one service: the target's traffic in the last window against the Compose baseline's,
// through the gates' relative criteria and their statistics (judge-relative.ts: quantile intervals from
// the histograms' counts, Newcombe's interval for a rate difference), so a watch and a phase gate read
// `p(95) <= baseline * 1.10 + 10ms` the same way. A breach is a criterion whose interval lies wholly
// beyond its limit; an interval that straddles the limit, too few requests, no traffic, no data, a
// Prometheus error or histograms with different bucket boundaries are INCONCLUSIVE with the reason —
// never a pass, and never a breach. Pure.

import { levelsFor } from '../../core/gates/evaluate.js';
import { judgeRelativeRate, judgeRelativeTrend } from '../../core/gates/judge-relative.js';
import type { MetricCriterion } from '../../core/gates/metric-expression.js';
import { aggregationName } from '../../core/gates/metrics.js';
import type { GroupOutcome } from '../../core/gates/outcome.js';
import { compareBucketLayouts } from '../../core/monitoring/bucket-layout.js';
import { type Distribution, distributionOf } from '../../core/stats/distribution.js';
import { wilson } from '../../core/stats/proportion.js';
import type { WatchServiceView } from './define.js';
import type { Bucket, TrafficSample } from './sample.js';

/** Where a bucket above the last finite bound stands in a distribution: HdrHistogram's top, one hour. */
export const OVERFLOW_MS = 3_600_000;

/** The watch judges each window at the gates' default level (alpha 0.05 each side). */
const LEVELS = levelsFor(0.05);

export interface WatchCriterion {
  text: string;
  rule: MetricCriterion;
}

export interface UnderBound {
  boundMs: number;
  atLeast: number;
}

export type CriterionView = WatchServiceView['criteria'][number];

/** A sample's latency as the gate statistics read it: each bucket's count at its upper bound. */
export function distributionOfBuckets(buckets: readonly Bucket[]): Distribution | undefined {
  const pairs = buckets
    .filter((b) => b.count > 0)
    .map((b): [number, number] => [b.leMs === Number.POSITIVE_INFINITY ? OVERFLOW_MS : b.leMs, b.count]);
  const d = distributionOf(pairs);
  return d.n > 0 ? d : undefined;
}

const layoutOf = (buckets: readonly Bucket[]) => [{ boundaries: buckets.map((b) => b.leMs), series: [{}] }];

function fromGroup(text: string, g: GroupOutcome, unit: string): CriterionView {
  const status =
    g.status === 'PASS'
      ? 'PASS'
      : g.status === 'CANDIDATE' || g.status === 'FAIL'
        ? 'BREACH'
        : 'INCONCLUSIVE';
  return {
    label: text,
    status,
    ...(g.target !== undefined ? { target: g.target } : {}),
    ...(g.baseline !== undefined ? { baseline: g.baseline } : {}),
    unit,
    reason: g.reason,
  };
}

function judgeOne(
  c: WatchCriterion,
  service: string,
  target: Extract<TrafficSample, { state: 'traffic' }>,
  baseline: Extract<TrafficSample, { state: 'traffic' }>,
): CriterionView {
  const rule = c.rule;
  if (rule.type === 'rate') {
    const g = judgeRelativeRate(
      rule,
      { x: target.errors, n: target.requests },
      { x: baseline.errors, n: baseline.requests },
      service,
      LEVELS,
      0,
      'baseline',
    );
    return fromGroup(c.text, g, 'rate');
  }
  const layouts = compareBucketLayouts(layoutOf(baseline.buckets), layoutOf(target.buckets));
  if (!layouts.comparable)
    return { label: c.text, status: 'INCONCLUSIVE', unit: 'ms', reason: `not comparable: ${layouts.reason}` };
  const g = judgeRelativeTrend(
    rule,
    distributionOfBuckets(target.buckets),
    distributionOfBuckets(baseline.buckets),
    service,
    LEVELS,
    0,
    'baseline',
  );
  return fromGroup(c.text, g, 'ms');
}

/**
 * The fraction of requests faster than a bound, robust to coarse buckets: counted up to the largest
 * bucket boundary at or below the bound, so a bound between boundaries is read conservatively (the
 * fraction can only be higher), and said so.
 */
export function judgeUnder(
  under: UnderBound,
  target: Extract<TrafficSample, { state: 'traffic' }>,
): CriterionView {
  const label = `fraction under ${under.boundMs} ms >= ${under.atLeast}`;
  const usable = target.buckets.filter((b) => b.leMs <= under.boundMs);
  const n = target.buckets.reduce((s, b) => s + b.count, 0);
  if (n === 0) return { label, status: 'INCONCLUSIVE', unit: 'ratio', reason: 'no latency observations' };
  if (usable.length === 0)
    return {
      label,
      status: 'INCONCLUSIVE',
      unit: 'ratio',
      reason: `no bucket boundary at or below ${under.boundMs} ms (the first is ${target.buckets[0]!.leMs} ms)`,
    };
  const edge = usable.at(-1)!.leMs;
  const x = usable.reduce((s, b) => s + b.count, 0);
  const ci = wilson(x, n, LEVELS.zPass);
  const status = ci.low >= under.atLeast ? 'PASS' : ci.high < under.atLeast ? 'BREACH' : 'INCONCLUSIVE';
  const note =
    edge < under.boundMs
      ? ` (counted up to the bucket boundary ${edge} ms, the largest at or below the bound)`
      : '';
  return {
    label,
    status,
    target: x / n,
    unit: 'ratio',
    reason: `${x} of ${n} requests (${((100 * x) / n).toFixed(1)} %) under ${under.boundMs} ms${note}; interval ${ci.low.toFixed(3)}–${ci.high.toFixed(3)}, needed ≥ ${under.atLeast}`,
  };
}

export interface ServiceJudgement {
  state: WatchServiceView['state'];
  criteria: CriterionView[];
  reason: string;
}

/** One service's evaluation: its state and each criterion's outcome. */
export function judgeService(
  service: string,
  target: TrafficSample,
  baseline: TrafficSample | undefined,
  criteria: readonly WatchCriterion[],
  under: UnderBound | undefined,
): ServiceJudgement {
  const allInconclusive = (reason: string): CriterionView[] => [
    ...criteria.map((c) => ({
      label: c.text,
      status: 'INCONCLUSIVE' as const,
      unit: c.rule.type === 'rate' ? 'rate' : 'ms',
      reason,
    })),
    ...(under
      ? [
          {
            label: `fraction under ${under.boundMs} ms`,
            status: 'INCONCLUSIVE' as const,
            unit: 'ratio',
            reason,
          },
        ]
      : []),
  ];
  if (target.state !== 'traffic') {
    const state =
      target.state === 'no-traffic' ? 'no-traffic' : target.state === 'no-data' ? 'no-data' : 'error';
    return { state, criteria: allInconclusive(target.reason), reason: target.reason };
  }
  const views: CriterionView[] = [];
  if (baseline?.state !== 'traffic') {
    const why = `no baseline figures to compare with: ${baseline ? baseline.reason : 'none recorded for this service'}`;
    views.push(...allInconclusive(why).slice(0, criteria.length));
  } else {
    for (const c of criteria) views.push(judgeOne(c, service, target, baseline));
  }
  if (under) views.push(judgeUnder(under, target));
  const breached = views.filter((v) => v.status === 'BREACH');
  if (breached.length)
    return {
      state: 'breach',
      criteria: views,
      reason: breached.map((v) => `${v.label}: ${v.reason}`).join('; '),
    };
  const open = views.filter((v) => v.status === 'INCONCLUSIVE');
  if (open.length === 0)
    return { state: 'healthy', criteria: views, reason: 'every criterion within its limit' };
  const incomparable = open.some((v) => v.reason.startsWith('not comparable'));
  return {
    state: incomparable ? 'incomparable' : 'inconclusive',
    criteria: views,
    reason: open.map((v) => `${v.label}: ${v.reason}`).join('; '),
  };
}

/** `p(95)`, `rate`: the figure a criterion compares, for the live view's columns. */
export function criterionFigure(c: WatchCriterion): string {
  return `${c.rule.metric} ${aggregationName(c.rule.agg)}`;
}
