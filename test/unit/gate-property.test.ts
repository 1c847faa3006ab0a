// Property: removing any one piece of evidence never turns a verdict into GO. Evidence is generated as
// well-behaved suites record it (both sides, coverage with counts), with random failures, differences,
// findings and slow endpoints; the gates are the built-in wave gate and the phase-4 gate.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../src/core/evidence.js';
import { evaluateGate } from '../../src/core/gates/evaluate.js';
import { parseGate } from '../../src/core/gates/parse.js';
import type { CheckResult } from '../../src/core/model.js';
import { BUILTIN_GATES } from '../helpers/builtin-gates.js';
import {
  check,
  coverage,
  failedRate,
  finding,
  input,
  lognormalHistogram,
  parity,
  trend,
} from '../helpers/gate-evidence.js';

const HIST = {
  base: [lognormalHistogram(600, 2, 0.3, 1), lognormalHistogram(600, 2, 0.3, 2)],
  healthy: [lognormalHistogram(600, 2, 0.3, 3), lognormalHistogram(600, 2, 0.3, 4)],
  slow: [lognormalHistogram(600, 45, 0.1, 5), lognormalHistogram(600, 45, 0.1, 6)],
  few: [lognormalHistogram(8, 2, 0.3, 7), lognormalHistogram(8, 2, 0.3, 8)],
};
const ENDPOINTS = ['GET /api/equipment', 'POST /api/bookings'];

// Biased towards health, so that GO worlds (the interesting starting points) are common.
const rarely = fc.constantFrom(false, false, false, false, false, false, true);
const world = fc.record({
  smokeFail: fc.array(rarely, { minLength: 4, maxLength: 4 }),
  target: fc.array(fc.constantFrom('healthy', 'healthy', 'healthy', 'slow', 'few'), {
    minLength: 2,
    maxLength: 2,
  }),
  errors: fc.array(fc.constantFrom(0, 0, 0, 2, 40), { minLength: 2, maxLength: 2 }),
  parity: fc.array(fc.tuple(fc.integer({ min: 1, max: 6 }), fc.constantFrom(0, 0, 0, 1)), {
    minLength: 1,
    maxLength: 3,
  }),
  integrationFail: fc.array(rarely, { minLength: 2, maxLength: 2 }),
  dataFail: fc.array(rarely, { minLength: 2, maxLength: 2 }),
  dataStatus: fc.constantFrom('complete', 'complete', 'complete', 'partial'),
  findings: fc.array(fc.constantFrom('critical', 'high', 'low', 'low'), { maxLength: 2 }),
  postureStatus: fc.constantFrom('complete', 'complete', 'complete', 'partial', 'could-not-check'),
});

type World = typeof world extends fc.Arbitrary<infer T> ? T : never;

function build(w: World): { evidence: Evidence[]; checks: CheckResult[] } {
  const checks: CheckResult[] = [];
  ['rentguy-api', 'rentguy-web'].forEach((svc, i) => {
    for (const name of ['reachable', 'health']) {
      checks.push(check('baseline', svc, 'pass', 'smoke', name));
      checks.push(
        check(
          'target',
          svc,
          w.smokeFail[i * 2 + (name === 'health' ? 1 : 0)] ? 'fail' : 'pass',
          'smoke',
          name,
        ),
      );
    }
  });
  w.integrationFail.forEach((fail, i) => {
    checks.push(check('baseline', 'rentguy-api', 'pass', 'integration', `step-${i}`));
    checks.push(check('target', 'rentguy-api', fail ? 'fail' : 'pass', 'integration', `step-${i}`));
  });
  // As the data suite records: a check per database table, in the target, with its coverage.
  w.dataFail.forEach((fail, i) => {
    checks.push(
      check('target', 'rentguy-api', fail ? 'fail' : 'pass', 'data-parity', `rentguy-db table-${i}`),
    );
  });
  const evidence: Evidence[] = [];
  evidence.push(
    coverage('data-parity', w.dataStatus as 'complete', { checks: w.dataFail.length }, 'data-parity'),
  );
  ENDPOINTS.forEach((e, i) => {
    evidence.push(trend('baseline', e, HIST.base[i]!));
    evidence.push(trend('target', e, HIST[w.target[i] as keyof typeof HIST][i]!));
    evidence.push(failedRate('baseline', e, 0, 600));
    evidence.push(failedRate('target', e, w.errors[i]!, 600 - w.errors[i]!));
  });
  for (const [i, [compared, differing]] of w.parity.entries())
    evidence.push(parity(`step-${i}`, compared, compared - differing));
  evidence.push(coverage('parity', 'complete', { steps: w.parity.length }, 'integration'));
  for (const s of w.findings) evidence.push(finding(s as 'critical'));
  // As the security suite reports: counts per severity beside the findings themselves.
  const bySeverity: Record<string, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const s of w.findings) bySeverity[s] = (bySeverity[s] ?? 0) + 1;
  evidence.push(coverage('posture', w.postureStatus as 'complete', bySeverity));
  return { evidence, checks };
}

const GATES = [
  BUILTIN_GATES.find((g) => g.id === '3-rentguy')!,
  BUILTIN_GATES.find((g) => g.id === '4')!,
].map(parseGate);

describe('removing evidence never turns a verdict into GO', () => {
  it('holds for every single removal', () => {
    let goSeen = 0;
    let notGoSeen = 0;
    fc.assert(
      fc.property(world, (w) => {
        const { evidence, checks } = build(w);
        for (const gate of GATES) {
          const full = evaluateGate(gate, input(evidence, checks)).verdict;
          if (full === 'GO') {
            goSeen++;
            continue;
          }
          notGoSeen++;
          for (let i = 0; i < evidence.length; i++) {
            const fewer = evidence.filter((_, k) => k !== i);
            expect(
              evaluateGate(gate, input(fewer, checks)).verdict,
              `${gate.spec.id} without evidence #${i}`,
            ).not.toBe('GO');
          }
          for (let i = 0; i < checks.length; i++) {
            const fewer = checks.filter((_, k) => k !== i);
            expect(
              evaluateGate(gate, input(evidence, fewer)).verdict,
              `${gate.spec.id} without check #${i}`,
            ).not.toBe('GO');
          }
        }
      }),
      { numRuns: 80, seed: 3 },
    );
    // The generator reaches both sides of the property.
    expect(goSeen).toBeGreaterThan(0);
    expect(notGoSeen).toBeGreaterThan(0);
  });
});
