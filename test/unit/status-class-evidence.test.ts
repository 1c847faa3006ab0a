// Latency by status class: the load engine's evidence carries one http_req_duration item per endpoint
// and status class (tag status_class), a criterion can select a class, and every existing criterion —
// the built-in gates' included — judges exactly what it judged when one item held all answered requests.
import { describe, expect, it } from 'vitest';
import { rng } from '../../scripts/gate-simulation/model.js';
import type { Evidence, MetricEvidence } from '../../src/core/evidence.js';
import { evaluateGate } from '../../src/core/gates/evaluate.js';
import { parseGate } from '../../src/core/gates/parse.js';
import { planGate } from '../../src/core/gates/plan.js';
import { createHistogram, decodeHistogram, encodeHistogram, quantileMs } from '../../src/core/histogram.js';
import { distributionFromEncoded, quantileOf } from '../../src/core/stats/distribution.js';
import { renderReportFiles } from '../../src/report/files.js';
import { ms } from '../../src/report/load-figures.js';
import { answeredHistogram, mergeSlices, SliceRecorder } from '../../src/runners/load/recorder.js';
import { defineLoad } from '../../src/suites/performance/define.js';
import { metricEvidence } from '../../src/suites/performance/evidence.js';
import { BUILTIN_GATES } from '../helpers/builtin-gates.js';
import { AT, failedRate, input } from '../helpers/gate-evidence.js';
import { evidenceRecord } from '../helpers/gate-record.js';

const scenario = defineLoad({
  name: 'rentguy',
  description: 'test',
  service: 'rentguy-api',
  executor: { executor: 'constant-arrival-rate', rate: 10, duration: '1s', preAllocatedVUs: 1 },
  requests: [
    { weight: 1, method: 'GET', path: '/api/equipment', endpoint: 'GET /api/equipment' },
    { weight: 1, method: 'POST', path: '/api/bookings', endpoint: 'POST /api/bookings' },
  ],
});

/** Seeded latencies: fast 2xx, slow 5xx, a few 4xx and refused connections. */
function measured(environment: string, seed: number, slow5xx: number) {
  const next = rng(seed);
  const rec = new SliceRecorder('rentguy', environment, 0);
  for (let i = 0; i < 2400; i++) {
    const endpoint = i % 3 === 0 ? 'POST /api/bookings' : 'GET /api/equipment';
    const u = next();
    if (u < 0.1) rec.request(endpoint, '5xx', slow5xx * (0.5 + next()), true, i);
    else if (u < 0.13) rec.request(endpoint, '4xx', 1 + next(), true, i);
    else if (u < 0.14) rec.request(endpoint, 'refused', 0.2, true, i);
    else rec.request(endpoint, '2xx', 4 * Math.exp(0.4 * (next() - 0.5)), false, i);
  }
  return rec.finish(2400);
}

/** The evidence as the engine wrote it before status classes: one item of all answered requests. */
function aggregated(items: readonly MetricEvidence[]): MetricEvidence[] {
  const out = new Map<string, MetricEvidence>();
  for (const item of items) {
    if (item.name !== 'http_req_duration') {
      out.set(JSON.stringify([item.name, item.environment, item.tags]), item);
      continue;
    }
    const { status_class: _, ...tags } = item.tags;
    const key = JSON.stringify([item.name, item.environment, tags]);
    const prev = out.get(key);
    const h = prev ? decodeHistogram(prev.histogram!) : createHistogram();
    h.add(decodeHistogram(item.histogram!));
    out.set(key, { ...item, tags, histogram: encodeHistogram(h) });
  }
  return [...out.values()];
}

describe('http_req_duration by status class', () => {
  const baseline = measured('baseline', 1, 40);
  const target = measured('target', 2, 400);
  const evidence: MetricEvidence[] = [
    ...metricEvidence(scenario, baseline, AT),
    ...metricEvidence(scenario, target, AT),
  ];

  it('is one item per endpoint and answered status class, which merge to every answered request', () => {
    const durations = evidence.filter((e) => e.name === 'http_req_duration' && e.environment === 'target');
    expect(durations.map((e) => `${e.tags.endpoint} ${e.tags.status_class}`).sort()).toEqual([
      'GET /api/equipment 2xx',
      'GET /api/equipment 4xx',
      'GET /api/equipment 5xx',
      'POST /api/bookings 2xx',
      'POST /api/bookings 4xx',
      'POST /api/bookings 5xx',
    ]);
    // No item for transport errors: a refused connection has no latency worth comparing.
    expect(durations.some((e) => e.tags.status_class === 'refused')).toBe(false);
    const merged = createHistogram();
    for (const e of durations.filter((d) => d.tags.endpoint === 'GET /api/equipment'))
      merged.add(decodeHistogram(e.histogram!));
    const all = answeredHistogram(target, 'GET /api/equipment')!;
    expect(merged.totalCount).toBe(all.totalCount);
    expect(quantileMs(merged, 0.95)).toBe(quantileMs(all, 0.95));
    expect(target.durations['GET /api/equipment']!.refused!.count).toBeGreaterThan(0);
  });

  it('survives merging slices (threads, blocks) class by class', () => {
    const merged = mergeSlices([target, measured('target', 3, 400)]);
    const e = metricEvidence(scenario, merged, AT).find(
      (m) => m.tags.endpoint === 'GET /api/equipment' && m.tags.status_class === '5xx',
    )!;
    expect(decodeHistogram(e.histogram!).totalCount).toBe(
      target.durations['GET /api/equipment']!['5xx']!.count +
        measured('target', 3, 400).durations['GET /api/equipment']!['5xx']!.count,
    );
  });

  it('lets a criterion select one class with a tag filter, k6 style', () => {
    const gate = parseGate({
      id: 'g',
      phase: 3,
      title: 'status classes',
      criteria: [
        { id: 'ok', title: '2xx', serves: 2, expr: 'http_req_duration{status_class:2xx}: p(95) < 20' },
        { id: 'errors', title: '5xx', serves: 2, expr: 'http_req_duration{status_class:5xx}: p(95) < 20' },
        {
          id: 'errors-rel',
          title: '5xx vs baseline',
          serves: 2,
          expr: 'http_req_duration{status_class:5xx}: med <= baseline * 1.5',
        },
      ],
    });
    const r = evaluateGate(gate, input(evidence));
    const by = Object.fromEntries(r.criteria.map((c) => [c.id, c]));
    expect(by.ok!.status).toBe('PASS');
    // The 5xx answers take hundreds of ms: only the 5xx part is judged, and it fails.
    expect(by.errors!.status, by.errors!.reason).toBe('FAIL');
    expect(by.errors!.n).toBe(
      target.durations['GET /api/equipment']!['5xx']!.count +
        target.durations['POST /api/bookings']!['5xx']!.count,
    );
    expect(by['errors-rel']!.status).toBe('FAIL');
  });

  it('leaves every built-in gate judging exactly what it judged on one item per endpoint', () => {
    const extra: Evidence[] = [failedRate('baseline', 'GET /api/equipment', 1, 500)];
    const split = input([...evidence, ...extra]);
    const whole = input([...aggregated(evidence), ...extra]);
    let compared = 0;
    for (const spec of BUILTIN_GATES) {
      const gate = parseGate(spec);
      const a = evaluateGate(gate, split);
      const b = evaluateGate(gate, whole);
      expect(a, spec.id).toEqual(b);
      compared += a.criteria.filter((c) => c.n !== undefined && c.n > 0).length;
      expect(planGate(gate, split.evidence as MetricEvidence[], split.services)).toEqual(
        planGate(gate, whole.evidence as MetricEvidence[], whole.services),
      );
    }
    // The comparison is not vacuous: some built-in criteria did read the latency evidence.
    expect(compared).toBeGreaterThan(0);
  });

  it('shows the latency of each status class in the reports', () => {
    const files = renderReportFiles(evidenceRecord(evidence));
    for (const text of [files['report.md']!, files['report.html']!]) {
      expect(text).toMatch(/status class/i);
      expect(text).toContain('5xx');
    }
    const five = evidence.find(
      (e) =>
        e.environment === 'target' &&
        e.tags.endpoint === 'GET /api/equipment' &&
        e.tags.status_class === '5xx',
    )!;
    const p95 = quantileOf(distributionFromEncoded(five.histogram!), 0.95);
    expect(files['report.md']).toContain(`/ ${ms(p95)} /`);
    expect(files['report.html']).toContain(`/ ${ms(p95)} /`);
  });
});
