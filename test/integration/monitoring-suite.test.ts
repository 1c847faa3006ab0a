// The monitoring suite against a real Prometheus 2.42 and Alertmanager 0.25 (Debian's, started by
// test/helpers/monitoring-stack.ts): a healthy baseline whose synthetic alert reaches the suite's webhook
// receiver firing and then resolved, and a broken target — a target down, a rule that fails to evaluate, a
// rule over a misspelled metric, Alertmanager routed to a port that refuses, rules and jobs the baseline has
// and the target lacks — whose checks fail naming each cause. Then servers that cannot answer: never a pass.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import type { Evidence } from '../../src/core/evidence.js';
import type { CheckResult } from '../../src/core/model.js';
import type { MonitoringOptions } from '../../src/suites/monitoring/define.js';
import { monitoringSuite } from '../../src/suites/monitoring/run.js';
import type { SuiteContext } from '../../src/suites/suite.js';
import { type MonitoringStack, startMonitoringStack } from '../helpers/monitoring-stack.js';
import { freePort } from '../helpers/project.js';

const RULES = `groups:
  - name: app
    rules:
      - alert: AppDown
        expr: up{job="app"} == 0
        for: 1m
      - record: app:requests:rate1m
        expr: sum(rate(app_requests_total[1m]))
`;
const BASELINE_ONLY = `groups:
  - name: legacy
    rules:
      - alert: LegacyQueueStuck
        expr: app_requests_total > 1e9
`;
const BROKEN = `groups:
  - name: broken
    rules:
      - record: app:broken
        expr: up * on () up
      - alert: Misspelled
        expr: rate(app_request_totl[5m]) > 0
`;

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
}

function config(urls: Record<'baseline' | 'target', Record<string, string>>, app: string) {
  return validateConfig(
    {
      project: 'p',
      environments: {
        baseline: {
          kind: 'compose',
          composeFile: 'docker-compose.yml',
          services: { app: { url: app } },
          monitoring: urls.baseline,
        },
        target: {
          kind: 'kubernetes',
          context: 'ctx',
          namespaces: ['apps'],
          services: { app: { url: app } },
          monitoring: urls.target,
        },
      },
      services: { app: { tier: 'application', phase: 3, health: { path: '/metrics' } } },
    },
    'cutover.config.ts',
    '/tmp',
  );
}

async function runSuite(cfg: ReturnType<typeof config>, options: MonitoringOptions) {
  const checks: CheckResult[] = [];
  const evidence: Evidence[] = [];
  const ctx: SuiteContext = {
    config: cfg,
    environments: ['baseline', 'target'],
    services: ['app'],
    runId: 'run-int',
    now: () => new Date(),
    faults: [],
    env: {},
    options: { monitoring: options },
    log: () => {},
    check: (c) => checks.push(c),
    evidence: (e) => evidence.push(e),
  };
  const plan = await monitoringSuite.plan(ctx);
  await monitoringSuite.run(ctx, plan);
  return { checks, evidence, planned: monitoringSuite.plannedChecks(plan, ctx) };
}

const find = (checks: readonly CheckResult[], env: string, check: string, service?: string) => {
  const found = checks.find(
    (c) => c.environment === env && c.check === check && (service === undefined || c.service === service),
  );
  if (!found) throw new Error(`no ${env} ${check} check`);
  return found;
};

describe('the monitoring suite against a real Prometheus and Alertmanager', () => {
  let app: Server;
  let appUrl: string;
  let baseline: MonitoringStack;
  let target: MonitoringStack;
  let receiverPort: number;
  let result: Awaited<ReturnType<typeof runSuite>>;

  beforeAll(async () => {
    app = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end('# TYPE app_requests_total counter\napp_requests_total 7\n');
    });
    const appPort = await listen(app);
    appUrl = `http://127.0.0.1:${appPort}`;
    receiverPort = await freePort();
    const deadPort = await freePort();
    [baseline, target] = await Promise.all([
      startMonitoringStack({
        scrapeJobs: [
          { job: 'app', targets: [`127.0.0.1:${appPort}`] },
          { job: 'legacy-exporter', targets: [`127.0.0.1:${appPort}`] },
        ],
        rules: { 'app.yml': RULES, 'legacy.yml': BASELINE_ONLY },
        webhookUrl: `http://127.0.0.1:${receiverPort}/alerts`,
      }),
      startMonitoringStack({
        scrapeJobs: [{ job: 'app', targets: [`127.0.0.1:${deadPort}`] }],
        rules: { 'app.yml': RULES, 'broken.yml': BROKEN },
        webhookUrl: `http://127.0.0.1:${deadPort}/alerts`,
      }),
    ]);
    // The broken rule needs two `up` series, and each rule one evaluation after the first scrapes.
    await new Promise((r) => setTimeout(r, 2500));
    result = await runSuite(
      config(
        {
          baseline: { prometheus: baseline.prometheusUrl, alertmanager: baseline.alertmanagerUrl! },
          target: { prometheus: target.prometheusUrl, alertmanager: target.alertmanagerUrl! },
        },
        appUrl,
      ),
      { alert: { port: receiverPort, deliveryTimeoutMs: 4000, resolveTimeoutMs: 5000 } },
    );
  }, 60_000);

  afterAll(async () => {
    await Promise.all([baseline?.stop(), target?.stop()]);
    app?.close();
  });

  it('passes every Prometheus and Alertmanager check of the healthy side', () => {
    const mine = result.checks.filter(
      (c) =>
        c.environment === 'baseline' && !['grafana', 'loki'].includes(c.service) && c.check !== 'recent-logs',
    );
    expect(mine.filter((c) => c.status !== 'pass').map((c) => `${c.check}: ${c.reason}`)).toEqual([]);
    expect(mine.map((c) => c.check).sort()).toEqual(
      [
        'alert-fires',
        'alert-resolves',
        'alertmanager-ready',
        'alertmanagers-discovered',
        'config-reload',
        'notifications-dropped',
        'prometheus-ready',
        'rules-healthy',
        'rules-select-series',
        'target-up',
        'targets-down',
      ].sort(),
    );
    expect(find(result.checks, 'baseline', 'alert-fires').reason).toContain('through receiver "webhook"');
  });

  it('fails the target down, naming the service and the scrape error', () => {
    const up = find(result.checks, 'target', 'target-up', 'app');
    expect(up.status).toBe('fail');
    expect(up.reason).toMatch(
      /with \{job="app"\} down: http:\/\/127\.0\.0\.1:\d+\/metrics: .*connection refused/,
    );
    expect(find(result.checks, 'target', 'targets-down').reason).toContain('job app');
  });

  it('fails the rule that cannot be evaluated and the one that selects nothing, naming them', () => {
    const health = find(result.checks, 'target', 'rules-healthy');
    expect(health.status).toBe('fail');
    expect(health.reason).toContain('app:broken (group broken');
    expect(health.reason).toContain('many-to-many matching not allowed');
    const blind = find(result.checks, 'target', 'rules-select-series');
    expect(blind.status).toBe('fail');
    expect(blind.reason).toContain('Misspelled (group broken) selects no series with `app_request_totl`');
    // The healthy rules over app_requests_total are not flagged, though the target's app is down: the
    // metric is looked up over the window, and the baseline's rules pass.
    expect(find(result.checks, 'baseline', 'rules-select-series').status).toBe('pass');
  });

  it('fails the alert that never reaches the receiver, naming the receiver Alertmanager routed it to', () => {
    const fires = find(result.checks, 'target', 'alert-fires');
    expect(fires.status).toBe('fail');
    expect(fires.reason).toContain('routed to receiver(s) "webhook"');
    expect(fires.reason).toContain(`http://127.0.0.1:${receiverPort}/alerts`);
    expect(find(result.checks, 'target', 'alert-resolves').status).toBe('skip');
  });

  it('fails parity for the rule and the job the target lacks', () => {
    const rules = find(result.checks, 'target', 'rules-parity');
    expect(rules.status).toBe('fail');
    expect(rules.reason).toContain('alert LegacyQueueStuck');
    const jobs = find(result.checks, 'target', 'jobs-parity');
    expect(jobs.status).toBe('fail');
    expect(jobs.reason).toContain('legacy-exporter');
    // Dashboards need both Grafanas, which this project does not have: not checked, never a pass.
    expect(find(result.checks, 'target', 'dashboards-parity').status).toBe('skip');
  });

  it('records what it planned, and coverage that keeps the missing Grafana and Loki from passing', () => {
    expect(result.checks).toHaveLength(result.planned);
    const coverage = result.evidence.filter((e) => e.kind === 'coverage');
    expect(coverage).toContainEqual(
      expect.objectContaining({
        environment: 'baseline',
        scope: 'grafana',
        status: 'could-not-check',
        reason: expect.stringContaining('no grafana endpoint for baseline'),
      }),
    );
    expect(coverage).toContainEqual(
      expect.objectContaining({ environment: 'baseline', scope: 'prometheus', status: 'complete' }),
    );
    expect(coverage).toContainEqual(
      expect.objectContaining({
        environment: 'target',
        scope: 'monitoring',
        status: 'partial',
        counts: { checks: result.checks.filter((c) => c.environment === 'target').length },
      }),
    );
  });
});

describe('the monitoring suite when the servers cannot answer', () => {
  it('records a 503 and a refused connection as could-not-check, never a pass', async () => {
    const starting = createServer((_req, res) => {
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('Service Unavailable');
    });
    const port = await listen(starting);
    const dead = await freePort();
    try {
      const { checks, evidence } = await runSuite(
        config(
          {
            baseline: { prometheus: `http://127.0.0.1:${port}`, alertmanager: `http://127.0.0.1:${port}` },
            target: { prometheus: `http://127.0.0.1:${dead}`, alertmanager: `http://127.0.0.1:${dead}` },
          },
          `http://127.0.0.1:${dead}`,
        ),
        { alert: { port: await freePort(), deliveryTimeoutMs: 500, resolveTimeoutMs: 500 } },
      );
      expect(checks.filter((c) => c.status === 'pass')).toEqual([]);
      expect(find(checks, 'baseline', 'prometheus-ready').reason).toContain('is not ready (503');
      expect(find(checks, 'baseline', 'target-up', 'app').status).toBe('skip');
      expect(find(checks, 'baseline', 'alert-fires').reason).toContain('not ready (503');
      expect(find(checks, 'target', 'prometheus-ready')).toMatchObject({ status: 'skip' });
      expect(find(checks, 'target', 'prometheus-ready').reason).toMatch(/refused|ECONNREFUSED/i);
      for (const environment of ['baseline', 'target'])
        expect(evidence).toContainEqual(
          expect.objectContaining({
            kind: 'coverage',
            environment,
            scope: 'prometheus',
            status: 'could-not-check',
          }),
        );
    } finally {
      starting.close();
    }
  });
});

describe('the monitoring suite in Watchdog mode', () => {
  it('sees each environment’s own Watchdog arrive, and names the environment whose does not', async () => {
    const receiverPort = await freePort();
    const webhookUrl = `http://127.0.0.1:${receiverPort}/alerts`;
    const watchdog = `groups:
  - name: meta
    rules:
      - alert: Watchdog
        expr: vector(1)
        labels: { cluster: compose }
`;
    // The target's Alertmanager is wired, but its Prometheus has no Watchdog: the baseline's must not count.
    const [baseline, target] = await Promise.all([
      startMonitoringStack({ rules: { 'meta.yml': watchdog }, webhookUrl, route: { repeatInterval: '2s' } }),
      startMonitoringStack({ webhookUrl }),
    ]);
    try {
      const cfg = config(
        {
          baseline: { prometheus: baseline.prometheusUrl, alertmanager: baseline.alertmanagerUrl! },
          target: { prometheus: target.prometheusUrl, alertmanager: target.alertmanagerUrl! },
        },
        'http://127.0.0.1:1',
      );
      cfg.monitoring.alert.mode = 'watchdog';
      cfg.monitoring.alert.watchdogEnvironmentLabels = {
        baseline: { cluster: 'compose' },
        target: { cluster: 'k8s' },
      };
      const { checks } = await runSuite(cfg, { alert: { port: receiverPort, deliveryTimeoutMs: 4000 } });
      expect(find(checks, 'baseline', 'watchdog-arrives')).toMatchObject({ status: 'pass' });
      expect(find(checks, 'baseline', 'watchdog-arrives').reason).toContain(
        '{alertname="Watchdog", cluster="compose"}',
      );
      const missing = find(checks, 'target', 'watchdog-arrives');
      expect(missing.status).toBe('fail');
      expect(missing.reason).toContain('cluster="k8s"');
      expect(checks.some((c) => c.check === 'alert-fires')).toBe(false);
    } finally {
      await Promise.all([baseline.stop(), target.stop()]);
    }
  }, 40_000);
});
