// The watch's own metrics, for the Prometheus that watches the watcher and for the shipped Grafana
// dashboard (dashboards/cutover-watch.json): each criterion's status and the measured and baseline values
// behind it, consecutive breaches, whether rollback is recommended, the last evaluation's time and cost.
// Prometheus conventions: a `cutover_watch_` prefix, base units (seconds, ratios), `_total` counters, and
// a state as a 0/1 series per state label value rather than a number code a reader must decode.
import { Counter, Gauge, Registry } from 'prom-client';
import { type MetricsServer, serveMetrics } from '../../runners/prometheus/exporter.js';
import type { WatchEvaluationView } from './define.js';
import type { WatchPlan } from './plan.js';

export const SERVICE_STATES = [
  'healthy',
  'breach',
  'inconclusive',
  'no-traffic',
  'no-data',
  'error',
  'incomparable',
] as const;
const CRITERION_STATUSES = ['pass', 'breach', 'inconclusive'] as const;

export interface WatchMetrics {
  url: string;
  registry: Registry;
  update(view: WatchEvaluationView): void;
  close(): Promise<void>;
}

/** The metrics in a registry of their own (never prom-client's global one, which a host process may use). */
export function watchRegistry(plan: Pick<WatchPlan, 'failureLimit' | 'target' | 'services'>) {
  const registry = new Registry();
  const r = [registry];
  const evaluations = new Counter({
    name: 'cutover_watch_evaluations_total',
    help: 'Evaluations done.',
    registers: r,
  });
  const queries = new Counter({
    name: 'cutover_watch_queries_total',
    help: 'Prometheus queries sent.',
    registers: r,
  });
  const lastEval = new Gauge({
    name: 'cutover_watch_last_evaluation_timestamp_seconds',
    help: 'When the last evaluation read Prometheus (unix seconds).',
    registers: r,
  });
  const lastDuration = new Gauge({
    name: 'cutover_watch_last_evaluation_duration_seconds',
    help: 'How long the last evaluation took, queries included.',
    registers: r,
  });
  const limit = new Gauge({
    name: 'cutover_watch_failure_limit',
    help: 'Consecutive breaching evaluations of a service that recommend rollback.',
    registers: r,
  });
  const serviceState = new Gauge({
    name: 'cutover_watch_service_state',
    help: "1 for the service's state at the last evaluation, 0 for the others.",
    labelNames: ['environment', 'service', 'state'],
    registers: r,
  });
  const breaches = new Gauge({
    name: 'cutover_watch_consecutive_breaches',
    help: 'Consecutive breaching evaluations of the service.',
    labelNames: ['environment', 'service'],
    registers: r,
  });
  const status = new Gauge({
    name: 'cutover_watch_criterion_status',
    help: "1 for the criterion's status at the last evaluation (pass, breach, inconclusive), 0 for the others.",
    labelNames: ['environment', 'service', 'criterion', 'status'],
    registers: r,
  });
  const measured = new Gauge({
    name: 'cutover_watch_criterion_measured',
    help: 'The target figure a criterion compared (latency in seconds, rates and fractions as ratios).',
    labelNames: ['environment', 'service', 'criterion'],
    registers: r,
  });
  const baseline = new Gauge({
    name: 'cutover_watch_criterion_baseline',
    help: "The baseline's figure the criterion compared with (same units).",
    labelNames: ['environment', 'service', 'criterion'],
    registers: r,
  });
  const rps = new Gauge({
    name: 'cutover_watch_requests_per_second',
    help: 'Requests per second on the target in the last window.',
    labelNames: ['environment', 'service'],
    registers: r,
  });
  const rollback = new Gauge({
    name: 'cutover_watch_rollback_recommended',
    help: '1 once the watch recommends rolling the service back.',
    labelNames: ['environment', 'service'],
    registers: r,
  });
  limit.set(plan.failureLimit);
  const environment = plan.target;
  for (const s of plan.services) {
    rollback.set({ environment, service: s.id }, 0);
    breaches.set({ environment, service: s.id }, 0);
  }
  const update = (view: WatchEvaluationView) => {
    evaluations.inc();
    queries.inc(view.queries);
    lastEval.set(Date.parse(view.at) / 1000);
    lastDuration.set(view.ms / 1000);
    for (const s of view.services) {
      const service = s.service;
      for (const state of SERVICE_STATES)
        serviceState.set({ environment, service, state }, s.state === state ? 1 : 0);
      breaches.set({ environment, service }, s.breaches);
      if (s.rps !== undefined) rps.set({ environment, service }, s.rps);
      for (const c of s.criteria) {
        const labels = { environment, service, criterion: c.label };
        for (const st of CRITERION_STATUSES)
          status.set({ ...labels, status: st }, c.status.toLowerCase() === st ? 1 : 0);
        const inUnit = (v: number) => (c.unit === 'ms' ? v / 1000 : v);
        if (c.target !== undefined) measured.set(labels, inUnit(c.target));
        if (c.baseline !== undefined) baseline.set(labels, inUnit(c.baseline));
      }
    }
    if (view.rollback) rollback.set({ environment, service: view.rollback.service }, 1);
  };
  return { registry, update };
}

export async function startWatchMetrics(plan: WatchPlan, listen: string): Promise<WatchMetrics> {
  const { registry, update } = watchRegistry(plan);
  const server: MetricsServer = await serveMetrics(registry, listen);
  return { url: server.url, registry, update, close: () => server.close() };
}
