import { describe, expect, it } from 'vitest';
import type { GateResult } from '../../src/core/model.js';
import { sortForReading } from '../../src/core/verdict.js';
import { defaultSetup, evaluateGates, overallVerdict } from '../../src/engine/gates.js';
import { renderVerdict } from '../../src/report/console.js';
import { verdictReason } from '../../src/report/decision.js';
import { gateRecord } from '../helpers/gate-record.js';

const gate = (id: string, verdict: GateResult['verdict'], decides = true): GateResult => ({
  id,
  title: id,
  verdict,
  summary: `${id} says ${verdict}`,
  criteria: [],
  decides,
});

describe("a run's verdict from its gates", () => {
  it('is GO only when every deciding gate is GO; gates shown for lack of evidence do not hold it back', () => {
    const gates = [gate('smoke', 'GO'), gate('3-psra', 'GO'), gate('5', 'INCONCLUSIVE', false)];
    expect(overallVerdict(gates)).toBe('GO');
    expect(verdictReason(gates, 'GO')).toBe('every deciding gate is GO (smoke, 3-psra)');
  });

  it('is NO-GO when a deciding gate is; a gate shown for lack of evidence does not set it', () => {
    expect(overallVerdict([gate('smoke', 'GO'), gate('3-psra', 'NO-GO')])).toBe('NO-GO');
    expect(verdictReason([gate('smoke', 'GO'), gate('3-psra', 'NO-GO')], 'NO-GO')).toBe(
      'gate 3-psra: 3-psra says NO-GO',
    );
    expect(overallVerdict([gate('smoke', 'GO'), gate('4', 'NO-GO', false)])).toBe('GO');
  });

  it('is INCONCLUSIVE when a deciding gate is, or when no gate decides', () => {
    expect(overallVerdict([gate('smoke', 'GO'), gate('3-ai', 'INCONCLUSIVE')])).toBe('INCONCLUSIVE');
    expect(overallVerdict([gate('5', 'GO', false)])).toBe('INCONCLUSIVE');
    expect(overallVerdict([])).toBe('INCONCLUSIVE');
  });

  it('names at most two gates in the reason line', () => {
    const gates = ['a', 'b', 'c', 'd'].map((id) => gate(id, 'NO-GO'));
    expect(verdictReason(gates, 'NO-GO')).toBe(
      'gate a: a says NO-GO | gate b: b says NO-GO | and gates c, d',
    );
  });

  it("lets only the waves the run's services belong to decide; a gate asked for by name always does", () => {
    // The record's services are all of wave rentguy.
    const record = gateRecord();
    const decides = (gates: GateResult[]) =>
      Object.fromEntries(gates.filter((g) => g.id.startsWith('3-')).map((g) => [g.id, g.decides]));
    expect(decides(evaluateGates(record, new Date('2026-11-28T12:00:00Z')))).toEqual({
      '3-rentguy': true,
      '3-psra': false,
      '3-wpcs': false,
      '3-ai': false,
    });
    const named = evaluateGates(record, new Date('2026-11-28T12:00:00Z'), {
      ...defaultSetup(),
      only: ['3-psra'],
      allDecide: true,
    });
    expect(decides(named)).toEqual({ '3-psra': true });
    // Without smoke checks at all the smoke gate says the suite did not run, not that the run broke off.
    const smokeless = evaluateGates({ ...record, checks: [] }, new Date('2026-11-28T12:00:00Z'));
    const smoke = smokeless.find((g) => g.id === 'smoke')!;
    expect(smoke.criteria.map((c) => c.reason)).toContain(
      'no evidence: the smoke suite did not run in this run',
    );
  });

  it('on screen, folds the unevidenced criteria of a gate that does not decide into one line', () => {
    const record = gateRecord(); // services of wave rentguy: 3-psra is shown but does not decide
    const psra = record.gates.find((g) => g.id === '3-psra')!;
    expect(psra.decides).toBe(false);
    const missing = sortForReading(psra.criteria)
      .filter((c) => c.missing !== undefined)
      .map((c) => c.id);
    expect(missing.length).toBeGreaterThan(3);
    const text = renderVerdict(record, 'reports/x', { colors: false });
    const block = (id: string) => text.split('\nGate ').find((b) => b.startsWith(`${id}:`))!;
    expect(block('3-psra').split('\n').slice(1, -1)).toEqual([
      `  ? ${missing.length} criteria without evidence in this run: ${missing.join(', ')}`,
    ]);
    // The deciding gate keeps one line per criterion, its failures and its missing evidence alike.
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
