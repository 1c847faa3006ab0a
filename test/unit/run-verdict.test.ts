import { describe, expect, it } from 'vitest';
import type { GateSpec } from '../../src/core/gates/define.js';
import { parseGate } from '../../src/core/gates/parse.js';
import { unservedBy } from '../../src/core/gates/scope.js';
import type { GateResult } from '../../src/core/model.js';
import { completenessGaps, judgeRun } from '../../src/core/run-verdict.js';
import { sortForReading } from '../../src/core/verdict.js';
import { evaluateGates, judgeRecord } from '../../src/engine/gates.js';
import { renderVerdict } from '../../src/report/console.js';
import { BUILTIN_SETUP } from '../helpers/builtin-gates.js';
import { gateRecord } from '../helpers/gate-record.js';

const gate = (id: string, verdict: GateResult['verdict'], decides = true): GateResult => ({
  id,
  title: id,
  verdict,
  summary: `${id} says ${verdict}`,
  criteria: [],
  decides,
});

describe("a run's verdict from its gates (one rule for run, perf, demo, report and gate)", () => {
  it('is GO only when every gate the run is judged by is GO and none has a failure', () => {
    const gates = [gate('smoke', 'GO'), gate('3-psra', 'GO'), gate('5', 'INCONCLUSIVE', false)];
    expect(judgeRun(gates)).toEqual({
      verdict: 'GO',
      reason: 'every gate this run is judged by is GO (smoke, 3-psra), and no gate has a failure',
    });
  });

  it('is NO-GO on a failure in any gate, also one the run is not judged by', () => {
    expect(judgeRun([gate('smoke', 'GO'), gate('3-psra', 'NO-GO')]).verdict).toBe('NO-GO');
    const aside = judgeRun([gate('smoke', 'GO'), gate('4', 'NO-GO', false)]);
    expect(aside).toEqual({ verdict: 'NO-GO', reason: 'gate 4: 4 says NO-GO' });
  });

  it('is INCONCLUSIVE when a judging gate is, or when no gate judges the run', () => {
    expect(judgeRun([gate('smoke', 'GO'), gate('3-ai', 'INCONCLUSIVE')]).verdict).toBe('INCONCLUSIVE');
    expect(judgeRun([gate('5', 'GO', false)])).toMatchObject({
      verdict: 'INCONCLUSIVE',
      reason: expect.stringMatching(/^no gate judges this run/),
    });
    expect(judgeRun([]).verdict).toBe('INCONCLUSIVE');
  });

  it('names every failing gate and the first one’s reasons', () => {
    const gates = ['a', 'b', 'c', 'd'].map((id) => gate(id, 'NO-GO'));
    expect(judgeRun(gates).reason).toBe('gates a, b, c, d; gate a: a says NO-GO');
  });

  it('is at best INCONCLUSIVE for a run that did not complete, and says what is missing', () => {
    const gaps = completenessGaps({
      status: 'interrupted',
      ended: false,
      suites: ['smoke', 'integration', 'security'],
      suiteEnds: [
        { suite: 'smoke', status: 'completed' },
        {
          suite: 'integration',
          status: 'failed',
          reason: 'the integration suite stopped with an error: boom',
        },
      ],
    });
    expect(gaps).toEqual([
      'the run ended without recording its end (the process was killed?)',
      'the integration suite stopped: the integration suite stopped with an error: boom',
      'the security suite did not finish',
    ]);
    const judged = judgeRun([gate('smoke', 'GO'), gate('1', 'GO')], gaps);
    expect(judged.verdict).toBe('INCONCLUSIVE');
    expect(judged.reason).toContain('the security suite did not finish');
    // A failure already recorded is still a failure.
    expect(judgeRun([gate('smoke', 'NO-GO')], gaps).verdict).toBe('NO-GO');
    // A completed run with every planned suite ended has no gap; an interrupted one has.
    const done = [
      { suite: 'smoke', status: 'completed' as const },
      { suite: 'security', status: 'completed' as const },
    ];
    expect(
      completenessGaps({ status: 'completed', ended: true, suites: ['smoke', 'security'], suiteEnds: done }),
    ).toEqual([]);
    expect(completenessGaps({ status: 'interrupted', ended: true })).toEqual(['the run was interrupted']);
  });
});

describe('which gates a run is judged by', () => {
  const spec = (criteria: GateSpec['criteria']): GateSpec => ({ id: 'x', phase: 3, title: 'x', criteria });

  it('a gate is served when the run ran every suite its criteria read; sign-offs never are', () => {
    const gate = parseGate(
      spec([
        { id: 'a', title: 'a', serves: 1, expr: 'smoke.failed == 0' },
        { id: 'b', title: 'b', serves: 2, expr: 'http_req_duration: med <= baseline * 1.1' },
        { id: 'c', title: 'c', serves: 3, expr: 'parity.ratio == 1' },
      ]),
    );
    expect(unservedBy(gate, ['smoke', 'integration', 'performance'])).toBeUndefined();
    expect(unservedBy(gate, ['smoke', 'integration'])).toBe(
      'it also needs the performance suite, which this run was not meant to cover',
    );
    const signed = parseGate(
      spec([
        { id: 'a', title: 'a', serves: 1, expr: 'smoke.failed == 0' },
        { id: 'd', title: 'd', serves: 6, attestation: 'docs' },
        { id: 'e', title: 'e', serves: 5, expr: 'backup.failed == 0' },
      ]),
    );
    expect(unservedBy(signed, ['smoke'])).toBe(
      'it also needs the backup suite and sign-off docs, which this run was not meant to cover',
    );
  });

  it("judges by the waves the run's services belong to and the suites it ran; a named gate always judges", () => {
    // The record's services are all of wave rentguy, and it ran smoke, integration, performance, security
    // and data-parity.
    const record = gateRecord();
    const decides = (gates: GateResult[]) =>
      Object.fromEntries(gates.filter((g) => g.id.startsWith('3-')).map((g) => [g.id, g.decides]));
    const now = new Date('2026-11-28T12:00:00Z');
    expect(decides(evaluateGates(record, now, BUILTIN_SETUP))).toEqual({
      '3-rentguy': true,
      // The wave's browser gate needs the browser suite, which this run did not run.
      '3-rentguy-browser': false,
      '3-psra': false,
      '3-wpcs': false,
      '3-ai': false,
    });
    // Without the performance suite, the waves' latency criteria cannot be served: shown aside.
    const noPerf = evaluateGates(
      { ...record, suites: ['smoke', 'integration', 'security', 'data-parity'] },
      now,
      BUILTIN_SETUP,
    );
    expect(noPerf.find((g) => g.id === '3-rentguy')).toMatchObject({
      decides: false,
      aside: 'it also needs the performance suite, which this run was not meant to cover',
    });
    // Performance evidence in a record (merged from another run, say) is still judged, aside.
    expect(noPerf.find((g) => g.id === 'performance')?.decides).toBe(false);
    expect(
      evaluateGates({ ...record, evidence: [], suites: ['smoke'] }, now, BUILTIN_SETUP).map((g) => g.id),
    ).not.toContain('performance');
    const named = evaluateGates(record, now, { ...BUILTIN_SETUP, only: ['3-psra'], allDecide: true });
    expect(decides(named)).toEqual({ '3-psra': true });
    expect(named.map((g) => g.id)).toEqual(['3-psra']);
    // A smokeless run: the smoke gate says the suite did not run, and does not hold the run back.
    const smokeless = evaluateGates({ ...record, checks: [], suites: ['performance'] }, now, BUILTIN_SETUP);
    const smoke = smokeless.find((g) => g.id === 'smoke')!;
    expect(smoke.decides).toBe(false);
    expect(smoke.criteria.map((c) => c.reason)).toContain(
      'no evidence: the smoke suite did not run in this run',
    );
  });

  it('the record helper judges its gates with the same rule', () => {
    const record = gateRecord();
    expect(judgeRecord(record)).toEqual({ verdict: record.verdict, reason: record.verdictReason });
    expect(record.verdict).toBe('NO-GO');
  });

  it('on screen, folds the unevidenced criteria of a gate aside into one line and says why it is aside', () => {
    const record = gateRecord(); // services of wave rentguy: 3-psra is shown but does not judge
    const psra = record.gates.find((g) => g.id === '3-psra')!;
    expect(psra.decides).toBe(false);
    const missing = sortForReading(psra.criteria)
      .filter((c) => c.missing !== undefined)
      .map((c) => c.id);
    expect(missing.length).toBeGreaterThan(3);
    const text = renderVerdict(record, 'reports/x', { colors: false });
    const block = (id: string) => text.split('\nGate ').find((b) => b.startsWith(`${id}:`))!;
    expect(block('3-psra').split('\n').slice(1, -1)).toEqual([
      '  ↳ not judging this run (no service of this run belongs to wave psra); a failure here still counts',
      `  ? ${missing.length} criteria without evidence in this run: ${missing.join(', ')}`,
    ]);
    // The judging gate keeps one line per criterion, its failures and its missing evidence alike.
    expect(block('3-rentguy')).toMatch(/\n {2}✗ FAIL +perf\.median: /);
    expect(block('3-rentguy')).toMatch(/\n {2}✗ FAIL +smoke: /);
    // --verbose lists every criterion of every gate.
    const verbose = renderVerdict(record, 'reports/x', { colors: false, verbose: true });
    for (const id of missing)
      expect(verbose).toMatch(
        new RegExp(`\\? INCONCLUSIVE +${id.replace('.', '\\.')}( \\(warning only\\))?: `),
      );
  });
});
