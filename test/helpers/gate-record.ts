// A complete run record with phase gates evaluated from constructed evidence — hostile strings
// included — for the report golden files and the browser test. Fixed times, so renderings are stable.
import type { Evidence } from '../../src/core/evidence.js';
import type { CheckResult } from '../../src/core/model.js';
import { evaluateGates, overallVerdict } from '../../src/engine/gates.js';
import { RUN_SCHEMA, type RunRecord } from '../../src/record/run-schema.js';
import {
  AT,
  check,
  coverage,
  failedRate,
  finding,
  lognormalHistogram,
  NOW,
  parity,
  trend,
} from './gate-evidence.js';

export function gateRecord(): RunRecord {
  const endpoints = ['GET /api/equipment', 'POST /api/bookings', 'GET /api/equipment/:id'];
  const evidence: Evidence[] = [];
  endpoints.forEach((e, i) => {
    evidence.push(trend('baseline', e, lognormalHistogram(800, 2 + i, 0.4, 10 + i)));
    evidence.push(trend('target', e, lognormalHistogram(800, i === 1 ? 45 : 2 + i, 0.4, 20 + i)));
    evidence.push(failedRate('baseline', e, 1, 799));
    evidence.push(failedRate('target', e, i === 2 ? 30 : 1, i === 2 ? 770 : 799));
  });
  const hostile = parity('quote', 4, 3);
  hostile.differences = [
    { path: '$.note<script>alert(1)</script>', kind: 'value', baseline: 'a & b', target: '"x"\u0007' },
  ];
  evidence.push(parity('list', 6, 6), hostile);
  evidence.push(coverage('posture', 'complete', { findings: 1 }), finding('high'));
  const checks: CheckResult[] = [];
  for (const env of ['baseline', 'target'])
    for (const svc of ['rentguy-api', 'rentguy-web'])
      checks.push(check(env, svc, env === 'target' && svc === 'rentguy-web' ? 'fail' : 'pass'));
  checks.push({
    ...check('target', 'rentguy-api', 'pass', 'integration', 'booking | flow'),
    reason: 'ok\nsecond line <b>',
  });
  checks.push(check('baseline', 'rentguy-api', 'pass', 'integration', 'booking | flow'));
  const base = {
    schema: RUN_SCHEMA,
    id: '20261128-030000-abcd',
    command: 'demo',
    startedAt: AT,
    finishedAt: '2026-11-28T03:01:00.000Z',
    status: 'completed' as const,
    tool: { name: 'cutover', version: '0.1.0', node: 'v20.20.0' },
    config: { file: 'cutover.config.ts', project: 'Sevensa <test>' },
    environments: [
      {
        name: 'baseline',
        kind: 'compose',
        services: [
          { id: 'rentguy-api', url: 'http://127.0.0.1:1' },
          { id: 'rentguy-web', url: 'http://127.0.0.1:2' },
        ],
      },
      {
        name: 'target',
        kind: 'kubernetes',
        services: [
          { id: 'rentguy-api', url: 'http://127.0.0.2:1' },
          { id: 'rentguy-web', url: 'http://127.0.0.2:2' },
        ],
      },
    ],
    services: [
      { id: 'rentguy-api', tier: 'application', phase: 3, wave: 'rentguy' },
      { id: 'rentguy-web', tier: 'frontend', phase: 3, wave: 'rentguy' },
    ],
    faults: ['target:rentguy-web:down'],
    checks,
    evidence,
    gates: [],
  };
  const gates = evaluateGates(base, NOW);
  return { ...base, gates, verdict: overallVerdict(gates) };
}
