// Criterion parsing (errors a user would make) and evaluation of every kind, fail-closed.
import { describe, expect, it } from 'vitest';
import type { MetricEvidence } from '../../src/core/evidence.js';
import type { GateSpec } from '../../src/core/gates/define.js';
import { evaluateGate } from '../../src/core/gates/evaluate.js';
import { GateDefinitionError, parseGate } from '../../src/core/gates/parse.js';
import { BUILTIN_GATES } from '../helpers/builtin-gates.js';
import {
  AT,
  check,
  coverage,
  failedRate,
  finding,
  input,
  lognormalHistogram,
  NOW,
  parity,
  SERVICES,
  trend,
} from '../helpers/gate-evidence.js';

function gate(...exprs: string[]): GateSpec {
  return {
    id: 'g',
    phase: 3,
    title: 'test gate',
    criteria: exprs.map((expr, i) => ({ id: `c${i}`, title: expr, serves: 2, expr })),
  };
}

function problems(spec: GateSpec): readonly string[] {
  try {
    parseGate(spec);
  } catch (error) {
    if (error instanceof GateDefinitionError) return error.problems;
    throw error;
  }
  return [];
}

describe('parsing', () => {
  it('every built-in gate parses', () => {
    for (const g of BUILTIN_GATES) expect(() => parseGate(g), g.id).not.toThrow();
    expect(BUILTIN_GATES.map((g) => g.id)).toEqual([
      '1',
      '2',
      '3-rentguy',
      '3-rentguy-browser',
      '3-psra',
      '3-wpcs',
      '3-ai',
      '4',
      '5',
    ]);
  });

  it('reads k6 thresholds, relative limits and counts', () => {
    const p = parseGate(
      gate(
        'http_req_duration{service:rentguy-api, endpoint:GET /api/x}: p(95)<300',
        'http_req_duration: p(99.9) <= baseline * 1.10 + 5ms',
        'http_req_failed: rate<1%',
        'parity{wave:rentguy}.ratio == 1',
        'security{source:posture}.critical == 0',
        'smoke.failed == 0',
      ),
    );
    const [a, b, c, d, e, f] = p.criteria.map((x) => x.rule);
    expect(a).toMatchObject({
      kind: 'metric',
      filter: { service: 'rentguy-api', endpoint: 'GET /api/x' },
      agg: { fn: 'p', q: 0.95 },
      op: '<',
      threshold: 300,
    });
    expect(b).toMatchObject({ relative: { factor: 1.1, slack: 5 }, op: '<=' });
    expect(c).toMatchObject({ threshold: 0.01 });
    expect(d).toMatchObject({ kind: 'count', source: 'parity', field: 'ratio', value: 1 });
    expect(e).toMatchObject({ kind: 'count', source: 'findings', suite: 'security', field: 'critical' });
    expect(f).toMatchObject({ kind: 'count', source: 'checks', suite: 'smoke', field: 'failed' });
  });

  it('names each mistake with its criterion', () => {
    const found = problems(
      gate(
        'http_req_duraton: p(95)<300',
        'http_reqs: p(95)<1',
        'http_req_duration: p(95)=<300',
        'http_req_failed: rate < 2',
        'http_req_duration: p(95) == 3',
        'smoke.faild == 0',
        'http_req_duration: avg <= baseline * 1.1',
        'http_reqs: rate > 5',
      ),
    );
    expect(found).toEqual([
      'criterion c0: unknown metric "http_req_duraton" (did you mean http_req_duration?); declare custom metrics in the gate\'s `metrics`',
      'criterion c1: http_reqs is a counter: p(95) does not apply (a counter allows count, rate)',
      expect.stringContaining('criterion c2:'),
      'criterion c3: rate limit 2 is not within 0..1',
      'criterion c4: p(95) ==: an estimate is never exactly equal to a limit; use <, <=, > or >=',
      expect.stringContaining('criterion c5: smoke.faild: unknown field (did you mean failed?)'),
      'criterion c6: avg relative to the baseline: only percentiles (p(N), med) of a trend can be compared with an interval',
      expect.stringContaining('criterion c7: http_reqs: rate of a counter is per second'),
    ]);
    expect(problems({ id: 'Bad Id', phase: 7, title: '', criteria: [] } as GateSpec).length).toBe(4);
  });
});

describe('tag filter keys', () => {
  it('refuses a key no evidence of that kind carries, with the closest known one', () => {
    expect(
      problems(
        gate(
          'integration{servce:x}.failed == 0',
          'http_req_duration{name:GET /x}: p(95) < 300',
          'http_req_duration{status:500}: p(95) < 300',
          'parity{scenaro:rentguy}.ratio == 1',
          'security{sorce:posture}.critical == 0',
          'http_req_duration{step:login}: p(95) < 300',
        ),
      ),
    ).toEqual([
      'criterion c0: tag filter key "servce" is not a tag of integration check results (did you mean service?); expected service, wave, tier, phase, check',
      'criterion c1: tag filter key "name" is not a tag of http_req_duration evidence (did you mean endpoint?); expected service, wave, tier, phase, scenario, endpoint, status_class, check',
      expect.stringContaining(
        'criterion c2: tag filter key "status" is not a tag of http_req_duration evidence (did you mean status_class?)',
      ),
      expect.stringContaining(
        'criterion c3: tag filter key "scenaro" is not a tag of parity evidence (did you mean scenario?)',
      ),
      expect.stringContaining(
        'criterion c4: tag filter key "sorce" is not a tag of findings (did you mean source?)',
      ),
      // A parity tag on a metric: no load evidence is tagged by step.
      expect.stringContaining(
        'criterion c5: tag filter key "step" is not a tag of http_req_duration evidence;',
      ),
    ]);
  });

  it("accepts every key each kind's evidence carries, and any key on a custom metric", () => {
    expect(
      problems({
        ...gate(
          'http_req_duration{service:a, wave:w, tier:t, phase:3, scenario:s, endpoint:GET /, status_class:5xx}: p(95) < 300',
          'checks{check:status is 200}: rate > 0.99',
          'parity{service:a, wave:w, tier:t, phase:3, scenario:s, step:x, endpoint:GET /}.ratio == 1',
          'smoke{service:a, wave:w, tier:t, phase:3, check:health}.failed == 0',
          'security{service:a, wave:w, source:posture, check:c, object:o, severity:high}.findings == 0',
          'queue_depth{queue:mail}: value < 10',
        ),
        metrics: { queue_depth: 'gauge' },
      }),
    ).toEqual([]);
  });
});

describe('relative latency', () => {
  const endpoints = ['GET /a', 'GET /b', 'GET /c'];
  const same = endpoints.flatMap((e, i) => [
    trend('baseline', e, lognormalHistogram(5000, 20, 0.5, 10 + i)),
    trend('target', e, lognormalHistogram(5000, 20, 0.5, 20 + i)),
  ]);

  it('A/A at 5000 samples passes, and states value, limit, interval, n and rule', () => {
    const r = evaluateGate(parseGate(gate('http_req_duration: p(95) <= baseline * 1.10')), input(same));
    expect(r.verdict).toBe('GO');
    const c = r.criteria[0]!;
    expect(c.unit).toBe('ratio');
    expect(c.limit).toBe(1.1);
    expect(c.interval!.high).toBeLessThan(1.1);
    expect(c.interval!.level).toBeCloseTo(0.9);
    expect(c.n).toBe(5000);
    expect(c.nBaseline).toBe(5000);
    expect(c.rule).toContain('Holm');
    expect(c.groups).toHaveLength(3);
  });

  it('a 40 % slower endpoint fails; a missing target series is never a pass', () => {
    const slow = [
      ...same.filter(
        (e) => !(e.environment === 'target' && (e as MetricEvidence).tags.endpoint === 'GET /b'),
      ),
      trend('target', 'GET /b', lognormalHistogram(5000, 28, 0.5, 99)),
    ];
    const r = evaluateGate(parseGate(gate('http_req_duration: p(95) <= baseline * 1.10')), input(slow));
    expect(r.verdict).toBe('NO-GO');
    expect(r.criteria[0]!.reason).toContain('endpoint=GET /b');
    expect(r.criteria[0]!.reason).toContain('Holm');
    const missing = same.filter(
      (e) => !(e.environment === 'target' && (e as MetricEvidence).tags.endpoint === 'GET /c'),
    );
    const m = evaluateGate(parseGate(gate('http_req_duration: p(95) <= baseline * 1.10')), input(missing));
    expect(m.verdict).toBe('INCONCLUSIVE');
    expect(m.criteria[0]!.reason).toContain('no target samples');
  });

  it('with few samples it is INCONCLUSIVE and says how many would settle it', () => {
    const few = [
      trend('baseline', 'GET /a', lognormalHistogram(400, 20, 0.5, 1)),
      trend('target', 'GET /a', lognormalHistogram(400, 20, 0.5, 2)),
    ];
    const r = evaluateGate(parseGate(gate('http_req_duration: p(95) <= baseline * 1.10')), input(few));
    expect(r.verdict).toBe('INCONCLUSIVE');
    expect(r.criteria[0]!.samplesToSettle).toBeGreaterThan(400);
    expect(r.criteria[0]!.reason).toMatch(/about \d+ samples per side would settle it/);
  });

  it('an absolute slack keeps loopback noise from failing, while +40 ms fails', () => {
    const base = trend('baseline', 'GET /a', lognormalHistogram(300, 1, 0.6, 1));
    const ok = evaluateGate(
      parseGate(gate('http_req_duration: med <= baseline * 1.10 + 5ms')),
      input([base, trend('target', 'GET /a', lognormalHistogram(300, 1.6, 0.6, 2))]),
    );
    expect(ok.verdict).toBe('GO');
    const slow = evaluateGate(
      parseGate(gate('http_req_duration: med <= baseline * 1.10 + 5ms')),
      input([base, trend('target', 'GET /a', lognormalHistogram(300, 41, 0.1, 3))]),
    );
    expect(slow.verdict).toBe('NO-GO');
    expect(slow.criteria[0]!.unit).toBe('ms');
  });

  it("phase 2 warns when Keycloak's token issuance is slower on the target, and reads no application", () => {
    const gate2 = parseGate(BUILTIN_GATES.find((g) => g.id === '2')!);
    const services = [...SERVICES, { id: 'keycloak', tier: 'infrastructure', phase: 2 }];
    const token = 'POST /realms/sevensa/protocol/openid-connect/token';
    const judge = (targetMs: number) =>
      evaluateGate(
        gate2,
        input(
          [
            trend('baseline', token, lognormalHistogram(300, 3, 0.4, 1), 'keycloak'),
            trend('target', token, lognormalHistogram(300, targetMs, 0.4, 2), 'keycloak'),
            // A slow application endpoint is the wave gates' business, not phase 2's.
            trend('baseline', 'GET /api/equipment', lognormalHistogram(300, 3, 0.4, 3)),
            trend('target', 'GET /api/equipment', lognormalHistogram(300, 90, 0.4, 4)),
          ],
          [],
          { services },
        ),
      ).criteria.find((c) => c.id === 'infra.perf.median')!;
    const same = judge(3);
    expect(same.status, same.reason).toBe('PASS');
    expect(same.n).toBe(300);
    const slow = judge(43);
    expect(slow.status, slow.reason).toBe('FAIL');
    expect(slow.blocking).toBe(false);
  });

  it('an incomparable recorded baseline makes relative criteria INCONCLUSIVE', () => {
    const r = evaluateGate(
      parseGate(gate('http_req_duration: p(95) <= baseline * 1.10')),
      input(same, [], { incomparable: 'scenarios differ' }),
    );
    expect(r.verdict).toBe('INCONCLUSIVE');
    expect(r.criteria[0]!.reason).toContain('scenarios differ');
  });
});

describe('rates', () => {
  it('an error rate from 0.5 % to 1.5 % over 20000 requests fails; equal rates within a wide tolerance pass', () => {
    const bad = evaluateGate(
      parseGate(gate('http_req_failed: rate <= baseline + 0.001')),
      input([failedRate('baseline', 'GET /a', 100, 19_900), failedRate('target', 'GET /a', 300, 19_700)]),
    );
    expect(bad.verdict).toBe('NO-GO');
    expect(bad.criteria[0]!.unit).toBe('rate');
    const ok = evaluateGate(
      parseGate(gate('http_req_failed: rate <= baseline + 0.02')),
      input([failedRate('baseline', 'GET /a', 0, 500), failedRate('target', 'GET /a', 0, 500)]),
    );
    expect(ok.verdict).toBe('GO');
  });

  it('one sample gives no interval a record could not hold', () => {
    const one = [trend('target', 'GET /a', lognormalHistogram(1, 20, 0.5, 1))];
    const r = evaluateGate(parseGate(gate('http_req_duration: avg<300')), input(one));
    expect(r.verdict).toBe('INCONCLUSIVE');
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('an absolute k6 threshold uses a Wilson interval: 0 of 50 proves nothing about < 1 %', () => {
    const r = evaluateGate(
      parseGate(gate('http_req_failed: rate<0.01')),
      input([failedRate('target', 'GET /a', 0, 50)]),
    );
    expect(r.verdict).toBe('INCONCLUSIVE');
    const r2 = evaluateGate(
      parseGate(gate('http_req_failed: rate<0.01')),
      input([failedRate('target', 'GET /a', 0, 2000)]),
    );
    expect(r2.verdict).toBe('GO');
  });
});

describe('which suite a metric criterion reads', () => {
  // The post-cutover watch records production traffic under the load engines' metric names.
  const watched = (e: MetricEvidence): MetricEvidence => ({ ...e, suite: 'post-cutover' });

  it('a criterion without a suite reads the performance suite only, never the watch', () => {
    const load = [failedRate('baseline', 'GET /a', 0, 500), failedRate('target', 'GET /a', 0, 500)];
    // Production traffic of another service on the target, with no baseline of its own in this suite.
    const production = watched(failedRate('target', 'GET /a', 0, 900, 'psra-api'));
    const r = evaluateGate(
      parseGate(gate('http_req_failed: rate <= baseline + 0.02')),
      input([...load, production]),
    );
    expect(r.verdict, r.criteria[0]!.reason).toBe('GO');
  });

  it('a criterion naming the watch reads the watch only: failing production traffic fails it', () => {
    const spec = gate('http_req_failed: rate < 0.01');
    spec.criteria[0]!.suite = 'post-cutover';
    const load = failedRate('target', 'GET /a', 0, 5000);
    const failing = watched(failedRate('target', 'GET /a', 200, 2000));
    expect(evaluateGate(parseGate(spec), input([load, failing])).verdict).toBe('NO-GO');
    // And the load test's clean figures alone are no evidence of production traffic.
    expect(evaluateGate(parseGate(spec), input([load])).verdict).toBe('INCONCLUSIVE');
  });
});

describe('counts, coverage, freshness, sign-offs, waivers', () => {
  it('parity: a difference fails at once; zero compared is no evidence', () => {
    expect(
      evaluateGate(parseGate(gate('parity.ratio == 1')), input([parity('a', 5, 5), parity('b', 5, 4)]))
        .verdict,
    ).toBe('NO-GO');
    expect(evaluateGate(parseGate(gate('parity.ratio == 1')), input([parity('a', 5, 5)])).verdict).toBe('GO');
    const none = evaluateGate(parseGate(gate('parity.ratio == 1')), input([parity('a', 0, 0)]));
    expect(none.verdict).toBe('INCONCLUSIVE');
    expect(none.criteria[0]!.reason).toContain('0 responses compared');
    expect(
      evaluateGate(parseGate(gate('parity{wave:psra}.ratio == 1')), input([parity('a', 5, 4)])).verdict,
    ).toBe('INCONCLUSIVE');
  });

  it('parity: the reason names every differing step, or the first five and how many more', () => {
    const reasonOf = (steps: number) =>
      evaluateGate(
        parseGate(gate('parity.ratio == 1')),
        input([parity('same', 5, 5), ...Array.from({ length: steps }, (_, i) => parity(`s${i + 1}`, 2, 1))]),
      ).criteria[0]!.reason;
    const three = reasonOf(3);
    for (const s of ['s1', 's2', 's3']) expect(three).toContain(`rentguy-booking/${s} GET /api/${s}`);
    expect(three).not.toContain('more');
    const eight = reasonOf(8);
    for (const s of ['s1', 's2', 's3', 's4', 's5']) expect(eight).toContain(`rentguy-booking/${s} `);
    expect(eight).not.toContain('rentguy-booking/s6');
    expect(eight).toContain('and 3 more differing steps');
  });

  it('security: no critical finding is a PASS only with complete coverage', () => {
    const g = parseGate(gate('security{source:posture}.critical == 0'));
    expect(evaluateGate(g, input([])).verdict).toBe('INCONCLUSIVE');
    expect(evaluateGate(g, input([coverage('posture', 'could-not-check')])).verdict).toBe('INCONCLUSIVE');
    expect(evaluateGate(g, input([coverage('posture', 'partial'), finding('high')])).verdict).toBe(
      'INCONCLUSIVE',
    );
    expect(evaluateGate(g, input([coverage('posture', 'complete'), finding('high')])).verdict).toBe('GO');
    expect(
      evaluateGate(g, input([coverage('posture', 'could-not-check'), finding('critical')])).verdict,
    ).toBe('NO-GO');
    // The suite said it found two findings; one is missing from the evidence.
    const r = evaluateGate(g, input([coverage('posture', 'complete', { findings: 2 }), finding('high')]));
    expect(r.verdict).toBe('INCONCLUSIVE');
    expect(r.criteria[0]!.reason).toContain('evidence incomplete');
    // Per-severity counts, as the security suite reports them, reveal a lost critical finding.
    const lost = evaluateGate(
      g,
      input([coverage('posture', 'complete', { critical: 1, high: 1 }), finding('high')]),
    );
    expect(lost.verdict).toBe('INCONCLUSIVE');
    expect(lost.criteria[0]!.reason).toContain('reported 1 critical findings, 0 are present');
  });

  it("findings belong to a wave through their object's name; findings of no service count for every wave", () => {
    const g = parseGate(gate('security{source:posture, wave:psra}.critical == 0'));
    const rentguy = { ...finding('critical'), object: 'Deployment/sevensa-apps/rentguy-api' };
    const namespace = { ...finding('critical'), object: 'Namespace/sevensa-apps' };
    const counts = (n: number) => coverage('posture', 'complete', { critical: n });
    expect(evaluateGate(g, input([counts(1), rentguy])).verdict).toBe('GO');
    expect(evaluateGate(g, input([counts(1), namespace])).verdict).toBe('NO-GO');
    const own = parseGate(gate('security{source:posture, wave:rentguy}.critical == 0'));
    expect(evaluateGate(own, input([counts(1), rentguy])).verdict).toBe('NO-GO');
  });

  it('check results of any suite; wave filters resolve through the services', () => {
    const g = parseGate(gate('smoke{wave:rentguy}.failed == 0'));
    expect(
      evaluateGate(
        g,
        input([], [check('target', 'rentguy-api', 'pass'), check('target', 'psra-api', 'fail')]),
      ).verdict,
    ).toBe('GO');
    expect(evaluateGate(g, input([], [check('target', 'rentguy-web', 'fail')])).verdict).toBe('NO-GO');
    expect(evaluateGate(g, input([], [check('baseline', 'rentguy-web', 'pass')])).verdict).toBe(
      'INCONCLUSIVE',
    );
  });

  it('stale evidence is not evidence', () => {
    const g = parseGate({
      ...gate('backup.failed == 0'),
      criteria: [{ id: 'b', title: 'backup', serves: 5, expr: 'backup.failed == 0', maxAge: '24h' }],
    });
    const old = { ...check('target', 'rentguy-api', 'pass', 'backup'), at: '2026-11-26T00:00:00.000Z' };
    const r = evaluateGate(g, input([], [old]));
    expect(r.verdict).toBe('INCONCLUSIVE');
    expect(r.criteria[0]!.reason).toContain(
      'stale evidence: the newest is 2 d old, the criterion accepts 24 h',
    );
  });

  it('sign-offs: missing, expired or future is not a pass', () => {
    const g = parseGate({
      id: 'g',
      phase: 4,
      title: 't',
      criteria: [
        { id: 'docs', title: 'docs', serves: 6, attestation: 'documentation-updated', maxAge: '30d' },
      ],
    });
    const signed = {
      name: 'documentation-updated',
      by: 'A. Jansen',
      date: '2026-11-20',
      note: 'runbooks updated',
    };
    expect(evaluateGate(g, input([])).verdict).toBe('INCONCLUSIVE');
    expect(evaluateGate(g, input([], [], { attestations: [signed] })).verdict).toBe('GO');
    expect(
      evaluateGate(g, input([], [], { attestations: [{ ...signed, date: '2026-09-01' }] })).verdict,
    ).toBe('INCONCLUSIVE');
    expect(
      evaluateGate(g, input([], [], { attestations: [{ ...signed, expires: '2026-11-27' }] })).verdict,
    ).toBe('INCONCLUSIVE');
    expect(
      evaluateGate(g, input([], [], { attestations: [{ ...signed, date: '2026-12-20' }] })).verdict,
    ).toBe('INCONCLUSIVE');
  });

  it('waivers apply until they expire, and never touch a PASS', () => {
    const g = parseGate(gate('parity.ratio == 1'));
    const failing = [parity('a', 5, 4)];
    const waiver = {
      criterion: 'g/c0',
      owner: 'B. de Vries',
      reason: 'known rounding difference, ticket OPS-12',
      expires: '2026-12-01',
    };
    const w = evaluateGate(g, input(failing, [], { waivers: [waiver] }));
    expect(w.criteria[0]!.status).toBe('WAIVED');
    expect(w.verdict).toBe('GO');
    const expired = evaluateGate(g, input(failing, [], { waivers: [{ ...waiver, expires: '2026-11-01' }] }));
    expect(expired.verdict).toBe('NO-GO');
    expect(expired.criteria[0]!.reason).toContain('expired');
    expect(evaluateGate(g, input([parity('a', 5, 5)], [], { waivers: [waiver] })).criteria[0]!.status).toBe(
      'PASS',
    );
  });

  it('evidence times are compared with the time of judgement, not the clock', () => {
    expect(NOW.getTime() - Date.parse(AT)).toBe(3_600_000);
  });
});
