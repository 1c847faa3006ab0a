// Evaluating a k6 threshold against a slice's results: the metric's value over the endpoints its filter
// selects, compared as k6 compares it. Apart from thresholds.ts (parsing), which scenario loading needs
// without the histograms this reads — so a dry run does not load them.
import { type Histogram, mergeHistograms } from '../../core/histogram.js';
import { answeredHistogram, type SliceResult } from '../../runners/load/recorder.js';
import { compare, SUPPORTED_METRICS, type Threshold } from '../../runners/load/thresholds.js';

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
    // Answered requests only (every HTTP status class), as k6's http_req_duration.
    const h = mergeHistograms(endpoints.flatMap((e) => answeredHistogram(r, e) ?? []));
    if (h.totalCount > 0) actual = trendValue(h, t);
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
