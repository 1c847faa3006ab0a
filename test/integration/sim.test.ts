import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, SIM_SERVICE_IDS, simHealthSpecs, startSimulator } from '../../sim/index.js';

const HOST = '127.0.0.1';

function urlOf(sim: RunningSimulator, environment: string, service: string): string {
  const e = sim.endpoints.find((x) => x.environment === environment && x.service === service);
  if (!e) throw new Error(`no endpoint ${environment}/${service}`);
  return e.url;
}

// biome-ignore lint/suspicious/noExplicitAny: the assertions check the bodies; types would only repeat them.
async function getJson(url: string, init?: RequestInit): Promise<{ status: number; body: any }> {
  const res = await fetch(url, init);
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, body: type.includes('json') ? await res.json() : await res.text() };
}

const postJson = (url: string, body: unknown) =>
  getJson(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** Removes what a parity diff is told to ignore: minted ids, per-response ids, timestamps. */
function stable(value: unknown): unknown {
  const volatile =
    /^(id|runId|thread_id|executionId|requestId|timestamp|asOf|server_time_utc|lastScrape|lastEvaluation|\w+At)$/;
  if (Array.isArray(value)) return value.map(stable);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !volatile.test(k))
        .map(([k, v]) => [k, stable(v)]),
    );
  }
  return value;
}

const assessment = {
  product: 'Bicycle frame',
  hsCode: '871491',
  components: [
    { name: 'aluminium tubing', originCountry: 'NL', valuePct: 55 },
    { name: 'welding', originCountry: 'DE', valuePct: 20 },
    { name: 'paint', originCountry: 'CN', valuePct: 25 },
  ],
};

describe('simulator with every service in two environments', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({
      listeners: ['baseline', 'target'].flatMap((environment) =>
        SIM_SERVICE_IDS.map((service) => ({ environment, service, host: HOST, port: 0 })),
      ),
      seed: 42,
    });
  });
  afterAll(() => sim.stop());

  it('reports one endpoint per listener, on its own port', () => {
    expect(sim.endpoints).toHaveLength(SIM_SERVICE_IDS.length * 2);
    const ports = new Set(sim.endpoints.map((e) => new URL(e.url).port));
    expect(ports.size).toBe(sim.endpoints.length);
  });

  it.each(SIM_SERVICE_IDS)('%s answers its health endpoint as simHealthSpecs says', async (service) => {
    const spec = simHealthSpecs[service as keyof typeof simHealthSpecs];
    expect(spec).toBeDefined();
    const res = await fetch(urlOf(sim, 'baseline', service) + spec.path);
    expect(res.status).toBe(spec.status);
    expect(res.headers.get('content-type')).toMatch(new RegExp(`^${spec.contentType}(;|$)`));
    const body = await res.text();
    if (spec.json) expect(JSON.parse(body)).toMatchObject(spec.json);
    if (spec.contains) expect(body).toContain(spec.contains);
  });

  it('serves product-shaped health bodies', async () => {
    const bao = await getJson(`${urlOf(sim, 'baseline', 'openbao')}/v1/sys/health`);
    expect(bao.body).toMatchObject({ performance_standby: false, version: '2.0.3' });
    expect(bao.body.cluster_name).toMatch(/^vault-cluster-[0-9a-f]{8}$/);
    expect(Number.isInteger(bao.body.server_time_utc)).toBe(true);
    const prom = await getJson(`${urlOf(sim, 'baseline', 'prometheus')}/-/healthy`);
    expect(prom.body).toBe('Prometheus Server is Healthy.\n');
    const kcUrl = urlOf(sim, 'target', 'keycloak');
    const discovery = await getJson(`${kcUrl}/realms/sevensa/.well-known/openid-configuration`);
    expect(discovery.body.issuer).toBe(`${kcUrl}/realms/sevensa`);
    expect(discovery.body.token_endpoint).toBe(`${kcUrl}/realms/sevensa/protocol/openid-connect/token`);
    const api = await getJson(`${urlOf(sim, 'baseline', 'rentguy-api')}/health`);
    expect(api.body).toMatchObject({ status: 'healthy', service: 'rentguy-api' });
    expect(Number.isNaN(Date.parse(api.body.timestamp))).toBe(false);
    // A frontend's pages are behind the sign-in (test/integration/sim-pages.test.ts drives it in a browser).
    const page = await fetch(urlOf(sim, 'baseline', 'psra-frontend'), { redirect: 'manual' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/login?next=%2F');
    const login = await fetch(`${urlOf(sim, 'baseline', 'psra-frontend')}/login`, { redirect: 'manual' });
    expect(login.headers.get('location')).toMatch(
      /\/realms\/sevensa\/protocol\/openid-connect\/auth\?client_id=psra-frontend&/,
    );
  });

  it("a frontend's Keycloak client requires PKCE (S256) and its registered redirect URI", async () => {
    const kc = urlOf(sim, 'baseline', 'keycloak');
    const callback = `${urlOf(sim, 'baseline', 'rentguy-frontend')}/callback`;
    const auth = (params: Record<string, string>) =>
      fetch(
        `${kc}/realms/sevensa/protocol/openid-connect/auth?${new URLSearchParams({
          client_id: 'rentguy-frontend',
          response_type: 'code',
          scope: 'openid',
          state: 's',
          ...params,
        })}`,
        { redirect: 'manual' },
      );
    // Without a code challenge the request goes back to the client with an error, never to the login.
    const noPkce = await auth({ redirect_uri: callback });
    const back = new URL(noPkce.headers.get('location') ?? '', kc);
    expect(`${back.origin}${back.pathname}`).toBe(callback);
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('error_description')).toMatch(/requires PKCE/);
    // Another site's redirect URI is refused on Keycloak's own page.
    const foreign = await auth({
      redirect_uri: 'http://attacker.example/callback',
      code_challenge: 'x'.repeat(43),
      code_challenge_method: 'S256',
    });
    expect(foreign.status).toBe(400);
    expect(foreign.headers.get('location')).toBeNull();
    // With both, the browser is sent to Keycloak's login page.
    const ok = await auth({
      redirect_uri: callback,
      code_challenge: 'x'.repeat(43),
      code_challenge_method: 'S256',
    });
    expect(ok.headers.get('location')).toMatch(/^\/realms\/sevensa\/login-actions\/authenticate\/[\w-]+$/);
  });

  it('runs a booking through its life cycle', async () => {
    const api = urlOf(sim, 'baseline', 'rentguy-api');
    const booking = {
      equipmentId: 'eq-1003',
      from: '2025-06-01',
      to: '2025-06-03',
      customer: 'Stichting Zomerfeest',
    };
    const created = await postJson(`${api}/api/bookings`, booking);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...booking, status: 'confirmed', days: 2 });
    expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/);
    const read = await getJson(`${api}/api/bookings/${created.body.id}`);
    expect(read.body).toEqual(created.body);
    const cancelled = await getJson(`${api}/api/bookings/${created.body.id}`, { method: 'DELETE' });
    expect(cancelled.body.status).toBe('cancelled');
    expect((await postJson(`${api}/api/bookings`, { equipmentId: 'eq-1003' })).status).toBe(400);
    expect((await postJson(`${api}/api/bookings`, { ...booking, equipmentId: 'eq-9' })).status).toBe(422);
    expect((await getJson(`${api}/api/bookings/nope`)).status).toBe(404);
  });

  it('counts requests by route pattern in its own registry', async () => {
    const api = urlOf(sim, 'target', 'rentguy-api');
    for (const id of ['eq-1001', 'eq-1002', 'eq-1004']) await fetch(`${api}/api/equipment/${id}`);
    await fetch(`${api}/no/such/path`);
    const metrics = await (await fetch(`${api}/metrics`)).text();
    expect(metrics).toContain('http_requests_total{method="GET",route="/api/equipment/:id",status="200"} 3');
    expect(metrics).toContain('http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(metrics).toContain(
      'http_request_duration_seconds_count{method="GET",route="/api/equipment/:id",status="200"} 3',
    );
    // The other environment's instance of the same service counted nothing of this.
    const other = await (await fetch(`${urlOf(sim, 'baseline', 'wpcs-api')}/metrics`)).text();
    expect(other).not.toContain('/api/equipment/:id');
  });

  it('answers protocol errors with JSON: 404, 405, 400 and 413', async () => {
    const api = urlOf(sim, 'baseline', 'psra-api');
    const notFound = await getJson(`${api}/nope`);
    expect(notFound).toMatchObject({ status: 404, body: { error: 'not found' } });
    const wrongMethod = await fetch(`${api}/api/assessments/x`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
    const badJson = await getJson(`${api}/api/assessments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"product":',
    });
    expect(badJson).toMatchObject({ status: 400, body: { error: 'invalid JSON body' } });
    const huge = await postJson(`${api}/api/assessments`, { product: 'x'.repeat(1024 * 1024 + 1) });
    expect(huge.status).toBe(413);
  });

  it('gives the same non-volatile fields in both environments and on repeated requests', async () => {
    const reads: Array<[string, string]> = [
      ['rentguy-api', '/api/equipment'],
      ['rentguy-api', '/api/equipment/eq-1005'],
      ['wpcs-api', '/wp-json/wp/v2/posts'],
      ['wpcs-api', '/wp-json/wp/v2/posts/104'],
      ['wpcs-api', '/api/sites'],
      ['claude-chat', '/api/conversations'],
      ['claude-chat', '/api/models'],
      ['trading-dashboard', '/api/markets'],
      ['trading-dashboard', '/api/portfolio'],
      ['openbao', '/v1/sys/seal-status'],
      ['grafana', '/api/health'],
      ['alertmanager', '/api/v2/status'],
      ['prometheus', '/api/v1/targets'],
    ];
    for (const [service, path] of reads) {
      const a = await getJson(urlOf(sim, 'baseline', service) + path);
      const b = await getJson(urlOf(sim, 'target', service) + path);
      const again = await getJson(urlOf(sim, 'target', service) + path);
      expect(a.status, `${service}${path}`).toBe(200);
      expect(stable(b.body), `${service}${path}`).toEqual(stable(a.body));
      expect(stable(again.body), `${service}${path}`).toEqual(stable(a.body));
    }
    const search = async (env: string) =>
      (await postJson(`${urlOf(sim, env, 'langgraph')}/assistants/search`, { limit: 10 })).body;
    expect(await search('target')).toEqual(await search('baseline'));

    const assess = async (env: string) => {
      const api = urlOf(sim, env, 'psra-api');
      const accepted = await postJson(`${api}/api/assessments`, assessment);
      expect(accepted).toMatchObject({ status: 202, body: { status: 'pending' } });
      return (await getJson(`${api}/api/assessments/${accepted.body.id}`)).body;
    };
    const [a, b] = [await assess('baseline'), await assess('target')];
    expect(a.result).toMatchObject({ originCountry: 'NL', preferential: true, confidence: 0.93 });
    expect(b.id).not.toBe(a.id);
    expect(stable(b)).toEqual(stable(a));
  });

  it('takes a test alert and a log line and gives them back by label', async () => {
    const am = urlOf(sim, 'target', 'alertmanager');
    const labels = { alertname: 'MigrationSmokeTest', run_id: 'r1' };
    expect((await postJson(`${am}/api/v2/alerts`, [{ labels }])).status).toBe(200);
    expect((await postJson(`${am}/api/v2/alerts`, [{ labels: {} }])).status).toBe(400);
    const filter = encodeURIComponent('alertname="MigrationSmokeTest"');
    const found = await getJson(`${am}/api/v2/alerts?filter=${filter}`);
    expect(found.body).toHaveLength(1);
    expect(found.body[0]).toMatchObject({ labels, status: { state: 'active' } });
    expect(found.body[0].fingerprint).toMatch(/^[0-9a-f]{16}$/);

    const loki = urlOf(sim, 'target', 'loki');
    // Timestamped now: a query without start reads the last hour, as in Loki itself.
    const push = {
      streams: [
        {
          stream: { job: 'cutover', run_id: 'r1' },
          values: [[`${BigInt(Date.now()) * 1_000_000n}`, 'hello']],
        },
      ],
    };
    expect((await postJson(`${loki}/loki/api/v1/push`, push)).status).toBe(204);
    const query = encodeURIComponent('{run_id="r1"}');
    const logs = await getJson(`${loki}/loki/api/v1/query_range?query=${query}`);
    expect(logs.body.data.result).toEqual(push.streams);
    expect((await getJson(`${loki}/loki/api/v1/query_range?query=rate(x)`)).status).toBe(400);

    const up = await getJson(`${urlOf(sim, 'target', 'prometheus')}/api/v1/query?query=up`);
    expect(up.body.status).toBe('success');
    expect(up.body.data.result.length).toBeGreaterThan(5);
  });

  it('echoes n8n webhooks with an execution id', async () => {
    const res = await postJson(`${urlOf(sim, 'baseline', 'n8n')}/webhook/smoke`, { ping: 1 });
    expect(res.body).toMatchObject({ webhookId: 'smoke', body: { ping: 1 } });
    expect(res.body.executionId).toBeTruthy();
    expect(res.body.receivedAt).toBeTruthy();
  });
});

describe('simulator start-up and shutdown', () => {
  it('refuses hosts that are not loopback', async () => {
    for (const host of ['0.0.0.0', '192.168.1.10', 'localhost', '::']) {
      await expect(
        startSimulator({ listeners: [{ environment: 'baseline', service: 'n8n', host, port: 0 }] }),
      ).rejects.toThrow(/not a loopback IP address/);
    }
  });

  it('names the listener whose port is taken, and closes the servers it had started', async () => {
    const first = await startSimulator({
      listeners: [{ environment: 'baseline', service: 'rentguy-api', host: HOST, port: 0 }],
    });
    const port = Number(new URL(first.endpoints[0]!.url).port);
    const free = await freePort();
    try {
      await expect(
        startSimulator({
          listeners: [
            { environment: 'target', service: 'psra-api', host: HOST, port: free },
            { environment: 'baseline', service: 'rentguy-api', host: HOST, port },
          ],
        }),
      ).rejects.toThrow(`port ${port} for baseline/rentguy-api is already in use`);
      // The listener that did start was closed again: its port can be taken.
      await expect(canListen(free)).resolves.toBe(true);
    } finally {
      await first.stop();
    }
  });

  it('serves a generic stand-in for an unknown service, and IPv6 loopback', async () => {
    const sim = await startSimulator({
      listeners: [{ environment: 'lab', service: 'mystery', host: '::1', port: 0 }],
    });
    try {
      expect(sim.endpoints[0]!.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
      expect(await getJson(`${sim.endpoints[0]!.url}/health`)).toEqual({
        status: 200,
        body: { status: 'ok' },
      });
    } finally {
      await sim.stop();
    }
  });

  it('stops promptly with keep-alive connections open and a response held by a stall', async () => {
    const sim = await startSimulator({
      listeners: [{ environment: 'target', service: 'loki', host: HOST, port: 0 }],
      faults: [
        {
          environment: 'target',
          service: 'loki',
          fault: { kind: 'stall', afterMs: 0, durationMs: 60_000 },
          source: '',
        },
      ],
    });
    const held = fetch(`${sim.endpoints[0]!.url}/ready`).catch((err: Error) => err);
    await new Promise((r) => setTimeout(r, 50));
    const started = performance.now();
    await sim.stop();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await held).toBeInstanceOf(Error);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, HOST, () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, HOST, () => s.close(() => resolve(true)));
  });
}
