import { describe, expect, it } from 'vitest';
import type { GateResult } from '../../src/core/model.js';
import { overallVerdict } from '../../src/engine/gates.js';
import { verdictReason } from '../../src/report/console.js';

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
});
