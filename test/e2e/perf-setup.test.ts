// A performance scenario's setup end to end, through the real CLI, in a project folder outside the
// repository against two small loopback servers (baseline and target) that hand out fresh ids on POST
// and answer 404 for ids they never handed out: the load reads only the ids each environment's setup
// created; a setup that fails keeps the scenario off that environment as a recorded failure; an
// undefined placeholder is refused when the scenario loads; the API key never reaches a file or log.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/project.js';

const API_KEY = 'shop-key-4f9c2a7e1b';
const STAND_IN = join(ROOT, 'test/fixtures/k6-standin/k6');

interface Shop {
  server: Server;
  url: string;
  /** `METHOD /path STATUS`, in the order answered. */
  log: string[];
  failCreate: boolean;
}

/** A shop API: POST /items (with the API key) creates an item with a fresh id; unknown ids are 404. */
async function startShop(prefix: string): Promise<Shop> {
  const items = new Set<string>();
  let next = 0;
  const shop: Shop = { server: undefined as never, url: '', log: [], failCreate: false };
  shop.server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const answer = (status: number, body: unknown) => {
        shop.log.push(`${req.method} ${req.url} ${status}`);
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      };
      const id = /^\/items\/([^/?]+)$/.exec(req.url ?? '')?.[1];
      if (req.method === 'POST' && req.url === '/items') {
        if (req.headers['x-api-key'] !== API_KEY) return answer(401, { error: 'api key required' });
        if (shop.failCreate) return answer(500, { error: 'database unavailable' });
        const created = `${prefix}-${++next}`;
        items.add(created);
        return answer(201, { id: created });
      }
      if (id && req.method === 'GET')
        return items.has(id) ? answer(200, { id }) : answer(404, { error: 'no such item' });
      if (id && req.method === 'DELETE')
        return items.delete(id) ? answer(200, { id }) : answer(404, { error: 'no such item' });
      answer(404, { error: 'no such route' });
    });
  });
  await new Promise<void>((r) => shop.server.listen(0, '127.0.0.1', r));
  shop.url = `http://127.0.0.1:${(shop.server.address() as AddressInfo).port}`;
  return shop;
}

const SCENARIO = (itemPlaceholder = 'itemId') => `import { definePerformanceScenario } from 'cutover';

export default definePerformanceScenario({
  name: 'shop-read',
  description: 'reads, under load, the item its setup created',
  service: 'shop',
  env: ['SHOP_KEY'],
  executor: { executor: 'constant-arrival-rate', rate: 40, timeUnit: '1s', duration: '2s', preAllocatedVUs: 4, maxVUs: 10 },
  setup: [
    {
      name: 'create item',
      request: { method: 'POST', path: '/items', headers: { 'x-api-key': '{{env.SHOP_KEY}}' }, json: { name: 'load test {{runId}}' } },
      expect: { status: 201 },
      capture: { itemId: 'id' },
    },
  ],
  teardown: [{ name: 'delete item', request: { method: 'DELETE', path: '/items/{{itemId}}' }, expect: { status: 200 } }],
  requests: [
    { weight: 1, method: 'GET', path: '/items/{{${itemPlaceholder}}}', checks: { 'is the item': (r) => r.status === 200 } },
  ],
});
`;

function project(baseline: Shop, target: Shop, scenario = SCENARIO()): string {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-setup-'));
  const config = {
    project: 'shop',
    environments: {
      baseline: {
        kind: 'compose',
        composeFile: 'docker-compose.yml',
        services: { shop: { url: baseline.url } },
      },
      target: {
        kind: 'kubernetes',
        context: 'kind',
        namespaces: ['shop'],
        services: { shop: { url: target.url } },
      },
    },
    services: { shop: { tier: 'application', phase: 3, health: { path: '/health' } } },
    reportsDir: 'reports',
  };
  writeFileSync(join(dir, 'cutover.config.mjs'), `export default ${JSON.stringify(config, null, 2)};\n`);
  writeFileSync(join(dir, 'shop.perf.ts'), scenario);
  return dir;
}

interface RunRecord {
  checks: Array<{ suite: string; environment: string; check: string; status: string; reason: string }>;
  evidence: Array<{
    kind: string;
    suite: string;
    environment: string;
    name?: string;
    scope?: string;
    status?: string;
    reason?: string;
    tags?: Record<string, string>;
    counts?: Record<string, number>;
  }>;
}

function lastRun(dir: string): RunRecord {
  const reports = join(dir, 'reports');
  return JSON.parse(readFileSync(join(reports, readdirSync(reports).sort().at(-1)!, 'run.json'), 'utf8'));
}

/** The endpoints and status classes an environment's latencies were recorded for. */
function latencies(run: RunRecord, environment: string): string[] {
  return run.evidence
    .filter((e) => e.kind === 'metric' && e.name === 'http_req_duration' && e.environment === environment)
    .map((e) => `${e.tags!.endpoint} ${e.tags!.status_class}`);
}

/** Every file the run wrote, as text. */
function everythingWritten(dir: string): string {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(readFileSync(p, 'utf8'));
    }
  };
  walk(join(dir, 'reports'));
  return out.join('\n');
}

const RUN = [
  'perf',
  '--scenario-file',
  'shop.perf.ts',
  '--duration',
  '1s',
  '--block',
  '500ms',
  '--warmup',
  '500ms',
  '--json',
];

describe('cutover perf with a scenario setup', () => {
  let baseline: Shop;
  let target: Shop;
  const dirs: string[] = [];

  beforeAll(async () => {
    baseline = await startShop('base');
    target = await startShop('tgt');
  });
  afterEach(() => {
    baseline.log = [];
    target.log = [];
    baseline.failCreate = false;
    target.failCreate = false;
  });
  afterAll(async () => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    await Promise.all([baseline, target].map((s) => new Promise<void>((r) => s.server.close(() => r()))));
  });

  /** Each environment: one POST (the setup), the load's GETs all of its own item, then the teardown's DELETE. */
  function expectOwnItemOnly(shop: Shop, prefix: string) {
    const [create, ...rest] = shop.log;
    expect(create).toBe('POST /items 201');
    const reads = rest.slice(0, -1);
    expect(reads.length).toBeGreaterThan(10);
    const paths = new Set(reads.map((l) => l.split(' ')[1]));
    expect(paths.size).toBe(1);
    const [path] = paths;
    expect(path).toMatch(new RegExp(`^/items/${prefix}-\\d+$`));
    expect(reads.every((l) => l === `GET ${path} 200`)).toBe(true);
    expect(rest.at(-1)).toBe(`DELETE ${path} 200`);
    expect(shop.log.filter((l) => / 404$/.test(l))).toEqual([]);
  }

  it('shows the setup and teardown steps in --dry-run, and sends nothing', async () => {
    const dir = project(baseline, target);
    dirs.push(dir);
    const r = await runCli(['perf', '--scenario-file', 'shop.perf.ts', '--dry-run'], {
      cwd: dir,
      env: { SHOP_KEY: API_KEY },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('100%  GET /items/{itemId}');
    expect(r.stdout).toContain('setup, once per environment before the load (not timed):');
    expect(r.stdout).toContain('create item: POST /items → expects 201, captures itemId');
    expect(r.stdout).toContain('delete item: DELETE /items/{itemId} → expects 200');
    expect(r.stdout + r.stderr).not.toContain(API_KEY);
    const json = await runCli(['perf', '--scenario-file', 'shop.perf.ts', '--dry-run', '--json'], {
      cwd: dir,
      env: { SHOP_KEY: API_KEY },
    });
    expect(JSON.parse(json.stdout).scenarios[0].setup).toEqual([
      { name: 'create item', method: 'POST', path: '/items', expectStatus: 201, captures: ['itemId'] },
    ]);
    expect(baseline.log).toEqual([]);
    expect(target.log).toEqual([]);
  });

  it('reads, on each side, only the item that side’s setup created: no 404 in the record', async () => {
    const dir = project(baseline, target);
    dirs.push(dir);
    const r = await runCli(RUN, { cwd: dir, env: { SHOP_KEY: API_KEY }, timeoutMs: 60_000 });
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(JSON.parse(r.stdout).verdict).toBeDefined();
    expectOwnItemOnly(baseline, 'base');
    expectOwnItemOnly(target, 'tgt');
    const run = lastRun(dir);
    for (const environment of ['baseline', 'target']) {
      expect(latencies(run, environment)).toEqual(['GET /items/{itemId} 2xx']);
      const coverage = run.evidence.find(
        (e) => e.kind === 'coverage' && e.environment === environment && e.scope === 'shop-read',
      )!;
      expect(coverage.status).toBe('complete');
      // The setup's request is not load: only the 1 s of 40/s reads are counted.
      expect(coverage.counts).toMatchObject({ '2xx': 40, answered: 40 });
      expect(coverage.counts!['4xx']).toBeUndefined();
      const phases = run.checks.filter(
        (c) => c.environment === environment && /: (setup|teardown)$/.test(c.check),
      );
      expect(phases.map((c) => `${c.check} ${c.status}`)).toEqual([
        'shop-read: setup pass',
        'shop-read: teardown pass',
      ]);
    }
    expect(everythingWritten(dir) + r.stdout + r.stderr).not.toContain(API_KEY);
  }, 60_000);

  it('--engine k6: the bundles get each side’s setup values once, not a setup per k6 run', async () => {
    const dir = project(baseline, target);
    dirs.push(dir);
    const r = await runCli([...RUN, '--engine', 'k6', '--k6', STAND_IN], {
      cwd: dir,
      env: { SHOP_KEY: API_KEY },
      timeoutMs: 60_000,
    });
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    // A warm-up and two blocks per side, each its own k6 process: still one setup POST per side.
    expectOwnItemOnly(baseline, 'base');
    expectOwnItemOnly(target, 'tgt');
    const run = lastRun(dir);
    for (const environment of ['baseline', 'target']) {
      expect(latencies(run, environment)).toEqual(['GET /items/{itemId} 2xx']);
    }
    expect(everythingWritten(dir) + r.stdout + r.stderr).not.toContain(API_KEY);
  }, 60_000);

  it('records a setup that fails as a failure with the reason, and does not load that side', async () => {
    target.failCreate = true;
    const dir = project(baseline, target);
    dirs.push(dir);
    const r = await runCli(RUN, { cwd: dir, env: { SHOP_KEY: API_KEY }, timeoutMs: 60_000 });
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(r.code).not.toBe(0);
    expect(JSON.parse(r.stdout).verdict).not.toBe('GO');
    // The target got the setup's request and nothing else: no load on an item that was never created.
    expect(target.log).toEqual(['POST /items 500']);
    expectOwnItemOnly(baseline, 'base');
    const run = lastRun(dir);
    const setupCheck = run.checks.find((c) => c.environment === 'target' && c.check === 'shop-read: setup')!;
    expect(setupCheck.status).toBe('fail');
    expect(setupCheck.reason).toMatch(/^setup step "create item" failed: expected status 201, got 500/);
    const coverage = run.evidence.find(
      (e) => e.kind === 'coverage' && e.environment === 'target' && e.scope === 'shop-read',
    )!;
    expect(coverage).toMatchObject({ status: 'could-not-check' });
    expect(coverage.reason).toMatch(
      /^not run: setup step "create item" failed: expected status 201, got 500/,
    );
    expect(run.evidence.filter((e) => e.kind === 'metric' && e.environment === 'target')).toEqual([]);
  }, 60_000);

  it('runs the teardown after Ctrl-C in the middle of the load, on both sides', async () => {
    const dir = project(baseline, target);
    dirs.push(dir);
    let signalled = false;
    const r = await runCli(
      ['perf', '--scenario-file', 'shop.perf.ts', '--duration', '20s', '--warmup', '0'],
      {
        cwd: dir,
        env: { SHOP_KEY: API_KEY },
        timeoutMs: 60_000,
        onSpawn: (child) => {
          const poll = setInterval(() => {
            if (baseline.log.filter((l) => l.startsWith('GET')).length >= 5) {
              clearInterval(poll);
              signalled = child.kill('SIGINT');
            }
          }, 50);
          child.on('exit', () => clearInterval(poll));
        },
      },
    );
    expect(signalled).toBe(true);
    expect(r.code).toBe(130);
    // Both sides' items were created before the load started, and both are cleaned up.
    for (const shop of [baseline, target]) {
      expect(shop.log[0]).toBe('POST /items 201');
      expect(shop.log.at(-1)).toMatch(/^DELETE \/items\/\S+ 200$/);
    }
    expect(target.log.filter((l) => l.startsWith('GET'))).toEqual([]);
  }, 60_000);

  it('refuses a request with a placeholder no setup step captures, naming the scenario and the placeholder', async () => {
    const dir = project(baseline, target, SCENARIO('itemID'));
    dirs.push(dir);
    const r = await runCli(['perf', '--scenario-file', 'shop.perf.ts'], {
      cwd: dir,
      env: { SHOP_KEY: API_KEY },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /scenario shop-read \(shop\.perf\.ts\): requests\[0\]\.path uses \{\{itemID\}\}, which no setup step captures \(the setup captures itemId\)/,
    );
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(baseline.log).toEqual([]);
    expect(target.log).toEqual([]);
  });
});
