// End to end: the real CLI (bin/cutover.js, built) against the real simulator on loopback, each test on
// its own free ports.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../sim/index.js';
import { simListeners } from '../../src/engine/sim-listeners.js';
import { type CliResult, freePort, makeSimProject, runCli } from '../helpers/project.js';

const noStack = (r: CliResult) => expect(r.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
const runDirs = (dir: string) => readdirSync(join(dir, 'reports')).filter((n) => n !== 'README.md');

/** Runs the CLI and sends `signal` once the run has started recording. */
function runThenSignal(args: string[], cwd: string, signal: NodeJS.Signals) {
  return runCli(args, {
    cwd,
    onSpawn: (child) => {
      child.stderr?.on('data', (d: Buffer) => {
        if (d.toString().includes('Recording to')) setTimeout(() => child.kill(signal), 1200);
      });
    },
  });
}

describe('cutover demo', () => {
  it('says NO-GO when a target service is down, naming it, with exit code 1', async () => {
    const p = await makeSimProject('demo-down');
    const r = await runCli(
      ['--config', p.configFile, 'demo', '--suite', 'smoke', '--fault', 'target:rentguy-api:down'],
      {
        cwd: p.dir,
      },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Verdict: NO-GO/);
    expect(r.stdout).toMatch(/smoke\.rentguy-api: target reachable: connection refused/);
  });

  it('--json prints exactly one JSON object with the verdict, report folder and criteria', async () => {
    const p = await makeSimProject('demo-json');
    const r = await runCli(
      [
        '--config',
        p.configFile,
        'demo',
        '--suite',
        'smoke',
        '--json',
        '--fault',
        'target:keycloak:errors=100%',
      ],
      { cwd: p.dir },
    );
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(out.verdict).toBe('NO-GO');
    expect(out.reportDir).toMatch(/^reports\//);
    const keycloak = out.criteria.find((c: { id: string }) => c.id === 'smoke.keycloak');
    expect(keycloak).toMatchObject({ status: 'FAIL' });
    expect(keycloak.reason).toMatch(/HTTP 500/);
    for (const c of out.criteria)
      expect(Object.keys(c)).toEqual(expect.arrayContaining(['id', 'status', 'reason']));
    expect(out.gates.find((g: { id: string }) => g.id === 'smoke')).toMatchObject({ verdict: 'NO-GO' });
  });

  it('rejects a bad fault flag before starting anything', async () => {
    const p = await makeSimProject('demo-badfault');
    const r = await runCli(
      [
        '--config',
        p.configFile,
        'demo',
        '--fault',
        'target:nope:down',
        '--fault',
        'target:psra-api:explode',
        '--fault',
        'target:psra-api:latency=+3000000000ms',
      ],
      { cwd: p.dir },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown service "nope"');
    expect(r.stderr).toContain('unknown fault "explode"');
    expect(r.stderr).toContain('latency "+3000000000ms": at most 10 min (600000 ms)');
    noStack(r);
  });

  it('refuses a page fault aimed at a service without pages, naming the ones that have them', async () => {
    const p = await makeSimProject('demo-pagefault');
    const r = await runCli(['--config', p.configFile, 'demo', '--fault', 'target:rentguy-api:layout-shift'], {
      cwd: p.dir,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      '--fault "target:rentguy-api:layout-shift": rentguy-api serves no pages in the simulator',
    );
    expect(r.stderr).toContain('page faults apply to rentguy-frontend, psra-frontend, wpcs-frontend');
    noStack(r);
  });
});

describe('cutover run', () => {
  it('names the flag a gate was asked for with: --gate, not --phase', async () => {
    const p = await makeSimProject('run-badgate');
    const r = await runCli(['--config', p.configFile, 'run', '--gate', '42'], { cwd: p.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--gate 42: no such gate; known: smoke, performance, 1, 2, 3-rentguy');
    expect(r.stderr).not.toContain('--phase');
    noStack(r);
  });

  it('is INCONCLUSIVE (exit 3) when the baseline cannot be reached at all', async () => {
    const p = await makeSimProject('run-nobaseline');
    const sim = await startSimulator({ listeners: simListeners(p.config, ['target']) });
    try {
      const r = await runCli(['--config', p.configFile, 'run'], { cwd: p.dir });
      expect(r.code).toBe(3);
      expect(r.stdout).toMatch(/smoke\.baseline-reachable: baseline could not be reached/);
      expect(r.stdout).toMatch(/Verdict: INCONCLUSIVE/);
    } finally {
      await sim.stop();
    }
  });

  it('runs only the environments and services asked for', async () => {
    const p = await makeSimProject('run-select');
    const sim = await startSimulator({ listeners: simListeners(p.config, ['baseline']) });
    try {
      const r = await runCli(
        ['--config', p.configFile, 'run', '--json', '--env', 'baseline', '--service', 'openbao,traefik'],
        { cwd: p.dir },
      );
      const out = JSON.parse(r.stdout);
      // 6 smoke checks per service, the 2 steps of the built-in openbao-status integration scenario,
      // the security suite's http-security check on the baseline (traefik is the public one), and the
      // monitoring suite's 17: 7 of Prometheus, a target per service, Alertmanager's 3 with the alert
      // path, Grafana's 2, Loki's readiness and a recent log line per service.
      expect(out.checks.total).toBe(32);
      expect(out.checks.failed).toBe(0);
      // Without a target there is no parity to judge.
      expect(out.verdict).toBe('INCONCLUSIVE');
      expect(r.code).toBe(3);
    } finally {
      await sim.stop();
    }
  });

  it('Ctrl-C closes the record as interrupted (exit 130), and it can be reported', async () => {
    const p = await makeSimProject('run-sigint', (c) => {
      c.smoke = { timeoutMs: 20_000 };
    });
    const r = await runThenSignal(
      ['--config', p.configFile, 'demo', '--suite', 'smoke', '--fault', 'target:rentguy-api:stall=30s@0s'],
      p.dir,
      'SIGINT',
    );
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/SIGINT: stopping/);
    const [id] = runDirs(p.dir);
    const record = JSON.parse(readFileSync(join(p.dir, 'reports', id!, 'run.json'), 'utf8'));
    expect(record.status).toBe('interrupted');
    expect(record.verdict).not.toBe('GO');
    const rep = await runCli(['--config', p.configFile, 'report', id!], { cwd: p.dir });
    expect(rep.code).toBe(0);
    expect(rep.stdout).toMatch(
      /Verdict: INCONCLUSIVE — the run is incomplete, so its evidence is too: the run was interrupted/,
    );
  });

  it('a killed run leaves events.jsonl, from which report rebuilds the run', async () => {
    const p = await makeSimProject('run-sigkill', (c) => {
      c.smoke = { timeoutMs: 20_000 };
    });
    const r = await runThenSignal(
      ['--config', p.configFile, 'demo', '--suite', 'smoke', '--fault', 'target:rentguy-api:stall=30s@0s'],
      p.dir,
      'SIGKILL',
    );
    expect(r.signal).toBe('SIGKILL');
    const [id] = runDirs(p.dir);
    const dir = join(p.dir, 'reports', id!);
    expect(readdirSync(dir)).toEqual(['events.jsonl']);
    const rep = await runCli(['report', dir, '--json'], { cwd: p.dir });
    expect(rep.code).toBe(0);
    const out = JSON.parse(rep.stdout);
    expect(out.status).toBe('interrupted');
    expect(out.checks.total).toBeGreaterThan(0);
    expect(out.verdict).not.toBe('GO');
    expect(out.criteria.find((c: { id: string }) => c.id === 'smoke.rentguy-api').reason).toMatch(
      /no evidence/,
    );
  });
});

describe('bad input', () => {
  it('an invalid config lists every problem with its path and exits 2 without a stack', async () => {
    const p = await makeSimProject('bad-config', (c) => {
      c.environments.target!.services['rentguy-api']!.url = 'foo';
      (c.services['psra-api'] as Record<string, unknown>).phase = 'three';
    });
    const r = await runCli(['--config', p.configFile, 'run'], { cwd: p.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'environments.target.services.rentguy-api.url: expected an http(s) URL, got "foo"',
    );
    expect(r.stderr).toContain('services.psra-api.phase: expected number, got "three"');
    noStack(r);
  });

  it('a config whose top-level await never ends stops with a failure, not a silent exit 0', async () => {
    // Node leaves a process whose only work is a promise nothing can settle with code 0 and no output,
    // which a pipeline reads as GO.
    const dir = mkdtempSync(join(tmpdir(), 'cutover-stalled-'));
    writeFileSync(join(dir, 'cutover.config.mjs'), 'await new Promise(() => {});\nexport default {};\n');
    const r = await runCli(['--config', 'cutover.config.mjs', 'gate', '--phase', '1'], { cwd: dir });
    expect(r.code).toBe(70);
    expect(r.stderr).toContain('the command stopped before it finished');
    expect(r.stderr).toContain('no verdict was reached');
    noStack(r);
  });

  it('unknown flags, commands and environments exit 2', async () => {
    const p = await makeSimProject('bad-flags');
    for (const args of [
      ['run', '--bogus'],
      ['frobnicate'],
      ['run', '--env', 'prod'],
      ['run', '--suite', 'nope'],
      [],
    ]) {
      const r = await runCli(['--config', p.configFile, ...args], { cwd: p.dir });
      expect(r.code, args.join(' ')).toBe(2);
      noStack(r);
    }
  });

  it('a corrupt run.json is a clear message and exit 2', async () => {
    const p = await makeSimProject('bad-runjson');
    await runCli(['--config', p.configFile, 'demo', '--suite', 'smoke', '--json'], { cwd: p.dir });
    const [id] = runDirs(p.dir);
    writeFileSync(join(p.dir, 'reports', id!, 'run.json'), '{"schema":"cutover.run/v1","checks":[');
    const r = await runCli(['--config', p.configFile, 'report', id!], { cwd: p.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/run\.json is not valid JSON/);
    noStack(r);
    const missing = await runCli(['--config', p.configFile, 'report', 'no-such-run'], { cwd: p.dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no run "no-such-run"/);
  });

  it('a config that points the simulator off loopback is refused', async () => {
    const p = await makeSimProject('bad-sim-host', (c) => {
      c.environments.baseline!.services.openbao!.url = 'http://10.1.2.3:8200';
    });
    const r = await runCli(['--config', p.configFile, 'demo'], { cwd: p.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /environments\.baseline\.services\.openbao\.url: http:\/\/10\.1\.2\.3:8200 is not a loopback address/,
    );
  });
});

describe('a config of a new project', () => {
  it('imports defineConfig from "cutover" even outside this package', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-user-'));
    writeFileSync(
      join(dir, 'cutover.config.ts'),
      [
        "import { defineConfig } from 'cutover';",
        'export default defineConfig({',
        "  project: 'trial',",
        '  environments: {',
        "    baseline: { kind: 'compose', composeFile: './docker-compose.yml', services: { web: { url: 'http://127.0.0.1:9' } } },",
        "    target: { kind: 'kubernetes', context: 'kind', namespaces: ['default'], services: { web: { url: 'http://127.0.0.1:9' } } },",
        '  },',
        "  services: { web: { tier: 'application', phase: 3, health: { path: '/' } } },",
        '});',
      ].join('\n'),
    );
    const r = await runCli(['doctor', '--json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).config).toBe(join(dir, 'cutover.config.ts'));
  });
});

describe('cutover doctor', () => {
  it('reports Node and the tools, and which endpoints answer', async () => {
    const p = await makeSimProject('doctor');
    const r = await runCli(['--config', p.configFile, 'doctor', '--json'], { cwd: p.dir });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.node.supported).toBe(true);
    // Only the tools Cutover itself runs (k6 for --engine k6, Prometheus and Alertmanager for the demo's
    // monitoring suite), not those its own tests use.
    expect(out.tools.map((t: { name: string }) => t.name)).toEqual([
      'k6',
      'prometheus',
      'prometheus-alertmanager',
      'chromium',
    ]);
    expect(out.tools.find((t: { name: string }) => t.name === 'prometheus')).toMatchObject({
      found: true,
      version: expect.stringMatching(/^prometheus, version 2\./),
    });
    expect(out.endpoints).toHaveLength(36);
    expect(out.endpoints.every((e: { answered: boolean }) => !e.answered)).toBe(true);
  });

  it('keeps its columns apart, and calls an answer over the size limit too large, not silent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-doctor-'));
    const port = await freePort();
    const server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(req.url === '/big' ? JSON.stringify({ pad: 'x'.repeat(5000) }) : '{"status":"ok"}');
    });
    await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
    const silentPort = await freePort();
    const url = `http://127.0.0.1:${port}`;
    writeFileSync(
      join(dir, 'cutover.config.mjs'),
      `export default ${JSON.stringify({
        project: 'doctor',
        environments: {
          baseline: {
            kind: 'compose',
            composeFile: './docker-compose.yml',
            services: { big: { url }, small: { url }, gone: { url: `http://127.0.0.1:${silentPort}` } },
          },
          target: {
            kind: 'kubernetes',
            context: 'kind',
            namespaces: ['default'],
            services: { big: { url }, small: { url }, gone: { url } },
          },
        },
        services: {
          big: { tier: 'application', phase: 3, health: { path: '/big' } },
          small: { tier: 'application', phase: 3, health: { path: '/' } },
          gone: { tier: 'application', phase: 3, health: { path: '/' } },
        },
        smoke: { maxBodyBytes: 1024 },
      })};\n`,
    );
    try {
      const r = await runCli(['doctor', '--env', 'baseline'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stdout.split('\n');
      // Every tool line: the name, at least two spaces, its mark, at least two spaces, the detail.
      for (const name of ['Node.js', 'k6', 'prometheus', 'prometheus-alertmanager'])
        expect(lines.find((l) => l.startsWith(name)) ?? name, r.stdout + r.stderr).toMatch(
          new RegExp(`^${name.replace('.', '\\.')} {2,}(ok|missing) {2,}\\S`),
        );
      expect(lines.find((l) => l.includes('baseline/big'))).toMatch(
        /^ {2}too large {2,}baseline\/big {2,}http:\/\/127\.0\.0\.1:\d+: HTTP 200, a body over the 1024-byte limit \(smoke\.maxBodyBytes\)$/,
      );
      expect(lines.find((l) => l.includes('baseline/small'))).toMatch(
        /^ {2}answers {2,}baseline\/small {2,}/,
      );
      expect(lines.find((l) => l.includes('baseline/gone'))).toMatch(/^ {2}silent {2,}baseline\/gone {2,}/);
      expect(r.stdout).toContain(
        '1 of 3 endpoints answer; 1 answer with a body over smoke.maxBodyBytes; 1 silent',
      );
      const json = JSON.parse((await runCli(['doctor', '--json', '--env', 'baseline'], { cwd: dir })).stdout);
      const big = json.endpoints.find((e: { service: string }) => e.service === 'big');
      expect(big).toMatchObject({ answered: false, state: 'too-large', status: 200 });
    } finally {
      server.close();
    }
  });
});
