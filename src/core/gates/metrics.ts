// k6's built-in metrics and their types (k6-docs: "Built-in metrics"), the browser suite's page metrics,
// and which aggregation methods each type allows in a threshold (k6-docs: "Thresholds", threshold syntax):
// the table a criterion is validated against when its gate loads, and which suite records each metric.

import { closestName } from '../suggest.js';
import type { MetricType } from './define.js';

export const BUILTIN_METRICS: Readonly<Record<string, MetricType>> = {
  checks: 'rate',
  data_received: 'counter',
  data_sent: 'counter',
  dropped_iterations: 'counter',
  group_duration: 'trend',
  http_req_blocked: 'trend',
  http_req_connecting: 'trend',
  http_req_duration: 'trend',
  http_req_failed: 'rate',
  http_req_receiving: 'trend',
  http_req_sending: 'trend',
  http_req_tls_handshaking: 'trend',
  http_req_waiting: 'trend',
  http_reqs: 'counter',
  iteration_duration: 'trend',
  iterations: 'counter',
  vus: 'gauge',
  vus_max: 'gauge',
  // The browser suite's, per page and environment, one sample per page load (capture's `loads`): time to
  // first byte, DOMContentLoaded, load, largest contentful paint, all in ms from navigation start; and
  // cumulative layout shift, unitless, held as a trend whose "ms" are layout-shift units.
  browser_ttfb: 'trend',
  browser_dcl: 'trend',
  browser_load: 'trend',
  browser_lcp: 'trend',
  browser_cls: 'trend',
};

/** The suite that records a built-in metric: the load engines (`performance`), unless named here. */
const METRIC_SUITES: Readonly<Record<string, string>> = {
  browser_ttfb: 'browser',
  browser_dcl: 'browser',
  browser_load: 'browser',
  browser_lcp: 'browser',
  browser_cls: 'browser',
};

/** Which suite's evidence a metric criterion reads when it names none. */
export function metricSuite(metric: string): string | undefined {
  return METRIC_SUITES[metric];
}

export type Aggregation =
  | { fn: 'p'; q: number }
  | { fn: 'avg' | 'min' | 'max' | 'med' | 'rate' | 'count' | 'value' };

export const ALLOWED: Readonly<Record<MetricType, readonly string[]>> = {
  trend: ['avg', 'min', 'max', 'med', 'p(N)'],
  rate: ['rate'],
  counter: ['count', 'rate'],
  gauge: ['value'],
};

export function aggregationName(a: Aggregation): string {
  return a.fn === 'p' ? `p(${+(a.q * 100).toFixed(4)})` : a.fn;
}

/** The closest known name, for "did you mean" (Levenshtein distance ≤ 3). */
export function closest(name: string, known: readonly string[]): string | undefined {
  return closestName(name, known, 3);
}
