// Recorded baselines: what is kept (and what never is), and when a target is not comparable.
import { describe, expect, it } from 'vitest';
import { incomparability } from '../../src/baseline/compare.js';
import { baselineFromRun } from '../../src/baseline/record.js';
import type { Evidence } from '../../src/core/evidence.js';
import { coverage, NOW } from '../helpers/gate-evidence.js';
import { gateRecord } from '../helpers/gate-record.js';

function withScenario(evidence: readonly Evidence[], from: string, to: string): Evidence[] {
  return evidence.map((e) =>
    e.kind === 'metric' && e.tags.scenario === from ? { ...e, tags: { ...e.tags, scenario: to } } : e,
  );
}

describe('baselines', () => {
  const record = gateRecord();
  record.checks.push({
    suite: 'integration',
    environment: 'baseline',
    service: 'rentguy-api',
    check: 'login',
    status: 'pass',
    reason: 'ok',
    data: { status: 200, authorization: 'Bearer abc', sessionCookie: 'x', bodyHash: 'f00' },
    at: record.startedAt,
  });
  const baseline = baselineFromRun(record, 'nightly', NOW);

  it('keeps the baseline side: metrics, scenarios, integration results without credentials', () => {
    expect(baseline.schema).toBe('cutover.baseline/v1');
    expect(baseline.evidence.length).toBeGreaterThan(0);
    expect(baseline.evidence.every((e) => e.environment === 'baseline')).toBe(true);
    expect(baseline.scenarios).toEqual(['rentguy']);
    const login = baseline.checks.find((c) => c.check === 'login')!;
    expect(login.data).toEqual({ status: 200, bodyHash: 'f00' });
    expect(baseline.checks.some((c) => c.suite === 'smoke')).toBe(false);
    expect(JSON.stringify(baseline)).not.toContain('Bearer');
  });

  it('a target of the same scenarios and endpoints is comparable; outcome counts may differ', () => {
    const target = [
      ...record.evidence,
      coverage('rentguy', 'complete', { iterations: 999, answered: 999 }, 'performance'),
    ];
    expect(
      incomparability({ ...baseline, profile: { rentguy: { iterations: 1000, answered: 1000 } } }, target),
    ).toBeUndefined();
  });

  it('other scenarios, other endpoints or another load plan are not comparable', () => {
    expect(incomparability(baseline, withScenario(record.evidence, 'rentguy', 'checkout'))).toMatch(
      /scenarios differ from baseline "nightly": missing on the target rentguy; not in the baseline checkout/,
    );
    const fewer = record.evidence.filter(
      (e) => !(e.kind === 'metric' && e.environment === 'target' && e.tags.endpoint === 'POST /api/bookings'),
    );
    expect(incomparability(baseline, fewer)).toMatch(
      /endpoints differ .*not measured on the target rentguy · rentguy-api · POST \/api\/bookings/,
    );
    const planned = [...record.evidence, coverage('rentguy', 'complete', { vus: 50 }, 'performance')];
    expect(incomparability({ ...baseline, profile: { rentguy: { vus: 10 } } }, planned)).toBe(
      'load profile differs from baseline "nightly" in rentguy: vus 10 vs 50',
    );
  });
});
