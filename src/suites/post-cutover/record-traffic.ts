// Records the Compose side's traffic from its Prometheus by hour of the week, for `cutover baseline
// record --traffic 7d`: per service, the watch's own three queries (templates.ts) over one-hour windows,
// as range queries with a one-hour step — three queries per service whatever the span. Each hour is read
// as a watch window is (sample.ts): only hours with traffic are kept; hours without data or traffic are
// counted and said, never recorded as zero.
import type { ResolvedConfig } from '../../config/load.js';
import { UserError } from '../../core/errors.js';
import type { ApiOutcome } from '../../core/monitoring/api-outcome.js';
import type { QueryResult } from '../../core/monitoring/query-result.js';
import { addHour, hourOfWeek, type TrafficBaseline } from '../../core/monitoring/traffic-baseline.js';
import { PrometheusClient } from '../../runners/prometheus/client.js';
import { monitoringEndpoints } from '../monitoring/endpoints.js';
import { watchedServices } from './plan.js';
import { readSample } from './sample.js';
import { serviceQueries } from './templates.js';

const HOUR_MS = 3_600_000;

/** The answer of a range query at one step, as an instant vector. */
function at(outcome: ApiOutcome<QueryResult>, t: number): ApiOutcome<QueryResult> {
  if (!outcome.ok || outcome.value.type !== 'matrix') return outcome;
  const series = outcome.value.series.flatMap((s) => {
    const point = s.points.find((p) => Math.abs(p.t - t) < 0.5);
    return point ? [{ labels: s.labels, point }] : [];
  });
  return { ...outcome, value: { type: 'vector', series } };
}

export interface RecordedTraffic {
  traffic: TrafficBaseline;
  /** Per service: hours kept, and hours skipped with the first reason. */
  summary: Array<{ service: string; hours: number; skipped: number; reason?: string }>;
  queries: number;
}

export async function recordTraffic(
  config: ResolvedConfig,
  environment: string,
  overMs: number,
  nowMs: number,
  env: Readonly<Record<string, string | undefined>>,
): Promise<RecordedTraffic> {
  const endpoint = monitoringEndpoints(config.environments[environment]!).prometheus;
  if (!endpoint)
    throw new UserError(
      `environments.${environment}.monitoring.prometheus: not set, and ${environment} has no service named prometheus; --traffic reads it there`,
    );
  if (overMs < HOUR_MS) throw new UserError('--traffic: at least 1h (figures are kept by the hour)');
  const services = watchedServices(
    config.watch,
    Object.keys(config.services),
    config.environments[environment]!.services,
  ).map((id) => serviceQueries(config.watch, id, HOUR_MS));
  const client = new PrometheusClient(endpoint, { env });
  const endMs = Math.floor(nowMs / HOUR_MS) * HOUR_MS;
  const startMs = endMs - overMs + HOUR_MS;
  const range = { startMs, endMs, stepSeconds: 3600, timeoutMs: config.watch.queryTimeoutMs };
  const traffic: TrafficBaseline = {
    prometheus: endpoint.url,
    environment,
    from: new Date(startMs - HOUR_MS).toISOString(),
    to: new Date(endMs).toISOString(),
    services: {},
  };
  const summary: RecordedTraffic['summary'] = [];
  let queries = 0;
  for (const q of services) {
    const id = q.service;
    const [requests, errors, buckets] = await Promise.all(
      [q.requests, q.errors, q.buckets].map((expr) => client.queryRange(expr, range)),
    );
    queries += 3;
    const hours: Record<string, ReturnType<typeof addHour>> = {};
    let kept = 0;
    let skipped = 0;
    let reason: string | undefined;
    for (let t = startMs; t <= endMs; t += HOUR_MS) {
      const sample = readSample(
        { requests: at(requests!, t / 1000), errors: at(errors!, t / 1000), buckets: at(buckets!, t / 1000) },
        q.leToMs,
      );
      if (sample.state !== 'traffic') {
        skipped++;
        reason ??= sample.reason;
        continue;
      }
      // The point at t is the increase over the hour before it.
      const key = String(hourOfWeek(t - HOUR_MS));
      hours[key] = addHour(hours[key], {
        requests: sample.requests,
        errors: sample.errors,
        buckets: sample.buckets.map((b) => [b.leMs === Number.POSITIVE_INFINITY ? null : b.leMs, b.count]),
      });
      kept++;
    }
    if (kept > 0) traffic.services[id] = hours;
    summary.push({ service: id, hours: kept, skipped, ...(reason ? { reason } : {}) });
  }
  return { traffic, summary, queries };
}
