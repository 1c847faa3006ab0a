// The one verdict rule, tried as a new user would: a project folder outside the repository with its own
// config, scenarios and gates, against an orders API written for the test. Each case failed before the
// rule (issue 13, items 1, 2, 3 and 9): a user's NO-GO gate was "shown" beside a GO run, a crossed
// threshold was GO, a killed run was rebuilt as GO, and `cutover perf` could never be GO.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/project.js';
import {
  gateFile,
  ORDERS_SCENARIO,
  type OrdersApi,
  ordersConfig,
  ordersLoad,
  startOrdersApi,
  userProject,
} from '../helpers/user-project.js';

let api: OrdersApi;
beforeAll(async () => {
  api = await startOrdersApi();
});
afterAll(async () => {
  await api.close();
});

const reset = () => {
  for (const side of [api.baseline, api.target])
    Object.assign(side, { delayMs: 0, retype: false, slowMs: 0 });
};

const runDir = (stdout: string, dir: string) => join(dir, /Report: (\S+)/.exec(stdout)![1]!);

const ORDERS_GATE = gateFile({
  id: 'orders',
  phase: 3,
  wave: 'orders',
  title: 'Orders wave',
  criteria: [
    { id: 'smoke', title: 'healthy', serves: 1, expr: 'smoke{service:orders-api}.failed == 0' },
    { id: 'parity', title: 'answers equal', serves: 3, expr: 'parity{service:orders-api}.ratio == 1' },
  ],
});

const RELEASE_GATE = gateFile({
  id: 'release',
  phase: 4,
  title: 'Release: also needs a restore drill',
  criteria: [
    { id: 'parity', title: 'answers equal', serves: 3, expr: 'parity.ratio == 1' },
    { id: 'backup', title: 'restore tested', serves: 5, expr: 'backup.failed == 0', maxAge: '24h' },
  ],
});

const PERF_GATE = gateFile({
  id: 'orders-perf',
  phase: 3,
  title: 'Orders latency',
  criteria: [
    {
      id: 'median',
      title: 'median',
      serves: 2,
      expr: 'http_req_duration{service:orders-api}: med <= baseline * 1.10 + 10ms',
    },
  ],
});

function project(files: Record<string, string> = {}): string {
  return userProject({
    'cutover.config.ts': ordersConfig(api),
    'orders.scenario.ts': ORDERS_SCENARIO,
    'orders.load.ts': ordersLoad(),
    'gates/orders.ts': ORDERS_GATE,
    ...files,
  });
}

describe('one verdict rule for run, perf, report and gate, on a user project', () => {
  it("a user's own gate that is NO-GO makes `cutover run` NO-GO; report and gate agree", async () => {
    reset();
    api.target.retype = true;
    const dir = project();
    const run = await runCli(['run', '--suite', 'smoke,integration'], { cwd: dir });
    expect(run.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Gate orders: NO-GO/);
    expect(run.stdout).toMatch(/Verdict: NO-GO — gate orders: parity: /);
    expect(run.stdout).not.toMatch(/does not set this verdict/);
    const recorded = runDir(run.stdout, dir);
    const report = await runCli(['report', recorded], { cwd: dir });
    expect(report.code).toBe(0);
    expect(report.stdout).toMatch(/Verdict: NO-GO/);
    const gate = await runCli(['gate', '--phase', 'orders', '--run', recorded], { cwd: dir });
    expect(gate.code).toBe(1);
    expect(JSON.parse(readFileSync(join(recorded, 'report.json'), 'utf8')).verdict).toBe('NO-GO');
  });

  it('a gate that also needs backups is shown aside without holding back a GO; named, it judges', async () => {
    reset();
    const dir = project({ 'gates/release.ts': RELEASE_GATE });
    const run = await runCli(['run', '--suite', 'smoke,integration'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Gate release: INCONCLUSIVE/);
    expect(run.stdout).toMatch(
      /↳ not judging this run \(it also needs the backup suite, which this run was not meant to cover\)/,
    );
    expect(run.stdout).toMatch(/Verdict: GO — every gate this run is judged by is GO \(smoke, orders\)/);
    const named = await runCli(['run', '--suite', 'smoke,integration', '--gate', 'release'], { cwd: dir });
    expect(named.code).toBe(3);
    expect(named.stdout).toMatch(/Verdict: INCONCLUSIVE — gate release: backup: no evidence/);
    // A gate the user names that does not exist is named with the flag the user typed.
    const typo = await runCli(['run', '--suite', 'smoke', '--gate', '42'], { cwd: dir });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/--gate 42: no such gate/);
  });

  it("a scenario's crossed threshold is NO-GO in every gate judging its service's performance", async () => {
    reset();
    const dir = project({
      'orders.load.ts': ordersLoad({ http_req_duration: ['p(95)<0.001'], checks: ['rate>0.99'] }),
      'gates/orders-perf.ts': PERF_GATE,
    });
    const perf = await runCli(['perf', '--duration', '2s'], { cwd: dir });
    expect(perf.code).toBe(1);
    expect(perf.stdout).toMatch(
      /Gate performance: NO-GO[\s\S]*✗ FAIL +scenario-thresholds: 1 of 2 thresholds crossed on target: orders-read: http_req_duration p\(95\)<0\.001/,
    );
    const recorded = runDir(perf.stdout, dir);
    const gate = await runCli(['gate', '--phase', 'orders-perf', '--run', recorded], { cwd: dir });
    expect(gate.code).toBe(1);
    expect(gate.stdout).toMatch(/✗ FAIL +scenario-thresholds: /);
    // The orders gate reads no performance evidence: it does not judge performance, and gets no such criterion.
    const orders = await runCli(['gate', '--phase', 'orders', '--run', recorded], { cwd: dir });
    expect(orders.stdout).not.toMatch(/scenario-thresholds/);
  });

  it('`cutover perf` is GO on a healthy A/A run and NO-GO on a clear regression; --gate is accepted', async () => {
    reset();
    const dir = project({ 'gates/orders-perf.ts': PERF_GATE });
    // 3 s at 150 requests/s: about 450 per side, enough to settle a median within its 10 ms slack.
    const healthy = await runCli(['perf', '--duration', '3s'], { cwd: dir });
    expect(healthy.stdout).toMatch(
      /Verdict: GO — every gate this run is judged by is GO \(performance, orders-perf\)/,
    );
    expect(healthy.code).toBe(0);
    expect(healthy.stdout).toMatch(
      /Gate orders: INCONCLUSIVE — Orders wave\n {2}↳ not judging this run \(it also needs the smoke and integration suites/,
    );
    api.target.delayMs = 40;
    const slow = await runCli(['perf', '--duration', '2s', '--gate', 'orders-perf'], { cwd: dir });
    expect(slow.code).toBe(1);
    expect(slow.stdout).toMatch(/Gate orders-perf: NO-GO/);
    expect(slow.stdout).not.toMatch(/Gate orders:/);
  });

  it('a killed run is at best INCONCLUSIVE when read back, naming what did not finish', async () => {
    reset();
    const dir = project({
      'orders.scenario.ts': `${ORDERS_SCENARIO}
export const slow = { name: 'slow', service: 'orders-api',
  steps: [{ name: 'slow read', request: { method: 'GET', path: '/orders/slow' } }] };
`,
      'gates/health.ts': gateFile({
        id: 'health',
        phase: 3,
        title: 'Healthy',
        criteria: [
          { id: 'smoke', title: 'healthy', serves: 1, expr: 'smoke{service:orders-api}.failed == 0' },
        ],
      }),
    });
    api.baseline.slowMs = 30_000;
    api.target.slowMs = 30_000;
    let reportsDir = '';
    const killed = await runCli(['run', '--suite', 'smoke,integration'], {
      cwd: dir,
      onSpawn: (child) => {
        // Killed once the smoke suite has recorded its 12 checks (6 per side) and the integration suite
        // is waiting on the slow step (its requests time out after 10 s; the server answers after 30 s).
        const timer = setInterval(() => {
          const m = /Recording to (\S+)/.exec(stderr);
          if (m) reportsDir = join(dir, m[1]!);
          const events = reportsDir && join(reportsDir, 'events.jsonl');
          if (!events || !existsSync(events)) return;
          const smokeChecks =
            readFileSync(events, 'utf8').split('"type":"check","check":{"suite":"smoke"').length - 1;
          if (smokeChecks >= 12) {
            setTimeout(() => child.kill('SIGKILL'), 1000);
            clearInterval(timer);
          }
        }, 50);
        let stderr = '';
        child.stderr?.on('data', (d) => (stderr += d));
        child.on('close', () => clearInterval(timer));
      },
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(join(reportsDir, 'run.json'))).toBe(false);
    const report = await runCli(['report', reportsDir], { cwd: dir });
    expect(report.code).toBe(0);
    expect(report.stdout).toMatch(
      /Verdict: INCONCLUSIVE — the run is incomplete, so its evidence is too: the run ended without recording its end \(the process was killed\?\); the integration suite did not finish/,
    );
    expect(JSON.parse(readFileSync(join(reportsDir, 'report.json'), 'utf8')).verdict).toBe('INCONCLUSIVE');
    expect(readFileSync(join(reportsDir, 'report.html'), 'utf8')).toMatch(
      /the integration suite did not finish/,
    );
    const gate = await runCli(['gate', '--phase', 'health', '--run', reportsDir], { cwd: dir });
    expect(gate.code).toBe(3);
    expect(gate.stdout).toMatch(/Gate health: GO/);
    expect(gate.stdout).toMatch(
      /Verdict: INCONCLUSIVE — the run is incomplete, so its evidence is too: run \S+: the run ended without recording its end/,
    );
  });
});
