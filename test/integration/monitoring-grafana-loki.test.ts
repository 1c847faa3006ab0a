// The Grafana and Loki clients against the simulator's stand-ins (neither is packaged in Debian), whose
// shapes follow Grafana's and Loki's documented HTTP APIs, and against loopback servers answering what
// the real ones answer when something is wrong. (A test that starts servers: it moves to test/integration/
// with the layout refactor.)
import { createServer, type RequestListener, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../sim/index.js';
import type { ApiOutcome } from '../../src/core/monitoring/api-outcome.js';
import { newestEntry } from '../../src/core/monitoring/loki.js';
import { GrafanaClient } from '../../src/runners/grafana/client.js';
import { LokiClient } from '../../src/runners/loki/client.js';

function value<T>(outcome: ApiOutcome<T>): T {
  if (!outcome.ok) throw new Error(outcome.failure.message);
  return outcome.value;
}

const servers: Server[] = [];
afterAll(() =>
  Promise.all(
    servers.map(
      (s) =>
        new Promise<void>((resolve) => {
          s.close(() => resolve());
          s.closeAllConnections();
        }),
    ),
  ),
);

function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`),
    ),
  );
}

const answer =
  (status: number, type: string, body: string): RequestListener =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  };

let sim: RunningSimulator;
const urlOf = (service: string) => sim.endpoints.find((e) => e.service === service)!.url;

beforeAll(async () => {
  sim = await startSimulator({
    listeners: ['grafana', 'loki'].map((service) => ({
      environment: 'target',
      service,
      host: '127.0.0.1',
      port: 0,
    })),
  });
});
afterAll(() => sim?.stop());

describe('the Grafana client', () => {
  it('reads health, datasources and their health checks from the stand-in', async () => {
    const grafana = new GrafanaClient({ url: urlOf('grafana') }, { env: {} });
    expect(value(await grafana.health())).toEqual({
      database: 'ok',
      version: '11.2.0',
      commit: '2a88694fd3ced0335bf3726cc5d0adc2d1858855',
    });
    const datasources = value(await grafana.datasources());
    expect(datasources.map((d) => [d.uid, d.type, d.isDefault])).toEqual([
      ['prometheus', 'prometheus', true],
      ['loki', 'loki', false],
    ]);
    for (const d of datasources)
      expect(value(await grafana.datasourceHealth(d.uid))).toMatchObject({ healthy: true, status: 'OK' });
    expect(await grafana.datasourceHealth('nope')).toMatchObject({
      ok: false,
      failure: { kind: 'api-error', status: 500, detail: 'Unable to load datasource metadata' },
    });
  });

  it('searches dashboards and reads one with every panel query, rows included', async () => {
    const grafana = new GrafanaClient({ url: urlOf('grafana') }, { env: {} });
    const hits = value(await grafana.searchDashboards());
    expect(hits.map((h) => [h.uid, h.folderTitle])).toEqual([
      ['platform-overview', 'Platform'],
      ['platform-logs', 'Platform'],
    ]);
    expect(value(await grafana.searchDashboards({ tags: ['logs'] })).map((h) => h.uid)).toEqual([
      'platform-logs',
    ]);
    expect(value(await grafana.searchDashboards({ query: 'OVERVIEW' })).map((h) => h.uid)).toEqual([
      'platform-overview',
    ]);
    const dashboard = value(await grafana.dashboard('platform-overview'));
    expect(dashboard).toMatchObject({
      uid: 'platform-overview',
      title: 'Platform overview',
      folderTitle: 'Platform',
    });
    expect(dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr))).toEqual([
      'sum by (job) (rate(http_requests_total[5m]))',
      'histogram_quantile(0.95, sum by (le, job) (rate(http_request_duration_seconds_bucket[5m])))',
      'sum(up)',
    ]);
    expect(await grafana.dashboard('no-such-dashboard')).toMatchObject({
      ok: false,
      failure: { kind: 'api-error', status: 404, detail: 'Dashboard not found' },
    });
  });

  it('reads a failing database, a failing datasource and a refused token in Grafana words', async () => {
    const failing = await serve(answer(503, 'application/json', '{"database":"failing","version":"11.2.0"}'));
    expect(await new GrafanaClient({ url: failing }, { env: {} }).health()).toMatchObject({
      ok: false,
      failure: {
        kind: 'not-ready',
        status: 503,
        message: `Grafana at ${failing} reports its database "failing" (503)`,
      },
    });
    // A datasource whose health check fails: Grafana answers 400 with the plugin's status and message.
    const sick = await serve(
      answer(
        400,
        'application/json',
        '{"message":"Post \\"http://prometheus:9090/api/v1/query\\": dial tcp: lookup prometheus: no such host","status":"ERROR"}',
      ),
    );
    expect(value(await new GrafanaClient({ url: sick }, { env: {} }).datasourceHealth('prometheus'))).toEqual(
      {
        status: 'ERROR',
        healthy: false,
        message: 'Post "http://prometheus:9090/api/v1/query": dial tcp: lookup prometheus: no such host',
      },
    );
    const denied = await serve(answer(401, 'application/json', '{"message":"invalid API key","traceID":""}'));
    const refused = await new GrafanaClient(
      { url: denied, auth: { type: 'bearer', tokenEnv: 'GRAFANA_TOKEN' } },
      { env: { GRAFANA_TOKEN: 'glsa_0123456789abcdef' } },
    ).datasources();
    expect(refused).toMatchObject({
      ok: false,
      failure: { kind: 'api-error', status: 401, detail: 'invalid API key' },
    });
    expect(!refused.ok && refused.failure.message).toContain('needs a service-account token');
  });
});

describe('the Loki client', () => {
  const push = async (
    streams: Array<{ stream: Record<string, string>; values: Array<[string, string]> }>,
  ) => {
    const res = await fetch(`${urlOf('loki')}/loki/api/v1/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ streams }),
    });
    expect(res.status).toBe(204);
  };
  const ns = (ms: number) => `${BigInt(ms) * 1_000_000n}`;

  it('finds the newest log line of a service within the window, newest first, the limit over all streams', async () => {
    const loki = new LokiClient({ url: urlOf('loki') }, { env: {} });
    expect(await loki.ready()).toMatchObject({ ok: true, value: 'ready' });
    const now = Date.now();
    await push([
      {
        stream: { service: 'api', level: 'info' },
        values: [
          [ns(now - 3000), 'GET /health 200'],
          [ns(now - 1000), 'GET /a 200'],
        ],
      },
      { stream: { service: 'api', level: 'error' }, values: [[ns(now - 2000), 'GET /b 500 error']] },
      { stream: { service: 'api', level: 'info' }, values: [[ns(now - 2 * 3600_000), 'two hours ago']] },
      { stream: { service: 'web', level: 'info' }, values: [[ns(now - 500), 'GET / 200']] },
    ]);
    const recent = value(
      await loki.queryRange('{service="api"}', { startMs: now - 60_000, endMs: now + 1000 }),
    );
    expect(recent.type).toBe('streams');
    const streams = recent.type === 'streams' ? recent.streams : [];
    expect(streams.flatMap((s) => s.entries.map((e) => e.line)).sort()).toEqual([
      'GET /a 200',
      'GET /b 500 error',
      'GET /health 200',
    ]);
    expect(newestEntry(streams)?.entry.line).toBe('GET /a 200');
    // The default window is the last hour: the line from two hours ago is not in it.
    const lastHour = value(await loki.queryRange('{service="api"}'));
    expect(
      lastHour.type === 'streams' && lastHour.streams.flatMap((s) => s.entries.map((e) => e.line)),
    ).not.toContain('two hours ago');
    const newestTwo = value(await loki.queryRange('{service="api"}', { limit: 2 }));
    expect(
      newestTwo.type === 'streams' && newestTwo.streams.flatMap((s) => s.entries.map((e) => e.line)).sort(),
    ).toEqual(['GET /a 200', 'GET /b 500 error']);
    const oldest = value(await loki.queryRange('{service="api"}', { limit: 1, direction: 'forward' }));
    expect(oldest.type === 'streams' && oldest.streams[0]?.entries[0]?.line).toBe('GET /health 200');
    const errors = value(await loki.queryRange('{service=~"api|web"} |= "error"'));
    expect(errors.type === 'streams' && errors.streams.map((s) => s.labels)).toEqual([
      { service: 'api', level: 'error' },
    ]);
    expect(value(await loki.labels())).toEqual(['level', 'service']);
  });

  it("returns Loki's plain-text errors and its warming-up 503 in its words", async () => {
    const loki = new LokiClient({ url: urlOf('loki') }, { env: {} });
    const empty = await loki.queryRange('{service=~".*"}');
    expect(empty).toMatchObject({ ok: false, failure: { kind: 'api-error', status: 400 } });
    expect(!empty.ok && empty.failure.message).toContain(
      'queries require at least one regexp or equality matcher',
    );
    const warming = await serve(
      answer(503, 'text/plain; charset=utf-8', 'Ingester not ready: waiting for 15s after being ready\n'),
    );
    expect(await new LokiClient({ url: warming }, { env: {} }).ready()).toMatchObject({
      ok: false,
      failure: {
        kind: 'not-ready',
        status: 503,
        detail: 'Ingester not ready: waiting for 15s after being ready',
      },
    });
    const proxy = await serve(answer(502, 'text/html', '<html>Bad Gateway</html>'));
    expect(await new LokiClient({ url: proxy }, { env: {} }).labels()).toMatchObject({
      ok: false,
      failure: { kind: 'http-status', status: 502 },
    });
  });

  it('sends the tenant header a multi-tenant Loki needs', async () => {
    let tenant: string | undefined;
    const url = await serve((req, res) => {
      tenant = req.headers['x-scope-orgid'] as string | undefined;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"success","data":["job"]}');
    });
    expect(
      value(await new LokiClient({ url, headers: { 'X-Scope-OrgID': 'team-a' } }, { env: {} }).labels()),
    ).toEqual(['job']);
    expect(tenant).toBe('team-a');
  });
});
