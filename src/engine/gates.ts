// Which gates a run evaluates from its own evidence, and how their verdicts combine into the run's.
// The smoke parity gate always runs; the phase gates (gates/) are evaluated beside it. Phase gates whose
// evidence only a real platform can give do not set the run's verdict (GateResult.decides = false).

import { BUILTIN_GATES } from '../../gates/index.js';
import type { Evidence } from '../core/evidence.js';
import { evaluateGate } from '../core/gates/evaluate.js';
import type { Attestation, GateInput, Waiver } from '../core/gates/input.js';
import { type ParsedGate, parseGate } from '../core/gates/parse.js';
import { evaluateSmokeGate } from '../core/gates/smoke-parity.js';
import type { CheckResult, GateResult, Verdict } from '../core/model.js';
import type { RunRecord } from '../record/run-schema.js';

/** Everything beyond the run record that gates read: the gate definitions, sign-offs, waivers, a recorded baseline. */
export interface GateSetup {
  gates: readonly ParsedGate[];
  attestations: readonly Attestation[];
  waivers: readonly Waiver[];
  /** Evaluate only these gate ids (and the smoke gate unless `skipSmoke`). */
  only?: readonly string[];
  skipSmoke?: boolean;
  /** Every evaluated gate sets the verdict (an explicit `cutover gate` or `run --gate`). */
  allDecide?: boolean;
  /** A recorded baseline replacing the baseline environment's evidence. */
  baseline?: {
    label: string;
    evidence: readonly Evidence[];
    checks: readonly CheckResult[];
    incomparable?: string;
  };
}

let builtin: ParsedGate[] | undefined;

/** The built-in gates, parsed once (they are part of the tool and are tested to parse). */
export function builtinGates(): ParsedGate[] {
  builtin ??= BUILTIN_GATES.map(parseGate);
  return builtin;
}

export function defaultSetup(): GateSetup {
  return { gates: builtinGates(), attestations: [], waivers: [] };
}

type GateRecord = Pick<RunRecord, 'checks' | 'evidence' | 'environments' | 'services'>;

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

export function evaluateGates(
  record: GateRecord,
  now: Date,
  setup: GateSetup = defaultSetup(),
): GateResult[] {
  const env = (name: string) => record.environments.find((e) => e.name === name);
  const baseline = env('baseline');
  const target = env('target');
  const results: GateResult[] = [];
  if (baseline && target && !setup.skipSmoke) {
    results.push(
      evaluateSmokeGate({
        checks: record.checks,
        services: record.services.map((s) => s.id),
        baseline: { name: baseline.name, services: baseline.services.map((s) => s.id) },
        target: { name: target.name, services: target.services.map((s) => s.id) },
      }),
    );
  }
  // Without a target environment in the record every criterion says "no evidence": still shown, so
  // the reader learns what is missing rather than seeing no gate at all.
  const input = gateInput(record, now, setup);
  const waves = new Set(record.services.flatMap((s) => (s.wave ? [s.wave] : [])));
  for (const gate of setup.gates) {
    if (setup.only && !setup.only.includes(gate.spec.id)) continue;
    // A wave none of the run's services belongs to has nothing to judge: its gate is shown (saying what
    // it lacks) but does not hold the run's verdict at INCONCLUSIVE — a config for one wave is judged
    // on that wave. Asked for by name (`cutover gate`, `run --gate`), every gate decides.
    const applicable = gate.spec.wave === undefined || waves.has(gate.spec.wave);
    const options = setup.allDecide ? { decides: true } : applicable ? {} : { decides: false };
    results.push(evaluateGate(gate, input, options));
  }
  return results;
}

/** The run's verdict: that of the gates that decide it, fail-closed; no deciding gate proves nothing. */
export function overallVerdict(gates: readonly GateResult[]): Verdict {
  // Gates shown only for lack of evidence do not set the verdict either way: their performance criteria
  // (p95 with a 5 ms slack) are not decidable on a demo-sized run, and a false NO-GO from them costs a
  // cutover window. Their failures are still printed and reported.
  const deciding = gates.filter((g) => g.decides !== false);
  if (deciding.length === 0) return 'INCONCLUSIVE';
  if (deciding.some((g) => g.verdict === 'NO-GO')) return 'NO-GO';
  if (deciding.every((g) => g.verdict === 'GO')) return 'GO';
  return 'INCONCLUSIVE';
}
