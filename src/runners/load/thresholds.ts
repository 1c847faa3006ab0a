// k6 thresholds, parsed with k6's grammar and evaluated on the embedded engine's measurements, so a
// scenario's thresholds mean the same under both engines. Grammar (k6 metrics/thresholds_parser.go):
//   aggregation whitespace* operator whitespace* float; trend avg|min|max|med|p(N), rate rate, counter count|rate.
import { createHistogram, decodeHistogram, type Histogram } from '../../core/histogram.js';
import type { SliceResult } from './recorder.js';

export type Operator = '>' | '>=' | '<=' | '<' | '==' | '===' | '!=';

export interface Threshold {
  /** The key as written, such as `http_req_duration{endpoint:GET /api/equipment}`. */
  metric: string;
  /** The metric name without the tag filter. */
  name: string;
  filter: Record<string, string>;
  source: string;
  aggregation: string;
  percentile?: number;
  operator: Operator;
  value: number;
}

const EXPR =
  /^\s*(avg|min|max|med|count|rate|value|p\(\s*([0-9.]+)\s*\))\s*(===|==|!=|>=|<=|>|<)\s*(-?[0-9]+(?:\.[0-9]+)?(?:e-?\d+)?)\s*$/;
const KEY = /^([A-Za-z0-9_.-]+)(?:\{(.*)\})?$/;

export const SUPPORTED_METRICS: Record<string, 'trend' | 'rate' | 'counter'> = {
  http_req_duration: 'trend',
  iteration_duration: 'trend',
  http_req_failed: 'rate',
  checks: 'rate',
  http_reqs: 'counter',
  iterations: 'counter',
  dropped_iterations: 'counter',
};

const AGGREGATIONS = { trend: ['avg', 'min', 'max', 'med', 'p'], rate: ['rate'], counter: ['count', 'rate'] };

export function parseThreshold(metric: string, source: string): Threshold {
  const key = KEY.exec(metric);
  if (!key) throw new Error(`"${metric}" is not a metric name with an optional {tag:value} filter`);
  const name = key[1]!;
  const type = SUPPORTED_METRICS[name];
  if (!type)
    throw new Error(
      `metric ${name} is not measured; thresholds may use ${Object.keys(SUPPORTED_METRICS).join(', ')}`,
    );
  const filter: Record<string, string> = {};
  for (const part of (key[2] ?? '').split(',').filter((p) => p.trim())) {
    const i = part.indexOf(':');
    if (i < 1) throw new Error(`"${metric}": expected {tag:value} filters`);
    filter[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  const m = EXPR.exec(source);
  if (!m) throw new Error(`"${source}" is not a k6 threshold such as "p(95)<300" or "rate<0.01"`);
  const aggregation = m[2] !== undefined ? 'p' : m[1]!;
  if (!AGGREGATIONS[type].includes(aggregation)) {
    throw new Error(
      `"${source}": a ${type} metric accepts ${AGGREGATIONS[type].map((a) => (a === 'p' ? 'p(N)' : a)).join(', ')}`,
    );
  }
  const percentile = m[2] !== undefined ? Number(m[2]) : undefined;
  if (percentile !== undefined && !(percentile >= 0 && percentile <= 100)) {
    throw new Error(`"${source}": a percentile must be between 0 and 100`);
  }
  return {
    metric,
    name,
    filter,
    source,
    aggregation,
    ...(percentile !== undefined ? { percentile } : {}),
    operator: m[3] as Operator,
    value: Number(m[4]),
  };
}

export function compare(actual: number, op: Operator, expected: number): boolean {
  switch (op) {
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
    case '==':
    case '===':
      return actual === expected;
    case '!=':
      return actual !== expected;
  }
}

/** Per endpoint, the tags a filter may select on (endpoint, name, and the request's own tags). */
export type EndpointTags = Record<string, Record<string, string>>;

export interface ThresholdOutcome {
  threshold: Threshold;
  /** undefined when nothing was measured for the metric (k6 then passes; we report it plainly). */
  actual?: number;
  ok: boolean;
}

export function evaluateThreshold(
  t: Threshold,
  r: SliceResult,
  tags: EndpointTags,
  elapsedSeconds: number,
): ThresholdOutcome {
  const endpoints = Object.keys(tags).filter((e) =>
    Object.entries(t.filter).every(([k, v]) => (k === 'scenario' ? v === r.scenario : tags[e]![k] === v)),
  );
  let actual: number | undefined;
  if (t.name === 'http_req_duration' || t.name === 'iteration_duration') {
    const h = createHistogram();
    let n = 0;
    for (const e of endpoints) {
      for (const [cls, v] of Object.entries(r.durations[e] ?? {})) {
        if (!/^\dxx$/.test(cls)) continue;
        h.add(decodeHistogram(v.histogram));
        n += v.count;
      }
    }
    if (n > 0) actual = trendValue(h, t);
  } else if (t.name === 'http_req_failed') {
    let failed = 0;
    let total = 0;
    for (const e of endpoints) {
      failed += r.failed[e]?.failed ?? 0;
      total += (r.failed[e]?.failed ?? 0) + (r.failed[e]?.ok ?? 0);
    }
    if (total > 0) actual = failed / total;
  } else if (t.name === 'checks') {
    const chosen = Object.entries(r.checks).filter(
      ([name]) => t.filter.check === undefined || t.filter.check === name,
    );
    const passes = chosen.reduce((n, [, c]) => n + c.passes, 0);
    const total = chosen.reduce((n, [, c]) => n + c.passes + c.fails, 0);
    if (total > 0) actual = passes / total;
  } else {
    const count =
      t.name === 'dropped_iterations'
        ? r.dropped
        : t.name === 'iterations'
          ? r.iterations
          : endpoints.reduce((n, e) => n + (r.failed[e]?.failed ?? 0) + (r.failed[e]?.ok ?? 0), 0);
    actual = t.aggregation === 'rate' ? count / Math.max(elapsedSeconds, 1e-9) : count;
  }
  // k6 passes a threshold on a metric that saw no samples; here no samples of a latency or rate cannot
  // show the threshold holds, so it fails with the reason stated.
  const ok =
    actual === undefined ? SUPPORTED_METRICS[t.name] === 'counter' : compare(actual, t.operator, t.value);
  return { threshold: t, ...(actual !== undefined ? { actual } : {}), ok };
}

function trendValue(h: Histogram, t: Threshold): number {
  switch (t.aggregation) {
    case 'avg':
      return h.mean / 1000;
    case 'min':
      return h.minNonZeroValue / 1000;
    case 'max':
      return h.maxValue / 1000;
    case 'med':
      return h.getValueAtPercentile(50) / 1000;
    default:
      return h.getValueAtPercentile(t.percentile!) / 1000;
  }
}
