// A scenario's own thresholds are a blocking criterion of every gate that judges its service's
// performance (issue 13, item 2): evaluated purely, scoped by the gate's performance criteria.
import { describe, expect, it } from 'vitest';
import type { GateSpec } from '../../src/core/gates/define.js';
import { evaluateGate } from '../../src/core/gates/evaluate.js';
import type { GateInput } from '../../src/core/gates/input.js';
import { parseGate } from '../../src/core/gates/parse.js';
import { judgeScenarioThresholds } from '../../src/core/gates/scenario-thresholds.js';
import type { CheckResult } from '../../src/core/model.js';
import { AT, NOW } from '../helpers/gate-evidence.js';

function threshold(
  environment: string,
  service: string,
  scenario: string,
  source: string,
  ok: boolean,
): CheckResult {
  return {
    suite: 'performance',
    environment,
    service,
    check: `${scenario}: http_req_duration ${source}`,
    status: ok ? 'pass' : 'fail',
    reason: ok ? 'p(95) = 3 ms' : 'p(95) = 3 ms (threshold p(95)<0.001)',
    data: { scenario, metric: 'http_req_duration', threshold: source },
    at: AT,
  };
}

const input = (checks: CheckResult[], waivers: GateInput['waivers'] = []): GateInput => ({
  now: NOW,
  checks,
  evidence: [],
  services: [
    { id: 'rentguy-api', tier: 'application', phase: 3, wave: 'rentguy' },
    { id: 'psra-api', tier: 'application', phase: 3, wave: 'psra' },
  ],
  target: 'target',
  baseline: 'baseline',
  attestations: [],
  waivers,
});

const gate = (criteria: GateSpec['criteria']) => parseGate({ id: 'g', phase: 3, title: 'g', criteria });
const rentguyLatency = gate([
  {
    id: 'median',
    title: 'median',
    serves: 2,
    expr: 'http_req_duration{wave:rentguy}: med <= baseline * 1.1 + 10ms',
  },
]);

describe('scenario thresholds in the gates', () => {
  it('a threshold crossed on the target FAILs the gate judging that service, naming it', () => {
    const checks = [
      threshold('baseline', 'rentguy-api', 'rentguy', 'p(95)<300', true),
      threshold('target', 'rentguy-api', 'rentguy', 'p(95)<300', false),
    ];
    const c = judgeScenarioThresholds(rentguyLatency, input(checks));
    expect(c).toMatchObject({
      id: 'scenario-thresholds',
      status: 'FAIL',
      blocking: true,
      successCriterion: 2,
      value: 1,
      limit: 0,
      n: 1,
    });
    expect(c!.reason).toBe(
      '1 of 1 threshold crossed on target: rentguy: http_req_duration p(95)<300 — p(95) = 3 ms (threshold p(95)<0.001)',
    );
    const result = evaluateGate(rentguyLatency, input(checks));
    expect(result.verdict).toBe('NO-GO');
  });

  it('a threshold nobody could judge (a team script k6 did not report on) keeps the criterion INCONCLUSIVE, never a pass', () => {
    const unjudged: CheckResult = {
      ...threshold('target', 'rentguy-api', 'rentguy', 'count>100', true),
      status: 'skip',
      reason: 'not judged: k6 reported no verdict for it',
    };
    const checks = [threshold('target', 'rentguy-api', 'rentguy', 'p(95)<300', true), unjudged];
    const c = judgeScenarioThresholds(rentguyLatency, input(checks));
    expect(c).toMatchObject({ id: 'scenario-thresholds', status: 'INCONCLUSIVE', n: 1 });
    expect(c!.reason).toContain('1 threshold was not judged on target: rentguy: http_req_duration count>100');
    expect(evaluateGate(rentguyLatency, input(checks)).verdict).not.toBe('GO');
  });

  it('only the services a gate judges: another wave’s thresholds and gates without performance criteria add nothing', () => {
    const psraFails = [threshold('target', 'psra-api', 'psra', 'p(95)<500', false)];
    expect(judgeScenarioThresholds(rentguyLatency, input(psraFails))).toBeUndefined();
    const parityOnly = gate([{ id: 'p', title: 'p', serves: 3, expr: 'parity.ratio == 1' }]);
    expect(judgeScenarioThresholds(parityOnly, input(psraFails))).toBeUndefined();
    // A metric criterion read from another suite (post-cutover traffic) does not judge the load run.
    const traffic = gate([
      { id: 't', title: 't', serves: 1, expr: 'http_req_failed: rate < 0.01', suite: 'post-cutover' },
    ]);
    expect(judgeScenarioThresholds(traffic, input(psraFails))).toBeUndefined();
    // An unfiltered performance criterion judges every service.
    const all = gate([{ id: 'e', title: 'e', serves: 2, expr: 'http_req_failed: rate <= baseline + 0.02' }]);
    expect(judgeScenarioThresholds(all, input(psraFails))?.status).toBe('FAIL');
  });

  it('PASS when every threshold held; INCONCLUSIVE when the target lacks one the baseline has', () => {
    const held = [
      threshold('baseline', 'rentguy-api', 'rentguy', 'p(95)<300', true),
      threshold('target', 'rentguy-api', 'rentguy', 'p(95)<300', true),
    ];
    expect(judgeScenarioThresholds(rentguyLatency, input(held))).toMatchObject({ status: 'PASS', value: 0 });
    const lost = [...held, threshold('baseline', 'rentguy-api', 'rentguy', 'p(99)<1000', true)];
    const c = judgeScenarioThresholds(rentguyLatency, input(lost));
    expect(c?.status).toBe('INCONCLUSIVE');
    expect(c?.reason).toMatch(
      /1 threshold evaluated on baseline has no result on target .*silence is not a pass/,
    );
  });

  it('stale threshold results are not a pass, and a waiver can accept a crossed threshold', () => {
    const old = {
      ...threshold('target', 'rentguy-api', 'rentguy', 'p(95)<300', true),
      at: '2026-11-01T00:00:00Z',
    };
    expect(judgeScenarioThresholds(rentguyLatency, input([old]))?.reason).toMatch(/^stale evidence/);
    const failed = [threshold('target', 'rentguy-api', 'rentguy', 'p(95)<300', false)];
    const waiver = {
      criterion: 'g/scenario-thresholds',
      owner: 'QA',
      reason: 'SLA renegotiated',
      expires: '2027-01-01',
    };
    const result = evaluateGate(rentguyLatency, input(failed, [waiver]));
    expect(result.criteria.find((c) => c.id === 'scenario-thresholds')?.status).toBe('WAIVED');
  });

  it('takes another id when the gate already has a criterion called scenario-thresholds', () => {
    const taken = gate([
      {
        id: 'scenario-thresholds',
        title: 'x',
        serves: 2,
        expr: 'http_req_duration: med <= baseline * 1.1 + 10ms',
      },
    ]);
    const checks = [threshold('target', 'rentguy-api', 'rentguy', 'p(95)<300', false)];
    expect(judgeScenarioThresholds(taken, input(checks))?.id).toBe('scenario-thresholds-2');
  });
});
