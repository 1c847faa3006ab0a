// k6 scripts from the scenarios: every bundle imports nothing but k6 modules and runs in a k6 stand-in;
// k6's output formats (JSON lines, old-JSON summary with inverted threshold booleans) read back exactly.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeHistogram } from '../../src/core/histogram.js';
import { expectedIterations, toProfile, windowProfile } from '../../src/core/load/profile.js';
import { buildK6Script, buildK6Scripts, bundleK6Script } from '../../src/runners/k6/build.js';
import { k6RunEnv } from '../../src/runners/k6/engine.js';
import { k6ExecutorFor } from '../../src/runners/k6/executor-options.js';
import { errorClassOf, parseK6Summary, readK6Text } from '../../src/runners/k6/parse.js';
import { mergeSlices } from '../../src/runners/load/recorder.js';
import { builtInModules } from '../../src/suites/performance/plan.js';

const BUILT_IN_SCENARIOS = await builtInModules();

import { tmpDir } from '../helpers/project.js';

describe('cutover k6 build', () => {
  it('bundles every built-in scenario into one ESM script that imports only k6 modules', async () => {
    const out = tmpDir('k6-build');
    const built = await buildK6Scripts(BUILT_IN_SCENARIOS, out);
    expect(built.map((b) => b.scenario)).toEqual(BUILT_IN_SCENARIOS.map((m) => m.scenario.name));
    for (const b of built) {
      const text = readFileSync(b.file, 'utf8');
      const imports = [...text.matchAll(/^\s*import\s[^;]*?from\s*["']([^"']+)["']/gm)].map((m) => m[1]);
      expect(imports.length).toBeGreaterThan(0);
      expect(imports.every((i) => /^k6(\/|$)/.test(i!))).toBe(true);
      expect(b.imports).toEqual(['k6', 'k6/execution', 'k6/http']);
      expect(text).not.toMatch(/\brequire\(|node:/);
      expect(text).toMatch(/export\s*\{[^}]*options/);
      expect(text).toMatch(/export\s*\{[^}]*default/);
      // The embedded engine does not follow redirects; k6 must not either, or the engines measure different requests.
      expect(text).toMatch(/maxRedirects:\s*0/);
    }
  });

  it('bundles in memory the same script a build writes to its file', async () => {
    const module = BUILT_IN_SCENARIOS[0]!;
    const out = tmpDir('k6-bundle');
    const bundled = await bundleK6Script(module);
    expect(bundled.bytes).toBe(Buffer.byteLength(bundled.text));
    const built = await buildK6Script(module, out);
    expect(built).toEqual({
      scenario: bundled.scenario,
      file: join(out, `${bundled.scenario}.js`),
      bytes: bundled.bytes,
      imports: bundled.imports,
    });
    expect(readFileSync(built.file, 'utf8')).toBe(bundled.text);
  });

  it("bundles a scenario from outside this package that imports definePerformanceScenario from 'cutover'", async () => {
    // Outside the package on purpose: there only the bundler's alias can resolve 'cutover'.
    const dir = mkdtempSync(join(tmpdir(), 'cutover-k6-scenario-'));
    try {
      const file = join(dir, 'mine.ts');
      writeFileSync(
        file,
        `import { definePerformanceScenario, form } from 'cutover';
export default definePerformanceScenario({ name: 'mine', description: 'x', service: 'keycloak',
  executor: { executor: 'constant-vus', vus: 1, duration: '1s' },
  requests: [{ weight: 1, method: 'POST', path: '/token', body: form({ grant_type: 'client_credentials' }) }] });
`,
      );
      const bundled = await bundleK6Script({ scenario: { name: 'mine' } as never, file });
      expect(bundled.imports).toEqual(['k6', 'k6/execution', 'k6/http']);
      expect(bundled.text).toContain('client_credentials');
      // Only what the scenario uses comes along: no zod, no config schema from the package entry.
      expect(bundled.text).not.toMatch(/defineConfig|strictObject|ZodError/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a scenario that imports something k6 cannot load', async () => {
    const dir = tmpDir('k6-build-bad');
    const file = join(dir, 'bad.ts');
    writeFileSync(
      file,
      `import { readFileSync } from 'node:fs';
export default { name: 'bad', description: 'x', service: 'svc', executor: { executor: 'constant-vus', vus: 1, duration: '1s' },
  requests: [{ weight: 1, method: 'GET', path: () => readFileSync('/etc/hostname', 'utf8'), endpoint: 'GET /x' }] };
`,
    );
    await expect(
      buildK6Script({ scenario: { name: 'bad' } as never, file }, join(dir, 'out')),
    ).rejects.toThrow(/node:fs.*a k6 script may import only k6 modules/);
  });
});

describe('A/B windows as k6 executor options', () => {
  it('keeps the block’s iterations within k6’s integer rates (per minute)', () => {
    const p = toProfile({
      executor: 'ramping-arrival-rate',
      startRate: 10,
      stages: [{ duration: '60s', target: 70 }],
      preAllocatedVUs: 5,
      maxVUs: 9,
    });
    const w = windowProfile(p, 10_000, 20_000);
    const o = k6ExecutorFor(w, '10s') as {
      startRate: number;
      timeUnit: string;
      stages: Array<{ duration: string; target: number }>;
    };
    expect(o).toMatchObject({
      executor: 'ramping-arrival-rate',
      timeUnit: '1m',
      preAllocatedVUs: 5,
      maxVUs: 9,
      gracefulStop: '10s',
    });
    expect(o.startRate).toBe(1200); // 20/s
    expect(o.stages).toEqual([{ duration: '10000ms', target: 1800 }]); // 30/s
    const k6Iterations = ((o.startRate + o.stages[0]!.target) / 2) * (10_000 / 60_000);
    expect(k6Iterations).toBeCloseTo(expectedIterations(w), 6);
    const vus = k6ExecutorFor(toProfile({ executor: 'constant-vus', vus: 4, duration: '30s' }), '5s');
    expect(vus).toMatchObject({
      executor: 'ramping-vus',
      startVUs: 4,
      stages: [{ duration: '30000ms', target: 4 }],
    });
  });
});

// Literal lines from shared/reference/k6.md §4 (current and older shapes), plus request points as k6 tags them.
const LINES = [
  '{"type":"Metric","data":{"name":"http_req_duration","type":"trend","contains":"time","thresholds":["p(95)<300"],"submetrics":null},"metric":"http_req_duration"}',
  '{"type":"Point","data":{"time":"2026-01-01T00:00:00Z","value":12.5,"tags":{"scenario":"rentguy","endpoint":"GET /api/equipment","status":"200","method":"GET"}},"metric":"http_req_duration"}',
  '{"type":"Point","data":{"time":"2026-01-01T00:00:00Z","value":40,"tags":{"scenario":"rentguy","endpoint":"GET /api/equipment","status":"503"}},"metric":"http_req_duration"}',
  '{"type":"Point","data":{"time":"2026-01-01T00:00:00Z","value":3,"tags":{"scenario":"rentguy","endpoint":"GET /api/equipment","status":"0","error":"dial: connection refused","error_code":"1212"}},"metric":"http_req_duration"}',
  '{"type":"Metric","data":{"type":"rate","contains":"default","tainted":null,"thresholds":[],"submetrics":null},"metric":"http_req_failed"}',
  '{"metric":"http_req_failed","type":"Point","data":{"tags":{"scenario":"rentguy","endpoint":"GET /api/equipment"},"value":0,"time":"2026-01-01T00:00:00Z"}}',
  '{"type":"Point","data":{"time":"2026-01-01T00:00:00Z","value":1,"tags":{"scenario":"rentguy","endpoint":"GET /api/equipment"}},"metric":"http_req_failed"}',
  '{"type":"Point","data":{"time":"2026-01-01T00:00:00Z","value":1,"tags":{"scenario":"rentguy","endpoint":"GET /api/equipment"}},"metric":"http_req_failed"}',
  '{"type":"Point","data":{"time":"2026-01-01T00:00:00Z","value":1,"tags":{"scenario":"rentguy","check":"status is 200"}},"metric":"checks"}',
  '{"type":"Point","data":{"time":"2026-01-01T00:00:00Z","value":0,"tags":{"scenario":"rentguy","check":"status is 200"}},"metric":"checks"}',
  '{"type":"Point","data":{"time":"2026-01-01T00:00:00Z","value":7,"tags":{"scenario":"rentguy"}},"metric":"dropped_iterations"}',
  '{"type":"Point","data":{"time":"2017-05-09T14:34:45.625742514+02:00","value":5,"tags":null},"metric":"vus"}',
  'time="2026-01-01T00:00:00Z" level=info msg="a log line in a runner pod"',
];

describe("reading k6's output", () => {
  it('turns JSON lines into per-endpoint, per-class histograms and k6 rates', () => {
    const r = readK6Text(LINES.join('\n'), 'rentguy', 'target');
    expect(r.durations['GET /api/equipment']!['2xx']!.count).toBe(1);
    expect(r.durations['GET /api/equipment']!['5xx']!.count).toBe(1);
    expect(r.durations['GET /api/equipment']!.refused!.count).toBe(1);
    expect(r.errorSamples.refused).toEqual(['dial: connection refused']);
    expect(r.failed['GET /api/equipment']).toEqual({ failed: 2, ok: 1 });
    expect(r.checks['status is 200']).toEqual({ passes: 1, fails: 1 });
    expect(r.dropped).toBe(7);
    expect(r.maxConcurrent).toBe(5);
    expect(
      decodeHistogram(r.durations['GET /api/equipment']!['2xx']!.histogram).getValueAtPercentile(50),
    ).toBeCloseTo(12_500, -2);
    expect(errorClassOf('1050')).toBe('timeout');
    expect(errorClassOf('1311')).toBe('tls');
  });

  it('merges runners exactly: the merged distribution is the distribution of all points', () => {
    const point = (v: number) =>
      `{"type":"Point","data":{"time":"t","value":${v},"tags":{"scenario":"s","endpoint":"GET /","status":"200"}},"metric":"http_req_duration"}`;
    const a = Array.from({ length: 99 }, (_, i) => point(1 + i * 0.01));
    const b = [point(500)];
    const merged = mergeSlices([
      readK6Text(a.join('\n'), 's', 'target'),
      readK6Text(b.join('\n'), 's', 'target'),
    ]);
    const all = readK6Text([...a, ...b].join('\n'), 's', 'target');
    const h = decodeHistogram(merged.durations['GET /']!['2xx']!.histogram);
    const whole = decodeHistogram(all.durations['GET /']!['2xx']!.histogram);
    for (const q of [50, 90, 99, 99.9, 100])
      expect(h.getValueAtPercentile(q)).toBe(whole.getValueAtPercentile(q));
    // Averaging the runners' p99s (what the operator leaves people to do) would be badly wrong.
    expect(h.getValueAtPercentile(99.5) / 1000).toBeGreaterThan(400);
  });

  it('reads the summary-export shape, where true means the threshold FAILED', () => {
    const summary = parseK6Summary(
      JSON.stringify({
        root_group: { name: '', path: '', id: 'd41d8cd98f00b204e9800998ecf8427e', groups: {}, checks: {} },
        metrics: {
          checks: { value: 0.75, passes: 45, fails: 15, thresholds: { 'rate>70': false } },
          http_reqs: { count: 3, rate: 3, thresholds: { 'rate<100': true } },
          my_trend: { avg: 15, max: 20, 'p(95)': 19.5, count: 3, thresholds: { 'my_trend<1000': true } },
          dropped_iterations: { count: 4, rate: 0.1 },
        },
      }),
    );
    expect(summary.crossed).toEqual(['http_reqs: rate<100', 'my_trend: my_trend<1000']);
    expect(summary.httpReqs).toBe(3);
    expect(summary.dropped).toBe(4);
  });
});

describe('the environment of a k6 run', () => {
  // The parts of a plan and a block job that k6RunEnv reads.
  const target = (extra: Record<string, unknown> = {}) => ({
    baseUrl: 'https://shop.trial.test:18560',
    pins: { 'shop.trial.test': '127.0.0.1' },
    insecure: false,
    ...extra,
  });
  const job = (t: ReturnType<typeof target>) =>
    ({
      environment: 'target',
      profile: toProfile({ executor: 'constant-vus', vus: 1, duration: '1s' }),
      planned: { targets: { target: t }, env: { SHOP_TOKEN: 'from-env' } },
    }) as unknown as Parameters<typeof k6RunEnv>[1];
  const plan = { timeoutMs: 5000 } as unknown as Parameters<typeof k6RunEnv>[0];

  it('pins the host, passes the named variables, and nothing else of the process environment', () => {
    const env = k6RunEnv(plan, job(target()), { PATH: '/usr/bin', HOME: '/home/qa', SECRET: 'x' });
    expect(env).toMatchObject({
      PATH: '/usr/bin',
      HOME: '/home/qa',
      SHOP_TOKEN: 'from-env',
      CUTOVER_BASE_URL: 'https://shop.trial.test:18560',
      CUTOVER_HOSTS: JSON.stringify({ 'shop.trial.test': '127.0.0.1' }),
      CUTOVER_TIMEOUT: '5000ms',
    });
    expect(env.SECRET).toBeUndefined();
    expect(env.SSL_CERT_FILE).toBeUndefined();
  });

  it("points k6 at an environment's own CA, as the embedded engine trusts it", () => {
    const env = k6RunEnv(
      plan,
      job(target({ ca: 'PEM' })),
      { SSL_CERT_FILE: '/etc/ssl/all.pem' },
      '/w/ca-0.pem',
    );
    expect(env.SSL_CERT_FILE).toBe('/w/ca-0.pem');
    // Without one, a CA bundle the user chose for the process is kept.
    expect(k6RunEnv(plan, job(target()), { SSL_CERT_FILE: '/etc/ssl/all.pem' }).SSL_CERT_FILE).toBe(
      '/etc/ssl/all.pem',
    );
  });
});
