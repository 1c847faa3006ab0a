// A user's project outside the repository, as a new user would have one: its own folder under the
// system's temporary directory, its own config, scenario files and gates, and a small loopback "orders"
// API for baseline and target written for the test (fresh ids and timestamps on every answer, so parity
// has real noise to learn). Each side's behaviour is switchable while the servers run.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from './project.js';

export interface SideBehaviour {
  /** Extra milliseconds on every /orders answer. */
  delayMs: number;
  /** The order's total as a string instead of a number (a retyped field). */
  retype: boolean;
  /** Milliseconds /orders/slow takes (an integration step that hangs). */
  slowMs: number;
  /** Status of /health. */
  healthStatus: number;
}

export interface OrdersApi {
  baseline: SideBehaviour;
  target: SideBehaviour;
  urls: { baseline: string; target: string };
  requests: { baseline: number; target: number };
  close(): Promise<void>;
}

const DEFAULT: SideBehaviour = { delayMs: 0, retype: false, slowMs: 0, healthStatus: 200 };

function orderServer(side: () => SideBehaviour, count: () => void): Server {
  let nextId = 1000;
  return createServer((req, res) => {
    count();
    const b = side();
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/health')
      return json(b.healthStatus, { status: b.healthStatus < 400 ? 'ok' : 'down' });
    const answer = () => {
      if (url.pathname === '/orders/slow') return json(200, { slow: true });
      if (req.method === 'POST' && url.pathname === '/orders')
        return json(201, { orderId: `o-${nextId++}`, createdAt: new Date().toISOString() });
      if (url.pathname.startsWith('/orders/'))
        return json(200, {
          id: url.pathname.slice('/orders/'.length),
          total: b.retype ? '17.5' : 17.5,
          currency: 'EUR',
          servedAt: new Date().toISOString(),
          requestId: Math.random().toString(36).slice(2),
        });
      return json(404, { error: 'not found' });
    };
    const wait = url.pathname === '/orders/slow' ? b.slowMs : b.delayMs;
    if (wait > 0) setTimeout(answer, wait);
    else answer();
  });
}

export async function startOrdersApi(): Promise<OrdersApi> {
  const api = {
    baseline: { ...DEFAULT },
    target: { ...DEFAULT },
    requests: { baseline: 0, target: 0 },
  } as OrdersApi;
  const servers = {
    baseline: orderServer(
      () => api.baseline,
      () => api.requests.baseline++,
    ),
    target: orderServer(
      () => api.target,
      () => api.requests.target++,
    ),
  };
  const ports = { baseline: await freePort(), target: await freePort() };
  await Promise.all(
    (['baseline', 'target'] as const).map(
      (side) => new Promise<void>((done) => servers[side].listen(ports[side], '127.0.0.1', done)),
    ),
  );
  api.urls = { baseline: `http://127.0.0.1:${ports.baseline}`, target: `http://127.0.0.1:${ports.target}` };
  api.close = async () => {
    for (const s of Object.values(servers)) s.closeAllConnections();
    await Promise.all(Object.values(servers).map((s) => new Promise((done) => s.close(done))));
  };
  return api;
}

/** A project folder under the system's temporary directory, outside the repository. */
export function userProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-user-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** The orders project's config: the API on both sides, its integration scenario and load scenario. */
export function ordersConfig(api: OrdersApi, extra: Record<string, unknown> = {}): string {
  const config = {
    project: 'orders',
    environments: {
      baseline: {
        kind: 'compose',
        composeFile: './docker-compose.yml',
        services: { 'orders-api': { url: api.urls.baseline } },
      },
      target: {
        kind: 'kubernetes',
        context: 'orders-prod',
        namespaces: ['orders'],
        services: { 'orders-api': { url: api.urls.target } },
      },
    },
    services: {
      'orders-api': {
        tier: 'application',
        phase: 3,
        wave: 'orders',
        health: { path: '/health', json: { status: 'ok' } },
      },
    },
    integration: { scenarios: ['./orders.scenario.ts'] },
    performance: { scenarioFiles: ['./orders.load.ts'], warmup: '0', block: '1s' },
    ...extra,
  };
  return `import { defineConfig } from 'cutover';\n\nexport default defineConfig(${JSON.stringify(config, null, 2)});\n`;
}

export const ORDERS_SCENARIO = `import { defineFlow } from 'cutover';

export const orders = defineFlow({
  name: 'orders',
  service: 'orders-api',
  parity: { ignore: ['**.requestId'] },
  steps: [
    { name: 'place order', request: { method: 'POST', path: '/orders', json: { sku: 'SKU-1' } },
      expect: { status: 201 }, capture: { orderId: 'orderId' } },
    { name: 'read order', request: { method: 'GET', path: '/orders/{{orderId}}' } },
  ],
});
`;

/** A load scenario; `thresholds` as k6 writes them. */
export function ordersLoad(thresholds: Record<string, string[]> = {}): string {
  return `import { defineLoad } from 'cutover';

export default defineLoad({
  name: 'orders-read',
  service: 'orders-api',
  executor: { executor: 'constant-arrival-rate', rate: 150, timeUnit: '1s', duration: '2s',
              preAllocatedVUs: 10, maxVUs: 40 },
  requests: [{ weight: 1, method: 'GET', path: '/orders/42', endpoint: 'GET /orders/:id',
               checks: { 'status 200': (r) => r.status === 200 } }],
  thresholds: ${JSON.stringify(thresholds)},
});
`;
}

/** A gate file of the user's own (gates/NAME.ts). */
export function gateFile(spec: Record<string, unknown>): string {
  return `import { defineGate } from 'cutover';\n\nexport default defineGate(${JSON.stringify(spec, null, 2)});\n`;
}
