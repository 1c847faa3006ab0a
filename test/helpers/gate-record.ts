// A complete run record with phase gates evaluated from constructed evidence — hostile strings
// included — for the report golden files and the browser test. Fixed times, so renderings are stable.
import type { Evidence, MetricEvidence } from '../../src/core/evidence.js';
import type { CheckResult } from '../../src/core/model.js';
import type { LoadSeries, LoadSeriesPoint } from '../../src/core/series.js';
import { evaluateGates, judgeRecord } from '../../src/engine/gates.js';
import { RUN_SCHEMA, type RunRecord } from '../../src/record/run-schema.js';
import { BUILTIN_SETUP } from './builtin-gates.js';
import {
  AT,
  check,
  checkRate,
  coverage,
  failedRate,
  finding,
  lognormalByClass,
  lognormalHistogram,
  NOW,
  parity,
  trend,
} from './gate-evidence.js';

/** A 20-second per-second series; the target's seconds 12–14 are slow and fail a few requests. */
function loadSeries(environment: string, extraMs: number): LoadSeries {
  const points: LoadSeriesPoint[] = [];
  for (let t = 0; t < 20; t++) {
    const slow = extraMs > 0 && t >= 12 && t < 15;
    const base = 2 + (t % 3) * 0.1 + (slow ? extraMs : 0);
    points.push({
      t,
      requests: t === 0 ? 120 : 160,
      failed: slow ? 10 : 0,
      dropped: slow && t === 13 ? 4 : 0,
      p50Ms: base,
      p95Ms: base * 1.8,
      p99Ms: base * 2.4,
      maxMs: base * 3,
    });
  }
  return { suite: 'performance', scenario: 'rentguy', service: 'rentguy-api', environment, stepS: 1, points };
}

/** A finished `perf` run holding only the given evidence: no gates, checks or series. */
export function evidenceRecord(evidence: Evidence[]): RunRecord {
  return {
    schema: RUN_SCHEMA as typeof RUN_SCHEMA,
    id: 'r',
    command: 'perf',
    startedAt: AT,
    status: 'completed',
    tool: { name: 'cutover', version: '0', node: 'v20' },
    config: { file: 'c', project: 'p' },
    environments: [],
    services: [],
    faults: [],
    checks: [],
    evidence,
    series: [],
    gates: [],
  };
}

export function gateRecord(): RunRecord {
  const endpoints = ['GET /api/equipment', 'POST /api/bookings', 'GET /api/equipment/:id'];
  const evidence: Evidence[] = [];
  // Latency by status class, as the load engine records it; the target's third endpoint answered its
  // 30 slowest requests with a 5xx (the same samples as one histogram would hold, split).
  const tagged = (item: MetricEvidence, cls: string): MetricEvidence => ({
    ...item,
    tags: { ...item.tags, status_class: cls },
  });
  endpoints.forEach((e, i) => {
    evidence.push(tagged(trend('baseline', e, lognormalHistogram(800, 2 + i, 0.4, 10 + i)), '2xx'));
    if (i === 2) {
      const split = lognormalByClass(800, 2 + i, 0.4, 20 + i, 30);
      evidence.push(tagged(trend('target', e, split['2xx']), '2xx'));
      evidence.push(tagged(trend('target', e, split['5xx']), '5xx'));
    } else
      evidence.push(
        tagged(trend('target', e, lognormalHistogram(800, i === 1 ? 45 : 2 + i, 0.4, 20 + i)), '2xx'),
      );
    evidence.push(failedRate('baseline', e, 1, 799));
    evidence.push(failedRate('target', e, i === 2 ? 30 : 1, i === 2 ? 770 : 799));
  });
  // Scenario checks: one holds less often on the target; one has a name to escape.
  evidence.push(checkRate('baseline', 'lists items', 800, 0), checkRate('target', 'lists items', 740, 60));
  for (const env of ['baseline', 'target']) evidence.push(checkRate(env, 'total <b>&</b> | sum', 800, 0));
  const hostile = parity('quote', 4, 3);
  hostile.differences = [
    { path: '$.note<script>alert(1)</script>', kind: 'value', baseline: 'a & b', target: '"x"\u0007' },
    // A string against a number: the report must show which is which.
    { path: '$.price', kind: 'type', baseline: '17.5', target: 17.5 },
  ];
  evidence.push(parity('list', 6, 6), hostile);
  evidence.push(coverage('posture', 'complete', { findings: 1 }), finding('high'));
  // An HTTP-security finding no gate reads, quoting a response header with a right-to-left override.
  evidence.push({
    ...finding('low', 'http-security'),
    check: 'cors',
    object: 'target/rentguy-api http://127.0.0.2:1',
    path: 'headers.access-control-allow-origin',
    message: 'allows origin "https://evil.test\u202E<b>moc.elgoog"',
    remedy: 'answer only the origins that may read credentialed responses',
  });
  const checks: CheckResult[] = [];
  for (const env of ['baseline', 'target'])
    for (const svc of ['rentguy-api', 'rentguy-web'])
      checks.push(check(env, svc, env === 'target' && svc === 'rentguy-web' ? 'fail' : 'pass'));
  checks.push({
    ...check('target', 'rentguy-api', 'pass', 'integration', 'booking | flow'),
    reason: 'ok\nsecond line <b>',
  });
  checks.push(check('baseline', 'rentguy-api', 'pass', 'integration', 'booking | flow'));
  // The data suite's table check (suite data-parity), as the wave gate's data-parity criterion reads it.
  checks.push({
    ...check('target', 'rentguy-api', 'pass', 'data-parity', 'rentguy-db public.bookings'),
    reason: '1500 rows equal',
  });
  const base = {
    schema: RUN_SCHEMA as typeof RUN_SCHEMA,
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
    series: [loadSeries('baseline', 0), loadSeries('target', 40)],
    gates: [],
  };
  const gates = evaluateGates(base, NOW, BUILTIN_SETUP);
  const judged = judgeRecord({ ...base, gates });
  return { ...base, gates, verdict: judged.verdict, verdictReason: judged.reason };
}

/**
 * The Trojan Source set (bidi embeddings, overrides, isolates and marks) and other invisible format
 * characters (zero-width, BOM, word joiner, invisible operators, soft hyphen, a tag character), as a
 * hostile server or config could put them into any string a run records.
 */
export const HOSTILE =
  'ok\u202Aa\u202Bb\u202Cc\u202Dd\u202Ee\u2066f\u2067g\u2068h\u2069i\u200Ej\u200Fk\u061Cl' +
  '\u200Bm\u200Cn\u200Do\uFEFFp\u2060q\u2061r\u2062s\u2063t\u2064u\u00ADv\u{E0041}w';

/** Any raw character of HOSTILE (the test's own list, not the renderers' set). */
export const RAW_HIDDEN =
  /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u200B-\u200D\uFEFF\u2060-\u2064\u00AD\u{E0000}-\u{E007F}]/u;

/**
 * A run whose every outside string is hostile: a service name, a check's reason, a parity difference
 * (path and both values), a security finding's object and message, a scenario, a note. The gates are
 * evaluated from it as in a real run, so the strings reach criteria reasons and gate summaries too.
 */
export function hostileRecord(): RunRecord {
  const service = `api${HOSTILE}`;
  const checks: CheckResult[] = [
    check('baseline', service, 'pass'),
    { ...check('target', service, 'fail'), reason: `health payload says ${HOSTILE}` },
    { ...check('target', service, 'fail', 'integration', `flow ${HOSTILE}`), reason: `expected ${HOSTILE}` },
  ];
  const differing = parity(`step ${HOSTILE}`, 2, 1, service);
  differing.scenario = `scenario ${HOSTILE}`;
  differing.differences = [
    { path: `$.note${HOSTILE}`, kind: 'value', baseline: `said ${HOSTILE}`, target: { nested: HOSTILE } },
  ];
  const evil = { ...finding('high', 'http-security'), object: `target/${service}`, message: HOSTILE };
  const base = {
    schema: RUN_SCHEMA as typeof RUN_SCHEMA,
    id: '20261128-030000-evil',
    command: 'run',
    startedAt: AT,
    finishedAt: '2026-11-28T03:01:00.000Z',
    status: 'completed' as const,
    tool: { name: 'cutover', version: '0.1.0', node: 'v20.20.0' },
    config: { file: 'cutover.config.mjs', project: `shop ${HOSTILE}` },
    environments: [
      { name: 'baseline', kind: 'compose', services: [{ id: service, url: 'http://127.0.0.1:1' }] },
      { name: 'target', kind: 'kubernetes', services: [{ id: service, url: 'http://127.0.0.2:1' }] },
    ],
    services: [{ id: service, tier: 'application', phase: 3, wave: 'rentguy' }],
    faults: [],
    checks,
    evidence: [differing, evil, coverage('http-security', 'complete', { findings: 1 })] as Evidence[],
    series: [],
    gates: [],
    notes: [`note ${HOSTILE}`],
  };
  const gates = evaluateGates(base, NOW, BUILTIN_SETUP);
  const judged = judgeRecord({ ...base, gates });
  return { ...base, gates, verdict: judged.verdict, verdictReason: judged.reason };
}
