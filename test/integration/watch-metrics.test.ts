// The watch's own /metrics, scraped by a real Prometheus 2.42, and the shipped Grafana dashboard
// (deploy/grafana/cutover-watch.json): every query of every panel is run against that Prometheus and
// must return data — a dashboard whose panels say "No data" on the day it matters is no dashboard.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEach } from '../../src/core/monitoring/reading.js';
import { PrometheusClient } from '../../src/runners/prometheus/client.js';
import { type MetricsServer, parseListen, serveMetrics } from '../../src/runners/prometheus/exporter.js';
import type { WatchEvaluationView } from '../../src/suites/post-cutover/define.js';
import { watchRegistry } from '../../src/suites/post-cutover/metrics.js';
import type { WatchPlan } from '../../src/suites/post-cutover/plan.js';
import { type MonitoringStack, startMonitoringStack } from '../helpers/monitoring-stack.js';
import { ROOT } from '../helpers/project.js';

const DASHBOARD = join(ROOT, 'deploy/grafana/cutover-watch.json');

const view = (index: number, breaches: number, rollback: boolean): WatchEvaluationView => ({
  index,
  at: new Date().toISOString(),
  queries: 6,
  ms: 40,
  services: [
    {
      service: 'rentguy-api',
      state: breaches ? 'breach' : 'healthy',
      rps: 40,
      breaches,
      reason: 'r',
      criteria: [
        {
          label: 'http_req_duration: p(95) <= baseline * 1.10 + 10ms',
          status: breaches ? 'BREACH' : 'PASS',
          target: 250,
          baseline: 5,
          unit: 'ms',
          reason: '',
        },
        {
          label: 'http_req_failed: rate <= baseline + 0.01',
          status: 'PASS',
          target: 0.001,
          baseline: 0,
          unit: 'rate',
          reason: '',
        },
      ],
    },
  ],
  ...(rollback ? { rollback: { service: 'rentguy-api', reason: 'r' } } : {}),
});

let server: MetricsServer;
let stack: MonitoringStack;
let prometheus: PrometheusClient;
const { registry, update } = watchRegistry({
  failureLimit: 2,
  target: 'target',
  services: [{ id: 'rentguy-api' }],
} as unknown as WatchPlan);

beforeAll(async () => {
  update(view(1, 0, false));
  server = await serveMetrics(registry, '127.0.0.1:0');
  stack = await startMonitoringStack({
    scrapeJobs: [{ job: 'cutover-watch', targets: [new URL(server.url).host] }],
    alertmanager: false,
  });
  prometheus = new PrometheusClient({ url: stack.prometheusUrl }, { env: {} });
  update(view(2, 1, false));
  // Enough scrapes for rate() over the counters.
  const deadline = performance.now() + 20_000;
  for (;;) {
    const up = await prometheus.query('count_over_time(cutover_watch_failure_limit[1m])');
    const n = up.ok ? readEach(up.value)[0]?.reading : undefined;
    if ((n?.state === 'value' && n.value >= 3) || performance.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  update(view(3, 2, true));
  await new Promise((r) => setTimeout(r, 1500));
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await server?.close();
});

describe("the watch's metrics", () => {
  it('serves them at /metrics only, under Prometheus naming conventions', async () => {
    const body = await fetch(`${server.url}/metrics`).then((r) => r.text());
    expect(body).toMatch(
      /^cutover_watch_rollback_recommended\{environment="target",service="rentguy-api"\} 1$/m,
    );
    expect(body).toMatch(
      /^cutover_watch_consecutive_breaches\{environment="target",service="rentguy-api"\} 2$/m,
    );
    expect(body).toMatch(
      /^cutover_watch_criterion_measured\{[^}]*criterion="http_req_duration: p\(95\) <= baseline \* 1.10 \+ 10ms"\} 0.25$/m,
    );
    const metrics = await registry.getMetricsAsJSON();
    for (const m of metrics) {
      expect(m.name).toMatch(/^cutover_watch_[a-z_]+$/);
      if (String(m.type) === 'counter') expect(m.name).toMatch(/_total$/);
    }
    expect((await fetch(`${server.url}/`)).status).toBe(404);
  });

  it('listens on loopback unless an address is given', () => {
    expect(parseListen(':9470')).toEqual({ host: '127.0.0.1', port: 9470 });
    expect(parseListen('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(() => parseListen('9470')).toThrow(/expected host:port/);
  });

  it('feeds every panel of the shipped dashboard with data from a real Prometheus', async () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
      panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
    };
    const empty: string[] = [];
    let queries = 0;
    for (const panel of dashboard.panels) {
      for (const target of panel.targets) {
        const expr = target.expr.replaceAll('$environment', '.*');
        const answer = await prometheus.query(expr);
        queries++;
        if (!answer.ok) empty.push(`${panel.title}: ${expr}: ${answer.failure.message}`);
        else if (readEach(answer.value).length === 0) empty.push(`${panel.title}: ${expr}: no data`);
      }
    }
    expect(empty).toEqual([]);
    expect(queries).toBeGreaterThanOrEqual(dashboard.panels.length);
  });
});
