// Parity against an API like Prometheus 2.42's /api/v1/targets, through the real CLI, with a project
// folder of the user's own outside the repository: targets listed in a random order on every answer,
// fresh lastScrape times, a lastScrapeDuration that moves once per scrape cycle, and a label holding
// the baseline's own host:port on both sides. A healthy pair must be GO run after run; one target's
// scrapeTimeout of 4s against 5s must be NO-GO every time, named by its path.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ParityEvidence } from '../../src/core/evidence.js';
import { runCli } from '../helpers/project.js';

interface Imitation {
  /** Length of a scrape cycle: lastScrapeDuration and evaluationTime move once per cycle. */
  cycleMs: number;
  /** scrapeTimeout of target i. */
  timeout?: (i: number) => string;
}

const servers: Server[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((done) => s.close(done));
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function shuffled<T>(xs: readonly T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** A Prometheus look-alike on a loopback port; `federated` is the address both servers also scrape. */
async function prometheus(
  options: Imitation,
  federated: () => string,
): Promise<{ url: string; host: string }> {
  // Each server has its own phase and its own durations, as two real ones do.
  const phase = Math.random() * options.cycleMs;
  const seed = Math.random();
  const cycle = () => Math.floor((Date.now() + phase) / options.cycleMs);
  const duration = (i: number) =>
    Math.round((0.002 + ((seed * 7919 + cycle() * 104729 + i * 31) % 97) / 10_000) * 1e6) / 1e6;
  const server = createServer((req, res) => {
    const send = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const fresh = () => new Date(Date.now() - Math.floor(Math.random() * 900)).toISOString();
    if (req.url === '/api/v1/targets') {
      const addresses = [...[0, 1, 2, 3, 4].map((i) => `node-${i}.internal:9100`), federated()];
      return send({
        status: 'success',
        data: {
          activeTargets: shuffled(addresses.map((address, i) => ({ address, i }))).map(({ address, i }) => ({
            discoveredLabels: { __address__: address, __scheme__: 'http', job: i < 5 ? 'node' : 'federate' },
            labels: { instance: address, job: i < 5 ? 'node' : 'federate' },
            scrapePool: i < 5 ? 'node' : 'federate',
            scrapeUrl: `http://${address}/metrics`,
            globalUrl: `http://${address}/metrics`,
            lastError: '',
            lastScrape: fresh(),
            lastScrapeDuration: duration(i),
            health: 'up',
            scrapeInterval: '1s',
            scrapeTimeout: options.timeout?.(i) ?? '5s',
          })),
          droppedTargets: [],
        },
      });
    }
    if (req.url === '/api/v1/rules') {
      return send({
        status: 'success',
        data: {
          groups: [
            {
              name: 'node',
              file: '/etc/prometheus/rules.yml',
              rules: [
                {
                  name: 'InstanceDown',
                  query: 'up == 0',
                  duration: 60,
                  labels: { severity: 'page' },
                  annotations: {},
                  alerts: [],
                  health: 'ok',
                  evaluationTime: duration(9),
                  lastEvaluation: fresh(),
                  type: 'alerting',
                },
              ],
              interval: 1,
              limit: 0,
              evaluationTime: duration(10),
              lastEvaluation: fresh(),
            },
          ],
        },
      });
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"status":"error","errorType":"not_found"}');
  });
  servers.push(server);
  const port = await new Promise<number>((done) =>
    server.listen(0, '127.0.0.1', () => done((server.address() as { port: number }).port)),
  );
  return { url: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}` };
}

/** Two servers and a project folder (under the system's temporary folder) comparing them. */
async function project(baseline: Imitation, target: Imitation): Promise<string> {
  let baselineHost = '';
  const a = await prometheus(baseline, () => baselineHost);
  baselineHost = a.host;
  const t = await prometheus(target, () => baselineHost);
  const dir = mkdtempSync(join(tmpdir(), 'cutover-prometheus-'));
  dirs.push(dir);
  const env = (kind: 'compose' | 'kubernetes', url: string) =>
    kind === 'compose'
      ? { kind, composeFile: './docker-compose.yml', services: { prometheus: { url } } }
      : { kind, context: 'monitoring', namespaces: ['monitoring'], services: { prometheus: { url } } };
  writeFileSync(
    join(dir, 'cutover.config.mjs'),
    `export default ${JSON.stringify({
      project: 'monitoring',
      environments: { baseline: env('compose', a.url), target: env('kubernetes', t.url) },
      services: { prometheus: { tier: 'monitoring', phase: 2, health: { path: '/-/healthy' } } },
      integration: { scenarios: ['./prometheus.scenario.mjs'] },
    })};\n`,
  );
  // The project's own gate: the Prometheus API answers the same on the target.
  mkdirSync(join(dir, 'gates'));
  writeFileSync(
    join(dir, 'gates', 'prometheus.gate.mjs'),
    `export default ${JSON.stringify({
      id: 'prometheus',
      phase: 2,
      title: 'Prometheus API as on the baseline',
      criteria: [
        { id: 'parity', title: 'answers equal', serves: 3, expr: 'parity{service:prometheus}.ratio == 1' },
        { id: 'integration', title: 'every step answered', serves: 3, expr: 'integration.failed == 0' },
      ],
    })};\n`,
  );
  // As a user writes it, without telling cutover that the lists are unordered.
  writeFileSync(
    join(dir, 'prometheus.scenario.mjs'),
    `export default {
  name: 'prometheus-api',
  service: 'prometheus',
  steps: [
    { name: 'targets', request: { method: 'GET', path: '/api/v1/targets' } },
    { name: 'rules', request: { method: 'GET', path: '/api/v1/rules' } },
  ],
};
`,
  );
  return dir;
}

interface Outcome {
  code: number | null;
  verdict: string;
  differences: Array<ParityEvidence['differences'][number] & { step: string }>;
  noise: string[];
  reportDir: string;
}

async function run(dir: string, extra: string[] = []): Promise<Outcome> {
  const r = await runCli(['run', '--suite', 'integration', '--gate', 'prometheus', '--json', ...extra], {
    cwd: dir,
    timeoutMs: 60_000,
  });
  if (!r.stdout.trim()) throw new Error(`run printed nothing (exit ${r.code}): ${r.stderr}`);
  const summary = JSON.parse(r.stdout) as { verdict: string; reportDir: string };
  const record = JSON.parse(readFileSync(join(dir, summary.reportDir, 'run.json'), 'utf8')) as {
    evidence: Array<{ kind: string } & Partial<ParityEvidence>>;
  };
  const parity = record.evidence.filter((e) => e.kind === 'parity') as ParityEvidence[];
  expect(parity.map((p) => [p.step, p.compared])).toEqual([
    ['targets', 1],
    ['rules', 1],
  ]);
  return {
    code: r.code,
    verdict: summary.verdict,
    differences: parity.flatMap((p) => p.differences.map((d) => ({ ...d, step: p.step }))),
    noise: parity.flatMap((p) => p.noise),
    reportDir: summary.reportDir,
  };
}

describe('parity against a Prometheus-like API (random order, values that move per scrape cycle)', () => {
  it('is GO for a healthy pair, run after run', async () => {
    const dir = await project({ cycleMs: 1000 }, { cycleMs: 1000 });
    for (let n = 0; n < 3; n++) {
      const out = await run(dir);
      expect(out.differences).toEqual([]);
      expect({ code: out.code, verdict: out.verdict }).toEqual({ code: 0, verdict: 'GO' });
      // Learned per leaf, and the list's order as such: nothing was dropped as a subtree.
      expect(out.noise).toEqual(
        expect.arrayContaining([
          'data.activeTargets',
          'data.activeTargets[*].lastScrapeDuration',
          'data.groups[*].evaluationTime',
          'data.groups[*].rules[*].evaluationTime',
        ]),
      );
    }
  }, 90_000);

  it('is NO-GO on every run for one target whose scrapeTimeout is 4s against 5s, naming the path', async () => {
    const dir = await project({ cycleMs: 1000 }, { cycleMs: 1000, timeout: (i) => (i === 3 ? '4s' : '5s') });
    for (let n = 0; n < 10; n++) {
      const out = await run(dir);
      expect(out.differences).toEqual([
        {
          step: 'targets',
          path: expect.stringMatching(/^data\.activeTargets\[\d\]\.scrapeTimeout$/),
          kind: 'value',
          baseline: '5s',
          target: '4s',
        },
      ]);
      expect({ code: out.code, verdict: out.verdict }).toEqual({ code: 1, verdict: 'NO-GO' });
      const report = readFileSync(join(dir, out.reportDir, 'report.md'), 'utf8');
      expect(report).toMatch(/\| `data\.activeTargets\[\d\]\.scrapeTimeout` \| value \| "5s" \| "4s" \|/);
    }
  }, 180_000);

  it('carries what an A/A run learned in a recorded baseline to later runs', async () => {
    // A scrape cycle far longer than the run: the baseline's reads all agree, the two servers do not.
    const dir = await project({ cycleMs: 3_600_000 }, { cycleMs: 3_600_000 });
    const first = await run(dir);
    expect(first.code).toBe(1);
    expect(first.differences.map((d) => d.path)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^data\.activeTargets\[\d\]\.lastScrapeDuration$/),
        'data.groups[0].rules[0].evaluationTime',
        'data.groups[0].evaluationTime',
      ]),
    );
    const recorded = await runCli(
      ['baseline', 'record', first.reportDir, '--name', 'prometheus-aa', '--aa'],
      {
        cwd: dir,
      },
    );
    expect(recorded.code).toBe(0);
    expect(recorded.stdout).toMatch(/noise: \d+ paths in 2 steps/);
    const baseline = JSON.parse(readFileSync(join(dir, 'baselines/prometheus-aa.json'), 'utf8')) as {
      noise: Array<{ step: string; paths: string[] }>;
    };
    expect(baseline.noise.find((n) => n.step === 'targets')?.paths).toContain(
      'data.activeTargets[*].lastScrapeDuration',
    );
    const later = await run(dir, ['--noise-from', 'prometheus-aa']);
    expect(later.differences).toEqual([]);
    expect({ code: later.code, verdict: later.verdict }).toEqual({ code: 0, verdict: 'GO' });
    expect(later.noise).toEqual(expect.arrayContaining(['data.activeTargets[*].lastScrapeDuration']));
    // Without the recorded baseline the same pair still shows the differences: nothing else changed.
    expect((await run(dir)).code).toBe(1);
    // Recording the baseline again keeps what it learned before (the first run, recorded without --aa,
    // did not learn the durations: they are what is kept); an unreadable one is not overwritten.
    const again = await runCli(['baseline', 'record', first.reportDir, '--name', 'prometheus-aa'], {
      cwd: dir,
    });
    expect(again.stdout).toMatch(/\(\d+ kept from the earlier prometheus-aa\)/);
    expect(readFileSync(join(dir, 'baselines/prometheus-aa.json'), 'utf8')).toContain(
      'data.activeTargets[*].lastScrapeDuration',
    );
    writeFileSync(join(dir, 'baselines/prometheus-aa.json'), '{"schema": "cutover.baseline/v1"}');
    const broken = await runCli(['baseline', 'record', later.reportDir, '--name', 'prometheus-aa'], {
      cwd: dir,
    });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/its learned noise cannot be kept[\s\S]*--forget-noise/);
    const afresh = ['baseline', 'record', later.reportDir, '--name', 'prometheus-aa', '--forget-noise'];
    expect((await runCli(afresh, { cwd: dir })).code).toBe(0);
    const missing = await runCli(['run', '--suite', 'integration', '--noise-from', 'nightly'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no baseline "nightly"; recorded: prometheus-aa/);
  }, 120_000);
});
