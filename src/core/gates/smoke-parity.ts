// The first gate: smoke parity. Every service healthy on the baseline must be healthy on the target,
// and no target check may fail. Missing evidence never gives GO.
import type { CheckResult, CriterionResult, GateResult } from '../model.js';
import { combineVerdict, summarise } from '../verdict.js';

export interface SmokeGateInput {
  checks: readonly CheckResult[];
  /** Every service of the platform, in the config's order. */
  services: readonly string[];
  baseline: { name: string; services: readonly string[] };
  target: { name: string; services: readonly string[] };
}

export const SMOKE_GATE_ID = 'smoke';

function failuresOf(checks: readonly CheckResult[]): CheckResult[] {
  return checks.filter((c) => c.status === 'fail');
}

function describeFailures(failed: readonly CheckResult[]): string {
  return failed.map((c) => `${c.check}: ${c.reason}`).join('; ');
}

const SERVICE_RULE =
  'exact: PASS when every target check of the service passed; FAIL on any failed target check; INCONCLUSIVE when the target has no checks';

/** The figures every criterion states: failed target checks against a limit of none, over n checks. */
function figures(target: readonly CheckResult[], baseline: readonly CheckResult[]) {
  return {
    value: failuresOf(target).length,
    limit: 0,
    unit: 'failed checks',
    n: target.length,
    ...(baseline.length ? { nBaseline: baseline.length } : {}),
    rule: SERVICE_RULE,
  };
}

function judgeService(
  id: string,
  input: SmokeGateInput,
  bySide: Map<string, CheckResult[]>,
): CriterionResult {
  return { ...judgeServiceStatus(id, input, bySide), ...figuresFor(id, input, bySide) };
}

function figuresFor(id: string, input: SmokeGateInput, bySide: Map<string, CheckResult[]>) {
  const t = bySide.get(`${input.target.name}\u0000${id}`) ?? [];
  const b = bySide.get(`${input.baseline.name}\u0000${id}`) ?? [];
  return t.length ? figures(t, b) : { rule: SERVICE_RULE, unit: 'failed checks', n: 0 };
}

function judgeServiceStatus(
  id: string,
  input: SmokeGateInput,
  bySide: Map<string, CheckResult[]>,
): CriterionResult {
  const base = {
    id: `smoke.${id}`,
    title: `${id} healthy on target as on baseline`,
    blocking: true,
    successCriterion: 1,
    evidence: 'smoke',
  };
  const onTarget = input.target.services.includes(id);
  const onBaseline = input.baseline.services.includes(id);
  const t = bySide.get(`${input.target.name}\u0000${id}`) ?? [];
  const b = bySide.get(`${input.baseline.name}\u0000${id}`) ?? [];

  if (!onTarget) {
    return {
      ...base,
      status: 'INCONCLUSIVE',
      reason: `no ${input.target.name} URL configured: not deployed there, nothing to check`,
    };
  }
  if (t.length === 0)
    return {
      ...base,
      status: 'INCONCLUSIVE',
      reason:
        bySide.size === 0
          ? 'no evidence: the smoke suite did not run in this run'
          : `no evidence: no ${input.target.name} checks ran (run interrupted?)`,
    };

  if (onBaseline && b.length === 0) {
    return {
      ...base,
      status: 'INCONCLUSIVE',
      reason: `no evidence: no ${input.baseline.name} checks ran, so parity cannot be shown`,
    };
  }
  const tFailed = failuresOf(t);
  const bFailed = failuresOf(b);
  const baselineNote =
    !onBaseline || b.length === 0
      ? `no ${input.baseline.name} evidence`
      : bFailed.length === 0
        ? `healthy on ${input.baseline.name}`
        : `also failing on ${input.baseline.name}`;
  if (tFailed.length > 0) {
    return {
      ...base,
      status: 'FAIL',
      reason: `${input.target.name} ${describeFailures(tFailed)} (${baselineNote})`,
    };
  }
  if (onBaseline && b.length > 0 && bFailed.length > 0) {
    return {
      ...base,
      status: 'PASS',
      reason: `healthy on ${input.target.name}; ${input.baseline.name} was not (${describeFailures(bFailed)}), so the target is not worse`,
    };
  }
  const latency = t.find((c) => c.check === 'latency')?.data;
  const figure = latency && typeof latency.p50Ms === 'number' ? `, p50 ${latency.p50Ms} ms` : '';
  return {
    ...base,
    status: 'PASS',
    reason: `all ${t.length} ${input.target.name} checks passed (${baselineNote}${figure})`,
  };
}

/** The baseline must have answered at all, or there is no reference to hold the target to. */
function judgeBaselineReachable(input: SmokeGateInput, bySide: Map<string, CheckResult[]>): CriterionResult {
  const base = {
    id: 'smoke.baseline-reachable',
    title: `${input.baseline.name} answered, so parity can be judged`,
    blocking: true,
    successCriterion: 3,
    evidence: 'smoke',
    unit: 'services answering',
    rule: 'PASS when at least one baseline service answered; INCONCLUSIVE otherwise (no reference)',
  };
  const reach = input.baseline.services.map((id) =>
    (bySide.get(`${input.baseline.name}\u0000${id}`) ?? []).find((c) => c.check === 'reachable'),
  );
  const ran = reach.filter((c): c is CheckResult => c !== undefined);
  if (ran.length === 0) {
    const why =
      bySide.size === 0 ? 'the smoke suite did not run in this run' : `no ${input.baseline.name} checks ran`;
    return { ...base, status: 'INCONCLUSIVE', reason: `no evidence: ${why}` };
  }
  const answered = ran.filter((c) => c.status === 'pass').length;
  const measured = { ...base, value: answered, limit: 1, n: ran.length };
  if (answered === 0) {
    return {
      ...measured,
      status: 'INCONCLUSIVE',
      reason: `${input.baseline.name} could not be reached (no service of ${ran.length} answered): no reference to compare with`,
    };
  }
  return {
    ...measured,
    status: 'PASS',
    reason: `${answered} of ${input.baseline.services.length} ${input.baseline.name} services answered`,
  };
}

export function evaluateSmokeGate(input: SmokeGateInput): GateResult {
  const bySide = new Map<string, CheckResult[]>();
  for (const c of input.checks) {
    if (c.suite !== 'smoke') continue;
    const key = `${c.environment}\u0000${c.service}`;
    const list = bySide.get(key) ?? [];
    list.push(c);
    bySide.set(key, list);
  }
  const criteria = [
    judgeBaselineReachable(input, bySide),
    ...input.services.map((id) => judgeService(id, input, bySide)),
  ];
  const verdict = combineVerdict(criteria);
  return {
    id: SMOKE_GATE_ID,
    title: `Smoke parity: every service healthy on ${input.baseline.name} is healthy on ${input.target.name}`,
    verdict,
    summary: summarise(verdict, criteria),
    criteria,
  };
}
