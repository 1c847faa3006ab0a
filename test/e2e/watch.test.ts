// `cutover watch` through the CLI, against the simulator's services and two real Prometheus servers (one
// per environment, as each platform has its own) scraping them every second, from a project folder of
// its own: a latency step on the target mid-watch recommends rollback after the configured number of
// consecutive breaches (exit 1, the webhook called, the alert in Alertmanager, /metrics showing the
// breaches), and `cutover gate --phase 5 --run <watch run>` reads traffic.errors and traffic.compose-idle
// from it; a watch without traffic, or with a query Prometheus refuses, is INCONCLUSIVE with the reason.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../sim/index.js';
import { parseFaultSpec } from '../../src/core/faults.js';
import { type MonitoringStack, startMonitoringStack } from '../helpers/monitoring-stack.js';
import { freePort, runCli } from '../helpers/project.js';

const SERVICES = ['rentguy-api', 'psra-api'] as const;
/** The latency step starts this long after the simulator: after the baseline warm-up and two healthy evaluations. */
const STEP_AFTER_MS = 19_000;

let sim: RunningSimulator;
let baselineProm: MonitoringStack;
let targetProm: MonitoringStack;
let hook: Server;
let hookUrl: string;
const hooked: unknown[] = [];
const traffic = { baseline: true, target: true };
let stopTraffic = false;
let pump: Promise<void>;
const started = performance.now();

const urlOf = (environment: string, service: string) =>
  sim.endpoints.find((e) => e.environment === environment && e.service === service)!.url;

/**
 * About 80 requests per second to each side that is switched on, not waiting for answers (a latency step
 * must not slow the traffic down), with at most 40 in flight per side.
 */
async function sendTraffic(): Promise<void> {
  const side = async (on: () => boolean, url: () => string) => {
    let inFlight = 0;
    while (!stopTraffic) {
      if (on() && inFlight < 40) {
        inFlight++;
        void fetch(url())
          .then(
            (r) => r.arrayBuffer(),
            () => undefined,
          )
          .finally(() => inFlight--);
      }
      await new Promise((r) => setTimeout(r, 12));
    }
  };
  await Promise.all([
    side(
      () => traffic.baseline,
      () => `${urlOf('baseline', 'rentguy-api')}/api/equipment`,
    ),
    side(
      () => traffic.target,
      () => `${urlOf('target', 'rentguy-api')}/api/equipment`,
    ),
  ]);
}

function project(watch: Record<string, unknown>): string {
  const env = (name: string, prom: MonitoringStack) =>
    Object.fromEntries([
      ...SERVICES.map((s) => [s, { url: urlOf(name, s) }]),
      ['prometheus', { url: prom.prometheusUrl }],
      ...(prom.alertmanagerUrl ? [['alertmanager', { url: prom.alertmanagerUrl }]] : []),
    ]);
  const config = {
    project: 'watch-e2e',
    environments: {
      baseline: {
        kind: 'compose',
        composeFile: './docker-compose.yml',
        services: env('baseline', baselineProm),
      },
      target: {
        kind: 'kubernetes',
        context: 'prod',
        namespaces: ['apps'],
        services: env('target', targetProm),
      },
    },
    services: {
      ...Object.fromEntries(
        SERVICES.map((s) => [s, { tier: 'application', phase: 3, health: { path: '/health' } }]),
      ),
      prometheus: { tier: 'monitoring', phase: 2, health: { path: '/-/ready' } },
      alertmanager: { tier: 'monitoring', phase: 2, health: { path: '/-/ready' } },
    },
    watch: { baselineWindow: '8s', rollbackWebhook: hookUrl, ...watch },
  };
  const dir = mkdtempSync(join(tmpdir(), 'cutover-watch-'));
  writeFileSync(join(dir, 'cutover.config.mjs'), `export default ${JSON.stringify(config, null, 2)};\n`);
  writeFileSync(join(dir, 'docker-compose.yml'), 'services: {}\n');
  mkdirSync(join(dir, 'reports'));
  return dir;
}

const scrapeJobs = (environment: string) =>
  SERVICES.map((s) => ({ job: s, targets: [new URL(urlOf(environment, s)).host] }));

beforeAll(async () => {
  const fault = parseFaultSpec(`target:rentguy-api:latency=+150ms@${STEP_AFTER_MS / 1000}s`);
  if (!fault.ok) throw new Error(fault.error);
  sim = await startSimulator({
    listeners: SERVICES.flatMap((service) =>
      ['baseline', 'target'].map((environment) => ({ environment, service, host: '127.0.0.1', port: 0 })),
    ),
    faults: [fault.value],
  });
  pump = sendTraffic();
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      hooked.push(JSON.parse(body));
      res.end();
    });
  });
  const hookPort = await freePort();
  await new Promise<void>((r) => hook.listen(hookPort, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${hookPort}/rollback`;
  [baselineProm, targetProm] = await Promise.all([
    startMonitoringStack({ scrapeJobs: scrapeJobs('baseline'), alertmanager: false }),
    startMonitoringStack({ scrapeJobs: scrapeJobs('target') }),
  ]);
}, 60_000);

afterAll(async () => {
  stopTraffic = true;
  await pump;
  await Promise.all([baselineProm?.stop(), targetProm?.stop(), sim?.stop()]);
  hook?.close();
});

describe('cutover watch', () => {
  it('recommends rollback after consecutive breaches of a latency step, shows it on /metrics, and feeds phase 5', async () => {
    // The baseline reference: 8 s of Compose traffic before the watch; then Compose goes idle.
    const warm = 10_000 - (performance.now() - started);
    await new Promise((r) => setTimeout(r, Math.max(0, warm)));
    traffic.baseline = false;
    // Latency only: an error-rate comparison needs more requests than a few seconds give to be decided.
    const dir = project({ criteria: ['http_req_duration: p(95) <= baseline * 1.10 + 10ms'] });
    const metricsPort = await freePort();
    let seen = '';
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const body = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then(
          (r) => r.text(),
          () => '',
        );
        if (/cutover_watch_consecutive_breaches\{[^}]*service="rentguy-api"\} [1-9]/.test(body)) seen = body;
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    const run = await runCli(
      [
        'watch',
        '--interval',
        '3s',
        '--for',
        '45s',
        '--rollback-after',
        '2',
        '--metrics-listen',
        `127.0.0.1:${metricsPort}`,
      ],
      { cwd: dir, timeoutMs: 90_000 },
    );
    polling = false;
    await poll;
    const output = run.stdout + run.stderr;
    expect(run.code, output).toBe(1);
    expect(run.stdout).toMatch(
      /^ROLLBACK recommended: rentguy-api breached 2 evaluation\(s\) in a row \(limit 2\)/,
    );
    // Before the step no window breaches: healthy, or undecided where a busy machine's noise leaves the
    // interval straddling the limit (honest, and not a breach: the count stays 0/2).
    expect(run.stderr).toMatch(/watch #\d+ rentguy-api (healthy|inconclusive) 0\/2/);
    expect(run.stderr).toMatch(/rentguy-api breach 2\/2 .*http_req_duration .*BREACH/);
    // psra-api never had traffic: no data, never healthy.
    expect(run.stderr).toMatch(/psra-api no-data 0\/2 no data: the requests query matched no series/);
    // /metrics showed the breach while the watch ran.
    expect(seen).toMatch(
      /cutover_watch_criterion_status\{[^}]*service="rentguy-api"[^}]*status="breach"\} 1/,
    );
    expect(seen).toMatch(
      /cutover_watch_criterion_measured\{[^}]*service="rentguy-api",criterion="http_req_duration: p\(95\)/,
    );
    // The webhook and the alert in the target's Alertmanager.
    expect(hooked).toEqual([
      expect.objectContaining({ recommendation: 'rollback', service: 'rentguy-api', environment: 'target' }),
    ]);
    const alerts = (await fetch(
      `${targetProm.alertmanagerUrl}/api/v2/alerts?filter=alertname%3D%22CutoverRollbackRecommended%22`,
    ).then((r) => r.json())) as Array<{ labels: Record<string, string> }>;
    expect(alerts.map((a) => a.labels.service)).toEqual(['rentguy-api']);
    // Both deliveries said, and the webhook's path (where chat webhooks keep their secret) never shown.
    expect(run.stderr).toMatch(/the rollback webhook at http:\/\/127\.0\.0\.1:\d+\/… was delivered/);
    expect(run.stderr).toMatch(/the alert to http:\/\/127\.0\.0\.1:\d+ was delivered/);
    expect(output).not.toContain('/rollback');

    const id = /--run (\S+)\)/.exec(run.stdout)![1]!;
    const gate = await runCli(['gate', '--phase', '5', '--run', id, '--json'], { cwd: dir });
    const result = JSON.parse(gate.stdout) as {
      gates: Array<{ criteria: Array<{ id: string; status: string; reason: string }> }>;
    };
    const criteria = Object.fromEntries(result.gates[0]!.criteria.map((c) => [c.id, c]));
    // Read from the watch's evidence: ~40 req/s without errors on the target; Compose idle.
    expect(criteria['traffic.errors']!.status, criteria['traffic.errors']!.reason).toBe('PASS');
    expect(criteria['traffic.compose-idle']!.reason).not.toMatch(/no evidence/);
    // The phase as a whole is not GO: its other criteria have no evidence in a watch run.
    expect(gate.code).not.toBe(0);
  }, 120_000);

  it('keeps the windows read before it was killed, for phase 5 to judge', async () => {
    const dir = project({});
    let child: { kill: (s: NodeJS.Signals) => boolean } | undefined;
    const running = runCli(
      ['watch', '--interval', '2s', '--for', '60s', '--service', 'rentguy-api', '--no-metrics'],
      {
        cwd: dir,
        timeoutMs: 60_000,
        onSpawn: (c) => {
          child = c;
        },
      },
    );
    // Two windows, then a kill -9: no chance to close the record.
    await new Promise((r) => setTimeout(r, 6000));
    child!.kill('SIGKILL');
    const run = await running;
    expect(run.signal).toBe('SIGKILL');
    const id = /Recording to reports\/(\S+)/.exec(run.stderr)![1]!;
    const gate = await runCli(['gate', '--phase', '5', '--run', id, '--json'], { cwd: dir });
    const result = JSON.parse(gate.stdout) as {
      gates: Array<{ verdict: string; criteria: Array<{ id: string; status: string; reason: string }> }>;
    };
    const errors = result.gates[0]!.criteria.find((c) => c.id === 'traffic.errors')!;
    expect(errors.reason).not.toMatch(/no evidence/);
    expect(result.gates[0]!.verdict).not.toBe('GO');
  }, 60_000);

  it('records the baseline’s traffic by hour of the week and watches against it with --baseline', async () => {
    // A stand-in for a Prometheus with weeks of history: 400 fast requests in every hour.
    const fake = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const start = Number(url.searchParams.get('start'));
      const end = Number(url.searchParams.get('end'));
      const query = url.searchParams.get('query') ?? '';
      const times: number[] = [];
      for (let t = start; t <= end; t += 3600) times.push(t);
      const series = (metric: Record<string, string>, v: string) => ({
        metric,
        values: times.map((t) => [t, v]),
      });
      const result = query.includes('_bucket')
        ? ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'].map((le) =>
            series({ le }, '400'),
          )
        : [series({}, query.includes('5..') ? '0' : '400')];
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } }));
    });
    const port = await freePort();
    await new Promise<void>((r) => fake.listen(port, '127.0.0.1', r));
    try {
      const dir = project({ criteria: ['http_req_duration: p(95) <= baseline * 1.10 + 10ms'] });
      const config = join(dir, 'cutover.config.mjs');
      const text = (await import('node:fs')).readFileSync(config, 'utf8');
      writeFileSync(config, text.replace(baselineProm.prometheusUrl, `http://127.0.0.1:${port}`));
      const recorded = await runCli(['baseline', 'record', '--name', 'weekly', '--traffic', '3h'], {
        cwd: dir,
      });
      expect(recorded.code, recorded.stdout + recorded.stderr).toBe(0);
      expect(recorded.stdout).toMatch(/rentguy-api: 3 hour\(s\) with traffic/);
      const file = JSON.parse(
        (await import('node:fs')).readFileSync(join(dir, 'baselines/weekly.json'), 'utf8'),
      );
      expect(Object.values(file.traffic.services['rentguy-api'])).toEqual([
        expect.objectContaining({ requests: 400, errors: 0, hours: 1 }),
        expect.objectContaining({ requests: 400 }),
        expect.objectContaining({ requests: 400 }),
      ]);
      // The target is in its latency step: against 400 requests under 5 ms each hour, a breach at once.
      const run = await runCli(
        [
          'watch',
          '--baseline',
          'weekly',
          '--interval',
          '3s',
          '--for',
          '6s',
          '--rollback-after',
          '1',
          '--service',
          'rentguy-api',
          '--no-metrics',
        ],
        { cwd: dir, timeoutMs: 60_000 },
      );
      expect(run.code, run.stdout + run.stderr).toBe(1);
      expect(run.stderr).toMatch(/Baseline: recorded baseline weekly/);
      expect(run.stdout).toMatch(
        /ROLLBACK recommended: rentguy-api breached 1 evaluation\(s\) in a row \(limit 1\): .*p\(95\) 250 ms vs limit 1.1 × 5.00 ms/,
      );
      const missing = await runCli(['watch', '--baseline', 'nope', '--dry-run'], { cwd: dir });
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/no baseline "nope"; recorded: weekly/);
    } finally {
      fake.close();
    }
  }, 90_000);

  it('says INCONCLUSIVE, not healthy, for a watch without traffic, and phase 5 is not GO on it', async () => {
    traffic.target = false;
    await new Promise((r) => setTimeout(r, 4000));
    const dir = project({});
    const run = await runCli(
      ['watch', '--interval', '2s', '--for', '4s', '--service', 'rentguy-api', '--no-metrics'],
      {
        cwd: dir,
        timeoutMs: 60_000,
      },
    );
    expect(run.code, run.stdout + run.stderr).toBe(3);
    expect(run.stdout).toMatch(
      /^INCONCLUSIVE: rentguy-api: inconclusive at the last evaluation \(no-traffic\): no traffic: 0 requests/,
    );
    const id = /--run (\S+)\)/.exec(run.stdout)![1]!;
    const gate = await runCli(['gate', '--phase', '5', '--run', id, '--json'], { cwd: dir });
    const result = JSON.parse(gate.stdout) as {
      gates: Array<{ verdict: string; criteria: Array<{ id: string; status: string }> }>;
    };
    const errors = result.gates[0]!.criteria.find((c) => c.id === 'traffic.errors')!;
    expect(errors.status).toBe('INCONCLUSIVE');
    // The watch recommended no rollback, but it decided nothing either: not a pass of traffic.watch.
    const watch = result.gates[0]!.criteria.find((c) => c.id === 'traffic.watch')!;
    expect(watch.status).toBe('INCONCLUSIVE');
    expect(result.gates[0]!.verdict).not.toBe('GO');
  }, 60_000);

  it('says INCONCLUSIVE with Prometheus’ reason when it refuses a query', async () => {
    const dir = project({
      template: 'broken',
      templates: {
        broken: {
          requests: 'sum(rate(http_requests_total{$selector}[$window])',
          errors: 'vector(0)',
          buckets: 'vector(0)',
        },
      },
    });
    const run = await runCli(
      [
        'watch',
        '--interval',
        '1s',
        '--for',
        '2s',
        '--service',
        'rentguy-api',
        '--metrics-listen',
        new URL(hookUrl).host,
      ],
      {
        cwd: dir,
        timeoutMs: 60_000,
      },
    );
    expect(run.code, run.stdout + run.stderr).toBe(3);
    // The metrics port is taken (by the webhook receiver): said, and the watch goes on without them.
    expect(run.stderr).toMatch(
      /watch metrics not served: cannot serve the watch's metrics on 127.0.0.1:\d+: EADDRINUSE/,
    );
    expect(run.stdout).toMatch(
      /INCONCLUSIVE: rentguy-api: inconclusive at the last evaluation \(error\): the requests query failed: .*bad_data/,
    );
  }, 60_000);

  it('names a host that still resolves to Compose after the DNS cutover', async () => {
    const dir = project({
      dns: { hosts: ['localhost'], targetAddresses: ['192.0.2.10'], composeAddresses: ['127.0.0.1', '::1'] },
    });
    const dry = await runCli(['watch', '--dry-run', '--service', 'rentguy-api'], { cwd: dir });
    expect(dry.stdout).toMatch(/DNS: localhost → 192.0.2.10, via the system resolver/);
    const run = await runCli(
      ['watch', '--interval', '1s', '--for', '1s', '--service', 'rentguy-api', '--no-metrics'],
      {
        cwd: dir,
        timeoutMs: 60_000,
      },
    );
    expect(run.code, run.stdout + run.stderr).toBe(3);
    const json = await runCli(
      ['watch', '--interval', '1s', '--for', '1s', '--service', 'rentguy-api', '--no-metrics', '--json'],
      {
        cwd: dir,
        timeoutMs: 60_000,
      },
    );
    expect(JSON.parse(json.stdout)).toMatchObject({
      decision: 'inconclusive',
      reason: expect.stringMatching(/^DNS cutover: localhost/),
      interrupted: false,
      run: expect.any(String),
    });
    expect(run.stdout).toMatch(
      /^INCONCLUSIVE: DNS cutover: localhost via the system resolver still resolves to Compose \((127\.0\.0\.1|::1)/,
    );
  }, 60_000);
});
