// A run whose parity found a field missing on the target is read back by every command that reads
// runs: report, gate --run and baseline record. JSON drops the undefined value of a `missing`
// difference; these commands once exited 2 with "evidence[…].differences[0].target: missing".
// A project folder outside the repository, with its own config, gate and loopback API.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/project.js';

/** An orders API; the target's answer lacks `total` (and adds `currency`), as a half-done port might. */
function ordersApi(side: 'baseline' | 'target'): Server {
  return createServer((req, res) => {
    const body =
      req.url === '/health'
        ? { ok: true }
        : side === 'baseline'
          ? { id: 'o-1', sku: 'SKU-1', qty: 2, total: 25 }
          : { id: 'o-1', sku: 'SKU-1', qty: 2, currency: 'EUR' };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
}

const listen = (server: Server) =>
  new Promise<string>((done) =>
    server.listen(0, '127.0.0.1', () =>
      done(`http://127.0.0.1:${(server.address() as { port: number }).port}`),
    ),
  );

describe('a run with a field missing on the target reads back', () => {
  const servers = [ordersApi('baseline'), ordersApi('target')];
  const dir = mkdtempSync(join(tmpdir(), 'cutover-'));
  let runDir = '';

  beforeAll(async () => {
    const [baseline, target] = await Promise.all(servers.map(listen));
    writeFileSync(
      join(dir, 'cutover.config.mjs'),
      `export default ${JSON.stringify({
        project: 'shop',
        environments: {
          baseline: {
            kind: 'compose',
            composeFile: './compose.yml',
            services: { orders: { url: baseline } },
          },
          target: {
            kind: 'kubernetes',
            context: 'shop',
            namespaces: ['shop'],
            services: { orders: { url: target } },
          },
        },
        services: { orders: { tier: 'application', phase: 3, health: { path: '/health' } } },
        integration: { scenarios: ['./orders.scenario.mjs'] },
      })};\n`,
    );
    writeFileSync(
      join(dir, 'orders.scenario.mjs'),
      `export default { name: 'orders', service: 'orders', steps: [{ name: 'read order', request: { method: 'GET', path: '/orders/o-1' }, expect: { status: 200 } }] };\n`,
    );
    mkdirSync(join(dir, 'gates'));
    writeFileSync(
      join(dir, 'gates', 'orders.mjs'),
      `export default { id: 'orders', phase: 3, title: 'Orders API', criteria: [{ id: 'parity', title: 'responses equal', serves: 3, expr: 'parity.ratio == 1' }] };\n`,
    );
  });

  afterAll(async () => {
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise((done) => s.close(done));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('cutover run records the missing and the extra field; the project gate fails on them', async () => {
    const r = await runCli(['run', '--suite', 'integration', '--json'], { cwd: dir });
    expect(r.code, r.stderr).not.toBe(2);
    const summary = JSON.parse(r.stdout) as {
      reportDir: string;
      gates: Array<{ id: string; verdict: string }>;
    };
    expect(summary.gates.find((g) => g.id === 'orders')?.verdict).toBe('NO-GO');
    runDir = join(dir, summary.reportDir);
    const run = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
    const differences = run.evidence.flatMap((e: { differences?: unknown[] }) => e.differences ?? []);
    // Written without the side that has no value: JSON has no undefined.
    expect(differences).toEqual(
      expect.arrayContaining([
        { path: 'total', kind: 'missing', baseline: 25 },
        { path: 'currency', kind: 'extra', target: 'EUR' },
      ]),
    );
  });

  it('cutover report <run> reads it', async () => {
    rmSync(join(runDir, 'report.md'));
    const r = await runCli(['report', runDir], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(runDir, 'report.md'), 'utf8')).toMatch(/total/);
  });

  it('cutover gate --phase orders --run <run> reads it and judges the difference', async () => {
    const r = await runCli(['gate', '--phase', 'orders', '--run', runDir, '--json'], { cwd: dir });
    expect(r.stderr).not.toMatch(/not a valid run record/);
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'NO-GO' });
  });

  it('cutover baseline record <run> --name x reads it and writes a baseline that reads back', async () => {
    const r = await runCli(['baseline', 'record', runDir, '--name', 'x'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'baselines', 'x.json'))).toBe(true);
    const gate = await runCli(['gate', '--phase', 'orders', '--run', runDir, '--baseline', 'x', '--json'], {
      cwd: dir,
    });
    expect(gate.stderr).not.toMatch(/not a cutover baseline|not a valid run record/);
    expect(gate.code, gate.stderr).toBe(1);
  });

  it('without run.json (a killed run), the events rebuild it and report reads that too', async () => {
    rmSync(join(runDir, 'run.json'));
    rmSync(join(runDir, 'report.md'));
    const r = await runCli(['report', runDir, '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    // The parity event is read, not skipped as "not a known event" (which kept the report readable
    // but silently without the difference).
    const report = readFileSync(join(runDir, 'report.md'), 'utf8');
    expect(report).not.toMatch(/not a known event/);
    expect(report).toMatch(/total/);
    const summary = JSON.parse(r.stdout) as { gates: Array<{ id: string; verdict: string }> };
    expect(summary.gates.find((g) => g.id === 'orders')?.verdict).toBe('NO-GO');
  });
});
