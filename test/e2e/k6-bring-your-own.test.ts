// Bring your own k6 work (issue 19, item 4), tried as a new user would: a project folder outside the
// repository with its own config and gate, a loopback orders API for baseline and target, and
//  - a team's existing TypeScript k6 script (setup(), group, sleep, check, a custom Trend, values passed
//    from one request to the next and from setup() to every iteration) run by `cutover perf --k6-script`
//    with the k6 engine (the k6 stand-in, test/fixtures/k6-standin/k6) until a gate verdict;
//  - k6 results made elsewhere imported with `cutover import k6`: JSON-lines output (its lines shaped as
//    in shared/reference/k6.md §4, from grafana/k6 internal/output/json/json_test.go and the docs'
//    older shape) and a --summary-export file (§3 shape 2, grafana/k6 internal/js/summary_test.go
//    expectedOldJSONExportResult, with the HTTP metrics a real run adds), each judged by `cutover gate`;
//  - a file cut short, a foreign file and an empty one: exit 2 with the reason.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/project.js';
import {
  gateFile,
  type OrdersApi,
  ordersConfig,
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

const STAND_IN = join(ROOT, 'test/fixtures/k6-standin/k6');

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

/** A QA team's script as they run it with `k6 run shop.ts`: nothing in it knows about Cutover but the URL. */
const TEAM_SCRIPT = `import http from 'k6/http';
import { check, group, sleep } from 'k6';
import { Trend } from 'k6/metrics';

const BASE = __ENV.CUTOVER_BASE_URL;
const readTime = new Trend('order_read_time', true);

interface SetupData { seedOrder: string }

export const options = {
  scenarios: {
    shoppers: { executor: 'constant-vus', vus: 2, duration: '2s', exec: 'shop' },
  },
  thresholds: {
    http_req_failed: ['rate<0.01'],
    'http_req_duration{name:GET /orders/:id}': ['p(95)<2000'],
    checks: ['rate>0.99'],
    order_read_time: ['p(95)<2000'],
  },
};

export function setup(): SetupData {
  const res = http.post(\`\${BASE}/orders\`, JSON.stringify({ sku: 'SEED' }), {
    headers: { 'content-type': 'application/json' },
  });
  return { seedOrder: res.json('orderId') as string };
}

export function shop(data: SetupData): void {
  let orderId = '';
  group('place order', () => {
    const res = http.post(\`\${BASE}/orders\`, JSON.stringify({ sku: 'SKU-1' }), {
      headers: { 'content-type': 'application/json' },
      tags: { name: 'POST /orders' },
    });
    check(res, { 'order created': (r) => r.status === 201 });
    orderId = res.json('orderId') as string;
  });
  sleep(0.01);
  group('read orders', () => {
    const mine = http.get(\`\${BASE}/orders/\${orderId}\`, { tags: { name: 'GET /orders/:id' } });
    check(mine, { 'reads back my order': (r) => r.json('id') === orderId });
    readTime.add(mine.timings.duration);
    const seed = http.get(\`\${BASE}/orders/\${data.seedOrder}\`, { tags: { name: 'GET /orders/:id' } });
    check(seed, { 'reads the seed order': (r) => r.json('id') === data.seedOrder });
  });
}
`;

function project(files: Record<string, string> = {}): string {
  return userProject({
    'cutover.config.ts': ordersConfig(api),
    'gates/orders-perf.ts': PERF_GATE,
    ...files,
  });
}

const runDir = (stdout: string, dir: string) => join(dir, /Report: (\S+)/.exec(stdout)![1]!);

interface Recorded {
  evidence: Array<{
    kind: string;
    name?: string;
    environment: string;
    tags?: Record<string, string>;
    passes?: number;
    fails?: number;
    count?: number;
    histogram?: string;
    status?: string;
    reason?: string;
  }>;
  checks: Array<{ environment: string; check: string; status: string; reason: string }>;
}
const record = (dir: string): Recorded => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));

describe('cutover perf --k6-script: a team script on both environments', () => {
  it('runs setup(), groups and values passed between requests on each side, and reaches a verdict', async () => {
    api.baseline.delayMs = 0;
    api.target.delayMs = 60;
    const requests = { ...api.requests };
    const dir = project({ 'load/shop.ts': TEAM_SCRIPT });
    const r = await runCli(
      ['perf', '--k6-script', 'load/shop.ts', '--engine', 'k6', '--k6', STAND_IN, '--gate', 'orders-perf'],
      { cwd: dir, timeoutMs: 90_000 },
    );
    api.target.delayMs = 0;
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    // A slower target is a regression the gate sees: NO-GO.
    expect(r.stdout).toMatch(/Gate orders-perf: NO-GO/);
    expect(r.stdout).toMatch(/✗ FAIL +median: /);
    expect(r.code).toBe(1);
    const run = record(runDir(r.stdout, dir));
    for (const env of ['baseline', 'target']) {
      const metric = (name: string, endpoint?: string) =>
        run.evidence.find(
          (e) =>
            e.kind === 'metric' &&
            e.name === name &&
            e.environment === env &&
            (endpoint === undefined || e.tags?.endpoint === endpoint),
        );
      // Grouped by k6's name tag; setup()'s request (group ::setup) is not part of the load.
      expect(metric('http_req_duration', 'GET /orders/:id')?.histogram).toBeTruthy();
      expect(metric('http_req_duration', 'POST /orders')?.tags).toMatchObject({
        scenario: 'shop',
        service: 'orders-api',
        status_class: '2xx',
      });
      const reads = metric('http_reqs', 'GET /orders/:id')!.count!;
      const posts = metric('http_reqs', 'POST /orders')!.count!;
      expect(posts).toBeGreaterThan(0);
      expect(reads).toBe(2 * posts);
      expect(run.evidence.some((e) => e.environment === env && e.tags?.endpoint?.startsWith('http'))).toBe(
        false,
      );
      // The order id passed from the POST to the GET, and setup()'s order to every iteration: checks held.
      for (const check of ['order created', 'reads back my order', 'reads the seed order'])
        expect(
          run.evidence.find((e) => e.name === 'checks' && e.environment === env && e.tags?.check === check),
        ).toMatchObject({ passes: posts, fails: 0 });
      // The script's thresholds are checks: Cutover's grammar where it reads them, k6's verdict otherwise.
      const thresholds = run.checks.filter((c) => c.environment === env).map((c) => `${c.check} ${c.status}`);
      expect(thresholds).toEqual(
        expect.arrayContaining([
          'shop: http_req_failed rate<0.01 pass',
          'shop: http_req_duration{name:GET /orders/:id} p(95)<2000 pass',
          'shop: checks rate>0.99 pass',
          'shop: order_read_time p(95)<2000 pass',
        ]),
      );
    }
    // Both sides were loaded, in alternating blocks (the config's block is 1s: 2 blocks per side).
    expect(api.requests.baseline - requests.baseline).toBeGreaterThan(0);
    expect(api.requests.target - requests.target).toBeGreaterThan(0);
  }, 120_000);

  it('a threshold the script sets that is crossed makes the run NO-GO', async () => {
    const dir = project({
      'load/shop.ts': TEAM_SCRIPT.replace(
        "order_read_time: ['p(95)<2000']",
        "order_read_time: ['p(95)<0.001']",
      ),
    });
    const r = await runCli(['perf', '--k6-script', 'load/shop.ts', '--k6', STAND_IN], {
      cwd: dir,
      timeoutMs: 90_000,
    });
    expect(r.stdout).toMatch(/✗ FAIL +scenario-thresholds: .*shop: order_read_time p\(95\)<0\.001/);
    expect(r.code).toBe(1);
  }, 120_000);

  it('a script that is not a k6 script, or a service the config lacks, is exit 2 naming it', async () => {
    const dir = project({ 'load/notk6.ts': 'export const x: number = 1;\n' });
    const r = await runCli(['perf', '--k6-script', 'load/notk6.ts', '--k6', STAND_IN], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--k6-script \S*load\/notk6\.ts: exports neither a default function nor options/,
    );
    const s = await runCli(['perf', '--k6-script', 'load/notk6.ts', '--service', 'nope'], { cwd: dir });
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/--service nope: unknown service/);
  });
});

/** k6 JSON lines (shared/reference/k6.md §4): a Metric line, then Points, current and older shapes. */
function jsonLines(latencies: number[], thresholds: string[] = []): string {
  const start = Date.parse('2026-12-01T10:00:00Z');
  const lines = [
    JSON.stringify({
      type: 'Metric',
      data: { name: 'http_req_duration', type: 'trend', contains: 'time', thresholds, submetrics: null },
      metric: 'http_req_duration',
    }),
    // The docs' older shape: `tainted`, no data.name.
    JSON.stringify({
      type: 'Metric',
      data: { type: 'rate', contains: 'default', tainted: null, thresholds: [], submetrics: null },
      metric: 'http_req_failed',
    }),
  ];
  latencies.forEach((ms, i) => {
    const time = new Date(start + i * 10).toISOString().replace('Z', '123456Z');
    const tags = {
      group: '::my group',
      method: 'GET',
      name: 'GET /orders/:id',
      status: '200',
      expected_response: 'true',
      scenario: 'default',
      url: `https://orders.example/orders/${i}`,
    };
    lines.push(
      JSON.stringify({ type: 'Point', data: { time, value: ms, tags }, metric: 'http_req_duration' }),
    );
    lines.push(JSON.stringify({ metric: 'http_req_failed', type: 'Point', data: { time, value: 0, tags } }));
    lines.push(JSON.stringify({ type: 'Point', data: { time, value: 1, tags: null }, metric: 'vus' }));
  });
  return `${lines.join('\n')}\n`;
}

const around = (ms: number, n: number) => Array.from({ length: n }, (_, i) => ms + (i % 10) * 0.3);

/** A --summary-export file (§3 shape 2: flattened values, threshold booleans true when FAILED). */
function summaryExport(p95: number, crossed: boolean): string {
  return JSON.stringify({
    root_group: {
      name: '',
      path: '',
      id: 'd41d8cd98f00b204e9800998ecf8427e',
      checks: {},
      groups: {
        child: {
          name: 'child',
          path: '::child',
          id: 'f41cbb53a398ec1c9fb3d33e20c9b040',
          groups: {},
          checks: {
            check1: {
              name: 'check1',
              path: '::child::check1',
              id: '6289a7a06253a1c3f6137dfb25695563',
              passes: 30,
              fails: 0,
            },
          },
        },
      },
    },
    metrics: {
      checks: { value: 1, passes: 30, fails: 0, thresholds: { 'rate>0.9': false } },
      http_reqs: { count: 300, rate: 10 },
      http_req_failed: { value: 0, passes: 0, fails: 300 },
      http_req_duration: {
        avg: 15,
        max: 20,
        med: 15,
        min: 10,
        'p(90)': 19,
        'p(95)': p95,
        thresholds: { 'p(95)<200': crossed },
      },
      vus: { value: 1, min: 1, max: 1 },
    },
  });
}

describe('cutover import k6: results made elsewhere, judged by a gate', () => {
  it('JSON output of both sides pairs up: a slower target is NO-GO, an equal one passes the median', async () => {
    const dir = project({
      'base.jsonl': jsonLines(around(10, 300)),
      'slow.jsonl': jsonLines(around(80, 300)),
      'same.jsonl': jsonLines(around(10, 300)),
    });
    const a = await runCli(['import', 'k6', '--env', 'baseline', 'base.jsonl', '--json'], { cwd: dir });
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    const { run } = JSON.parse(a.stdout) as { run: string };
    const b = await runCli(['import', 'k6', '--env', 'target', 'slow.jsonl', '--run', run], { cwd: dir });
    expect(b.code).toBe(0);
    expect(b.stdout).toMatch(/environments: baseline, target/);
    const gate = await runCli(['gate', '--phase', 'orders-perf', '--run', run], { cwd: dir });
    expect(gate.stdout).toMatch(/✗ FAIL +median: /);
    expect(gate.code).toBe(1);
    // The same side twice is refused; an equal target passes the median.
    const again = await runCli(['import', 'k6', '--env', 'target', 'same.jsonl', '--run', run], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds target's results for k6/);
    const c = await runCli(['import', 'k6', '--env', 'baseline', 'base.jsonl', '--json'], { cwd: dir });
    const second = (JSON.parse(c.stdout) as { run: string }).run;
    await runCli(['import', 'k6', '--env', 'target', 'same.jsonl', '--run', second], { cwd: dir });
    const ok = await runCli(['gate', '--phase', 'orders-perf', '--run', second, '--verbose'], { cwd: dir });
    expect(ok.stdout).toMatch(/✓ PASS +median: /);
    expect(ok.code).toBe(0);
  }, 60_000);

  it('a threshold declared in the JSON output is judged over its points', async () => {
    const dir = project({
      'base.jsonl': jsonLines(around(10, 300), ['p(95)<50']),
      'target.jsonl': jsonLines(around(60, 300), ['p(95)<50']),
    });
    const a = await runCli(['import', 'k6', '--env', 'baseline', 'base.jsonl', '--json'], { cwd: dir });
    const { run } = JSON.parse(a.stdout) as { run: string };
    await runCli(['import', 'k6', '--env', 'target', 'target.jsonl', '--run', run], { cwd: dir });
    const gate = await runCli(['gate', '--phase', 'orders-perf', '--run', run], { cwd: dir });
    expect(gate.stdout).toMatch(
      /✗ FAIL +scenario-thresholds: 1 of 1 threshold crossed on target: k6: http_req_duration p\(95\)<50/,
    );
    expect(gate.code).toBe(1);
  }, 60_000);

  it('a summary has no latency samples: latency stays INCONCLUSIVE, never GO; its crossed threshold is NO-GO', async () => {
    const dir = project({
      'base.json': summaryExport(19.5, false),
      'target.json': summaryExport(19.5, false),
    });
    const a = await runCli(['import', 'k6', '--env', 'baseline', 'base.json', '--json'], { cwd: dir });
    expect(a.code).toBe(0);
    const { run } = JSON.parse(a.stdout) as { run: string };
    const b = await runCli(['import', 'k6', '--env', 'target', 'target.json', '--run', run], { cwd: dir });
    expect(b.stdout).toMatch(/aggregates only, latency criteria stay INCONCLUSIVE/);
    const gate = await runCli(['gate', '--phase', 'orders-perf', '--run', run], { cwd: dir });
    expect(gate.stdout).toMatch(
      /\? INCONCLUSIVE median: no evidence: no http_req_duration\{service:orders-api\} samples on target/,
    );
    expect(gate.code).toBe(3);
    const coverage = record(join(dir, 'reports', run)).evidence.find(
      (e) => e.kind === 'coverage' && e.environment === 'target',
    );
    expect(coverage).toMatchObject({ status: 'partial' });
    expect(coverage?.reason).toMatch(/aggregates only \(http_req_duration avg 15\.0 ms, .*p\(95\) 19\.5 ms/);
    // k6's own verdict on the whole run (true means FAILED in this shape).
    writeFileSync(join(dir, 'crossed.json'), summaryExport(250, true));
    const c = await runCli(['import', 'k6', '--env', 'baseline', 'base.json', '--json'], { cwd: dir });
    const second = (JSON.parse(c.stdout) as { run: string }).run;
    await runCli(['import', 'k6', '--env', 'target', 'crossed.json', '--run', second], { cwd: dir });
    const nogo = await runCli(['gate', '--phase', 'orders-perf', '--run', second], { cwd: dir });
    expect(nogo.stdout).toMatch(
      /✗ FAIL +scenario-thresholds: .*k6: http_req_duration p\(95\)<200 — k6 judged it crossed/,
    );
    expect(nogo.code).toBe(1);
  }, 60_000);

  it('a file cut short, a foreign file or an empty one is exit 2 naming the file, line or field and why', async () => {
    const full = jsonLines(around(10, 5));
    const summary = summaryExport(19.5, false);
    const { http_reqs: _dropped, ...metrics } = JSON.parse(summary).metrics;
    const dir = project({
      'cut.jsonl': full.slice(0, full.length - 40),
      'cut.json': JSON.stringify(JSON.parse(summary), null, 2).slice(0, 300),
      'no-reqs.json': JSON.stringify({ ...JSON.parse(summary), metrics }),
      'orders.csv': 'id,total\n1,17.5\n',
      'package.json': '{ "name": "not-k6", "version": "1.0.0" }\n',
      'lines.jsonl': '{"level":"info","msg":"started"}\n{"level":"info","msg":"done"}\n',
      'empty.json': '',
    });
    const cases: Array<[string, RegExp]> = [
      ['cut.jsonl', /cut\.jsonl, line 17: cut short: the last line ends mid-object/],
      ['cut.json', /cut\.json: cut short: the JSON ends before it is complete/],
      ['no-reqs.json', /no-reqs\.json, field "metrics\.http_reqs": missing/],
      ['orders.csv', /orders\.csv, line 1: not k6 output/],
      ['package.json', /package\.json: not k6 output: a JSON document without the fields of a k6 summary/],
      ['lines.jsonl', /lines\.jsonl, line 1: not a line of k6 JSON output/],
      ['empty.json', /empty\.json: empty: no k6 output in it/],
    ];
    for (const [file, message] of cases) {
      const r = await runCli(['import', 'k6', '--env', 'target', file], { cwd: dir });
      expect(r.code, file).toBe(2);
      expect(r.stderr, file).toMatch(message);
      expect(r.stderr, file).not.toMatch(/at .*\.js:\d+/);
    }
  }, 60_000);
});
