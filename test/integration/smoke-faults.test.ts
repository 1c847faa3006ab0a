// The smoke suite against the real simulator, one fault kind at a time: each shows up as the right
// failed check with a reason, and a healthy service passes.
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator } from '../../sim/index.js';
import { simHealthSpecs } from '../../sim/platform.js';
import type { SmokeSettings } from '../../src/config/schema.js';
import { type FaultSpec, parseFaultSpec } from '../../src/core/faults.js';
import type { CheckResult } from '../../src/core/model.js';
import type { SmokeTarget } from '../../src/suites/smoke/plan.js';
import { runSmoke } from '../../src/suites/smoke/run.js';
import { makePki } from '../helpers/tls.js';

const settings: SmokeSettings = {
  probes: 3,
  timeoutMs: 2000,
  concurrency: 4,
  maxBodyBytes: 1024 * 1024,
  certMinDays: 14,
};
let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

function fault(text: string): FaultSpec {
  const r = parseFaultSpec(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

async function smokeWith(
  service: keyof typeof simHealthSpecs,
  faults: string[],
  tweak: Partial<SmokeSettings> = {},
) {
  const sim = await startSimulator({
    listeners: [{ environment: 'target', service, host: '127.0.0.1', port: 0 }],
    faults: faults.map(fault),
    seed: 7,
  });
  stop = () => sim.stop();
  const target: SmokeTarget = {
    environment: 'target',
    service,
    url: sim.endpoints[0]!.url,
    health: { ...simHealthSpecs[service] },
    pins: {},
  };
  const checks = await runSmoke([target], { ...settings, ...tweak });
  const by = (name: string) => checks.find((c) => c.check === name)!;
  return { checks, by };
}

const statuses = (checks: CheckResult[]) => Object.fromEntries(checks.map((c) => [c.check, c.status]));

describe('smoke suite on the simulator', () => {
  it('passes a healthy service, and skips TLS on plain HTTP', async () => {
    const { checks, by } = await smokeWith('openbao', []);
    expect(statuses(checks)).toEqual({
      reachable: 'pass',
      status: 'pass',
      'content-type': 'pass',
      health: 'pass',
      tls: 'skip',
      latency: 'pass',
    });
    expect(by('health').reason).toContain('sealed=false');
    expect(by('latency').data).toMatchObject({ probes: 3, answered: 3 });
  });

  it('down: reachable fails as connection refused, the rest is skipped', async () => {
    const { checks, by } = await smokeWith('rentguy-api', ['target:rentguy-api:down']);
    expect(by('reachable').status).toBe('fail');
    expect(by('reachable').reason).toMatch(/connection refused/);
    expect(
      checks
        .filter((c) => c.status === 'skip')
        .map((c) => c.check)
        .sort(),
    ).toEqual(['content-type', 'health', 'latency', 'status', 'tls']);
  });

  it('errors=100%: status, health and latency fail with HTTP 500', async () => {
    const { by } = await smokeWith('psra-api', ['target:psra-api:errors=100%']);
    expect(by('status')).toMatchObject({ status: 'fail', reason: 'HTTP 500, expected 200' });
    expect(by('health').status).toBe('fail');
    expect(by('latency').reason).toMatch(/3 of 3 probes failed: HTTP 500/);
  });

  it('latency=+80ms: the probes measure the added delay', async () => {
    const { by } = await smokeWith('grafana', ['target:grafana:latency=+80ms']);
    expect(by('latency').status).toBe('pass');
    expect(by('latency').data!.p50Ms as number).toBeGreaterThanOrEqual(80);
  });

  it('latency=lognormal: every probe is delayed around the median', async () => {
    const { by } = await smokeWith('grafana', ['target:grafana:latency=lognormal:60ms:0.1']);
    expect(by('latency').data!.p50Ms as number).toBeGreaterThanOrEqual(40);
  });

  it('a latency beyond the timeout fails reachability as a timeout', async () => {
    const { by } = await smokeWith('n8n', ['target:n8n:latency=+600ms'], { timeoutMs: 300 });
    expect(by('reachable')).toMatchObject({ status: 'fail' });
    expect(by('reachable').reason).toMatch(/within 300 ms/);
  });

  it('drift on a health field: the health check names the field, expected and got', async () => {
    const { by } = await smokeWith('openbao', ['target:openbao:drift=sealed']);
    expect(by('health').status).toBe('fail');
    expect(by('health').reason).toBe('sealed expected false, got true');
  });

  it('drift :missing and :type on a health field', async () => {
    const missing = await smokeWith('keycloak', ['target:keycloak:drift=status:missing']);
    expect(missing.by('health').reason).toBe('status expected "UP", got nothing');
    await stop?.();
    const typed = await smokeWith('keycloak', ['target:keycloak:drift=status:type']);
    expect(typed.by('health').reason).toMatch(/^status expected "UP", got \d+$/);
  });

  it('stall: a response held past the timeout fails; the run still completes', async () => {
    const { checks, by } = await smokeWith('loki', ['target:loki:stall=5s@0s'], {
      timeoutMs: 400,
      probes: 1,
    });
    expect(by('reachable').status).toBe('fail');
    expect(by('reachable').reason).toMatch(/within 400 ms/);
    expect(checks).toHaveLength(6);
  });

  it('an interrupt ends a probe held by a stall at once, and records nothing for it', {
    timeout: 15_000,
  }, async () => {
    const sim = await startSimulator({
      listeners: [{ environment: 'target', service: 'loki', host: '127.0.0.1', port: 0 }],
      faults: [fault('target:loki:stall=60s@0s')],
    });
    stop = () => sim.stop();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const checks = await runSmoke(
      [
        {
          environment: 'target',
          service: 'loki',
          url: sim.endpoints[0]!.url,
          health: { ...simHealthSpecs.loki },
          pins: {},
        },
      ],
      { ...settings, timeoutMs: 120_000 },
      { signal: controller.signal },
    );
    // Without the signal reaching the probe, this would wait out the 120 s timeout (past the test's deadline).
    expect(checks).toEqual([]);
  });

  it('a health payload that is not JSON fails the health check with a snippet', async () => {
    const { by } = await smokeWith('traefik', []);
    expect(by('health').status).toBe('pass');
    const sim = await startSimulator({
      listeners: [{ environment: 'target', service: 'traefik', host: '127.0.0.1', port: 0 }],
    });
    const checks = await runSmoke(
      [
        {
          environment: 'target',
          service: 'traefik',
          url: sim.endpoints[0]!.url,
          health: { path: '/ping', status: 200, json: { ok: true } },
          pins: {},
        },
      ],
      settings,
    );
    await sim.stop();
    expect(checks.find((c) => c.check === 'health')!.reason).toBe('health payload is not JSON: "OK"');
  });

  it('checks a certificate: trusted and valid passes, close to expiry fails, untrusted fails', async () => {
    const pki = makePki();
    const results: Record<string, CheckResult> = {};
    for (const [name, pair, ca] of [
      ['good', pki.leaf('api.sevensa.test', 90), pki.caCert],
      ['expiring', pki.leaf('api.sevensa.test', 5), pki.caCert],
      ['untrusted', pki.selfSigned('api.sevensa.test', 90), undefined],
    ] as const) {
      const server = https.createServer({ key: pair.key, cert: pair.cert }, (_q, s) =>
        s.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'),
      );
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      const port = (server.address() as AddressInfo).port;
      const checks = await runSmoke(
        [
          {
            environment: 'target',
            service: 'api',
            url: `https://api.sevensa.test:${port}`,
            health: { path: '/health', status: 200, json: { status: 'ok' } },
            pins: { 'api.sevensa.test': '127.0.0.1' },
            ...(ca ? { ca } : {}),
          },
        ],
        { ...settings, probes: 1 },
      );
      server.close();
      results[name] = checks.find((c) => c.check === 'tls')!;
    }
    expect(results.good).toMatchObject({ status: 'pass' });
    expect(results.good!.reason).toMatch(/valid for (89|90) more days/);
    expect(results.expiring).toMatchObject({ status: 'fail' });
    expect(results.expiring!.reason).toMatch(/expires in [45] days .*at least 14 required/);
    expect(results.untrusted).toMatchObject({ status: 'fail' });
    expect(results.untrusted!.reason).toMatch(/not trusted: .*SELF_SIGNED/);
  });
});
