import { describe, expect, it } from 'vitest';
import { evaluateSmokeGate, type SmokeGateInput } from '../../src/core/gates/smoke-parity.js';
import type { CheckResult } from '../../src/core/model.js';

const CHECKS = ['reachable', 'status', 'content-type', 'health', 'tls', 'latency'];

function checks(environment: string, service: string, failing: Record<string, string> = {}): CheckResult[] {
  return CHECKS.map((check) => ({
    suite: 'smoke',
    environment,
    service,
    check,
    status: failing[check] ? 'fail' : check === 'tls' ? 'skip' : 'pass',
    reason: failing[check] ?? 'ok',
    at: '2026-11-28T00:00:00Z',
  }));
}

function input(list: CheckResult[], services = ['a', 'b']): SmokeGateInput {
  return {
    checks: list,
    services,
    baseline: { name: 'baseline', services },
    target: { name: 'target', services },
  };
}

const healthy = () => [
  ...checks('baseline', 'a'),
  ...checks('baseline', 'b'),
  ...checks('target', 'a'),
  ...checks('target', 'b'),
];

describe('smoke parity gate', () => {
  it('is GO when every service is healthy on both sides', () => {
    const gate = evaluateSmokeGate(input(healthy()));
    expect(gate.verdict).toBe('GO');
    expect(gate.criteria.map((c) => c.status)).toEqual(['PASS', 'PASS', 'PASS']);
  });

  it('is NO-GO when a target check fails, and the reason names the service and the check', () => {
    const list = [
      ...checks('baseline', 'a'),
      ...checks('baseline', 'b'),
      ...checks('target', 'a', { reachable: 'connection refused' }),
      ...checks('target', 'b'),
    ];
    const gate = evaluateSmokeGate(input(list));
    expect(gate.verdict).toBe('NO-GO');
    const a = gate.criteria.find((c) => c.id === 'smoke.a')!;
    expect(a.status).toBe('FAIL');
    expect(a.reason).toContain('reachable: connection refused');
    expect(a.reason).toContain('healthy on baseline');
    expect(gate.summary).toContain('smoke.a');
  });

  it('is INCONCLUSIVE when the baseline cannot be reached at all', () => {
    const list = [
      ...checks('baseline', 'a', { reachable: 'connection refused' }),
      ...checks('baseline', 'b', { reachable: 'connection refused' }),
      ...checks('target', 'a'),
      ...checks('target', 'b'),
    ];
    const gate = evaluateSmokeGate(input(list));
    expect(gate.verdict).toBe('INCONCLUSIVE');
    expect(gate.criteria[0]).toMatchObject({ id: 'smoke.baseline-reachable', status: 'INCONCLUSIVE' });
    expect(gate.criteria[0]!.reason).toMatch(/could not be reached/);
  });

  it('does not hold a healthy target to a broken baseline service', () => {
    const list = [
      ...checks('baseline', 'a', { health: 'sealed expected false' }),
      ...checks('baseline', 'b'),
      ...checks('target', 'a'),
      ...checks('target', 'b'),
    ];
    const a = evaluateSmokeGate(input(list)).criteria.find((c) => c.id === 'smoke.a')!;
    expect(a.status).toBe('PASS');
    expect(a.reason).toMatch(/not worse/);
  });

  it('never says GO on missing evidence', () => {
    const noTarget = [...checks('baseline', 'a'), ...checks('baseline', 'b'), ...checks('target', 'a')];
    const gate = evaluateSmokeGate(input(noTarget));
    expect(gate.verdict).toBe('INCONCLUSIVE');
    expect(gate.criteria.find((c) => c.id === 'smoke.b')!.reason).toMatch(/no evidence/);
    expect(evaluateSmokeGate(input([])).verdict).toBe('INCONCLUSIVE');
    // Every subset of a healthy run's evidence is GO only when complete.
    const all = healthy();
    for (let drop = 0; drop < all.length; drop += 6) {
      const partial = all.filter((_, i) => i < drop || i >= drop + 6);
      expect(evaluateSmokeGate(input(partial)).verdict).not.toBe('GO');
    }
  });

  it('treats a service not deployed on the target as inconclusive, not as passed', () => {
    const gate = evaluateSmokeGate({
      checks: [...checks('baseline', 'a'), ...checks('baseline', 'b'), ...checks('target', 'a')],
      services: ['a', 'b'],
      baseline: { name: 'baseline', services: ['a', 'b'] },
      target: { name: 'target', services: ['a'] },
    });
    expect(gate.criteria.find((c) => c.id === 'smoke.b')).toMatchObject({ status: 'INCONCLUSIVE' });
    expect(gate.verdict).toBe('INCONCLUSIVE');
  });
});
