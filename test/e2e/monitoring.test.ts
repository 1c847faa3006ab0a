// `cutover demo` with the monitoring suite on a real Prometheus and Alertmanager per environment: a healthy
// demo passes every monitoring check and phase 2's gate is GO on it; one demo with every monitoring fault on
// the target fails each fault's check naming its cause; without the servers' binaries the demo says so and
// the monitoring criterion is INCONCLUSIVE, never a pass of the simulator's stand-ins.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/core/model.js';
import { makeSimProject, runCli } from '../helpers/project.js';

function runChecks(dir: string): { id: string; checks: CheckResult[] } {
  const [id] = readdirSync(join(dir, 'reports')).filter((d) => /^\d{8}-/.test(d));
  const checks = readFileSync(join(dir, 'reports', id!, 'events.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { type: string; check?: CheckResult })
    .flatMap((e) => (e.type === 'check' && e.check?.suite === 'monitoring' ? [e.check] : []));
  return { id: id!, checks };
}

const failed = (checks: readonly CheckResult[]) =>
  checks
    .filter((c) => c.status !== 'pass')
    .map((c) => `${c.environment}/${c.service} ${c.check}: ${c.reason}`);

describe('cutover demo: monitoring', () => {
  it('passes every monitoring check on a healthy demo, and phase 2 is GO on it', async () => {
    const p = await makeSimProject('demo-monitoring-go');
    const started = performance.now();
    // Phase 2's suites without the load comparison (a warning there, and timing-sensitive on a busy
    // machine): what decides it here is the monitoring evidence.
    const r = await runCli(['--config', p.configFile, 'demo', '--suite', 'smoke,security,monitoring'], {
      cwd: p.dir,
    });
    const seconds = (performance.now() - started) / 1000;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const { id, checks } = runChecks(p.dir);
    expect(failed(checks)).toEqual([]);
    // Prometheus, Alertmanager and the alert path on both sides, each service's target and logs, parity.
    for (const check of ['target-up', 'rules-select-series', 'alert-fires', 'alert-resolves', 'recent-logs'])
      expect(checks.filter((c) => c.check === check && c.environment === 'target').length).toBeGreaterThan(0);
    expect(
      checks
        .filter((c) => c.check.endsWith('-parity'))
        .map((c) => c.check)
        .sort(),
    ).toEqual(['dashboards-parity', 'jobs-parity', 'rules-parity']);
    expect(seconds).toBeLessThan(60);

    const gate = await runCli(['--config', p.configFile, 'gate', '--phase', '2', '--run', id], {
      cwd: p.dir,
    });
    expect(gate.code, gate.stdout).toBe(0);
    expect(gate.stdout).toMatch(/Gate 2: GO/);
  }, 150_000);

  it('fails the check of each monitoring fault, naming its cause', async () => {
    const p = await makeSimProject('demo-monitoring-faults');
    const r = await runCli(
      [
        '--config',
        p.configFile,
        'demo',
        '--suite',
        'monitoring',
        '--fault',
        'target:prometheus:target-down=rentguy-api',
        '--fault',
        'target:prometheus:rule-broken',
        '--fault',
        'target:prometheus:rule-selects-nothing',
        '--fault',
        'target:alertmanager:receiver-down',
        '--fault',
        'target:loki:no-logs=psra-api',
      ],
      { cwd: p.dir },
    );
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const { checks } = runChecks(p.dir);
    const problems = failed(checks);
    // Nothing on the baseline: the faults were aimed at the target only.
    expect(problems.filter((x) => x.startsWith('baseline/'))).toEqual([]);
    const has = (prefix: string, text: RegExp) =>
      expect(
        problems.find((x) => x.startsWith(prefix)),
        problems.join('\n'),
      ).toMatch(text);
    has('target/rentguy-api target-up', /target\(s\) with \{job="rentguy-api"\} down: .*connection refused/);
    has('target/prometheus targets-down', /job rentguy-api/);
    has('target/prometheus rules-healthy', /job:up:broken .*many-to-many matching not allowed/);
    has(
      'target/prometheus rules-select-series',
      /RequestsStopped .*selects no series with `http_request_totl`/,
    );
    has('target/alertmanager alert-fires', /routed to receiver\(s\) "webhook", which did not deliver it/);
    has('target/psra-api recent-logs', /no log line of psra-api in Loki/);
    // The verdict names them too.
    expect(r.stdout).toMatch(/Verdict: NO-GO .*rentguy-api target-up/);
    expect(problems).toHaveLength(7);
  }, 150_000);

  it('says so when Prometheus is not installed, and the monitoring criterion is INCONCLUSIVE', async () => {
    const p = await makeSimProject('demo-monitoring-missing');
    const r = await runCli(['--config', p.configFile, 'demo', '--suite', 'smoke,monitoring'], {
      cwd: p.dir,
      env: { PATH: '/nonexistent' },
    });
    expect(r.stderr).toMatch(/prometheus and prometheus-alertmanager not installed .*scripts\/setup\.sh/);
    expect(r.stdout).toMatch(/infra\.monitoring|monitoring/);
    const { checks } = runChecks(p.dir);
    // Every Prometheus and Alertmanager check, and each service's target, is not checked: no stand-in passes.
    const served = checks.filter(
      (c) =>
        c.check !== 'recent-logs' &&
        !['grafana', 'loki'].includes(c.service) &&
        !c.check.startsWith('dashboards'),
    );
    expect(served.length).toBeGreaterThan(20);
    expect(served.filter((c) => c.status !== 'skip')).toEqual([]);
    expect(checks.find((c) => c.check === 'prometheus-ready')?.reason).toMatch(/not installed/);
    const report = readFileSync(join(p.dir, 'reports', runChecks(p.dir).id, 'report.md'), 'utf8');
    expect(report).toMatch(/infra\.monitoring\*\* INCONCLUSIVE.*prometheus coverage is could-not-check/);
  }, 150_000);
});
