// --engine k6-operator against the stand-in Kubernetes API server (sim/kube) with the simulated
// k6-operator controller: ConfigMap + TestRun through @kubernetes/client-node, runners as Jobs and
// pods whose logs carry k6's JSON lines (written by the k6 stand-in), merged exactly; a TestRun that
// finishes with failed runners is not taken as passed.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureNamespace, type RunningKubeSim, startKubeSim, writeKubeconfig } from '../../sim/kube/index.js';
import { executionSegments, installK6OperatorSim } from '../../sim/kube/k6-operator.js';
import { decodeHistogram, quantileMs } from '../../src/core/histogram.js';
import { makeSimProject, ROOT, runCli } from '../helpers/project.js';
import { testRunProblems } from '../helpers/testrun-schema.js';

const STAND_IN = join(ROOT, 'test/fixtures/k6-standin/k6');
/** Stands for the target's internal CA: what matters is that the runners are handed this text. */
const CA_PEM = '-----BEGIN CERTIFICATE-----\nTUlJQ0F0ZXN0\n-----END CERTIFICATE-----\n';
const DELAY_MS = 20;
let server: Server;
let port = 0;

beforeAll(async () => {
  server = createServer((_req, res) => {
    setTimeout(
      () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[]}'),
      DELAY_MS,
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function setup(name: string, k6: string, withCa = false, url = `http://127.0.0.1:${port}`) {
  const kube = await startKubeSim({
    host: '127.0.0.1',
    port: 0,
    setup: (c) => installK6OperatorSim(c, { k6 }),
  });
  ensureNamespace(kube.cluster, 'loadtest');
  const p = await makeSimProject(name, (c) => {
    c.environments.baseline!.services['rentguy-api'] = { url };
    c.environments.target!.services['rentguy-api'] = { url };
    const target = c.environments.target as { kubeconfig?: string; context: string };
    target.kubeconfig = 'kubeconfig.yaml';
    c.performance = { operator: { namespace: 'loadtest' } };
    if (withCa) (c.environments.target as { tls?: { caFile: string } }).tls = { caFile: 'internal-ca.pem' };
  });
  if (withCa) writeFileSync(join(p.dir, 'internal-ca.pem'), CA_PEM);
  writeKubeconfig(join(p.dir, 'kubeconfig.yaml'), {
    server: kube.url,
    context:
      p.config.environments.target!.kind === 'kubernetes' ? p.config.environments.target!.context : 'x',
  });
  writeFileSync(
    join(p.dir, 'delay.ts'),
    `import { defineLoad } from 'cutover';
export default defineLoad({
  name: 'delay', description: 'known delay', service: 'rentguy-api',
  executor: { executor: 'constant-arrival-rate', rate: 30, duration: '2s', preAllocatedVUs: 5, maxVUs: 20 },
  requests: [{ weight: 1, method: 'GET', path: '/api/equipment', checks: { 'is 200': (r) => r.status === 200 } }],
});
`,
  );
  return { kube, project: p };
}

function lastRun(dir: string) {
  const reports = join(dir, 'reports');
  return JSON.parse(readFileSync(join(reports, readdirSync(reports).sort().at(-1)!, 'run.json'), 'utf8'));
}

describe('execution segments', () => {
  it('writes the runner arguments the operator writes', () => {
    const s = executionSegments(3);
    expect(s.sequence).toBe('0,1/3,2/3,1');
    expect([1, 2, 3].map(s.segment)).toEqual(['0:1/3', '1/3:2/3', '2/3:1']);
  });
});

describe('cutover perf --engine k6-operator', () => {
  let kube: RunningKubeSim | undefined;
  afterAll(async () => kube?.stop());

  it('runs TestRuns with N runners and merges their distributions exactly', async () => {
    const s = await setup('perf-operator', STAND_IN);
    kube = s.kube;
    const r = await runCli(
      ['perf', '--engine', 'k6-operator', '--parallelism', '3', '--scenario-file', 'delay.ts', '--json'],
      {
        cwd: s.project.dir,
        timeoutMs: 90_000,
      },
    );
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    const run = lastRun(s.project.dir);
    for (const env of ['baseline', 'target']) {
      const m = run.evidence.find(
        (e: { name: string; environment: string; tags: Record<string, string> }) =>
          e.name === 'http_req_duration' && e.environment === env && e.tags.endpoint === 'GET /api/equipment',
      );
      const h = decodeHistogram(m.histogram);
      // 60 iterations split over 3 runners (20 each), merged back into one distribution.
      expect(h.totalCount).toBe(60);
      expect(quantileMs(h, 0.5)).toBeGreaterThanOrEqual(DELAY_MS);
      // The per-second series holds every runner's requests, merged by time stamp.
      const series = run.series?.find(
        (x: { scenario: string; environment: string }) => x.scenario === 'delay' && x.environment === env,
      );
      expect(series.points.reduce((n: number, p: { requests: number }) => n + p.requests, 0)).toBe(60);
    }
    // Cleaned up afterwards: TestRuns (and with them their Jobs and pods), ConfigMaps.
    expect(s.kube.cluster.list('TestRun', 'loadtest')).toEqual([]);
    expect(s.kube.cluster.list('Job', 'loadtest')).toEqual([]);
    expect(
      s.kube.cluster.list('ConfigMap', 'loadtest').filter((c) => c.metadata.name.startsWith('cutover-')),
    ).toEqual([]);
  }, 120_000);

  it("runs a team's own k6 script (--k6-script) through the operator, its requests by k6's name tag in the evidence", async () => {
    const s = await setup('perf-operator-script', STAND_IN);
    kube = s.kube;
    writeFileSync(
      join(s.project.dir, 'team.js'),
      `import http from 'k6/http';
import { check, group } from 'k6';
export const options = {
  scenarios: { shop: { executor: 'constant-arrival-rate', rate: 20, duration: '2s', preAllocatedVUs: 4, maxVUs: 10 } },
  thresholds: { http_req_failed: ['rate<0.5'] },
};
export default function () {
  group('catalogue', () => {
    const r = http.get(\`\${__ENV.CUTOVER_BASE_URL}/api/equipment\`, { tags: { name: 'equipment list' } });
    check(r, { 'is 200': (x) => x.status === 200 });
  });
}
`,
    );
    const r = await runCli(
      [
        'perf',
        '--engine',
        'k6-operator',
        '--parallelism',
        '2',
        '--k6-script',
        'team.js',
        '--service',
        'rentguy-api',
        '--json',
      ],
      { cwd: s.project.dir, timeoutMs: 90_000 },
    );
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect([0, 1, 3], r.stdout + r.stderr).toContain(r.code);
    const run = lastRun(s.project.dir);
    for (const env of ['baseline', 'target']) {
      const m = run.evidence.find(
        (e: { name: string; environment: string; tags: Record<string, string> }) =>
          e.name === 'http_req_duration' && e.environment === env && e.tags.endpoint === 'equipment list',
      );
      expect(
        m,
        `${env}: ${JSON.stringify(run.evidence.map((e: { name: string; tags?: unknown }) => [e.name, e.tags]).slice(0, 8))}`,
      ).toBeDefined();
      const h = decodeHistogram(m.histogram);
      expect(h.totalCount).toBeGreaterThan(0);
      expect(quantileMs(h, 0.5)).toBeGreaterThanOrEqual(DELAY_MS);
    }
    // The script's own threshold is judged on each side.
    const thresholds = run.checks.filter(
      (c: { suite: string; check: string }) =>
        c.suite === 'performance' && c.check.includes('http_req_failed'),
    );
    expect(
      thresholds.map((c: { environment: string; status: string }) => `${c.environment} ${c.status}`).sort(),
    ).toEqual(['baseline pass', 'target pass']);
    expect(s.kube.cluster.list('TestRun', 'loadtest')).toEqual([]);
  }, 120_000);

  it('refuses a host pinned to a loopback address before creating anything in the cluster', async () => {
    // The shipped config pins *.k8s.sevensa.test to 127.0.0.2: in a runner pod that is the pod itself.
    const s = await setup(
      'perf-operator-pins',
      STAND_IN,
      false,
      `http://rentguy-api.k8s.sevensa.test:${port}`,
    );
    const r = await runCli(['perf', '--engine', 'k6-operator', '--scenario-file', 'delay.ts'], {
      cwd: s.project.dir,
      timeoutMs: 60_000,
    });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      /environments\.target\.resolve pins rentguy-api\.k8s\.sevensa\.test to 127\.0\.0\.2, a loopback or private address/,
    );
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(s.kube.cluster.list('TestRun', 'loadtest')).toEqual([]);
    expect(
      s.kube.cluster.list('ConfigMap', 'loadtest').filter((c) => c.metadata.name.startsWith('cutover-')),
    ).toEqual([]);
    await s.kube.stop();
  });

  it('does not read a finished TestRun as passed when its runners failed', async () => {
    const s = await setup('perf-operator-fail', '/nonexistent/k6');
    const stages: string[] = [];
    s.kube.cluster.on('TestRun', (e) =>
      stages.push(String((e.object.status as { stage?: string } | undefined)?.stage)),
    );
    const r = await runCli(
      ['perf', '--engine', 'k6-operator', '--parallelism', '2', '--scenario-file', 'delay.ts', '--json'],
      {
        cwd: s.project.dir,
        timeoutMs: 90_000,
      },
    );
    await s.kube.stop();
    expect(stages).toContain('finished');
    const summary = JSON.parse(r.stdout);
    expect(summary.verdict).not.toBe('GO');
    const run = lastRun(s.project.dir);
    const coverage = run.evidence.filter(
      (e: { kind: string; suite: string }) => e.kind === 'coverage' && e.suite === 'performance',
    );
    expect(coverage.map((c: { status: string }) => c.status)).toContain('could-not-check');
    expect(JSON.stringify(coverage)).toMatch(/runners failed .*exit code 127/);
    expect(run.evidence.some((e: { name?: string }) => e.name === 'http_req_duration')).toBe(false);
  }, 120_000);

  it("hands the target's own CA to its runners as a mounted ConfigMap named by SSL_CERT_FILE, and removes it", async () => {
    const s = await setup('perf-operator-ca', STAND_IN, true);
    const testRuns: Array<{ environment: string; runner: Record<string, unknown> }> = [];
    const caMaps: Array<{ name: string; data: Record<string, string> }> = [];
    const schemaProblems: string[] = [];
    s.kube.cluster.on('TestRun', (e) => {
      if (e.type !== 'ADDED') return;
      // The CA volume and mount are fields the operator's CRD schema knows (test/fixtures/k6-operator).
      schemaProblems.push(...testRunProblems(e.object));
      const o = e.object as unknown as {
        metadata: { labels: Record<string, string> };
        spec: { runner: Record<string, unknown> };
      };
      testRuns.push({ environment: o.metadata.labels['cutover.dev/environment']!, runner: o.spec.runner });
    });
    s.kube.cluster.on('ConfigMap', (e) => {
      const o = e.object as unknown as { metadata: { name: string }; data?: Record<string, string> };
      if (e.type === 'ADDED' && o.data?.['ca.pem']) caMaps.push({ name: o.metadata.name, data: o.data });
    });
    const r = await runCli(['perf', '--engine', 'k6-operator', '--scenario-file', 'delay.ts', '--json'], {
      cwd: s.project.dir,
      timeoutMs: 90_000,
    });
    await s.kube.stop();
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(caMaps).toHaveLength(1);
    expect(caMaps[0]!.data['ca.pem']).toBe(CA_PEM);
    expect(schemaProblems).toEqual([]);
    const onTarget = testRuns.filter((t) => t.environment === 'target');
    const onBaseline = testRuns.filter((t) => t.environment === 'baseline');
    expect(onTarget.length).toBeGreaterThan(0);
    for (const { runner } of onTarget) {
      expect(runner.volumes).toEqual([{ name: 'cutover-ca', configMap: { name: caMaps[0]!.name } }]);
      expect(runner.volumeMounts).toEqual([
        { name: 'cutover-ca', mountPath: '/etc/cutover-ca', readOnly: true },
      ]);
      expect(runner.env).toContainEqual({ name: 'SSL_CERT_FILE', value: '/etc/cutover-ca/ca.pem' });
    }
    // The baseline has no CA of its own: its runners trust the image's roots.
    for (const { runner } of onBaseline) {
      expect(runner.volumes).toBeUndefined();
      expect(JSON.stringify(runner.env)).not.toContain('SSL_CERT_FILE');
    }
    expect(
      s.kube.cluster.list('ConfigMap', 'loadtest').filter((c) => c.metadata.name.includes('-ca-')),
    ).toEqual([]);
  }, 120_000);

  it("hands each environment's setup values to every runner through a Secret, so the setup runs once per environment", async () => {
    // A shop that hands out fresh ids on POST and answers 404 for ids it never handed out.
    const ids = new Set<string>();
    const log: string[] = [];
    const shop = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const answer = (status: number, body: unknown) => {
          log.push(`${req.method} ${req.url} ${status}`);
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        };
        if (req.method === 'POST' && req.url === '/items') {
          const id = `item-${ids.size + 1}`;
          ids.add(id);
          return answer(201, { id });
        }
        const id = /^\/items\/(.+)$/.exec(req.url ?? '')?.[1];
        answer(id && ids.has(id) ? 200 : 404, {});
      });
    });
    await new Promise<void>((r) => shop.listen(0, '127.0.0.1', r));
    try {
      const s = await setup(
        'perf-operator-setup',
        STAND_IN,
        false,
        `http://127.0.0.1:${(shop.address() as AddressInfo).port}`,
      );
      writeFileSync(
        join(s.project.dir, 'items.ts'),
        `import { defineLoad } from 'cutover';
export default defineLoad({
  name: 'items', description: 'reads the item its setup created', service: 'rentguy-api',
  executor: { executor: 'constant-arrival-rate', rate: 20, duration: '1s', preAllocatedVUs: 5, maxVUs: 10 },
  setup: [{ name: 'create item', request: { method: 'POST', path: '/items' }, expect: { status: 201 }, capture: { itemId: 'id' } }],
  requests: [{ weight: 1, method: 'GET', path: '/items/{{itemId}}' }],
});
`,
      );
      const secrets: Array<Record<string, string>> = [];
      const runners: Array<Record<string, unknown>> = [];
      s.kube.cluster.on('Secret', (e) => {
        if (e.type === 'ADDED') secrets.push((e.object as { data?: Record<string, string> }).data ?? {});
      });
      const schemaProblems: string[] = [];
      s.kube.cluster.on('TestRun', (e) => {
        if (e.type !== 'ADDED') return;
        runners.push((e.object as unknown as { spec: { runner: Record<string, unknown> } }).spec.runner);
        // envFrom a Secret is a field the operator's CRD schema knows (test/fixtures/k6-operator).
        schemaProblems.push(...testRunProblems(e.object));
      });
      const r = await runCli(
        [
          'perf',
          '--engine',
          'k6-operator',
          '--parallelism',
          '2',
          '--scenario-file',
          'items.ts',
          '--warmup',
          '0',
          '--json',
        ],
        { cwd: s.project.dir, timeoutMs: 90_000 },
      );
      await s.kube.stop();
      expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
      // One setup POST per environment (by Cutover), not one per runner; every read finds its item.
      expect(log.filter((l) => l.startsWith('POST'))).toEqual(['POST /items 201', 'POST /items 201']);
      expect(log.filter((l) => l.startsWith('GET')).length).toBe(40);
      expect(log.filter((l) => l.endsWith(' 404'))).toEqual([]);
      // The values travel in a Secret the runners read through envFrom, never in the TestRun's spec.
      expect(runners.length).toBe(2);
      expect(schemaProblems).toEqual([]);
      for (const runner of runners) {
        expect(JSON.stringify(runner.env)).not.toContain('CUTOVER_SETUP_DATA');
        expect(runner.envFrom).toEqual([{ secretRef: { name: expect.any(String) } }]);
      }
      const handed = secrets.map((d) =>
        JSON.parse(Buffer.from(d.CUTOVER_SETUP_DATA!, 'base64').toString('utf8')),
      );
      expect(handed.map((v) => v.itemId).sort()).toEqual(['item-1', 'item-2']);
    } finally {
      await new Promise<void>((r) => shop.close(() => r()));
    }
  }, 120_000);
});
