// Evidence for gate tests, built the way suites build it: real HdrHistograms (encoded base64), k6 rate
// semantics, parity and findings with coverage. Seeded, so every test sees the same numbers.

import { rng } from '../../scripts/gate-simulation/model.js';
import type {
  CoverageEvidence,
  Evidence,
  FindingEvidence,
  MetricEvidence,
  ParityEvidence,
} from '../../src/core/evidence.js';
import type { GateInput } from '../../src/core/gates/input.js';
import { createHistogram, encodeHistogram, recordMs } from '../../src/core/histogram.js';
import type { CheckResult } from '../../src/core/model.js';

export const AT = '2026-11-28T03:00:00.000Z';
export const NOW = new Date('2026-11-28T04:00:00.000Z');

export function lognormalHistogram(n: number, medianMs: number, sigma: number, seed: number): string {
  const next = rng(seed);
  const h = createHistogram();
  for (let i = 0; i < n; i++) {
    const z = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
    recordMs(h, medianMs * Math.exp(sigma * z));
  }
  return encodeHistogram(h);
}

/**
 * The same samples as lognormalHistogram(n, medianMs, sigma, seed), split by status class as the load
 * engine records them: the `slowest` largest samples answered 5xx, the rest 2xx. Merged, the two are
 * exactly the one histogram, so a gate judges the split evidence as it judged the single item.
 */
export function lognormalByClass(
  n: number,
  medianMs: number,
  sigma: number,
  seed: number,
  slowest: number,
): { '2xx': string; '5xx': string } {
  const next = rng(seed);
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const z = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
    samples.push(medianMs * Math.exp(sigma * z));
  }
  const cut = [...samples].sort((a, b) => a - b)[n - slowest]!;
  const ok = createHistogram();
  const failed = createHistogram();
  let moved = 0;
  for (const v of samples) {
    if (v >= cut && moved < slowest) {
      recordMs(failed, v);
      moved++;
    } else recordMs(ok, v);
  }
  return { '2xx': encodeHistogram(ok), '5xx': encodeHistogram(failed) };
}

export function trend(
  environment: string,
  endpoint: string,
  histogram: string,
  service = 'rentguy-api',
  at = AT,
): MetricEvidence {
  return {
    kind: 'metric',
    suite: 'performance',
    environment,
    name: 'http_req_duration',
    type: 'trend',
    tags: { scenario: 'rentguy', service, endpoint },
    at,
    histogram,
  };
}

export function failedRate(
  environment: string,
  endpoint: string,
  failed: number,
  ok: number,
  service = 'rentguy-api',
): MetricEvidence {
  return {
    kind: 'metric',
    suite: 'performance',
    environment,
    name: 'http_req_failed',
    type: 'rate',
    tags: { scenario: 'rentguy', service, endpoint },
    at: AT,
    passes: failed,
    fails: ok,
  };
}

/** A scenario check's tally, as the load engine records it (rate: passes = checks that held). */
export function checkRate(environment: string, name: string, held: number, failed: number): MetricEvidence {
  return {
    kind: 'metric',
    suite: 'performance',
    environment,
    name: 'checks',
    type: 'rate',
    tags: { scenario: 'rentguy', service: 'rentguy-api', check: name },
    at: AT,
    passes: held,
    fails: failed,
  };
}

export function parity(
  step: string,
  compared: number,
  equal: number,
  service = 'rentguy-api',
): ParityEvidence {
  return {
    kind: 'parity',
    suite: 'integration',
    environment: 'target',
    baseline: 'baseline',
    scenario: 'rentguy-booking',
    step,
    endpoint: `GET /api/${step}`,
    service,
    compared,
    equal,
    differences: compared > equal ? [{ path: '$.total', kind: 'value', baseline: 10, target: 11 }] : [],
    noise: [],
    at: AT,
  };
}

export function finding(severity: FindingEvidence['severity'], source = 'posture'): FindingEvidence {
  return {
    kind: 'finding',
    suite: 'security',
    environment: 'target',
    source,
    check: 'privileged',
    severity,
    object: 'deployment/rentguy-api',
    path: 'spec.containers[0]',
    message: 'runs privileged',
    remedy: 'drop privileged',
    at: AT,
  };
}

export function coverage(
  scope: string,
  status: CoverageEvidence['status'],
  counts?: Record<string, number>,
  suite = 'security',
): CoverageEvidence {
  return {
    kind: 'coverage',
    suite,
    environment: 'target',
    scope,
    status,
    reason: status === 'complete' ? 'all objects checked' : 'API server unreachable',
    ...(counts ? { counts } : {}),
    at: AT,
  };
}

export function check(
  environment: string,
  service: string,
  status: CheckResult['status'],
  suite = 'smoke',
  name = 'health',
): CheckResult {
  return {
    suite,
    environment,
    service,
    check: name,
    status,
    reason: status === 'fail' ? 'status 503' : 'ok',
    at: AT,
  };
}

export const SERVICES = [
  { id: 'rentguy-api', tier: 'application', phase: 3, wave: 'rentguy' },
  { id: 'rentguy-web', tier: 'frontend', phase: 3, wave: 'rentguy' },
  { id: 'psra-api', tier: 'application', phase: 3, wave: 'psra' },
];

export function input(
  evidence: Evidence[],
  checks: CheckResult[] = [],
  extra: Partial<GateInput> = {},
): GateInput {
  return {
    now: NOW,
    checks,
    evidence,
    services: SERVICES,
    target: 'target',
    baseline: 'baseline',
    attestations: [],
    waivers: [],
    ...extra,
  };
}
