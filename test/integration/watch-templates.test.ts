// The watch's built-in query templates against a real Prometheus 2.42 scraping a loopback exporter in
// the shapes prom-client and Traefik (v2/v3, `service` label) write: each gives a window with traffic,
// its failures and its buckets; a service that never failed reads 0 failures, not "no data"; and a
// service nobody scrapes reads no data.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusClient } from '../../src/runners/prometheus/client.js';
import { watchSchema } from '../../src/suites/post-cutover/define.js';
import { readService } from '../../src/suites/post-cutover/run.js';
import { serviceQueries } from '../../src/suites/post-cutover/templates.js';
import { type MonitoringStack, startMonitoringStack } from '../helpers/monitoring-stack.js';

const LE = ['0.005', '0.05', '0.5', '+Inf'];
const started = performance.now();

function histogram(name: string, labels: string, n: number): string[] {
  return [
    ...LE.map(
      (le, i) => `${name}_bucket{${labels},le="${le}"} ${le === '+Inf' ? n : Math.floor((n * (i + 1)) / 4)}`,
    ),
    `${name}_count{${labels}} ${n}`,
    `${name}_sum{${labels}} ${n * 0.01}`,
  ];
}

function exposition(): string {
  const n = Math.floor(((performance.now() - started) / 1000) * 20);
  const failed = Math.floor(n / 10);
  return `${[
    '# TYPE http_requests_total counter',
    `http_requests_total{method="GET",route="/a",status="200"} ${n}`,
    `http_requests_total{method="GET",route="/a",status="503"} ${failed}`,
    '# TYPE http_request_duration_seconds histogram',
    ...histogram('http_request_duration_seconds', 'method="GET",route="/a",status="200"', n),
    '# TYPE traefik_service_requests_total counter',
    `traefik_service_requests_total{code="200",method="GET",protocol="http",service="shop@docker"} ${n}`,
    `traefik_service_requests_total{code="200",method="GET",protocol="http",service="calm@docker"} ${n}`,
    `traefik_service_requests_total{code="502",method="GET",protocol="http",service="shop@docker"} ${failed}`,
    '# TYPE traefik_service_request_duration_seconds histogram',
    ...histogram(
      'traefik_service_request_duration_seconds',
      'code="200",method="GET",protocol="http",service="shop@docker"',
      n,
    ),
    ...histogram(
      'traefik_service_request_duration_seconds',
      'code="200",method="GET",protocol="http",service="calm@docker"',
      n,
    ),
  ].join('\n')}\n`;
}

let exporter: Server;
let stack: MonitoringStack;
let prometheus: PrometheusClient;

beforeAll(async () => {
  exporter = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(exposition());
  });
  await new Promise<void>((r) => exporter.listen(0, '127.0.0.1', r));
  const host = `127.0.0.1:${(exporter.address() as AddressInfo).port}`;
  stack = await startMonitoringStack({ alertmanager: false, scrapeJobs: [{ job: 'api', targets: [host] }] });
  prometheus = new PrometheusClient({ url: stack.prometheusUrl }, { env: {} });
  await new Promise((r) => setTimeout(r, 5000));
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  exporter?.close();
});

const read = (service: string, template?: string) => {
  const settings = watchSchema.parse(template ? { services: { [service]: { template } } } : {});
  return readService(prometheus, serviceQueries(settings, service, 4000), 5000, { queries: 0 });
};

describe('the built-in query templates on a real Prometheus', () => {
  it('read prom-client’s HTTP metrics: requests, failures and buckets', async () => {
    const sample = await read('api');
    expect(sample.state).toBe('traffic');
    if (sample.state !== 'traffic') return;
    expect(sample.requests).toBeGreaterThan(40);
    expect(sample.errors / sample.requests).toBeGreaterThan(0.04);
    expect(sample.buckets.map((b) => b.leMs)).toEqual([5, 50, 500, Number.POSITIVE_INFINITY]);
  });

  it('read Traefik’s service metrics by the service label, a service without failures as 0 of them', async () => {
    const shop = await read('shop', 'traefik');
    expect(shop).toMatchObject({ state: 'traffic' });
    expect(shop.state === 'traffic' && shop.errors).toBeGreaterThan(0);
    const calm = await read('calm', 'traefik');
    expect(calm).toMatchObject({ state: 'traffic', errors: 0 });
  });

  it('read a service nobody reports as no data', async () => {
    expect(await read('ghost')).toMatchObject({ state: 'no-data' });
    expect(await read('ghost', 'traefik')).toMatchObject({ state: 'no-data' });
  });
});
