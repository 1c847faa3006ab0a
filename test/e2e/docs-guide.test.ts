// The guide (docs/guide.md) works as written: its config, flow, load scenario and gate, copied into a
// project folder outside the repository and pointed at a small loopback orders API (baseline and target,
// as the guide's A/A trial), load, run and give the guide's verdicts through the real CLI.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, ROOT, runCli } from '../helpers/project.js';

/** The guide's code blocks, by the file named in their first line (`// flows/orders.ts`). */
function guideFiles(): Record<string, string> {
  const guide = readFileSync(join(ROOT, 'docs', 'guide.md'), 'utf8');
  const files: Record<string, string> = {};
  for (const m of guide.matchAll(/```ts\n\/\/ (\S+)\n([\s\S]*?)```/g)) files[m[1]!] = m[2]!;
  return files;
}

/** The guide's orders API: health, list, create (201 with a fresh UUID), read, delete (204). */
function ordersServer(): Server {
  const orders = new Map<string, Record<string, unknown>>();
  return createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const send = (status: number, value?: unknown) => {
        res.writeHead(status, value === undefined ? {} : { 'content-type': 'application/json' });
        res.end(value === undefined ? '' : JSON.stringify(value));
      };
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/health') return send(200, { status: 'ok' });
      if (path === '/orders' && req.method === 'GET') return send(200, { orders: [...orders.values()] });
      if (path === '/orders' && req.method === 'POST') {
        const order = { id: randomUUID(), ...JSON.parse(body || '{}'), createdAt: new Date().toISOString() };
        orders.set(order.id, order);
        return send(201, order);
      }
      const id = /^\/orders\/([^/]+)$/.exec(path)?.[1];
      if (id && orders.has(id)) {
        if (req.method === 'DELETE') {
          orders.delete(id);
          return send(204);
        }
        return send(200, orders.get(id));
      }
      send(404, { error: 'not found' });
    });
  });
}

describe('the guide, followed as written', () => {
  const servers = { baseline: ordersServer(), target: ordersServer() };
  let dir = '';

  beforeAll(async () => {
    const ports = { baseline: await freePort(), target: await freePort() };
    await Promise.all(
      (['baseline', 'target'] as const).map(
        (side) => new Promise<void>((done) => servers[side].listen(ports[side], '127.0.0.1', done)),
      ),
    );
    const files = guideFiles();
    expect(Object.keys(files).sort()).toEqual([
      'cutover.config.ts',
      'flows/orders.ts',
      'gates/orders.ts',
      'load/orders-read.ts',
    ]);
    // The guide's baseline and target URLs, pointed at this test's two copies of the API.
    files['cutover.config.ts'] = files['cutover.config.ts']!.replace(
      'http://127.0.0.1:8081',
      `http://127.0.0.1:${ports.baseline}`,
    ).replace('https://orders.staging.example.com', `http://127.0.0.1:${ports.target}`);
    files['docker-compose.yml'] = 'services:\n  orders-api:\n    image: shop/orders-api:1.4.2\n';
    dir = mkdtempSync(join(tmpdir(), 'cutover-guide-'));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
  });

  afterAll(async () => {
    for (const s of Object.values(servers)) s.closeAllConnections();
    await Promise.all(Object.values(servers).map((s) => new Promise((done) => s.close(done))));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('plans the load scenario as the guide shows, sending nothing', async () => {
    const dry = await runCli(['perf', '--dry-run'], { cwd: dir });
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('orders-read (orders-api): constant-arrival-rate, peak 50 it/s');
    expect(dry.stdout).toContain('create order: POST /orders → expects 201, captures orderId');
    expect(dry.stdout).toContain('Dry run: nothing was sent.');
  });

  it('runs the health check, the flow and a shortened load, and the own gate gives GO', async () => {
    const run = await runCli(['run', '--suite', 'smoke,integration', '--json'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as {
      verdict: string;
      runId: string;
      gates: { id: string; criteria: { id: string; status: string }[] }[];
    };
    expect(summary.verdict).toBe('GO');
    const own = summary.gates.find((g) => g.id === 'orders')!;
    expect(own.criteria.find((c) => c.id === 'healthy')?.status).toBe('PASS');
    expect(own.criteria.find((c) => c.id === 'parity')?.status).toBe('PASS');

    // The guide's 20 s load, compressed: the same scenario, setup and thresholds, in seconds (300 requests a side: enough for the error rate's interval to fall below 1 %).
    const perf = await runCli(['perf', '--duration', '6s', '--warmup', '0', '--block', '1s', '--json'], {
      cwd: dir,
    });
    expect(perf.code, perf.stderr).not.toBe(2);
    const perfRun = (JSON.parse(perf.stdout) as { runId: string }).runId;

    // `cutover gate` judges the guide's gate on both recorded runs together.
    const gate = await runCli(['gate', '--phase', 'orders', '--run', summary.runId, '--run', perfRun], {
      cwd: dir,
    });
    expect(gate.stdout, gate.stderr).toContain('Gate orders: GO');
    expect(gate.stdout).toContain('✓ 5 criteria passed'); // the four of the guide and scenario-thresholds
    expect(gate.code).toBe(0);
  }, 120_000);
});
