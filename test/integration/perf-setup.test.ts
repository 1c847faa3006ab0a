// A performance scenario's setup and teardown: the load-time check of steps and placeholders, the
// placeholders filled into each iteration's request (both engines build it the same way), the plan and
// its dry-run description, the steps run once per environment by the suite's setup runner, and the
// k6 bundle's setup() and teardown().
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ResolvedConfig, validateConfig } from '../../src/config/load.js';
import type { Evidence } from '../../src/core/evidence.js';
import { toProfile } from '../../src/core/load/profile.js';
import { buildRequest, endpointOf, form, type PerformanceScenario } from '../../src/core/load/scenario.js';
import type { CheckResult } from '../../src/core/model.js';
import { render } from '../../src/core/steps/template.js';
import { bundleK6Script } from '../../src/runners/k6/build.js';
import { k6RunEnv } from '../../src/runners/k6/engine.js';
import { readK6Text } from '../../src/runners/k6/parse.js';
import { runSlice } from '../../src/runners/load/executor.js';
import { setupProblems } from '../../src/suites/performance/check.js';
import { defineLoad } from '../../src/suites/performance/define.js';
import { buildPlan, builtInModules, describePlan, loadModules } from '../../src/suites/performance/plan.js';
import { performanceSuite } from '../../src/suites/performance/run.js';
import { ScenarioSetups } from '../../src/suites/performance/setup.js';
import type { SuiteContext } from '../../src/suites/suite.js';

const BUILT_IN_SCENARIOS = await builtInModules();

import { ROOT } from '../helpers/project.js';

const scenario = (extra: Partial<PerformanceScenario> = {}): PerformanceScenario =>
  defineLoad({
    name: 'shop-read',
    description: 'reads the item the setup created',
    service: 'shop',
    executor: { executor: 'constant-arrival-rate', rate: 20, duration: '1s', preAllocatedVUs: 2, maxVUs: 5 },
    setup: [
      {
        name: 'create item',
        request: { method: 'POST', path: '/items', json: { name: 'cutover {{runId}}' } },
        expect: { status: 201 },
        capture: { itemId: 'id' },
      },
    ],
    teardown: [{ name: 'delete item', request: { method: 'DELETE', path: '/items/{{itemId}}' } }],
    requests: [{ weight: 1, method: 'GET', path: '/items/{{itemId}}' }],
    ...extra,
  });

describe('the load-time check of setup steps and placeholders', () => {
  it('accepts a scenario whose placeholders are all filled, and every built-in scenario', () => {
    expect(setupProblems(scenario())).toEqual([]);
    for (const m of BUILT_IN_SCENARIOS) expect(setupProblems(m.scenario)).toEqual([]);
    // The demo's RentGuy scenario reads, under load, the booking its setup creates.
    const rentguy = BUILT_IN_SCENARIOS.find((m) => m.scenario.name === 'rentguy')!.scenario;
    expect(rentguy.setup?.map((s) => Object.keys(s.capture ?? {}))).toEqual([['bookingId']]);
    expect(rentguy.requests.map(endpointOf)).toContain('GET /api/bookings/{bookingId}');
  });

  it('names a placeholder no setup step captures, in a request, a computed request and a step', () => {
    const problems = setupProblems(
      scenario({
        requests: [
          { weight: 1, method: 'GET', path: '/items/{{itemID}}' },
          {
            weight: 1,
            method: 'GET',
            path: ({ vars }) => `/orders/${vars.orderId}`,
            endpoint: 'GET /orders/:id',
          },
          { weight: 1, method: 'POST', path: '/x', body: () => ({ ref: '{{cartId}}' }) },
        ],
        teardown: [{ name: 'delete', request: { method: 'DELETE', path: '/items/{{itmId}}' } }],
      }),
    );
    expect(problems).toEqual([
      'teardown[0] (delete) uses {{itmId}}, which neither the setup nor an earlier teardown step captures',
      'requests[0].path uses {{itemID}}, which no setup step captures (the setup captures itemId)',
      'requests[1] reads vars.orderId, which no setup step captures (the setup captures itemId)',
      'requests[2] uses {{cartId}}, which no setup step captures (the setup captures itemId)',
    ]);
  });

  it('needs a setup step’s value captured by an earlier step, and an environment variable named in env', () => {
    const problems = setupProblems(
      scenario({
        setup: [
          {
            name: 'read cart',
            request: {
              method: 'GET',
              path: '/carts/{{cartId}}',
              headers: { 'x-api-key': '{{env.SHOP_KEY}}' },
            },
          },
          { name: 'create cart', request: { method: 'POST', path: '/carts' }, capture: { cartId: 'id' } },
        ],
      }),
    );
    expect(problems).toContain('setup[0] (read cart) uses {{cartId}}, which no earlier setup step captures');
    expect(problems).toContain(
      "setup[0] (read cart) uses {{env.SHOP_KEY}}, but SHOP_KEY is not in the scenario's env list (add env: ['SHOP_KEY'])",
    );
    expect(
      setupProblems(
        scenario({
          env: ['SHOP_KEY'],
          requests: [{ weight: 1, method: 'GET', path: '/?k={{env.SHOP_KEY}}' }],
        }),
      ),
    ).toEqual([]);
  });

  it('names a step written wrong, and what a setup step cannot have', () => {
    const problems = setupProblems(
      scenario({
        setup: [
          {
            name: 'create',
            auth: 'service',
            request: { method: 'FETCH', path: 'items' },
            capture: { 'item id': 'id' },
          } as never,
        ],
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^setup\[0\]\.auth: not available here: a setup step carries no auth profile/),
        expect.stringMatching(/^setup\[0\]\.request\.method: expected "GET" or/),
        'setup[0].request.path: expected a path starting with "/"',
        expect.stringMatching(/^setup\[0\]\.capture\["item id"\]/),
      ]),
    );
    expect(problems.some((p) => /auth: unknown key/.test(p))).toBe(false);
    // A step goes to the scenario's own service: another host cannot even be written.
    expect(
      setupProblems(
        scenario({
          setup: [{ name: 'elsewhere', request: { method: 'POST', path: 'http://203.0.113.9/items' } }],
        }),
      ),
    ).toContain('setup[0].request.path: expected a path starting with "/"');
  });
});

describe('placeholders in an iteration’s request', () => {
  it('fills path, headers and JSON or form bodies from the setup’s values and the named variables', () => {
    const ctx = {
      iteration: 3,
      vu: 0,
      env: { SHOP_KEY: 'k-123456789' },
      vars: { runId: 'r1', itemId: 'it-9' },
    };
    expect(
      buildRequest(
        {
          weight: 1,
          method: 'PUT',
          path: ({ iteration }) => `/items/{{itemId}}?n=${iteration}`,
          headers: { 'x-api-key': '{{env.SHOP_KEY}}' },
          body: { item: '{{itemId}}', tags: ['{{runId}}'], at: new Date(0) },
        },
        ctx,
      ),
    ).toEqual({
      path: '/items/it-9?n=3',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k-123456789' },
      body: {
        text: '{"item":"it-9","tags":["r1"],"at":"1970-01-01T00:00:00.000Z"}',
        contentType: 'application/json',
      },
    });
    expect(
      buildRequest(
        { weight: 1, method: 'POST', path: '/t', body: form({ ref: '{{itemId}}', skip: undefined }) },
        ctx,
      ).body,
    ).toEqual({ text: 'ref=it-9', contentType: 'application/x-www-form-urlencoded' });
    expect(() => buildRequest({ weight: 1, method: 'GET', path: '/x/{{nope}}' }, ctx)).toThrow(
      'no value for {{nope}}',
    );
    // A reports' endpoint name writes a placeholder the way the integration reports do.
    expect(endpointOf({ weight: 1, method: 'GET', path: '/items/{{itemId}}?full=1' })).toBe(
      'GET /items/{itemId}',
    );
  });

  it("never fills a placeholder from an object's prototype", () => {
    const r = render('/{{constructor}}/{{toString}}', { vars: {}, env: {} });
    expect(r).toEqual({ value: '/{{constructor}}/{{toString}}', missing: ['constructor', 'toString'] });
  });
});

let server: Server;
let base = '';
let seen: string[] = [];
let nextId = 0;
let failCreate = false;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url}`);
      const json = (status: number, value: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (req.method === 'POST' && req.url === '/items') {
        if (failCreate) return json(500, { error: 'boom' });
        return json(201, { id: `item-${++nextId}`, name: JSON.parse(body).name });
      }
      const id = /^\/items\/(.+)$/.exec(req.url ?? '')?.[1];
      if (id && Number(id.slice(5)) >= 1 && Number(id.slice(5)) <= nextId) return json(200, { id });
      json(404, { error: 'no such item' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('the embedded engine with the setup’s values', () => {
  it('sends each iteration to the id the setup captured', async () => {
    seen = [];
    const r = await runSlice(
      scenario(),
      {
        scenario: 'shop-read',
        environment: 'target',
        baseUrl: base,
        pins: {},
        timeoutMs: 2000,
        profile: toProfile({ executor: 'constant-vus', vus: 1, duration: '200ms' }),
        slice: { index: 0, count: 1 },
        maxRequests: 5,
        env: {},
        vars: { runId: 'r', itemId: 'item-0' },
      },
      { privatePool: true },
    );
    expect(r.durations['GET /items/{itemId}']).toBeDefined();
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set(['GET /items/item-0']));
  });
});

function config(rootDir: string, services: Record<string, string> = { shop: base }): ResolvedConfig {
  const url = services.shop!;
  return validateConfig(
    {
      project: 'trial',
      environments: {
        baseline: { kind: 'compose', composeFile: 'c.yml', services: { shop: { url } } },
        target: { kind: 'kubernetes', context: 'c', namespaces: ['n'], services: { shop: { url } } },
      },
      services: { shop: { tier: 'application', phase: 3, health: { path: '/' } } },
    },
    join(rootDir, 'cutover.config.mjs'),
    rootDir,
  );
}

describe('the plan', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cutover-setup-plan-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, s: PerformanceScenario | string) => {
    const path = join(dir, name);
    writeFileSync(path, typeof s === 'string' ? s : `export default ${JSON.stringify(s)};\n`);
    return path;
  };

  it('describes the setup and teardown steps in a dry run, without headers or bodies', async () => {
    const plan = await buildPlan(
      config(dir),
      ['baseline', 'target'],
      {
        scenarioFiles: [
          file(
            'read.mjs',
            scenario({
              env: ['SHOP_KEY'],
              setup: [
                {
                  name: 'create item',
                  request: { method: 'POST', path: '/items', headers: { 'x-api-key': '{{env.SHOP_KEY}}' } },
                  expect: { status: [200, 201] },
                  capture: { itemId: 'id', where: 'header:location' },
                },
              ],
            }),
          ),
        ],
      },
      { SHOP_KEY: 'very-secret-key-1' },
    );
    const text = describePlan(plan);
    expect(text).toContain('      100%  GET /items/{itemId}\n');
    expect(text).toContain(
      '    setup, once per environment before the load (not timed):\n      create item: POST /items → expects 200 or 201, captures itemId, where\n',
    );
    expect(text).toContain(
      '    teardown, once per environment after the load:\n      delete item: DELETE /items/{itemId} → expects 2xx\n',
    );
    expect(text).not.toContain('very-secret-key-1');
    expect(text).not.toContain('x-api-key');
  });

  it('refuses a scenario with a placeholder nothing fills, naming the scenario and the placeholder', async () => {
    const path = file(
      'typo.mjs',
      scenario({ requests: [{ weight: 1, method: 'GET', path: '/items/{{itemID}}' }] }),
    );
    await expect(loadModules(config(dir), { scenarioFiles: [path] })).rejects.toMatchObject({
      name: 'UserError',
      exitCode: 2,
      message:
        'scenario shop-read (typo.mjs): requests[0].path uses {{itemID}}, which no setup step captures (the setup captures itemId)',
    });
  });

  it('keeps a scenario whose steps need a variable that is not set off every environment, saying which', async () => {
    const s = scenario({
      env: ['SHOP_KEY'],
      setup: [
        {
          name: 'c',
          request: { method: 'POST', path: '/items', headers: { 'x-api-key': '{{env.SHOP_KEY}}' } },
          capture: { itemId: 'id' },
        },
      ],
    });
    const plan = await buildPlan(
      config(dir),
      ['baseline', 'target'],
      { scenarioFiles: [file('unset.mjs', s)] },
      {},
    );
    expect(plan.scenarios[0]!.targets).toEqual({});
    expect(plan.scenarios[0]!.skipped).toEqual({
      baseline: 'needs environment variable SHOP_KEY, which is not set',
      target: 'needs environment variable SHOP_KEY, which is not set',
    });
  });
});

describe('the setup runner', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cutover-setup-run-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function run(s: PerformanceScenario) {
    const path = join(dir, `${Math.random().toString(36).slice(2)}.mjs`);
    writeFileSync(path, `export default ${JSON.stringify(s)};\n`);
    const cfg = config(dir);
    const plan = await buildPlan(cfg, ['baseline', 'target'], { scenarioFiles: [path] }, {});
    const checks: CheckResult[] = [];
    const evidence: Evidence[] = [];
    const ctx = {
      config: cfg,
      environments: ['baseline', 'target'],
      services: ['shop'],
      runId: 'run-1',
      now: () => new Date(0),
      faults: [],
      env: {},
      options: {},
      check: (c: CheckResult) => checks.push(c),
      evidence: (e: Evidence) => evidence.push(e),
      log: () => undefined,
    } satisfies SuiteContext;
    const setups = new ScenarioSetups(plan, ctx);
    await setups.setUp();
    return { plan, checks, evidence, setups };
  }

  it('runs the setup once per environment and gives each its own captured values', async () => {
    seen = [];
    failCreate = false;
    const { plan, checks, setups } = await run(scenario());
    const targets = plan.scenarios[0]!.targets;
    expect(Object.keys(targets)).toEqual(['baseline', 'target']);
    expect(targets.baseline!.vars!.runId).toBe('run-1');
    expect(targets.baseline!.vars!.itemId).not.toBe(targets.target!.vars!.itemId);
    expect(seen).toEqual(['POST /items', 'POST /items']);
    expect(checks.map((c) => `${c.environment} ${c.check} ${c.status}`)).toEqual([
      'baseline shop-read: setup pass',
      'target shop-read: setup pass',
    ]);
    await setups.tearDown();
    expect(seen.slice(2).sort()).toEqual(
      [
        `DELETE /items/${targets.baseline!.vars!.itemId}`,
        `DELETE /items/${targets.target!.vars!.itemId}`,
      ].sort(),
    );
  });

  it('takes a scenario whose setup fails off that environment, recorded as a failed check and coverage', async () => {
    seen = [];
    failCreate = true;
    try {
      const { plan, checks, evidence, setups } = await run(scenario());
      expect(plan.scenarios[0]!.targets).toEqual({});
      expect(checks.map((c) => [c.environment, c.check, c.status, c.reason])).toEqual([
        [
          'baseline',
          'shop-read: setup',
          'fail',
          'setup step "create item" failed: expected status 201, got 500; capture itemId: no value at id',
        ],
        [
          'target',
          'shop-read: setup',
          'fail',
          'setup step "create item" failed: expected status 201, got 500; capture itemId: no value at id',
        ],
      ]);
      expect(evidence).toEqual([
        expect.objectContaining({
          kind: 'coverage',
          environment: 'baseline',
          scope: 'shop-read',
          status: 'could-not-check',
          reason: expect.stringMatching(
            /^not run: setup step "create item" failed: expected status 201, got 500/,
          ),
        }),
        expect.objectContaining({ kind: 'coverage', environment: 'target', status: 'could-not-check' }),
      ]);
      // Nothing was captured, so the teardown has nothing to clean up and sends nothing.
      await setups.tearDown();
      expect(seen).toEqual(['POST /items', 'POST /items']);
      expect(checks.filter((c) => c.check === 'shop-read: teardown').map((c) => c.status)).toEqual([
        'skip',
        'skip',
      ]);
    } finally {
      failCreate = false;
    }
  });

  it('starts no load at all when no scenario can run anywhere', async () => {
    seen = [];
    failCreate = true;
    try {
      const path = join(dir, 'all-fail.mjs');
      writeFileSync(path, `export default ${JSON.stringify(scenario())};\n`);
      const lines: string[] = [];
      const checks: CheckResult[] = [];
      const ctx = {
        config: config(dir),
        environments: ['baseline', 'target'],
        services: ['shop'],
        runId: 'r',
        now: () => new Date(0),
        faults: [],
        env: {},
        options: { performance: { scenarioFiles: [path], warmup: '0' } },
        check: (c: CheckResult) => checks.push(c),
        evidence: () => undefined,
        log: (l: string) => lines.push(l),
      };
      await performanceSuite.run(ctx, await performanceSuite.plan(ctx));
      expect(checks.map((c) => `${c.check} ${c.status}`)).toEqual([
        'shop-read: setup fail',
        'shop-read: setup fail',
        'shop-read: teardown skip',
        'shop-read: teardown skip',
      ]);
      expect(lines).toContain('performance: no scenario can run on any environment; no load sent');
      expect(seen).toEqual(['POST /items', 'POST /items']);
    } finally {
      failCreate = false;
    }
  });

  it('says an unreachable service is why the scenario did not run', async () => {
    const path = join(dir, 'down.mjs');
    writeFileSync(path, `export default ${JSON.stringify(scenario())};\n`);
    const cfg = config(dir, { shop: 'http://127.0.0.1:9' });
    const plan = await buildPlan(cfg, ['baseline'], { scenarioFiles: [path] }, {});
    const checks: CheckResult[] = [];
    await new ScenarioSetups(plan, {
      config: cfg,
      environments: ['baseline'],
      services: ['shop'],
      runId: 'r',
      now: () => new Date(0),
      faults: [],
      env: {},
      options: {},
      check: (c) => checks.push(c),
      evidence: () => undefined,
      log: () => undefined,
    }).setUp();
    expect(plan.scenarios[0]!.targets).toEqual({});
    expect(checks[0]).toMatchObject({
      status: 'fail',
      reason: expect.stringMatching(/^setup step "create item" failed: refused/),
    });
  });
});

describe('the k6 bundle', () => {
  it("has k6's setup() and teardown() with the scenario's steps, and hands setup()'s value to every iteration", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-setup-k6-'));
    try {
      const path = join(dir, 'shop.mjs');
      writeFileSync(path, `export default ${JSON.stringify(scenario())};\n`);
      const bundle = await bundleK6Script({ scenario: scenario(), file: path });
      expect(bundle.imports).toEqual(['k6', 'k6/execution', 'k6/http']);
      expect(bundle.text).toMatch(/export\s*\{[^}]*\bsetup\b/);
      expect(bundle.text).toMatch(/export\s*\{[^}]*\bteardown\b/);
      expect(bundle.text).toMatch(/function setup\(\) \{\s*return script\.setup\(\);/);
      expect(bundle.text).toMatch(/function [\w$]+\(data\) \{\s*script\.run\(data\);/);
      expect(bundle.text).toContain('CUTOVER_SETUP_DATA');
      expect(bundle.text).toContain('/items/{{itemId}}');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('run by hand, sends the setup itself, reads what it created, tears it down — and stops when the setup fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-setup-k6-hand-'));
    try {
      const path = join(dir, 'shop.mjs');
      writeFileSync(path, `export default ${JSON.stringify(scenario())};\n`);
      const script = join(dir, 'shop.js');
      writeFileSync(script, (await bundleK6Script({ scenario: scenario(), file: path })).text);
      const k6 = (env: Record<string, string>) =>
        new Promise<{ code: number | null; stderr: string }>((done) => {
          execFile(
            join(ROOT, 'test/fixtures/k6-standin/k6'),
            ['run', '--quiet', script],
            { env: { PATH: process.env.PATH ?? '', CUTOVER_BASE_URL: base, ...env } },
            (error, _stdout, stderr) => done({ code: error ? Number(error.code) : 0, stderr }),
          );
        });
      seen = [];
      failCreate = false;
      expect((await k6({})).code).toBe(0);
      expect(seen[0]).toBe('POST /items');
      const id = seen[1]!.split('/').at(-1);
      // 1 s at 20 iterations/s, every one reading the item the setup created, then the teardown.
      expect(seen.slice(1, -1)).toEqual(Array.from({ length: 20 }, () => `GET /items/${id}`));
      expect(seen.at(-1)).toBe(`DELETE /items/${id}`);
      seen = [];
      failCreate = true;
      const failed = await k6({});
      expect(failed.code).toBe(107);
      expect(failed.stderr).toContain('setup step "create item" failed: expected status 201, got 500');
      expect(seen).toEqual(['POST /items']);
    } finally {
      failCreate = false;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("gets the environment's setup values in CUTOVER_SETUP_DATA, so it does not send the setup again", () => {
    const env = k6RunEnv(
      { timeoutMs: 1000 } as never,
      {
        environment: 'target',
        profile: toProfile({ executor: 'constant-vus', vus: 1, duration: '1s' }),
        planned: {
          targets: {
            target: { baseUrl: base, pins: {}, insecure: false, vars: { runId: 'r', itemId: 'item-7' } },
          },
          env: {},
        },
      } as never,
      {},
    );
    expect(JSON.parse(env.CUTOVER_SETUP_DATA!)).toEqual({ runId: 'r', itemId: 'item-7' });
  });

  it("leaves k6's own setup and teardown requests out of the load's results", () => {
    const point = (group: string, tags: Record<string, string> = {}) =>
      JSON.stringify({
        type: 'Point',
        metric: 'http_req_duration',
        data: {
          time: '2026-01-01T00:00:00Z',
          value: 5,
          tags: { endpoint: 'POST /items', status: '201', group, ...tags },
        },
      });
    const r = readK6Text(
      [point('::setup'), point('::teardown'), point('', { scenario: 'shop-read' })].join('\n'),
      'shop-read',
      'target',
    );
    expect(Object.keys(r.durations)).toEqual(['POST /items']);
    expect(r.durations['POST /items']!['2xx']!.count).toBe(1);
  });
});
