// Recorded baselines: what is kept (and what never is), and when a target is not comparable.
import { describe, expect, it } from 'vitest';
import { incomparability } from '../../src/baseline/compare.js';
import { baselineSchema } from '../../src/baseline/format.js';
import { baselineFromRun, mergeNoise, noiseFromRun } from '../../src/baseline/record.js';
import type { Evidence, MetricEvidence, ParityEvidence } from '../../src/core/evidence.js';
import { coverage, NOW, parity } from '../helpers/gate-evidence.js';
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

  it('keeps the load engines’ figures only, not a post-cutover watch’s production traffic in the same run', () => {
    const trend = baseline.evidence.find(
      (e): e is MetricEvidence => e.kind === 'metric' && e.type === 'trend',
    )!;
    const watched = (environment: string): Evidence => ({
      kind: 'metric',
      suite: 'post-cutover',
      environment,
      name: 'http_req_duration',
      type: 'trend',
      tags: { service: 'psra-api' },
      at: record.startedAt,
      histogram: trend.histogram!,
    });
    const both = { ...record, evidence: [...record.evidence, watched('baseline'), watched('target')] };
    const kept = baselineFromRun(both, 'nightly', NOW);
    expect(kept.evidence).toEqual(baseline.evidence);
    // And the target's watch windows do not make the run's load test look unlike the baseline.
    expect(incomparability(baseline, both.evidence)).toBeUndefined();
  });

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

describe('integration noise in a recorded baseline', () => {
  const record = { ...gateRecord(), evidence: [] as Evidence[] };
  const item = (step: string, over: Partial<ParityEvidence>): ParityEvidence => ({
    ...parity(step, 1, 1),
    ...over,
  });
  record.evidence.push(
    item('targets', {
      noise: ['data.activeTargets', 'data.activeTargets[*].lastScrape', 'data.droppedTargets[*]'],
      learnedNoise: ['data.activeTargets', 'data.activeTargets[*].lastScrape'],
      equal: 0,
      differences: [
        { path: 'data.activeTargets[4].lastScrapeDuration', kind: 'value', baseline: 0.01, target: 0.02 },
        { path: 'data.activeTargets[2].labels.zone', kind: 'missing', baseline: 'a' },
      ],
    }),
    item('rules', {
      equal: 0,
      differences: [
        { path: '@status', kind: 'status', baseline: 200, target: 503 },
        { path: '$', kind: 'value', baseline: { a: 1 }, target: 'down' },
      ],
    }),
    item('health', { compared: 0, equal: 0, learnedNoise: ['uptime'] }),
  );

  it("keeps what the baseline's reads learned; from an A/A run its value and order differences too", () => {
    const plain = noiseFromRun(record, 'baseline', false);
    expect(plain.noise).toEqual([
      {
        scenario: 'rentguy-booking',
        step: 'targets',
        paths: ['data.activeTargets', 'data.activeTargets[*].lastScrape'],
      },
    ]);
    const aa = noiseFromRun(record, 'baseline', true);
    expect(aa.noise[0]!.paths).toEqual([
      'data.activeTargets',
      'data.activeTargets[*].lastScrape',
      'data.activeTargets[*].lastScrapeDuration',
    ]);
    // A field that came and went, a status, a body beside another status: a person decides.
    expect(aa.unlearnable).toEqual([
      'rentguy-booking › targets: data.activeTargets[2].labels.zone (missing)',
      'rentguy-booking › rules: @status (status)',
      'rentguy-booking › rules: $ (value)',
    ]);
    expect(noiseFromRun(record, 'target', true).noise).toEqual([]);
  });

  it('adds to what the baseline of that name learned before, and reads baselines recorded without it', () => {
    const earlier = [{ scenario: 's', step: 'a', paths: ['x', 'y'] }];
    const now = [
      { scenario: 's', step: 'a', paths: ['z', 'x'] },
      { scenario: 's', step: 'b', paths: ['w'] },
    ];
    expect(mergeNoise(earlier, now)).toEqual([
      { scenario: 's', step: 'a', paths: ['x', 'y', 'z'] },
      { scenario: 's', step: 'b', paths: ['w'] },
    ]);
    const recorded = baselineFromRun(record, 'aa', NOW, 'baseline', now);
    expect(recorded.noise).toEqual(now);
    const { noise: _dropped, ...older } = recorded;
    expect(baselineSchema.parse(JSON.parse(JSON.stringify(older))).noise).toEqual([]);
  });
});
