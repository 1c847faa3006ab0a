// The Prometheus client against a real Prometheus 2.42 (Debian's, started by test/helpers/monitoring-stack.ts
// on a free loopback port) scraping a small app, a target that is down and itself, with a rule file holding
// an always-firing Watchdog, a rule that selects nothing and a broken one; against loopback servers that
// answer what a proxy or a starting Prometheus would; and against the simulator's stand-in. (A test that
// starts servers: it moves to test/integration/ with the layout refactor.)

import { writeFileSync } from 'node:fs';
import { createServer as createHttp, type RequestListener, type Server } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../sim/index.js';
import type { ApiOutcome } from '../../src/core/monitoring/api-outcome.js';
import { isTimeout } from '../../src/core/monitoring/api-outcome.js';
import { compareBucketLayouts } from '../../src/core/monitoring/bucket-layout.js';
import { readSingle } from '../../src/core/monitoring/reading.js';
import { Redactor } from '../../src/runners/auth/redact.js';
import { MAX_GET_URL_CHARS, PrometheusClient } from '../../src/runners/prometheus/client.js';
import { type MonitoringStack, startMonitoringStack } from '../helpers/monitoring-stack.js';
import { freePort } from '../helpers/project.js';
import { makePki } from '../helpers/tls.js';

const histogram = (les: string[]) =>
  [
    '# HELP app_requests_total Requests served.',
    '# TYPE app_requests_total counter',
    'app_requests_total 42',
    '# HELP app_request_duration_seconds Request latency.',
    '# TYPE app_request_duration_seconds histogram',
    ...les.map((le) => `app_request_duration_seconds_bucket{le="${le}"} 0`),
    'app_request_duration_seconds_sum 0',
    'app_request_duration_seconds_count 0',
    '',
  ].join('\n');

// Two apps whose latency histograms cut different buckets, as two sides of a migration might.
const METRICS: Record<string, string> = {
  '/a/metrics': histogram(['0.1', '0.5', '+Inf']),
  '/b/metrics': histogram(['0.2', '1', '+Inf']),
};

const RULES = `
groups:
  - name: meta
    rules:
      - alert: Watchdog
        expr: vector(1)
        labels: { severity: none }
      - alert: NothingReported
        expr: app_never_reported_total > 0
      - record: broken:many_to_many
        expr: vector(1) + on () up
`;

function serve(handler: RequestListener): Promise<{ url: string; server: Server }> {
  const server = createHttp(handler);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${address.port}`, server });
    }),
  );
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

/** Polls `read` until `done` holds for its value; the last value either way. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || performance.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

function value<T>(outcome: ApiOutcome<T>): T {
  if (!outcome.ok) throw new Error(outcome.failure.message);
  return outcome.value;
}

describe('the Prometheus client against a real Prometheus', () => {
  let app: { url: string; server: Server };
  let stack: MonitoringStack;
  let prom: PrometheusClient;
  let downTarget: string;

  beforeAll(async () => {
    app = await serve((req, res) => {
      const body = METRICS[req.url ?? ''];
      res.writeHead(body ? 200 : 404, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(body ?? 'not found');
    });
    const appHost = new URL(app.url).host;
    downTarget = `127.0.0.1:${await freePort()}`;
    stack = await startMonitoringStack({
      scrapeJobs: [
        { job: 'app-a', targets: [appHost], metricsPath: '/a/metrics' },
        { job: 'app-b', targets: [appHost], metricsPath: '/b/metrics' },
        { job: 'down', targets: [downTarget] },
      ],
      rules: { 'meta.yml': RULES },
    });
    prom = new PrometheusClient({ url: stack.prometheusUrl }, { env: {} });
    // A new target is `unknown` until its first scrape, a rule until its first evaluation: wait until the
    // rules have been evaluated once after every target's first scrape (the broken rule needs two `up`s).
    await until(
      async () => [await prom.targets(), await prom.rules()] as const,
      ([t, r]) => {
        if (!t.ok || !r.ok || t.value.active.some((x) => x.lastScrapeMs === undefined)) return false;
        const lastFirstScrape = Math.max(...t.value.active.map((x) => x.lastScrapeMs ?? 0));
        return r.value.every((g) => (g.lastEvaluationMs ?? 0) > lastFirstScrape + 1);
      },
    );
  });

  afterAll(async () => {
    await stack?.stop();
    if (app) await close(app.server);
  });

  it('sees it ready and healthy, with its config loaded and its version', async () => {
    expect(await prom.ready()).toMatchObject({ ok: true, value: 'Prometheus Server is Ready.' });
    expect(await prom.healthy()).toMatchObject({ ok: true, value: 'Prometheus Server is Healthy.' });
    const info = value(await prom.runtimeInfo());
    expect(info.reloadConfigSuccess).toBe(true);
    expect(info.lastConfigTimeMs).toBeGreaterThan(Date.now() - 120_000);
    expect(value(await prom.buildInfo()).version).toBe('2.42.0+ds');
  });

  it('reads targets up and down, with the scrape error of the one that is down', async () => {
    const targets = value(await prom.targets());
    const byJob = Object.fromEntries(targets.active.map((t) => [t.labels.job, t]));
    expect(byJob['app-a']).toMatchObject({ health: 'up', lastError: '', scrapePool: 'app-a' });
    expect(byJob.prometheus?.health).toBe('up');
    expect(byJob.down).toMatchObject({ health: 'down', scrapeUrl: `http://${downTarget}/metrics` });
    expect(byJob.down?.lastError).toContain(`dial tcp ${downTarget}: connect: connection refused`);
    expect(byJob.down?.lastScrapeMs).toBeGreaterThan(0);
    expect(value(await prom.targets({ state: 'dropped' }))).toEqual({ active: [], dropped: [] });
    expect(value(await prom.targets({ scrapePool: 'app-b' })).active.map((t) => t.labels.job)).toEqual([
      'app-b',
    ]);
  });

  it('reads rule health: the broken rule with its error, the one that selects nothing healthy but empty', async () => {
    const [group] = value(await prom.rules());
    const rule = (name: string) => group?.rules.find((r) => r.name === name);
    expect(group).toMatchObject({ name: 'meta', intervalS: 1 });
    expect(rule('broken:many_to_many')).toMatchObject({ type: 'recording', health: 'err' });
    expect(rule('broken:many_to_many')?.lastError).toContain('many-to-many matching not allowed');
    expect(rule('Watchdog')).toMatchObject({
      type: 'alerting',
      health: 'ok',
      state: 'firing',
      lastError: undefined,
    });
    expect(rule('Watchdog')?.alerts?.[0]).toMatchObject({
      labels: { alertname: 'Watchdog' },
      state: 'firing',
      value: 1,
    });
    // "ok" forever, yet its query selects no series: only running the query tells.
    const nothing = rule('NothingReported');
    expect(nothing).toMatchObject({ health: 'ok', state: 'inactive', lastError: undefined });
    expect(readSingle(value(await prom.query(nothing!.query)))).toEqual({ state: 'empty' });
    expect(value(await prom.rules({ type: 'record' }))[0]?.rules.map((r) => r.name)).toEqual([
      'broken:many_to_many',
    ]);
    expect((await prom.alerts()).ok && value(await prom.alerts()).map((a) => a.labels.alertname)).toContain(
      'Watchdog',
    );
  });

  it('sees the Alertmanager it sends to', async () => {
    expect(value(await prom.alertmanagers())).toEqual({
      active: [`${stack.alertmanagerUrl}/api/v2/alerts`],
      dropped: [],
    });
  });

  it('reads a value, NaN (series without traffic), empty (no series), +Inf and -Inf apart', async () => {
    const read = async (q: string) => readSingle(value(await prom.query(q)));
    expect(await read('sum(app_requests_total{job="app-a"})')).toMatchObject({ state: 'value', value: 42 });
    // Mean latency of an app that served nothing: the series exist, 0/0 is NaN.
    const mean =
      'sum(rate(app_request_duration_seconds_sum{job="app-a"}[5s])) / sum(rate(app_request_duration_seconds_count{job="app-a"}[5s]))';
    expect(
      await until(
        () => read(mean),
        (r) => r.state !== 'empty',
      ),
    ).toMatchObject({ state: 'nan' });
    expect(await read('sum(rate(app_requests_total{job="no-such-job"}[5s]))')).toEqual({ state: 'empty' });
    expect(await read('sum(app_requests_total{job="app-a"}) / 0')).toMatchObject({
      value: Number.POSITIVE_INFINITY,
    });
    expect(await read('-sum(app_requests_total{job="app-a"}) / 0')).toMatchObject({
      value: Number.NEGATIVE_INFINITY,
    });
    expect(await read('scalar(sum(app_requests_total))')).toMatchObject({ state: 'value', value: 84 });
  });

  it('runs range queries, and long queries as a POST form', async () => {
    const now = Date.now();
    const range = value(
      await prom.queryRange('vector(1)', { startMs: now - 2000, endMs: now, stepSeconds: 1 }),
    );
    expect(range).toEqual({
      type: 'matrix',
      series: [
        {
          labels: {},
          points: [0, 1, 2].map((i) => ({ kind: 'float', t: (now - 2000 + i * 1000) / 1000, value: 1 })),
        },
      ],
    });
    const up = value(
      await prom.queryRange('up{job="app-a"}', { startMs: now - 2000, endMs: now, stepSeconds: 1 }),
    );
    expect(up.type === 'matrix' && up.series[0]?.labels).toEqual({
      __name__: 'up',
      instance: new URL(app.url).host,
      job: 'app-a',
    });
    const jobs = ['app-a', ...Array.from({ length: 300 }, (_, i) => `not-a-job-${i}`)].join('|');
    const long = `sum(up{job=~"${jobs}"})`;
    expect(long.length).toBeGreaterThan(MAX_GET_URL_CHARS);
    expect(readSingle(value(await prom.query(long)))).toMatchObject({ state: 'value', value: 1 });
  });

  it('returns a refused query (400), one it cannot evaluate (422) and one out of time (503) as failures in its words', async () => {
    const bad = await prom.query('sum(rate(up[5s]');
    expect(bad).toMatchObject({
      ok: false,
      failure: { kind: 'api-error', status: 400, errorType: 'bad_data' },
    });
    expect(!bad.ok && bad.failure.message).toContain('parse error: unclosed left parenthesis');
    const execution = await prom.query('vector(1) + on () up');
    expect(execution).toMatchObject({
      ok: false,
      failure: { kind: 'api-error', status: 422, errorType: 'execution' },
    });
    expect(!execution.ok && execution.failure.message).toContain('many-to-many matching not allowed');
    // 10 000 steps of a 1000-step subquery cannot finish in 1 ms: Prometheus gives up and says so.
    const now = Date.now();
    const slow = await prom.queryRange('count_over_time(up[10s:10ms])', {
      startMs: now - 1_000_000,
      endMs: now,
      stepSeconds: 0.1,
      timeoutMs: 1,
    });
    expect(slow).toMatchObject({
      ok: false,
      failure: { kind: 'api-error', status: 503, errorType: 'timeout' },
    });
    expect(!slow.ok && isTimeout(slow.failure)).toBe(true);
    expect(!slow.ok && slow.failure.message).toContain('query timed out in expression evaluation');
  });

  it('finds the bucket boundaries of a histogram, which differ between the two apps', async () => {
    const a = value(await prom.bucketLayouts('app_request_duration_seconds', { matchers: 'job="app-a"' }));
    const b = value(
      await prom.bucketLayouts('app_request_duration_seconds_bucket', { matchers: 'job="app-b"' }),
    );
    expect(a).toEqual([
      {
        boundaries: [0.1, 0.5, Number.POSITIVE_INFINITY],
        series: [{ instance: expect.any(String), job: 'app-a' }],
      },
    ]);
    expect(compareBucketLayouts(a, b)).toMatchObject({
      comparable: false,
      reason: expect.stringContaining('only the baseline has 0.1, 0.5; only the target has 0.2, 1'),
    });
    expect(compareBucketLayouts(a, a)).toMatchObject({ comparable: true });
    const both = value(await prom.bucketLayouts('app_request_duration_seconds'));
    expect(compareBucketLayouts(both, a)).toMatchObject({
      comparable: false,
      reason: expect.stringContaining('mixes 2 bucket layouts'),
    });
    expect(value(await prom.metadata('app_request_duration_seconds'))).toEqual({
      app_request_duration_seconds: [{ type: 'histogram', help: 'Request latency.', unit: '' }],
    });
  });

  it('sees a failed configuration reload in the runtime info', async () => {
    // Last in this file: Prometheus keeps running on its previous configuration.
    writeFileSync(join(stack.dir, 'prometheus', 'prometheus.yml'), 'scrape_configs: [ {job_name: }\n');
    const reload = await fetch(`${stack.prometheusUrl}/-/reload`, { method: 'POST' });
    expect(reload.status).toBe(500);
    expect(value(await prom.runtimeInfo()).reloadConfigSuccess).toBe(false);
  });
});

describe('the Prometheus client when the answer is not an answer', () => {
  const servers: Server[] = [];
  afterAll(() => Promise.all(servers.map(close)));
  const start = async (handler: RequestListener) => {
    const s = await serve(handler);
    servers.push(s.server);
    return s.url;
  };

  it('reads the plain-text 503 of a starting Prometheus as not ready', async () => {
    // What web.go's testReady answers every /api/v1 route until the TSDB is loaded.
    const url = await start((_req, res) => {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Service Unavailable');
    });
    const client = new PrometheusClient({ url }, { env: {} });
    expect(await client.query('up')).toMatchObject({
      ok: false,
      failure: { kind: 'not-ready', status: 503, detail: 'Service Unavailable' },
    });
    expect(await client.ready()).toMatchObject({ ok: false, failure: { kind: 'not-ready' } });
  });

  it('finds a body that is not its JSON malformed, never empty', async () => {
    const bodies = [
      '{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"one"]}]}}',
      '{"status":"success","data":{"resultType":"vector","result":[',
      '<html>login</html>',
    ];
    let n = 0;
    const url = await start((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(bodies[n++]);
    });
    const client = new PrometheusClient({ url }, { env: {} });
    const first = await client.query('up');
    expect(first).toMatchObject({ ok: false, failure: { kind: 'malformed', status: 200 } });
    expect(!first.ok && first.failure.message).toContain(
      'data.result.0.value.1: sample value "one" is not a number',
    );
    expect(await client.query('up')).toMatchObject({ ok: false, failure: { kind: 'malformed' } });
    expect(await client.query('up')).toMatchObject({ ok: false, failure: { kind: 'malformed' } });
  });

  it('reports an unreachable server, one too slow and an answer over the cap as unreachable with the cause', async () => {
    const refused = new PrometheusClient({ url: `http://127.0.0.1:${await freePort()}` }, { env: {} });
    expect(await refused.ready()).toMatchObject({
      ok: false,
      failure: { kind: 'unreachable', cause: 'refused' },
    });
    const silent = await start(() => undefined);
    const slow = await new PrometheusClient({ url: silent, timeoutMs: 300 }, { env: {} }).ready();
    expect(slow).toMatchObject({ ok: false, failure: { kind: 'unreachable', cause: 'timeout' } });
    expect(!slow.ok && isTimeout(slow.failure)).toBe(true);
    const big = await start((_req, res) => res.end(`{"status":"success","data":"${'x'.repeat(5000)}"}`));
    expect(
      await new PrometheusClient({ url: big, maxBodyBytes: 1024 }, { env: {} }).buildInfo(),
    ).toMatchObject({
      ok: false,
      failure: { kind: 'unreachable', cause: 'too-large' },
    });
  });

  it('sends short queries as GET and long ones as a POST form', async () => {
    const seen: Array<{ method?: string; url?: string; body: string; type?: string }> = [];
    const url = await start((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, body, type: req.headers['content-type'] });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"status":"success","data":{"resultType":"vector","result":[]}}');
      });
    });
    const client = new PrometheusClient({ url: `${url}/prom/` }, { env: {} });
    await client.query('up', { timeMs: 1_700_000_000_123, timeoutMs: 1500 });
    const long = `up{job=~"${'x|'.repeat(MAX_GET_URL_CHARS)}y"}`;
    await client.query(long);
    expect(seen[0]).toMatchObject({ method: 'GET', body: '' });
    expect(new URL(seen[0]!.url!, url).pathname).toBe('/prom/api/v1/query');
    expect(Object.fromEntries(new URL(seen[0]!.url!, url).searchParams)).toEqual({
      query: 'up',
      time: '1700000000.123',
      timeout: '1500ms',
    });
    expect(seen[1]).toMatchObject({
      method: 'POST',
      url: '/prom/api/v1/query',
      type: 'application/x-www-form-urlencoded',
    });
    expect(new URLSearchParams(seen[1]!.body).get('query')).toBe(long);
  });

  it('sends credentials from the environment and never shows them', async () => {
    const headers: Array<string | undefined> = [];
    // A proxy that refuses and, carelessly, echoes the header it got.
    const url = await start((req, res) => {
      headers.push(req.headers.authorization);
      res.writeHead(401, { 'content-type': 'text/plain' });
      res.end(`denied: ${req.headers.authorization}`);
    });
    const token = 's3cret-token-value';
    const bearer = new PrometheusClient(
      { url, auth: { type: 'bearer', tokenEnv: 'PROM_TOKEN' } },
      // No redactor given: the client's own masks what the proxy echoes.
      { env: { PROM_TOKEN: token } },
    );
    const refused = await bearer.ready();
    expect(headers[0]).toBe(`Bearer ${token}`);
    expect(refused).toMatchObject({ ok: false, failure: { kind: 'http-status', status: 401 } });
    expect(JSON.stringify(refused)).not.toContain(token);
    expect(!refused.ok && refused.failure.message).toContain('denied: Bearer [redacted]');

    const basic = new PrometheusClient(
      { url, auth: { type: 'basic', usernameEnv: 'PROM_USER', passwordEnv: 'PROM_PASSWORD' } },
      { env: { PROM_USER: 'cutover', PROM_PASSWORD: 'pa55word-long' }, redactor: new Redactor() },
    );
    const basicRefused = await basic.ready();
    expect(headers[1]).toBe(`Basic ${Buffer.from('cutover:pa55word-long').toString('base64')}`);
    expect(JSON.stringify(basicRefused)).not.toContain(
      Buffer.from('cutover:pa55word-long').toString('base64'),
    );

    const unset = await new PrometheusClient(
      { url, auth: { type: 'bearer', tokenEnv: 'PROM_TOKEN' } },
      { env: {} },
    ).ready();
    expect(unset).toMatchObject({
      ok: false,
      failure: {
        kind: 'setup',
        message: expect.stringContaining('environment variable PROM_TOKEN (the bearer token) is not set'),
      },
    });
    expect(headers).toHaveLength(2);
    const inUrl = await new PrometheusClient(
      { url: url.replace('http://', 'http://u:hunter2-pass@') },
      { env: {} },
    ).ready();
    expect(inUrl).toMatchObject({ ok: false, failure: { kind: 'setup' } });
    expect(JSON.stringify(inUrl)).not.toContain('hunter2');
  });

  it('verifies TLS like the other credentialed clients: an unknown CA fails, a given CA or insecure passes', async () => {
    const pki = makePki();
    const leaf = pki.leaf('prometheus.test', 30);
    const server = createHttps({ key: leaf.key, cert: leaf.cert }, (_req, res) =>
      res.end('Prometheus Server is Ready.\n'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server as unknown as Server);
    // The certificate's name, reached through a host pin as the target's ingress would be before DNS moves.
    const url = `https://prometheus.test:${(server.address() as { port: number }).port}`;
    const pins = { 'prometheus.test': '127.0.0.1' };
    const untrusted = await new PrometheusClient({ url, pins }, { env: {} }).ready();
    expect(untrusted).toMatchObject({ ok: false, failure: { kind: 'unreachable', cause: 'tls' } });
    expect(!untrusted.ok && untrusted.failure.message).toMatch(/TLS error: .*(certificate|issuer)/);
    expect(await new PrometheusClient({ url, pins, ca: pki.caCert }, { env: {} }).ready()).toMatchObject({
      ok: true,
    });
    expect(await new PrometheusClient({ url, pins, insecure: true }, { env: {} }).ready()).toMatchObject({
      ok: true,
    });
  });
});

describe('the Prometheus client against the simulator stand-in', () => {
  let sim: RunningSimulator;
  let prom: PrometheusClient;
  beforeAll(async () => {
    sim = await startSimulator({
      listeners: [{ environment: 'target', service: 'prometheus', host: '127.0.0.1', port: 0 }],
    });
    prom = new PrometheusClient({ url: sim.endpoints[0]!.url }, { env: {} });
  });
  afterAll(() => sim?.stop());

  it('reads what the real one gives, in the same shapes', async () => {
    expect(await prom.ready()).toMatchObject({ ok: true });
    expect(value(await prom.runtimeInfo()).reloadConfigSuccess).toBe(true);
    const targets = value(await prom.targets());
    expect(targets.active.length).toBeGreaterThan(5);
    expect(targets.active.every((t) => t.health === 'up')).toBe(true);
    expect(value(await prom.targets({ scrapePool: 'traefik' })).active).toHaveLength(1);
    expect(value(await prom.targets({ state: 'dropped' })).active).toEqual([]);
    const rules = value(await prom.rules()).flatMap((g) => g.rules);
    expect(rules.find((r) => r.name === 'Watchdog')?.alerts).toHaveLength(1);
    expect(value(await prom.rules({ type: 'record' })).flatMap((g) => g.rules)).toEqual([]);
    expect(value(await prom.alertmanagers()).active).toHaveLength(1);
    expect(readSingle(value(await prom.query('up{job="traefik"}')))).toMatchObject({
      state: 'value',
      value: 1,
    });
    expect(readSingle(value(await prom.query('vector(1)')))).toMatchObject({ state: 'value', value: 1 });
    expect(readSingle(value(await prom.query('no_such_metric')))).toEqual({ state: 'empty' });
    expect(await prom.query('sum(rate(up[5s]')).toMatchObject({
      ok: false,
      failure: { kind: 'api-error', errorType: 'bad_data' },
    });
  });

  it('answers range queries, long queries by POST, series and metadata', async () => {
    const now = Date.now();
    const range = value(
      await prom.queryRange('up{job="traefik"}', { startMs: now - 2000, endMs: now, stepSeconds: 1 }),
    );
    expect(range.type === 'matrix' && range.series[0]?.points).toHaveLength(3);
    const long = `up{job="traefik"${' '.repeat(MAX_GET_URL_CHARS)}}`;
    expect(readSingle(value(await prom.query(long)))).toMatchObject({ state: 'value', value: 1 });
    const layouts = value(await prom.bucketLayouts('http_request_duration_seconds'));
    expect(layouts).toHaveLength(1);
    expect(layouts[0]?.boundaries.at(-1)).toBe(Number.POSITIVE_INFINITY);
    expect(
      value(await prom.metadata('http_request_duration_seconds')).http_request_duration_seconds?.[0]?.type,
    ).toBe('histogram');
    expect(await prom.queryRange('up', { startMs: now, endMs: now - 1000, stepSeconds: 1 })).toMatchObject({
      ok: false,
      failure: {
        kind: 'api-error',
        errorType: 'bad_data',
        detail: 'invalid parameter "end": end timestamp must not be before start time',
      },
    });
  });
});
