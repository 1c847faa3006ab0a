// Which gates a run evaluates from its own evidence, and which of them the run is judged by. The suite
// gates (smoke parity, performance parity) and the phase gates (gates/, or the project's own) are all
// evaluated; a gate the run's suites cannot serve entirely is shown aside (GateResult.decides = false,
// `aside` says why). core/run-verdict.ts combines them into the run's verdict.

import type { Evidence } from '../core/evidence.js';
import { evaluateGate } from '../core/gates/evaluate.js';
import type { Attestation, GateInput, Waiver } from '../core/gates/input.js';
import type { ParsedGate } from '../core/gates/parse.js';
import { PERFORMANCE_GATE_ID, performanceGate } from '../core/gates/performance-gate.js';
import { METRIC_SUITE, unservedBy } from '../core/gates/scope.js';
import { evaluateSmokeGate, SMOKE_GATE_ID } from '../core/gates/smoke-parity.js';
import type { CheckResult, GateResult } from '../core/model.js';
import { completenessGaps, judgeRun, type RunJudgement, type RunProgress } from '../core/run-verdict.js';
import type { RunRecord } from '../record/run-schema.js';

/** Everything beyond the run record that gates read: the gate definitions, sign-offs, waivers, a recorded baseline. */
export interface GateSetup {
  gates: readonly ParsedGate[];
  attestations: readonly Attestation[];
  waivers: readonly Waiver[];
  /** Evaluate only these gate ids (`smoke` and `performance` name the suite gates). */
  only?: readonly string[];
  /** Every evaluated gate judges the run (the gates named by `cutover gate --phase` or `--gate`). */
  allDecide?: boolean;
  /** A recorded baseline replacing the baseline environment's evidence. */
  baseline?: {
    label: string;
    evidence: readonly Evidence[];
    checks: readonly CheckResult[];
    incomparable?: string;
  };
}

type GateRecord = Pick<RunRecord, 'checks' | 'evidence' | 'environments' | 'services' | 'suites'>;

export function gateInput(record: GateRecord, now: Date, setup: GateSetup): GateInput {
  const recorded = setup.baseline;
  const evidence = recorded
    ? [
        ...record.evidence.filter((e) => e.environment !== 'baseline'),
        ...recorded.evidence.map((e) => ({ ...e, environment: 'baseline' })),
      ]
    : record.evidence;
  const checks = recorded
    ? [
        ...record.checks.filter((c) => c.environment !== 'baseline'),
        ...recorded.checks.map((c) => ({ ...c, environment: 'baseline' })),
      ]
    : record.checks;
  return {
    now,
    checks,
    evidence,
    services: record.services,
    target: 'target',
    baseline: 'baseline',
    attestations: setup.attestations,
    waivers: setup.waivers,
    ...(recorded?.incomparable ? { incomparable: recorded.incomparable } : {}),
    ...(recorded ? { baselineLabel: recorded.label } : {}),
  };
}

/** The suites a record ran: those it planned, or, in a record from before plans were recorded, those it has results of. */
export function suitesOf(record: Pick<RunRecord, 'checks' | 'evidence' | 'suites'>): string[] {
  if (record.suites) return [...record.suites];
  return [...new Set([...record.checks.map((c) => c.suite), ...record.evidence.map((e) => e.suite)])];
}

export function evaluateGates(record: GateRecord, now: Date, setup: GateSetup): GateResult[] {
  const env = (name: string) => record.environments.find((e) => e.name === name);
  const baseline = env('baseline');
  const target = env('target');
  const ran = suitesOf(record);
  const named = (id: string) => setup.only === undefined || setup.only.includes(id);
  // Named gates judge the run whatever their evidence; otherwise a gate judges it when the run's suites
  // can serve every criterion (core/gates/scope.ts), and is shown aside — failures counted — when not.
  const asideFor = (unserved: string | undefined) =>
    setup.allDecide ? {} : unserved ? { aside: unserved } : {};
  const results: GateResult[] = [];
  if (baseline && target && named(SMOKE_GATE_ID)) {
    const smoke = evaluateSmokeGate({
      checks: record.checks,
      services: record.services.map((s) => s.id),
      baseline: { name: baseline.name, services: baseline.services.map((s) => s.id) },
      target: { name: target.name, services: target.services.map((s) => s.id) },
    });
    const aside = asideFor(ran.includes('smoke') ? undefined : 'the smoke suite was not part of this run');
    results.push({ ...smoke, decides: aside.aside === undefined, ...aside });
  }
  // Without a target environment in the record every criterion says "no evidence": still shown, so
  // the reader learns what is missing rather than seeing no gate at all.
  const input = gateInput(record, now, setup);
  const performanceRan =
    ran.includes(METRIC_SUITE) ||
    record.evidence.some((e) => e.kind === 'metric' && e.suite === METRIC_SUITE);
  if (named(PERFORMANCE_GATE_ID) && (performanceRan || setup.only?.includes(PERFORMANCE_GATE_ID))) {
    const gate = performanceGate();
    results.push(evaluateGate(gate, input, asideFor(unservedBy(gate, ran))));
  }
  const waves = new Set(record.services.flatMap((s) => (s.wave ? [s.wave] : [])));
  for (const gate of setup.gates) {
    if (!named(gate.spec.id)) continue;
    // A wave none of the run's services belongs to has nothing to judge: its gate is shown (saying what
    // it lacks) but does not hold the run's verdict at INCONCLUSIVE — a config for one wave is judged
    // on that wave.
    const unserved =
      gate.spec.wave !== undefined && !waves.has(gate.spec.wave)
        ? `no service of this run belongs to wave ${gate.spec.wave}`
        : unservedBy(gate, ran);
    results.push(evaluateGate(gate, input, asideFor(unserved)));
  }
  return results;
}

/** The suite gates, selectable by name beside the phase gates. */
export const SUITE_GATE_IDS: readonly string[] = [SMOKE_GATE_ID, PERFORMANCE_GATE_ID];

/** What the record says of its own progress: whether it ended, and which planned suites finished. */
export function progressOf(
  record: Pick<RunRecord, 'status' | 'finishedAt' | 'suites' | 'suiteEnds' | 'evidenceGaps'>,
): RunProgress {
  return {
    ...(record.evidenceGaps ? { inherited: record.evidenceGaps } : {}),
    status: record.status,
    ended: record.finishedAt !== undefined,
    ...(record.suites ? { suites: record.suites } : {}),
    ...(record.suiteEnds ? { suiteEnds: record.suiteEnds } : {}),
  };
}

/** The run's verdict and its reason, from its gates and whether it completed (core/run-verdict.ts). */
export function judgeRecord(
  record: Pick<RunRecord, 'gates' | 'status' | 'finishedAt' | 'suites' | 'suiteEnds' | 'evidenceGaps'>,
): RunJudgement {
  return judgeRun(record.gates, completenessGaps(progressOf(record)));
}
