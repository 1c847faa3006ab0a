// The performance scenarios' k6-style checks, by name: one `checks` series per check (tagged `check`, as
// k6 tags its check samples), the failing ones named in the progress line and in both reports, and the
// gates' perf.checks criterion comparing each check with itself on the baseline.
import { describe, expect, it } from 'vitest';
import type { MetricEvidence } from '../../src/core/evidence.js';
import { evaluateGate } from '../../src/core/gates/evaluate.js';
import { parseGate } from '../../src/core/gates/parse.js';
import { renderReportFiles } from '../../src/report/files.js';
import { scenarioCheckRows, tallyText } from '../../src/report/load-figures.js';
import { SliceRecorder } from '../../src/runners/load/recorder.js';
import { defineLoad } from '../../src/suites/performance/define.js';
import { metricEvidence, summaryLine } from '../../src/suites/performance/evidence.js';
import { BUILTIN_GATES } from '../helpers/builtin-gates.js';
import { AT, input } from '../helpers/gate-evidence.js';
import { evidenceRecord } from '../helpers/gate-record.js';

const scenario = defineLoad({
  name: 'rentguy',
  description: 'test',
  service: 'rentguy-api',
  executor: { executor: 'constant-arrival-rate', rate: 10, duration: '1s', preAllocatedVUs: 1 },
  requests: [{ weight: 1, method: 'GET', path: '/api/equipment', endpoint: 'GET /api/equipment' }],
});

/** A slice in which each named check held `held` times of `total`. */
function slice(environment: string, checks: Record<string, [held: number, total: number]>) {
  const rec = new SliceRecorder('rentguy', environment, 0);
  for (const [name, [held, total]] of Object.entries(checks))
    for (let i = 0; i < total; i++) rec.check(name, i < held);
  for (let i = 0; i < 10; i++) rec.request('GET /api/equipment', '2xx', 3, false, i);
  return rec.finish(1000);
}

const checkSeries = (items: readonly MetricEvidence[]) => items.filter((e) => e.name === 'checks');

describe('scenario checks', () => {
  it('records one checks series per check, tagged with its name', () => {
    const items = metricEvidence(
      scenario,
      slice('target', { 'lists items': [7, 10], 'is 200': [10, 10] }),
      AT,
    );
    expect(checkSeries(items)).toEqual([
      expect.objectContaining({
        type: 'rate',
        tags: { scenario: 'rentguy', service: 'rentguy-api', check: 'is 200' },
        passes: 10,
        fails: 0,
      }),
      expect.objectContaining({
        tags: { scenario: 'rentguy', service: 'rentguy-api', check: 'lists items' },
        passes: 7,
        fails: 3,
      }),
    ]);
    expect(checkSeries(metricEvidence(scenario, slice('target', {}), AT))).toEqual([]);
  });

  it('names the failing checks in the progress line, worst first', () => {
    const r = slice('target', { a: [9, 10], b: [1, 10], c: [10, 10], d: [5, 10], e: [8, 10] });
    const line = summaryLine(scenario, r);
    expect(line).toContain('checks 33/50 held (failing: "b" 9 of 10, "d" 5 of 10, "e" 2 of 10, 1 more)');
    expect(summaryLine(scenario, slice('target', { a: [4, 4] }))).toContain(', checks 4/4 held');
    expect(summaryLine(scenario, slice('target', {}))).not.toContain('checks');
  });

  it('tallies each check per side in the reports, failing ones first', () => {
    const evidence = [
      ...metricEvidence(scenario, slice('baseline', { 'lists items': [200, 200], 'is 200': [200, 200] }), AT),
      ...metricEvidence(scenario, slice('target', { 'lists items': [150, 200], 'is 200': [200, 200] }), AT),
    ];
    const rows = scenarioCheckRows({ evidence });
    expect(rows.map((r) => r.check)).toEqual(['lists items', 'is 200']);
    expect(rows[0]!.sides).toEqual({
      baseline: { passes: 200, fails: 0 },
      target: { passes: 150, fails: 50 },
    });
    const files = renderReportFiles(evidenceRecord(evidence));
    expect(files['report.md']).toContain('## Scenario checks (2, 1 failing)');
    expect(files['report.md']).toContain(
      '| rentguy | lists items | 200 / 200 (100 %) | **150 / 200 (75.00 %)** |',
    );
    expect(files['report.html']).toContain(
      '<tr class="FAIL"><td>rentguy</td><td>lists items</td><td class="num">200 / 200 (100 %)</td><td class="num">150 / 200 (75.00 %)</td></tr>',
    );
  });

  it('sums a check over several items of one side, and never rounds a failure up to 100 %', () => {
    const one = metricEvidence(scenario, slice('target', { x: [3, 4] }), AT);
    const rows = scenarioCheckRows({ evidence: [...one, ...one] });
    expect(rows[0]!.sides.target).toEqual({ passes: 6, fails: 2 });
    expect(tallyText({ passes: 99_999, fails: 1 })).toBe('99999 / 100000 (99.99 %)');
    expect(tallyText({ passes: 0, fails: 3 })).toBe('0 / 3 (0 %)');
  });

  it('fails the wave gate when a check holds clearly less often on the target, and passes it when equal', () => {
    const gate = parseGate(BUILTIN_GATES.find((g) => g.id === '3-rentguy')!);
    const judge = (targetHeld: number) => {
      const evidence = [
        ...metricEvidence(scenario, slice('baseline', { 'lists items': [400, 400] }), AT),
        ...metricEvidence(scenario, slice('target', { 'lists items': [targetHeld, 400] }), AT),
      ];
      return evaluateGate(gate, input(evidence)).criteria.find((c) => c.id === 'perf.checks')!;
    };
    const equal = judge(400);
    expect(equal.status, equal.reason).toBe('PASS');
    const worse = judge(340);
    expect(worse.status, worse.reason).toBe('FAIL');
    expect(worse.groups?.[0]?.key).toContain('check=lists items');
  });
});
