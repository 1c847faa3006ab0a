// The performance suite end to end: the real CLI against the simulator (demo healthy and with a latency
// fault), `cutover perf` against a server with a known delay, --dry-run, host refusal and safety limits.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHistogram, quantileMs } from '../../src/core/histogram.js';
import { duration, lastRun, perfMetrics } from '../helpers/perf-run.js';
import { makeSimProject, ROOT, runCli } from '../helpers/project.js';

describe('cutover perf', () => {
  let server: Server;
  let port = 0;
  let hits = 0;
  const DELAY_MS = 25;

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits++;
      if (req.url?.startsWith('/api/stall')) return; // never answers: only a request timeout ends it
      setTimeout(
        () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"healthy"}'),
        DELAY_MS,
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((r) => server.close(() => r()));
  });

  /** A project whose rentguy-api points at the test server on both sides, with one user scenario. */
  async function project(
    name: string,
    scenarioPath = '/api/equipment',
    mutate?: Parameters<typeof makeSimProject>[1],
  ) {
    const p = await makeSimProject(name, (c) => {
      c.environments.baseline!.services['rentguy-api'] = { url: `http://127.0.0.1:${port}` };
      c.environments.target!.services['rentguy-api'] = { url: `http://127.0.0.1:${port}` };
      mutate?.(c);
    });
    writeFileSync(
      join(p.dir, 'delay.ts'),
      `import { defineLoad } from 'cutover';
export default defineLoad({
  name: 'delay',
  description: 'a server with a known delay',
  service: 'rentguy-api',
  executor: { executor: 'constant-arrival-rate', rate: 100, duration: '2s', preAllocatedVUs: 10, maxVUs: 50 },
  requests: [{ weight: 1, method: 'GET', path: '${scenarioPath}', endpoint: 'GET /api/equipment', checks: { 'is 200': (r) => r.status === 200, 'says ok': (r) => (r.json() as { status?: string }).status === 'ok' } }],
  thresholds: { http_req_duration: ['p(50)>=${DELAY_MS}', 'p(95)<5000'], http_req_failed: ['rate<0.01'] },
});
`,
    );
    return p;
  }

  it('a scenario declared with the old name still loads, and the run says so', async () => {
    const p = await project('perf-old-name');
    writeFileSync(
      join(p.dir, 'old.ts'),
      readFileSync(join(p.dir, 'delay.ts'), 'utf8').replaceAll('defineLoad', 'definePerformanceScenario'),
    );
    const r = await runCli(['perf', '--scenario-file', 'old.ts', '--dry-run'], { cwd: p.dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      'performance: note: delay is declared with definePerformanceScenario, the old name of defineLoad',
    );
  });

  it('--dry-run prints the plan and sends nothing', async () => {
    const p = await project('perf-dry');
    const before = hits;
    const r = await runCli(['perf', '--scenario-file', 'delay.ts', '--dry-run'], { cwd: p.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/delay \(rentguy-api\): constant-arrival-rate, peak 100 it\/s/);
    expect(r.stdout).toContain(`→ baseline: http://127.0.0.1:${port}`);
    expect(r.stdout).toMatch(/Dry run: nothing was sent/);
    // The plan names the variables a scenario reads and whether they are set — never their values.
    const secret = await runCli(['perf', '--dry-run', '--scenario', 'keycloak-token'], {
      cwd: p.dir,
      env: { CUTOVER_OIDC_CLIENT_SECRET: 's3cr3t-value-42', CUTOVER_OIDC_CLIENT_ID: undefined },
    });
    expect(secret.stdout).toContain(
      'reads CUTOVER_OIDC_CLIENT_ID (NOT SET), CUTOVER_OIDC_CLIENT_SECRET (set)',
    );
    expect(secret.stdout + secret.stderr).not.toContain('s3cr3t-value-42');
    const builtIn = await runCli(['perf', '--dry-run', '--json'], { cwd: p.dir });
    const plan = JSON.parse(builtIn.stdout) as { scenarios: Array<{ name: string }> };
    expect(plan.scenarios.map((s) => s.name)).toEqual([
      'rentguy',
      'psra',
      'wpcs',
      'keycloak-token',
      'trading-dashboard',
    ]);
    expect(hits).toBe(before);
  });

  it('measures a known delay, evaluates thresholds, writes the series and exits by the gates', async () => {
    const p = await project('perf-delay');
    const r = await runCli(
      [
        'perf',
        '--scenario-file',
        'delay.ts',
        '--block',
        '500ms',
        '--warmup',
        '0',
        '--series',
        'series.jsonl',
        '--json',
      ],
      { cwd: p.dir, timeoutMs: 60_000 },
    );
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    const run = lastRun(p.dir);
    for (const env of ['baseline', 'target']) {
      const m = duration(run.evidence, env, 'GET /api/equipment')!;
      const h = decodeHistogram(m.histogram!);
      expect(h.totalCount).toBe(200);
      expect(quantileMs(h, 0.5)).toBeGreaterThanOrEqual(DELAY_MS);
    }
    const coverage = (
      run.evidence as unknown as Array<{
        kind: string;
        suite: string;
        environment: string;
        counts?: Record<string, number>;
      }>
    ).find((e) => e.kind === 'coverage' && e.suite === 'performance' && e.environment === 'target');
    expect(coverage?.counts).toMatchObject({ '2xx': 200, answered: 200, dropped: 0 });
    const checks = run.checks.filter((c) => c.suite === 'performance');
    expect(checks.map((c) => `${c.check} ${c.status}`)).toContain('delay: http_req_duration p(50)>=25 pass');
    const series = readFileSync(join(p.dir, 'series.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(series.reduce((n, s) => n + s.requests, 0)).toBe(400);
    expect(series[0]).toMatchObject({ scenario: 'delay' });
    expect(series[0]).not.toHaveProperty('histogram');
    expect(JSON.parse(r.stdout).verdict).toBeDefined();
    // The run record holds the same seconds, per side on the scenario's timeline, for the reports.
    for (const env of ['baseline', 'target']) {
      const s = run.series!.find((x) => x.scenario === 'delay' && x.environment === env)!;
      expect(s).toMatchObject({ suite: 'performance', service: 'rentguy-api', stepS: 1 });
      expect(s.points.reduce((n, pt) => n + pt.requests, 0)).toBe(200);
      const sent = series.filter((x) => x.environment === env);
      expect(s.points.reduce((n, pt) => n + pt.requests, 0)).toBe(sent.reduce((n, x) => n + x.requests, 0));
      // Alternating 500 ms blocks: two blocks per side make each second of the timeline.
      expect(s.points.map((pt) => pt.t)).toEqual([0, 1]);
      for (const pt of s.points.filter((x) => x.requests > 0))
        expect(pt.p50Ms).toBeGreaterThanOrEqual(DELAY_MS);
    }
    const reportDir = join(p.dir, 'reports', readdirSync(join(p.dir, 'reports')).sort().at(-1)!);
    const html = readFileSync(join(reportDir, 'report.html'), 'utf8');
    expect(html).toContain('aria-label="delay: latency per second');
    expect(html).toContain('aria-label="delay: requests per second');
    expect(html).not.toMatch(/<script/i);
    const md = readFileSync(join(reportDir, 'report.md'), 'utf8');
    expect(md).toMatch(
      /## Performance over time[\s\S]*\| delay \| baseline \|[\s\S]*## Latency by status class/,
    );
    // The server answers {"status":"healthy"}: the check for "ok" fails every time, on both sides, and
    // is named wherever the scenario's results are shown.
    for (const env of ['baseline', 'target']) {
      const said = perfMetrics(run.evidence).filter((e) => e.name === 'checks' && e.environment === env);
      expect(said.map((e) => [e.tags.check, e.passes, e.fails])).toEqual([
        ['is 200', 200, 0],
        ['says ok', 0, 200],
      ]);
    }
    expect(md).toContain('| delay | says ok | **0 / 200 (0 %)** | **0 / 200 (0 %)** |');
  }, 60_000);

  it('keeps the series of a run killed mid-load, and `cutover report` charts it', async () => {
    const p = await project('perf-killed');
    let killed = false;
    const r = await runCli(
      ['perf', '--scenario-file', 'delay.ts', '--duration', '20s', '--block', '2s', '--warmup', '0'],
      {
        cwd: p.dir,
        timeoutMs: 60_000,
        onSpawn: (child) => {
          const poll = setInterval(() => {
            const reports = join(p.dir, 'reports');
            let lines = 0;
            try {
              const run = readdirSync(reports)[0];
              if (run)
                lines = readFileSync(join(reports, run, 'events.jsonl'), 'utf8')
                  .split('\n')
                  .filter((l) => l.includes('"series-point"')).length;
            } catch {
              // not started yet
            }
            if (lines >= 4) {
              clearInterval(poll);
              killed = child.kill('SIGKILL');
            }
          }, 100);
          child.on('exit', () => clearInterval(poll));
        },
      },
    );
    expect(killed).toBe(true);
    expect(r.signal).toBe('SIGKILL');
    const reports = join(p.dir, 'reports');
    const id = readdirSync(reports)[0]!;
    expect(readdirSync(join(reports, id))).not.toContain('run.json');
    const report = await runCli(['report', id, '--json'], { cwd: p.dir });
    expect(report.code).toBe(0);
    const html = readFileSync(join(reports, id, 'report.html'), 'utf8');
    expect(html).toContain('aria-label="delay: latency per second');
    const md = readFileSync(join(reports, id, 'report.md'), 'utf8');
    expect(md).toMatch(/rebuilt from events\.jsonl/);
    expect(md).toMatch(/\| delay \| baseline \| \d+ s \|/);
  }, 90_000);

  it('--engine k6 runs the bundles with k6 and records the same evidence', async () => {
    const p = await project('perf-k6');
    const standIn = join(ROOT, 'test/fixtures/k6-standin/k6');
    const r = await runCli(
      [
        'perf',
        '--engine',
        'k6',
        '--k6',
        standIn,
        '--scenario-file',
        'delay.ts',
        '--block',
        '1s',
        '--warmup',
        '0',
        '--json',
      ],
      { cwd: p.dir, timeoutMs: 60_000 },
    );
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    const run = lastRun(p.dir);
    for (const env of ['baseline', 'target']) {
      const h = decodeHistogram(duration(run.evidence, env, 'GET /api/equipment')!.histogram!);
      // 2 s at 100/s, in two 1 s blocks per side, each a k6 run over its window.
      expect(h.totalCount).toBe(200);
      expect(quantileMs(h, 0.5)).toBeGreaterThanOrEqual(DELAY_MS);
      const failed = perfMetrics(run.evidence).find(
        (e) =>
          e.name === 'http_req_failed' && e.environment === env && e.tags.endpoint === 'GET /api/equipment',
      );
      expect(failed).toMatchObject({
        passes: 0,
        fails: 200,
        tags: { scenario: 'delay', service: 'rentguy-api' },
      });
    }
    expect(run.checks.filter((c) => c.suite === 'performance').map((c) => c.status)).not.toContain('fail');
    // The per-second series, rebuilt from the time stamps of k6's output, for the same requests.
    for (const env of ['baseline', 'target']) {
      const s = run.series?.find((x) => x.scenario === 'delay' && x.environment === env);
      expect(s?.points.reduce((n, pt) => n + pt.requests, 0)).toBe(200);
    }
  }, 60_000);

  it('--engine k6 gives up on a request after the configured timeout, as the embedded engine does', async () => {
    const p = await project('perf-k6-timeout', '/api/stall', (c) => {
      c.performance = { ...c.performance, timeoutMs: 20 };
    });
    const standIn = join(ROOT, 'test/fixtures/k6-standin/k6');
    const args = ['perf', '--engine', 'k6', '--k6', standIn, '--scenario-file', 'delay.ts'];
    const r = await runCli([...args, '--duration', '1s', '--block', '1s', '--warmup', '0', '--json'], {
      cwd: p.dir,
      timeoutMs: 60_000,
    });
    expect(r.signal, r.stderr).toBeNull();
    const run = lastRun(p.dir);
    for (const env of ['baseline', 'target']) {
      // Every request gave up after the 20 ms the config allows (the stand-in sends one at a time, so
      // k6's own 60 s would hold this run for hours) and counts as failed, as in the embedded engine.
      const failed = perfMetrics(run.evidence).find(
        (e) =>
          e.name === 'http_req_failed' && e.environment === env && e.tags.endpoint === 'GET /api/equipment',
      );
      expect(failed).toMatchObject({ passes: 100, fails: 0 });
    }
  }, 60_000);

  it('--engine k6 without k6 says so and how to install it', async () => {
    const p = await project('perf-no-k6');
    const r = await runCli(['perf', '--engine', 'k6', '--scenario-file', 'delay.ts'], {
      cwd: p.dir,
      env: { PATH: '/nonexistent' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/k6 is not installed on this machine/);
    expect(r.stderr).toMatch(/dl\.k6\.io\/deb|brew install k6/);
  });

  it('refuses a load aimed at a host the config does not name, sending nothing', async () => {
    const p = await project('perf-foreign', 'http://203.0.113.9/api/equipment');
    const before = hits;
    const r = await runCli(['perf', '--scenario-file', 'delay.ts'], { cwd: p.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to send load to http:\/\/203\.0\.113\.9/);
    expect(r.stderr).toMatch(/load goes only to hosts the config names/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(hits).toBe(before);
  });

  it('refuses a plan beyond the safety limits, and bad flags, with exit code 2', async () => {
    const p = await project('perf-limits');
    const over = await runCli(['perf', '--scenario-file', 'delay.ts', '--scale', '20', '--dry-run'], {
      cwd: p.dir,
    });
    expect(over.code).toBe(2);
    expect(over.stderr).toMatch(/breaks a safety limit/);
    expect(over.stderr).toMatch(/peak rate 2000\/s exceeds performance\.limits\.maxRate 1000\/s/);
    const bad = await runCli(['perf', '--duration', 'soon', '--dry-run'], { cwd: p.dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--duration soon: invalid duration/);
    const unknown = await runCli(['perf', '--scenario', 'nope', '--dry-run'], { cwd: p.dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /--scenario nope: unknown scenario; known: rentguy, psra, wpcs, keycloak-token, trading-dashboard/,
    );
    // A scenario file for a service the config lacks would otherwise run nothing and say nothing.
    writeFileSync(
      join(p.dir, 'stray.mjs'),
      `export default ${JSON.stringify({
        name: 'stray',
        description: 'x',
        service: 'no-such-service',
        executor: { executor: 'constant-vus', vus: 1, duration: '1s' },
        requests: [{ weight: 1, method: 'GET', path: '/' }],
      })};\n`,
    );
    const stray = await runCli(['perf', '--scenario-file', 'stray.mjs', '--dry-run'], { cwd: p.dir });
    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(
      /scenario .*stray\.mjs \(stray\) loads service "no-such-service", which cutover\.config\.\w+ does not define; its services: .*rentguy-api/,
    );
  });
});
