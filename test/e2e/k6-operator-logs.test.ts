// --engine k6-operator when the runners' logs outgrow the kubelet's rotation (10 MiB: the log API then
// serves only the current file): the results come from each runner's summary line, written once at
// its end, so a runner that writes 20 MiB loses none of its requests; a runner whose summary disagrees
// with the requests it sent keeps the scenario out of the evidence (INCONCLUSIVE), with the numbers.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureNamespace, startKubeSim, writeKubeconfig } from '../../sim/kube/index.js';
import { installK6OperatorSim } from '../../sim/kube/k6-operator.js';
import { KUBELET_LOG_MAX_BYTES } from '../../sim/kube/pod-logs.js';
import { decodeHistogram } from '../../src/core/histogram.js';
import { makeSimProject, ROOT, runCli } from '../helpers/project.js';
import { testRunProblems } from '../helpers/testrun-schema.js';

const STAND_IN = join(ROOT, 'test/fixtures/k6-standin/k6');
let server: Server;
let url = '';

beforeAll(async () => {
  // Answers at once: the runners' output is large by their tags, not by waiting.
  server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** A project whose target cluster runs the simulated operator with the stand-in's knobs; 1 200 requests per side. */
async function operatorProject(name: string, knobs: Record<string, string>) {
  const logs: Array<{ written: number; served: number }> = [];
  const testRuns: unknown[] = [];
  const kube = await startKubeSim({
    host: '127.0.0.1',
    port: 0,
    setup: (c) => {
      installK6OperatorSim(c, { k6: STAND_IN, env: { K6_STANDIN_MAX_ITERATIONS: '100000', ...knobs } });
      c.on('TestRun', (e) => {
        if (e.type === 'ADDED') testRuns.push(e.object);
      });
      const set = c.setPodLog.bind(c);
      c.setPodLog = (ns, pod, container, text) => {
        set(ns, pod, container, text);
        // What the log API will serve of it, against what the runner wrote.
        logs.push({
          written: Buffer.byteLength(text),
          served: Buffer.byteLength(c.store.getLog(ns, pod, container) ?? ''),
        });
      };
    },
  });
  ensureNamespace(kube.cluster, 'loadtest');
  const p = await makeSimProject(name, (c) => {
    c.environments.baseline!.services['rentguy-api'] = { url };
    c.environments.target!.services['rentguy-api'] = { url };
    (c.environments.target as { kubeconfig?: string }).kubeconfig = 'kubeconfig.yaml';
    c.performance = { operator: { namespace: 'loadtest' } };
  });
  writeKubeconfig(join(p.dir, 'kubeconfig.yaml'), {
    server: kube.url,
    context:
      p.config.environments.target!.kind === 'kubernetes' ? p.config.environments.target!.context : 'x',
  });
  writeFileSync(
    join(p.dir, 'bulk.ts'),
    `import { defineLoad } from 'cutover';
export default defineLoad({
  name: 'bulk', description: 'many requests', service: 'rentguy-api',
  executor: { executor: 'constant-arrival-rate', rate: 600, duration: '2s', preAllocatedVUs: 5, maxVUs: 20 },
  requests: [{ weight: 1, method: 'GET', path: '/api/equipment', checks: { 'is 200': (r) => r.status === 200 } }],
});
`,
  );
  const r = await runCli(
    [
      'perf',
      '--engine',
      'k6-operator',
      '--parallelism',
      '2',
      '--scenario-file',
      'bulk.ts',
      '--warmup',
      '0',
      '--json',
    ],
    { cwd: p.dir, timeoutMs: 150_000 },
  );
  await kube.stop();
  const reports = join(p.dir, 'reports');
  const run = JSON.parse(
    readFileSync(join(reports, readdirSync(reports).sort().at(-1)!, 'run.json'), 'utf8'),
  );
  // Every TestRun Cutover created is one the operator's CRD schema accepts as written.
  expect(testRuns.length).toBe(2);
  for (const t of testRuns) expect(testRunProblems(t)).toEqual([]);
  return { r, run, logs };
}

type Item = {
  kind?: string;
  name?: string;
  environment: string;
  scope?: string;
  status?: string;
  reason?: string;
  histogram?: string;
};

describe('k6-operator runners past the kubelet log rotation', () => {
  it('a runner writing 20 MiB loses none of its requests in the merged evidence', async () => {
    // ~37 kB of output per request: 600 requests make a runner's output pass 20 MiB.
    const { r, run, logs } = await operatorProject('operator-rotated', { K6_STANDIN_PAD: '3500' });
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    // The log API served each runner's current file only: what its log still held was cut.
    expect(logs.length).toBe(4);
    for (const { written, served } of logs) {
      expect(written).toBeGreaterThan(2 * KUBELET_LOG_MAX_BYTES);
      expect(served).toBeLessThanOrEqual(KUBELET_LOG_MAX_BYTES + 64 * 1024);
    }
    for (const env of ['baseline', 'target']) {
      const h = (run.evidence as Item[]).filter(
        (e) => e.name === 'http_req_duration' && e.environment === env,
      );
      expect(h.reduce((n, e) => n + decodeHistogram(e.histogram!).totalCount, 0)).toBe(1200);
      const cov = (run.evidence as Item[]).find(
        (e) => e.kind === 'coverage' && e.environment === env && e.scope === 'bulk',
      );
      expect(cov?.status).toBe('complete');
    }
  }, 180_000);

  it('a runner whose summary lost requests makes the scenario INCONCLUSIVE, with the numbers', async () => {
    const { r, run } = await operatorProject('operator-lossy', { K6_STANDIN_LOSE: '2:7' });
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    for (const env of ['baseline', 'target']) {
      expect(
        (run.evidence as Item[]).filter((e) => e.name === 'http_req_duration' && e.environment === env),
      ).toEqual([]);
      const cov = (run.evidence as Item[]).find(
        (e) => e.kind === 'coverage' && e.environment === env && e.scope === 'bulk',
      );
      expect(cov?.status).toBe('could-not-check');
      expect(cov?.reason).toMatch(
        /-2: 593 requests in its latency histogram, k6 counted 600 sent \(7 missing/,
      );
    }
    // Absent evidence is never a pass: the performance gate, and so the run, is INCONCLUSIVE.
    const out = JSON.parse(r.stdout) as {
      verdict: string;
      criteria: Array<{ id: string; gate: string; status: string }>;
    };
    expect(out.verdict).toBe('INCONCLUSIVE');
    expect(out.criteria.find((c) => c.gate === 'performance' && c.id === 'median')?.status).toBe(
      'INCONCLUSIVE',
    );
  }, 180_000);
});
