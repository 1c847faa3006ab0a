import { afterEach, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../sim/index.js';
import type { Fault } from '../../src/core/faults.js';

const running: RunningSimulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

/** Starts `service` in baseline (healthy) and target (with the faults); returns both URLs. */
async function pair(service: string, faults: Fault[], extra: { now?: () => number } = {}) {
  const sim = await startSimulator({
    listeners: ['baseline', 'target'].map((environment) => ({
      environment,
      service,
      host: '127.0.0.1',
      port: 0,
    })),
    faults: faults.map((fault) => ({ environment: 'target', service, fault, source: fault.kind })),
    ...extra,
  });
  running.push(sim);
  const [baseline, target] = sim.endpoints.map((e) => e.url) as [string, string];
  return { baseline, target, sim };
}

async function timed(url: string): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const res = await fetch(url);
  await res.arrayBuffer();
  return { ms: performance.now() - started, status: res.status };
}

const assessment = {
  product: 'Bicycle frame',
  hsCode: '871491',
  components: [
    { name: 'aluminium tubing', originCountry: 'NL', valuePct: 70 },
    { name: 'paint', originCountry: 'CN', valuePct: 30 },
  ],
};

async function assessedResult(api: string): Promise<Record<string, unknown>> {
  const accepted = await fetch(`${api}/api/assessments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(assessment),
  });
  const { id } = (await accepted.json()) as { id: string };
  const body = (await (await fetch(`${api}/api/assessments/${id}`)).json()) as {
    result: Record<string, unknown>;
  };
  return body.result;
}

describe('faults over HTTP', () => {
  it('down: the target refuses connections at its reported address, metrics included', async () => {
    const { baseline, target } = await pair('rentguy-api', [{ kind: 'down' }]);
    expect(new URL(target).port).not.toBe('0');
    expect((await fetch(`${baseline}/health`)).status).toBe(200);
    for (const path of ['/health', '/metrics']) {
      const err = await fetch(target + path).catch((e: Error & { cause?: { code?: string } }) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');
    }
  });

  it('latency-fixed: every response takes at least addMs longer; /metrics does not', async () => {
    const { baseline, target } = await pair('grafana', [{ kind: 'latency-fixed', addMs: 150 }]);
    const slow = await timed(`${target}/api/health`);
    // Timers may fire up to a millisecond early against performance.now().
    expect(slow.ms).toBeGreaterThanOrEqual(149);
    expect(slow.status).toBe(200);
    expect((await timed(`${baseline}/api/health`)).ms).toBeLessThan(100);
    expect((await timed(`${target}/metrics`)).ms).toBeLessThan(100);
  });

  it('latency-lognormal: responses are delayed by varying amounts', async () => {
    const { target } = await pair('loki', [{ kind: 'latency-lognormal', medianMs: 30, sigma: 0.8 }]);
    const times = await Promise.all(Array.from({ length: 12 }, () => timed(`${target}/ready`)));
    const ms = times.map((t) => t.ms).sort((a, b) => a - b);
    expect(ms[6]!).toBeGreaterThan(10);
    expect(ms[11]! - ms[0]!).toBeGreaterThan(5);
  });

  it('errors: 100% gives only injected 500s, 0% none, and the metrics record them', async () => {
    const all = await pair('wpcs-api', [{ kind: 'errors', rate: 1 }]);
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${all.target}/api/sites`);
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ error: 'injected fault' });
    }
    const metrics = await (await fetch(`${all.target}/metrics`)).text();
    expect(metrics).toContain('http_requests_total{method="GET",route="/api/sites",status="500"} 5');

    const none = await pair('wpcs-api', [{ kind: 'errors', rate: 0 }]);
    const statuses = await Promise.all(
      Array.from({ length: 20 }, async () => (await fetch(`${none.target}/api/sites`)).status),
    );
    expect(new Set(statuses)).toEqual(new Set([200]));
  });

  it.each([
    ['value', (v: unknown) => typeof v === 'string' && /^[A-Z]{2}$/.test(v) && v !== 'NL'],
    ['missing', (v: unknown) => v === undefined],
    ['type', (v: unknown) => typeof v === 'number'],
  ] as const)('drift %s at result.originCountry changes the PSRA assessment result', async (mode, check) => {
    const { baseline, target } = await pair('psra-api', [
      { kind: 'drift', path: 'result.originCountry', mode },
    ]);
    const healthy = await assessedResult(baseline);
    const drifted = await assessedResult(target);
    expect(healthy.originCountry).toBe('NL');
    expect(check(drifted.originCountry)).toBe(true);
    // Only the drifted field differs.
    const { originCountry: _a, ...restHealthy } = healthy;
    const { originCountry: _b, ...restDrifted } = drifted;
    expect(restDrifted).toEqual(restHealthy);
  });

  it('stall: on the real clock, a request inside the window waits for its end', async () => {
    // Timed from before start-up: the window opens when the simulator starts, so however slow the start,
    // no stalled answer can arrive sooner than durationMs after this point.
    const started = performance.now();
    const { baseline, target } = await pair('traefik', [{ kind: 'stall', afterMs: 0, durationMs: 300 }]);
    const res = await fetch(`${target}/ping`);
    expect(await res.text()).toBe('OK');
    expect(performance.now() - started).toBeGreaterThanOrEqual(295);
    expect((await timed(`${baseline}/ping`)).ms).toBeLessThan(100);
    expect((await timed(`${target}/ping`)).ms).toBeLessThan(100);
  });

  it('stall: with an injected clock, only requests inside [afterMs, afterMs + durationMs) wait', async () => {
    let clock = 1_000_000;
    const { target } = await pair('n8n', [{ kind: 'stall', afterMs: 5_000, durationMs: 200 }], {
      now: () => clock,
    });
    expect((await timed(`${target}/healthz`)).ms).toBeLessThan(100);
    clock += 5_050;
    const stalled = await timed(`${target}/healthz`);
    expect(stalled.ms).toBeGreaterThanOrEqual(140);
    clock += 200;
    expect((await timed(`${target}/healthz`)).ms).toBeLessThan(100);
  });
});
