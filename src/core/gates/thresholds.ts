// A load scenario's own thresholds, in k6's form — `thresholds: { 'http_req_duration{endpoint:GET /a}':
// ['p(95)<300'] }` — read by the same grammar as a gate's criteria (metric-expression.ts), checked against
// the same metric table, limited to what the load engines measure. Each becomes the condition the
// performance suite evaluates on a run's measurements, as k6 does (src/suites/performance/threshold-check.ts),
// and the scenario-thresholds criterion (scenario-thresholds.ts) reads the outcomes.
import type { MetricType } from './define.js';
import { type MetricCriterion, parseMetric } from './metric-expression.js';
import { BUILTIN_METRICS } from './metrics.js';

/** The metrics the load engines measure (embedded, k6 and the k6-operator alike). */
export const LOAD_METRICS: Readonly<Record<string, MetricType>> = Object.fromEntries(
  [
    'http_req_duration',
    'iteration_duration',
    'http_req_failed',
    'checks',
    'http_reqs',
    'iterations',
    'dropped_iterations',
  ].map((m) => [m, BUILTIN_METRICS[m]!]),
);

/** The tags a threshold's filter may name besides the scenario's own request tags. */
export const THRESHOLD_TAGS: readonly string[] = ['endpoint', 'name', 'scenario', 'check', 'status_class'];

export interface ScenarioThreshold {
  /** The key as written: `http_req_duration{endpoint:GET /api/equipment}`. */
  key: string;
  /** The expression as written: `p(95)<300`. */
  source: string;
  condition: MetricCriterion;
}

/**
 * Reads one threshold; throws an Error whose message says what is wrong (the loader names the file and
 * the scenario). `tags` are the tags the scenario's requests carry, which a filter may also name.
 */
export function parseScenarioThreshold(
  key: string,
  source: string,
  tags: readonly string[] = [],
): ScenarioThreshold {
  const parsed = parseMetric(`${key}: ${source}`, {
    kind: 'threshold',
    metrics: LOAD_METRICS,
    unknownHint: `thresholds may use ${Object.keys(LOAD_METRICS).join(', ')} (the metrics the load engines measure)`,
  });
  if (typeof parsed === 'string') throw new Error(parsed);
  const known = [...THRESHOLD_TAGS, ...tags];
  const unknown = Object.keys(parsed.filter).find((k) => !known.includes(k));
  if (unknown)
    throw new Error(
      `"${key}": no request of the scenario carries a tag "${unknown}"; a filter may name ${known.join(', ')}`,
    );
  return { key, source, condition: parsed };
}

/** k6's comparison of a measured value with a threshold's limit. */
export function holdsThreshold(actual: number, condition: MetricCriterion): boolean {
  const limit = condition.threshold!;
  switch (condition.op) {
    case '<':
      return actual < limit;
    case '<=':
      return actual <= limit;
    case '>':
      return actual > limit;
    case '>=':
      return actual >= limit;
    case '==':
      return actual === limit;
    case '!=':
      return actual !== limit;
  }
}
