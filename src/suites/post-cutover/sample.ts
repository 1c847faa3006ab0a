// One service's traffic in one window, read from the answers to its three queries (templates.ts). What
// came back is kept in its own state, never folded into another (shared/reference/monitoring.md §2.4.3):
//   traffic     requests > 0: counts and the latency histogram's buckets;
//   no-traffic  the series exist, but no request in the window (0, or NaN);
//   no-data     no series matched: a wrong label, a service that never reported — not "no traffic";
//   error       Prometheus did not answer the query (503 not ready, 422 bad query, a timeout, unreachable)
//               or answered something that is not one number: the reason, in Prometheus' words.
// None but `traffic` can pass a criterion. Pure.
import type { ApiOutcome } from '../../core/monitoring/api-outcome.js';
import type { QueryResult } from '../../core/monitoring/query-result.js';
import { describeReading, readEach, readSingle } from '../../core/monitoring/reading.js';
import { formatLabels, parseSampleValue } from '../../core/monitoring/sample-value.js';

/** One histogram bucket: its upper bound in ms (+Infinity for the last) and its own count (not cumulative). */
export interface Bucket {
  leMs: number;
  count: number;
}

export type TrafficSample =
  | { state: 'traffic'; requests: number; errors: number; buckets: Bucket[] }
  | { state: 'no-traffic'; reason: string }
  | { state: 'no-data'; reason: string }
  | { state: 'error'; reason: string };

export interface QueryAnswers {
  requests: ApiOutcome<QueryResult>;
  errors: ApiOutcome<QueryResult>;
  buckets: ApiOutcome<QueryResult>;
}

function failed(what: string, outcome: ApiOutcome<QueryResult>): string | undefined {
  return outcome.ok ? undefined : `the ${what} query failed: ${outcome.failure.message}`;
}

/** Counts from `increase()` are extrapolated, so fractional; a count of requests is a whole number. */
const whole = (value: number) => Math.max(0, Math.round(value));

/** Per-bucket counts from the cumulative `le` series of a `sum by (le)` answer. */
export function readBuckets(
  result: QueryResult,
  leToMs: number,
): { ok: true; buckets: Bucket[] } | { ok: false; reason: string } {
  const cumulative: Array<{ le: number; count: number }> = [];
  for (const { labels, reading } of readEach(result)) {
    const le = labels.le === undefined ? undefined : parseSampleValue(labels.le);
    if (le === undefined || Number.isNaN(le))
      return { ok: false, reason: `a bucket series without a numeric le label: ${formatLabels(labels)}` };
    if (reading.state === 'unreadable') return { ok: false, reason: reading.reason };
    cumulative.push({ le, count: reading.state === 'value' ? reading.value : 0 });
  }
  if (cumulative.length === 0) return { ok: true, buckets: [] };
  cumulative.sort((a, b) => a.le - b.le);
  let previous = 0;
  const buckets = cumulative.map(({ le, count }) => {
    // Each le's increase is extrapolated on its own: a later bucket may read a hair below an earlier one.
    const own = whole(Math.max(0, count - previous));
    previous = Math.max(previous, count);
    return { leMs: le === Number.POSITIVE_INFINITY ? le : le * leToMs, count: own };
  });
  return { ok: true, buckets };
}

/** Only the request count (Compose's own traffic): a `traffic` sample without errors or buckets read. */
export function readRequestCount(outcome: ApiOutcome<QueryResult>): TrafficSample {
  const counted = countOf(outcome);
  return 'state' in counted ? counted : { state: 'traffic', requests: counted.n, errors: 0, buckets: [] };
}

function countOf(outcome: ApiOutcome<QueryResult>): TrafficSample | { n: number } {
  if (!outcome.ok) return { state: 'error', reason: failed('requests', outcome)! };
  const requests = readSingle(outcome.value);
  switch (requests.state) {
    case 'unreadable':
      return { state: 'error', reason: `the requests query: ${requests.reason}` };
    case 'empty':
      return {
        state: 'no-data',
        reason: 'no data: the requests query matched no series (check the service’s labels and template)',
      };
    case 'nan':
      return { state: 'no-traffic', reason: `no traffic: requests ${describeReading(requests)}` };
    case 'value':
      break;
  }
  if (!Number.isFinite(requests.value))
    return { state: 'error', reason: `the requests query gives ${describeReading(requests)}` };
  const n = whole(requests.value);
  if (n === 0) return { state: 'no-traffic', reason: 'no traffic: 0 requests in the window' };
  return { n };
}

/** The sample of one service in one window from its three answers. */
export function readSample(answers: QueryAnswers, leToMs: number): TrafficSample {
  const failure =
    failed('requests', answers.requests) ??
    failed('errors', answers.errors) ??
    failed('buckets', answers.buckets);
  if (failure || !answers.requests.ok || !answers.errors.ok || !answers.buckets.ok)
    return { state: 'error', reason: failure ?? 'a query failed' };
  const counted = countOf(answers.requests);
  if ('state' in counted) return counted;
  const n = counted.n;
  const errors = readSingle(answers.errors.value);
  if (errors.state !== 'value' || !Number.isFinite(errors.value))
    return {
      state: 'error',
      reason: `the errors query gives ${describeReading(errors)} while there were ${n} requests; it must give 0 when none failed (end it in "or (0 * requests)")`,
    };
  const buckets = readBuckets(answers.buckets.value, leToMs);
  if (!buckets.ok) return { state: 'error', reason: `the buckets query: ${buckets.reason}` };
  return {
    state: 'traffic',
    requests: n,
    errors: Math.min(n, whole(errors.value)),
    buckets: buckets.buckets,
  };
}

/** The bucket boundaries of a sample, for comparing layouts across the two sides. */
export function boundariesOf(buckets: readonly Bucket[]): number[] {
  return buckets.map((b) => b.leMs);
}
