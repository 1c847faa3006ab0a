// Which gates a run evaluates from its own evidence, and how their verdicts combine into the run's.
import { evaluateSmokeGate } from '../core/gates/smoke-parity.js';
import type { GateResult, Verdict } from '../core/model.js';
import type { RunRecord } from '../record/run-schema.js';

export function evaluateGates(
  record: Pick<RunRecord, 'checks' | 'evidence' | 'environments' | 'services'>,
  _now: Date,
): GateResult[] {
  const env = (name: string) => record.environments.find((e) => e.name === name);
  const baseline = env('baseline');
  const target = env('target');
  if (!baseline || !target) return [];
  return [
    evaluateSmokeGate({
      checks: record.checks,
      services: record.services.map((s) => s.id),
      baseline: { name: baseline.name, services: baseline.services.map((s) => s.id) },
      target: { name: target.name, services: target.services.map((s) => s.id) },
    }),
  ];
}

/** The run's verdict: the gates', fail-closed; no gate at all proves nothing. */
export function overallVerdict(gates: readonly GateResult[]): Verdict {
  if (gates.length === 0) return 'INCONCLUSIVE';
  if (gates.some((g) => g.verdict === 'NO-GO')) return 'NO-GO';
  if (gates.every((g) => g.verdict === 'GO')) return 'GO';
  return 'INCONCLUSIVE';
}
