// The state of the evidence for each of the migration plan's six success criteria, from the gates'
// criteria that serve them.
import { describe, expect, it } from 'vitest';
import type { CriterionResult, GateResult } from '../../src/core/model.js';
import { evidenceText, successCriteriaEvidence } from '../../src/core/success-criteria.js';

const c = (
  id: string,
  serves: number,
  status: CriterionResult['status'],
  extra: Partial<CriterionResult> = {},
): CriterionResult => ({
  id,
  title: id,
  status,
  reason: status,
  blocking: true,
  successCriterion: serves,
  ...extra,
});

const gate = (id: string, criteria: CriterionResult[], decides = true): GateResult => ({
  id,
  title: id,
  verdict: 'GO',
  summary: '',
  criteria,
  decides,
});

const NO_EVIDENCE = { missing: 'backup.failed on target' };

describe('success criteria evidence', () => {
  const states = (gates: GateResult[]) =>
    Object.fromEntries(successCriteriaEvidence(gates).map((e) => [e.criterion, e.state]));

  it('has the six criteria of the plan, in order, with their titles', () => {
    const all = successCriteriaEvidence([]);
    expect(all.map((e) => e.criterion)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(all[1]!.title).toBe('Performance equal or better than Compose');
    expect(all.every((e) => e.state === 'not-covered')).toBe(true);
    expect(evidenceText(all[0]!)).toBe('no gate of this run has a criterion for it');
  });

  it('passed, failed, partly, inconclusive, no evidence: from every gate, shown ones included', () => {
    const gates = [
      gate('1', [c('cluster', 1, 'PASS'), c('perf.median', 2, 'PASS'), c('parity', 3, 'PASS')]),
      gate(
        '4',
        [
          c('smoke', 1, 'PASS'),
          c('perf.p95', 2, 'FAIL'),
          c('parity', 3, 'INCONCLUSIVE'),
          c('monitoring', 4, 'INCONCLUSIVE'),
          c('backup', 5, 'INCONCLUSIVE', NO_EVIDENCE),
          c('docs', 6, 'WAIVED'),
        ],
        false,
      ),
    ];
    expect(states(gates)).toEqual({
      1: 'passed',
      2: 'failed',
      3: 'partly',
      4: 'inconclusive',
      5: 'no-evidence',
      6: 'passed',
    });
  });

  it('a failed warning fails nothing that passed otherwise: partly; alone it is a failure', () => {
    const warning = c('perf.p99', 2, 'FAIL', { blocking: false });
    expect(states([gate('3', [c('perf.median', 2, 'PASS'), warning])])[2]).toBe('partly');
    expect(states([gate('3', [warning, c('perf.x', 2, 'INCONCLUSIVE', NO_EVIDENCE)])])[2]).toBe('failed');
  });

  it('names what did not pass by kind, the same criterion of several gates once', () => {
    const gates = [
      gate('4', [c('backup', 5, 'INCONCLUSIVE', NO_EVIDENCE), c('restore', 5, 'PASS')]),
      gate('5', [c('backup', 5, 'INCONCLUSIVE', NO_EVIDENCE), c('drill', 5, 'FAIL')]),
    ];
    const [, , , , backup] = successCriteriaEvidence(gates);
    expect(backup!.state).toBe('failed');
    expect(backup!.open).toEqual([
      { kind: 'failed', id: 'drill', gates: ['5'] },
      { kind: 'no evidence', id: 'backup', gates: ['4', '5'] },
    ]);
    expect(evidenceText(backup!)).toBe(
      '1 of 4 passed; failed: drill (gate 5); no evidence: backup (gates 4, 5)',
    );
  });

  it('says how many more when many criteria are open', () => {
    const gates = [
      gate(
        '4',
        ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => c(id, 6, 'INCONCLUSIVE', NO_EVIDENCE)),
      ),
    ];
    const docs = successCriteriaEvidence(gates)[5]!;
    expect(evidenceText(docs)).toBe('no evidence: a (gate 4), b (gate 4), c (gate 4), d (gate 4) and 2 more');
    const passed = successCriteriaEvidence([gate('1', [c('x', 6, 'PASS'), c('y', 6, 'WAIVED')])])[5]!;
    expect(evidenceText(passed)).toBe('2 of 2 passed, 1 waived (gate 1)');
  });
});
