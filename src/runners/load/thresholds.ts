// k6 thresholds, parsed with k6's grammar (threshold-check.ts evaluates them on the embedded engine's
// measurements), so a scenario's thresholds mean the same under both engines. Grammar (k6
// metrics/thresholds_parser.go): aggregation whitespace* operator whitespace* float; trend
// avg|min|max|med|p(N), rate rate, counter count|rate.

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
