// cutover status's pure core (core/status/status.ts) and the push summary (core/push-metrics.ts): the
// recorded verdicts as they were given, the evidence's age today against each limit, waivers and
// sign-offs expired since, and the Prometheus encoding of a run.
import { describe, expect, it } from 'vitest';
import type { CriterionResult, GateResult } from '../../src/core/model.js';
import { pushMetrics, pushSelection } from '../../src/core/push-metrics.js';
import { migrationStatus, type RunGates } from '../../src/core/status/status.js';

const H = 3_600_000;
const t0 = Date.parse('2026-11-20T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

const crit = (
  id: string,
  status: CriterionResult['status'],
  extra: Partial<CriterionResult> = {},
): CriterionResult => ({
  id,
  title: id,
  status,
  reason: `${id} was ${status}`,
  blocking: true,
  ...extra,
});
const gate = (
  id: string,
  phase: number,
  verdict: GateResult['verdict'],
  criteria: CriterionResult[],
  wave?: string,
): GateResult => ({
  id,
  title: `gate ${id}`,
  verdict,
  summary: 's',
  phase,
  ...(wave ? { wave } : {}),
  criteria,
});
const run = (id: string, at: number, gates: GateResult[], command = 'run'): RunGates => ({
  id,
  command,
  startedAt: iso(at),
  finishedAt: iso(at + 60_000),
  gates,
});

const defs = [
  { id: '1', title: 'cluster', phase: 1 },
  { id: '3-rentguy', title: 'rentguy', phase: 3, wave: 'rentguy' },
  { id: '3-psra', title: 'psra', phase: 3, wave: 'psra' },
  { id: '5', title: 'cutover', phase: 5 },
];

const older = run('r1', t0 - 48 * H, [gate('1', 1, 'NO-GO', [crit('nodes', 'FAIL')])]);
const newer = run(
  'r2',
  t0 - 2 * H,
  [
    gate('1', 1, 'GO', [
      crit('nodes', 'PASS', { evidence: 'security findings', evidenceAt: iso(t0 - 3 * H), maxAgeMs: 24 * H }),
    ]),
    gate(
      '3-rentguy',
      3,
      'GO',
      [
        crit('perf.p95', 'WAIVED', {
          waiver: { owner: 'A. Jansen', reason: 'known', expires: '2026-11-20T09:00:00Z', expired: false },
          evidenceAt: iso(t0 - 3 * H),
          maxAgeMs: 7 * 24 * H,
        }),
        crit('parity', 'PASS', { evidenceAt: iso(t0 - 30 * H), maxAgeMs: 24 * H, successCriterion: 3 }),
      ],
      'rentguy',
    ),
    gate('5', 5, 'INCONCLUSIVE', [
      crit('traffic', 'INCONCLUSIVE', { missing: 'post-cutover traffic', reason: 'no evidence: no traffic' }),
      crit('docs', 'INCONCLUSIVE', {
        evidence: 'attestation docs',
        evidenceAt: '2020-01-15',
        maxAgeMs: 90 * 24 * H,
      }),
      crit('warn', 'FAIL', { blocking: false }),
    ]),
  ],
  'gate --phase 1,3-rentguy,5',
);

describe('migrationStatus', () => {
  const status = migrationStatus({
    now: new Date(t0),
    gates: defs,
    runs: [newer, older],
    waivers: [],
    attestations: [],
  });
  const gateOf = (id: string) => status.phases.flatMap((p) => p.gates).find((g) => g.id === id)!;

  it('gives every phase its gates and the latest recorded verdict, with when and by what it was decided', () => {
    expect(status.phases.map((p) => [p.phase, p.verdict])).toEqual([
      [1, 'GO'],
      [2, 'none'],
      [3, 'INCONCLUSIVE'],
      [4, 'none'],
      [5, 'INCONCLUSIVE'],
    ]);
    expect(gateOf('1').decision).toEqual({
      verdict: 'GO',
      decidedAt: iso(t0 - 2 * H + 60_000),
      runId: 'r2',
      command: 'gate --phase 1,3-rentguy,5',
      decides: true,
      summary: 's',
    });
    expect(gateOf('1').history.map((h) => `${h.runId}:${h.verdict}`)).toEqual(['r1:NO-GO', 'r2:GO']);
    expect(gateOf('3-psra').decision).toBeUndefined();
    expect(status.latestRun?.id).toBe('r2');
  });

  it('names the blocking criteria that did not pass, failures first, warnings not', () => {
    expect(gateOf('5').blockers.map((b) => `${b.criterion} ${b.status}`)).toEqual([
      'traffic INCONCLUSIVE',
      'docs INCONCLUSIVE',
    ]);
    expect(gateOf('5').blockers[0]!.missing).toBe('post-cutover traffic');
    expect(gateOf('1').blockers).toEqual([]);
  });

  it("measures each piece of evidence's age today against its limit", () => {
    expect(gateOf('1').evidence).toEqual([
      expect.objectContaining({
        criterion: 'nodes',
        state: 'fresh',
        ageMs: 3 * H,
        text: '3 h old, limit 24 h',
      }),
    ]);
    const parity = gateOf('3-rentguy').evidence.find((e) => e.criterion === 'parity')!;
    expect(parity).toMatchObject({ state: 'stale', text: '30 h old, limit 24 h' });
    expect(gateOf('5').evidence.find((e) => e.criterion === 'docs')!.state).toBe('stale');
    expect(gateOf('5').evidence.find((e) => e.criterion === 'traffic')).toBeUndefined();
  });

  it('says when a recorded GO no longer holds: evidence stale since, a waiver expired since', () => {
    expect(gateOf('3-rentguy').decision!.verdict).toBe('GO');
    expect(gateOf('3-rentguy').changedSince).toEqual([
      'perf.p95: its waiver by A. Jansen expired on 2026-11-20T09:00:00Z',
      'parity: its evidence is stale now (30 h old, limit 24 h)',
    ]);
    expect(gateOf('3-rentguy').waivers).toEqual([
      expect.objectContaining({ criterion: '3-rentguy/perf.p95', expired: true }),
    ]);
    expect(gateOf('1').changedSince).toEqual([]);
  });

  it('lists the waivers and sign-offs on file with their expiry as of now', () => {
    const s = migrationStatus({
      now: new Date(t0),
      gates: defs,
      runs: [],
      waivers: [
        { criterion: '5/docs', owner: 'o', reason: 'r', expires: '2026-11-19' },
        { criterion: '5/traffic', owner: 'o', reason: 'r', expires: '2026-12-31' },
      ],
      attestations: [
        { name: 'docs', by: 'b', date: '2026-11-01', note: 'n', expires: '2026-11-10' },
        { name: 'rehearsal', by: 'b', date: '2026-11-01', note: 'n' },
      ],
    });
    expect(s.waivers.map((w) => [w.criterion, w.expired])).toEqual([
      ['5/docs', true],
      ['5/traffic', false],
    ]);
    expect(s.signOffs.map((a) => [a.name, a.expired])).toEqual([
      ['docs', true],
      ['rehearsal', false],
    ]);
    expect(s.phases.every((p) => p.verdict === 'none')).toBe(true);
  });

  it('keeps a phase gate a record holds that the project no longer defines', () => {
    const s = migrationStatus({ now: new Date(t0), gates: [], runs: [older], waivers: [], attestations: [] });
    expect(s.phases[0]!.gates.map((g) => g.id)).toEqual(['1']);
  });

  it('reads the success criteria from the latest evaluation of every gate', () => {
    expect(status.successCriteria.find((c) => c.criterion === 3)!.state).toBe('passed');
  });
});

describe('the push summary', () => {
  const metrics = pushMetrics({
    command: 'gate --phase 5',
    startedAt: iso(t0),
    finishedAt: iso(t0 + 1000),
    verdict: 'INCONCLUSIVE',
    gates: newer.gates,
  });
  const byName = (name: string) => metrics.find((m) => m.name === name)!;

  it('encodes each state as one series per possible state, 1 for the current one', () => {
    const five = byName('cutover_gate_verdict').samples.filter((s) => s.labels.gate === '5');
    expect(five).toEqual([
      { labels: { gate: '5', phase: '5', wave: '', verdict: 'GO' }, value: 0 },
      { labels: { gate: '5', phase: '5', wave: '', verdict: 'NO-GO' }, value: 0 },
      { labels: { gate: '5', phase: '5', wave: '', verdict: 'INCONCLUSIVE' }, value: 1 },
    ]);
    const p95 = byName('cutover_criterion_status').samples.filter(
      (s) => s.labels.criterion === 'perf.p95' && s.value === 1,
    );
    expect(p95.map((s) => s.labels.status)).toEqual(['WAIVED']);
    expect(byName('cutover_run_timestamp_seconds').samples).toEqual([
      { labels: {}, value: (t0 + 1000) / 1000 },
    ]);
    expect(byName('cutover_success_criterion_state').samples.filter((s) => s.value === 1)).toHaveLength(6);
  });

  it('groups by what the run covered, in characters a URL path keeps', () => {
    expect(pushSelection('gate --phase 5', undefined)).toBe('gate-5');
    expect(pushSelection('gate --phase 3-rentguy,1', undefined)).toBe('gate-1.3-rentguy');
    expect(pushSelection('run', ['smoke', 'integration'])).toBe('run-integration.smoke');
    expect(pushSelection('perf', ['performance'])).toBe('perf');
    expect(pushSelection('gate --phase a/b', undefined)).toBe('gate-a_b');
  });
});

describe('what the evaluator records for status', () => {
  it("records each criterion's newest evidence time and freshness limit", async () => {
    const { parseGate } = await import('../../src/core/gates/parse.js');
    const { evaluateGate } = await import('../../src/core/gates/evaluate.js');
    const parsed = parseGate({
      id: 'x',
      phase: 5,
      title: 't',
      criteria: [
        { id: 'smoke', title: 's', serves: 1, expr: 'smoke.failed == 0', maxAge: '24h' },
        { id: 'docs', title: 'd', serves: 6, attestation: 'docs', maxAge: '7d' },
        { id: 'lat', title: 'l', serves: 2, expr: 'http_req_duration: p(95) < 300' },
      ],
    });
    const check = (at: number) => ({
      suite: 'smoke',
      environment: 'target',
      service: 'a',
      check: 'reachable',
      status: 'pass' as const,
      reason: 'ok',
      at: iso(at),
    });
    const result = evaluateGate(parsed, {
      now: new Date(t0),
      checks: [check(t0 - 30 * H), check(t0 - 2 * H)],
      evidence: [],
      services: [{ id: 'a', tier: 'application', phase: 3 }],
      target: 'target',
      baseline: 'baseline',
      attestations: [{ name: 'docs', by: 'b', date: '2026-11-01', note: 'n' }],
      waivers: [],
    });
    const byId = Object.fromEntries(result.criteria.map((c) => [c.id, c]));
    expect(byId.smoke).toMatchObject({ evidenceAt: iso(t0 - 2 * H), maxAgeMs: 24 * H });
    expect(byId.docs).toMatchObject({
      evidenceAt: '2026-11-01',
      maxAgeMs: 7 * 24 * H,
      status: 'INCONCLUSIVE',
    });
    expect(byId.lat!.evidenceAt).toBeUndefined();
    expect(byId.lat!.maxAgeMs).toBe(7 * 24 * H);
  });
});
