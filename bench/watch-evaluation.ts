// Benchmark: one `cutover watch` evaluation over 50 services against a real Prometheus 2.42 (Debian's,
// on loopback): each service's three target queries (requests, errors, latency buckets) and Compose's
// request count — its Prometheus query count and wall time. The 50 services are one loopback exporter
// serving prom-client-shaped RED metrics per service (3 routes × 2 statuses, 12 buckets: ~2 500 series),
// scraped every second, one job per service. `npx jiti bench/watch-evaluation.ts`.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ResolvedConfig } from '../src/config/load.js';
import type { WatchEvaluationView } from '../src/suites/post-cutover/define.js';
import { watchSchema } from '../src/suites/post-cutover/define.js';
import { planWatch } from '../src/suites/post-cutover/plan.js';
import { runWatch } from '../src/suites/post-cutover/run.js';
import type { SuiteContext } from '../src/suites/suite.js';
import { startMonitoringStack } from '../test/helpers/monitoring-stack.js';

const SERVICES = 50;
const ROUNDS = 6;
const LE = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'];
const ROUTES = ['/api/a', '/api/b', '/api/c'];

// Counters that grow at about 50 requests per second per service, 1 % of them 500s.
const started = performance.now();
function exposition(service: number): string {
  const seconds = (performance.now() - started) / 1000;
  const lines = ['# TYPE http_requests_total counter', '# TYPE http_request_duration_seconds histogram'];
  for (const route of ROUTES) {
    for (const [status, share] of [
      ['200', 0.99],
      ['500', 0.01],
    ] as const) {
      // Float counters (Prometheus keeps them so): the 500s spread evenly, not in lumps a window may catch.
      const n = seconds * 17 * share * (1 + service / 100);
      const labels = `method="GET",route="${route}",status="${status}"`;
      lines.push(`http_requests_total{${labels}} ${n}`);
      LE.forEach((le, i) => {
        const share = le === '+Inf' ? 1 : Math.min(1, (i + 1) / 6);
        lines.push(`http_request_duration_seconds_bucket{${labels},le="${le}"} ${n * share}`);
      });
      lines.push(`http_request_duration_seconds_count{${labels}} ${n}`);
      lines.push(`http_request_duration_seconds_sum{${labels}} ${n * 0.02}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const exporter = createServer((req, res) => {
  const m = /^\/s\/(\d+)\/metrics$/.exec(req.url ?? '');
  res.writeHead(m ? 200 : 404, { 'content-type': 'text/plain; version=0.0.4' });
  res.end(m ? exposition(Number(m[1])) : '');
});
await new Promise<void>((r) => exporter.listen(0, '127.0.0.1', r));
const host = `127.0.0.1:${(exporter.address() as AddressInfo).port}`;
const ids = Array.from({ length: SERVICES }, (_, i) => `svc-${String(i).padStart(2, '0')}`);
const stack = await startMonitoringStack({
  alertmanager: false,
  scrapeJobs: ids.map((job, i) => ({ job, targets: [host], metricsPath: `/s/${i}/metrics` })),
});
try {
  // Enough history for the baseline window and the first evaluation windows.
  await new Promise((r) => setTimeout(r, 12_000));
  const services = Object.fromEntries(ids.map((id) => [id, { url: `http://${host}` }]));
  const environments = {
    baseline: { kind: 'compose', services: { ...services, prometheus: { url: stack.prometheusUrl } } },
    target: { kind: 'kubernetes', services: { ...services, prometheus: { url: stack.prometheusUrl } } },
  };
  const config = {
    environments,
    watch: watchSchema.parse({ baselineWindow: '10s', alertmanager: false }),
  } as unknown as ResolvedConfig;
  const views: WatchEvaluationView[] = [];
  const plan = planWatch(
    config,
    { environments: ['baseline', 'target'], services: ids },
    { intervalMs: 4000, forMs: 4000 * ROUNDS, metricsListen: false },
  );
  const ctx = {
    config,
    environments: ['baseline', 'target'],
    services: ids,
    runId: 'bench',
    now: () => new Date(),
    faults: [],
    env: {},
    options: { watch: { onEvaluation: (v: WatchEvaluationView) => views.push(v) } },
    log: () => {},
    check: () => {},
    evidence: () => {},
  } as unknown as SuiteContext;
  await runWatch(ctx, plan);
  if (process.env.BENCH_DEBUG)
    for (const v of views)
      for (const s of v.services) if (s.state === 'breach') console.log(v.index, s.service, s.reason);
  const ms = views.map((v) => v.ms).sort((a, b) => a - b);
  const states = new Map<string, number>();
  for (const s of views.at(-1)!.services) states.set(s.state, (states.get(s.state) ?? 0) + 1);
  console.log(
    `${SERVICES} services, ${views.length} evaluations: ${views[0]!.queries} queries each; median ${ms[Math.floor(ms.length / 2)]} ms, best ${ms[0]} ms, worst ${ms.at(-1)} ms; last states ${JSON.stringify(Object.fromEntries(states))}`,
  );
} finally {
  await stack.stop();
  exporter.close();
}
