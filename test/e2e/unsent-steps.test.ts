// A step that is never sent counts as nothing — so it must not count as a pass. Through the real CLI,
// in a project of a new user outside this repository (its own config, scenario file, gate and a small
// shop API on loopback): a placeholder nothing defines is refused before anything is sent (exit 2),
// and a step left unsent at run time makes the user's gate INCONCLUSIVE with the step named, on the
// console, in report.md, and again when `cutover gate` judges the recorded run.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/project.js';

/**
 * A shop API: accounts open sessions, orders list a catalog and take orders. The target's session
 * answer lacks the session id, so the order step, which needs it, cannot be sent there.
 */
function shopApi(lacksSessionId: boolean, seen: string[]): Promise<Server> {
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    req.resume();
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/sessions')
        return send(201, {
          session: lacksSessionId ? { state: 'open' } : { id: crypto.randomUUID(), state: 'open' },
        });
      if (req.method === 'GET' && req.url === '/catalog') return send(200, { items: ['tent', 'stove'] });
      if (req.method === 'POST' && req.url === '/orders')
        return req.headers['x-session']
          ? send(201, { status: 'placed' })
          : send(401, { error: 'no session' });
      return send(404, { error: 'not found' });
    });
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

const urlOf = (s: Server) => `http://127.0.0.1:${(s.address() as { port: number }).port}`;

const servers: Server[] = [];
const seen: string[] = [];
let baseline: string;
let target: string;
const dirs: string[] = [];

beforeAll(async () => {
  const [b, t] = [await shopApi(false, seen), await shopApi(true, seen)];
  servers.push(b, t);
  [baseline, target] = [urlOf(b), urlOf(t)];
});
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((done) => s.close(done));
  }
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A project folder of the user's own, outside this repository, with one scenario file and one gate. */
function project(scenario: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-unsent-'));
  dirs.push(dir);
  const services = { accounts: { url: baseline }, orders: { url: baseline } };
  const targetServices = { accounts: { url: target }, orders: { url: target } };
  writeFileSync(
    join(dir, 'cutover.config.mjs'),
    `export default ${JSON.stringify({
      project: 'shop',
      environments: {
        baseline: { kind: 'compose', composeFile: './docker-compose.yml', services },
        target: { kind: 'kubernetes', context: 'shop', namespaces: ['shop'], services: targetServices },
      },
      services: {
        accounts: { tier: 'application', phase: 3, wave: 'shop', health: { path: '/catalog' } },
        orders: { tier: 'application', phase: 3, wave: 'shop', health: { path: '/catalog' } },
      },
      integration: { scenarios: ['./shop.scenario.mjs'], timeoutMs: 5000 },
    })};\n`,
  );
  writeFileSync(join(dir, 'shop.scenario.mjs'), scenario);
  mkdirSync(join(dir, 'gates'));
  writeFileSync(
    join(dir, 'gates/shop-orders.mjs'),
    `export default { id: 'shop-orders', phase: 3, title: 'Orders moved to Kubernetes', criteria: [
  { id: 'parity', title: 'responses equal', serves: 3, expr: 'parity{service:orders}.ratio == 1' },
  { id: 'checks', title: 'integration checks pass', serves: 3, expr: 'integration{service:orders}.failed == 0' },
] };\n`,
  );
  return dir;
}

const checkout = (orderHeader: string) => `import { defineScenario } from 'cutover';
export const checkout = defineScenario({
  name: 'shop-checkout',
  service: 'orders',
  steps: [
    { name: 'open session', service: 'accounts', request: { method: 'POST', path: '/sessions', json: {} },
      expect: { status: 201 }, capture: { sessionId: 'session.id' } },
    { name: 'list catalog', request: { method: 'GET', path: '/catalog' } },
    { name: 'create order', request: { method: 'POST', path: '/orders', headers: { 'x-session': '${orderHeader}' }, json: { sku: 'tent' } },
      expect: { status: 201 } },
  ],
});
`;

describe('a step that is never sent', () => {
  it('a placeholder nothing defines is exit 2 naming the file, step and placeholder, before anything is sent', async () => {
    const dir = project(checkout('{{now}}'));
    seen.length = 0;
    // Every default suite: none of them may send a request before the scenario is refused.
    const r = await runCli(['run'], { cwd: dir, timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      'cutover: a scenario step uses a placeholder that nothing defines; no request was sent',
    );
    expect(r.stderr).toContain(
      './shop.scenario.mjs: scenario "shop-checkout", step "create order": {{now}} in request.headers.x-session is undefined',
    );
    expect(r.stderr).toContain('hint: a placeholder is a built-in ({{runId}})');
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(seen).toEqual([]);
    expect(existsSync(join(dir, 'reports')) ? readdirSync(join(dir, 'reports')) : []).toEqual([]);
    // A near miss of a captured value gets a "did you mean".
    const typo = project(checkout('{{sesionId}}'));
    const t = await runCli(['run', '--suite', 'integration'], { cwd: typo, timeoutMs: 60_000 });
    expect(t.code).toBe(2);
    expect(t.stderr).toContain('{{sesionId}} in request.headers.x-session is undefined');
    expect(t.stderr).toContain('did you mean {{sessionId}}?');
  });

  it("a step not sent on the target makes the service's gate INCONCLUSIVE with the step named, never GO", async () => {
    const dir = project(checkout('{{sessionId}}'));
    seen.length = 0;
    const r = await runCli(['run', '--suite', 'integration', '--gate', 'shop-orders'], {
      cwd: dir,
      timeoutMs: 60_000,
    });
    const named = `step 'create order' of scenario 'shop-checkout' was not sent on target: needs {{sessionId}}, which step "open session" did not capture`;
    // The order went out on the baseline only (its three reads: integration.baselineReads): the target's
    // session answer had no id to send with it.
    expect(seen.filter((s) => s === 'POST /orders')).toHaveLength(3);
    // Said on the console while the run goes, and in the gate's verdict.
    expect(r.stderr).toContain(`integration: ${named}`);
    expect(r.stdout).toContain('Gate shop-orders: INCONCLUSIVE');
    expect(r.stdout).not.toMatch(/Gate shop-orders: GO/);
    expect(r.stdout).toMatch(
      new RegExp(
        `INCONCLUSIVE parity: parity\\{service:orders\\}\\.ratio = 1\\.0000 over 1 compared responses.*${literal(named)} — no evidence`,
      ),
    );
    expect(r.stdout).toMatch(
      new RegExp(
        `INCONCLUSIVE checks: integration\\{service:orders\\}\\.failed = 0 .*${literal(named)} — no evidence`,
      ),
    );
    const reportDir = /Report: (\S+)/.exec(r.stdout)?.[1];
    expect(reportDir, r.stdout).toBeDefined();
    const md = readFileSync(join(dir, reportDir!, 'report.md'), 'utf8');
    expect(md).toContain('## Gate shop-orders: INCONCLUSIVE');
    expect(md).toContain(`${named} — no evidence`);
    expect(md).toContain(`- target: ${named}`);

    // The recorded run judged again by the gate alone: the same INCONCLUSIVE, exit 3.
    const runId = reportDir!.split('/').pop()!;
    const g = await runCli(['gate', '--phase', 'shop-orders', '--run', runId], {
      cwd: dir,
      timeoutMs: 60_000,
    });
    expect(g.code, g.stderr).toBe(3);
    expect(g.stdout).toContain('Gate shop-orders: INCONCLUSIVE');
    expect(g.stdout).toContain(`${named} — no evidence`);
  });
});

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
