// Evaluating a scenario's threshold (core/gates/thresholds.ts: the gates' grammar, k6's form) against a
// slice's results: the metric's value over the endpoints its filter selects, compared as k6 compares it.

import { holdsThreshold, LOAD_METRICS, type ScenarioThreshold } from '../../core/gates/thresholds.js';
import { type Histogram, mergeHistograms } from '../../core/histogram.js';
import { answeredHistogram, type SliceResult } from '../../runners/load/recorder.js';

/** Per endpoint, the tags a filter may select on (endpoint, name, and the request's own tags). */
export type EndpointTags = Record<string, Record<string, string>>;

export interface ThresholdOutcome {
  threshold: ScenarioThreshold;
  /** undefined when nothing was measured for the metric (k6 then passes; we report it plainly). */
  actual?: number;
  ok: boolean;
}

export function evaluateThreshold(
  threshold: ScenarioThreshold,
  r: SliceResult,
  tags: EndpointTags,
  elapsedSeconds: number,
): ThresholdOutcome {
  const t = threshold.condition;
  const endpoints = Object.keys(tags).filter((e) =>
    Object.entries(t.filter).every(([k, v]) => (k === 'scenario' ? v === r.scenario : tags[e]![k] === v)),
  );
  let actual: number | undefined;
  if (t.metric === 'http_req_duration' || t.metric === 'iteration_duration') {
    // Answered requests only (every HTTP status class), as k6's http_req_duration.
    const h = mergeHistograms(endpoints.flatMap((e) => answeredHistogram(r, e) ?? []));
    if (h.totalCount > 0) actual = trendValue(h, t);
  } else if (t.metric === 'http_req_failed') {
    let failed = 0;
    let total = 0;
    for (const e of endpoints) {
      failed += r.failed[e]?.failed ?? 0;
      total += (r.failed[e]?.failed ?? 0) + (r.failed[e]?.ok ?? 0);
    }
    if (total > 0) actual = failed / total;
  } else if (t.metric === 'checks') {
    const chosen = Object.entries(r.checks).filter(
      ([name]) => t.filter.check === undefined || t.filter.check === name,
    );
    const passes = chosen.reduce((n, [, c]) => n + c.passes, 0);
    const total = chosen.reduce((n, [, c]) => n + c.passes + c.fails, 0);
    if (total > 0) actual = passes / total;
  } else {
    const count =
      t.metric === 'dropped_iterations'
        ? r.dropped
        : t.metric === 'iterations'
          ? r.iterations
          : endpoints.reduce((n, e) => n + (r.failed[e]?.failed ?? 0) + (r.failed[e]?.ok ?? 0), 0);
    actual = t.agg.fn === 'rate' ? count / Math.max(elapsedSeconds, 1e-9) : count;
  }
  // k6 passes a threshold on a metric that saw no samples; here no samples of a latency or rate cannot
  // show the threshold holds, so it fails with the reason stated.
  const ok = actual === undefined ? LOAD_METRICS[t.metric] === 'counter' : holdsThreshold(actual, t);
  return { threshold, ...(actual !== undefined ? { actual } : {}), ok };
}

function trendValue(h: Histogram, t: ScenarioThreshold['condition']): number {
  switch (t.agg.fn) {
    case 'avg':
      return h.mean / 1000;
    case 'min':
      return h.minNonZeroValue / 1000;
    case 'max':
      return h.maxValue / 1000;
    case 'med':
      return h.getValueAtPercentile(50) / 1000;
    default:
      return h.getValueAtPercentile(t.agg.fn === 'p' ? t.agg.q * 100 : 50) / 1000;
  }
}
