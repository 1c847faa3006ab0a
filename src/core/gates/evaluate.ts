// Evaluates one parsed gate against its input, purely: each criterion is judged, every statistical FAIL
// candidate of the gate goes through Holm–Bonferroni together (so a gate of many endpoints does not
// raise false alarms by sheer number), waivers apply, and the fail-closed rules give the verdict.
import type { CriterionResult, CriterionStatus, GateResult } from '../model.js';
import { holmReject } from '../stats/holm.js';
import { normalQuantile } from '../stats/normal.js';
import { combineVerdict, summarise } from '../verdict.js';
import type { GateInput } from './input.js';
import { judgeAttestation } from './judge-attestation.js';
import { judgeCount } from './judge-count.js';
import { judgeMetric, type Levels } from './judge-metric.js';
import type { GroupOutcome, Judgement } from './outcome.js';
import type { ParsedCriterion, ParsedGate } from './parse.js';
import { judgeScenarioThresholds } from './scenario-thresholds.js';
import { applyWaiver } from './waivers.js';

export function levelsFor(alpha: number): Levels {
  const z = normalQuantile(1 - alpha);
  return { zPass: z, zFail: z, level: 1 - 2 * alpha };
}

function judge(c: ParsedCriterion, input: GateInput, lv: Levels): Judgement {
  if (c.rule.kind === 'metric') return judgeMetric(c, input, lv);
  if (c.rule.kind === 'count') return judgeCount(c, input);
  return judgeAttestation(c, input);
}

const RANK: Record<GroupOutcome['status'], number> = {
  FAIL: 0,
  CANDIDATE: 1,
  INCONCLUSIVE: 2,
  WAIVED: 3,
  PASS: 4,
};

/** The group that decides the criterion: a failure first, else the least certain, else the closest to its limit. */
function decidingGroup(groups: readonly GroupOutcome[]): GroupOutcome {
  return [...groups].sort((a, b) => RANK[a.status] - RANK[b.status] || (a.pValue ?? 1) - (b.pValue ?? 1))[0]!;
}

function criterionStatus(groups: readonly GroupOutcome[]): CriterionStatus {
  if (groups.some((g) => g.status === 'FAIL')) return 'FAIL';
  if (groups.every((g) => g.status === 'PASS')) return 'PASS';
  return 'INCONCLUSIVE';
}

function toResult(c: ParsedCriterion, j: Judgement): CriterionResult {
  const base = {
    id: c.spec.id,
    title: c.spec.title,
    blocking: c.blocking,
    successCriterion: c.spec.serves,
    evidence: c.reads,
    unit: j.unit,
    rule: j.rule,
    maxAgeMs: c.maxAgeMs,
    ...(j.evidenceAt ? { evidenceAt: j.evidenceAt } : {}),
  };
  if (j.decided) {
    const d = j.decided;
    return {
      ...base,
      status: d.status,
      reason: d.reason,
      ...(d.value !== undefined ? { value: finite(d.value) } : {}),
      ...(d.limit !== undefined ? { limit: finite(d.limit) } : {}),
      ...(d.n !== undefined ? { n: d.n } : {}),
      ...(d.missing ? { missing: d.missing } : {}),
    };
  }
  const status = criterionStatus(j.groups);
  const deciding = decidingGroup(j.groups);
  const total = j.groups.length;
  const failing = j.groups.filter((g) => g.status === 'FAIL').length;
  const open = j.groups.filter((g) => g.status === 'INCONCLUSIVE').length;
  const scope =
    total > 1
      ? ` [${deciding.key}; ${failing ? `${failing} of ${total} failed` : open ? `${open} of ${total} undecided` : `all ${total} passed`}]`
      : '';
  const settle =
    status === 'INCONCLUSIVE'
      ? Math.max(0, ...j.groups.map((g) => (g.status === 'INCONCLUSIVE' ? (g.samplesToSettle ?? 0) : 0)))
      : 0;
  const missing = j.groups
    .filter((g) => g.status === 'INCONCLUSIVE' && /^no /.test(g.reason))
    .map((g) => g.key);
  return {
    ...base,
    status,
    reason: `${deciding.reason}${scope}`,
    ...(deciding.value !== undefined ? { value: finite(deciding.value) } : {}),
    ...(deciding.limit !== undefined ? { limit: finite(deciding.limit) } : {}),
    ...(finiteInterval(deciding.interval) ? { interval: deciding.interval } : {}),
    ...(deciding.n !== undefined ? { n: deciding.n } : {}),
    ...(deciding.nBaseline !== undefined ? { nBaseline: deciding.nBaseline } : {}),
    ...(settle > 0 && Number.isFinite(settle) ? { samplesToSettle: settle } : {}),
    ...(missing.length
      ? {
          missing: `${c.reads} for ${missing.slice(0, 3).join('; ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''}`,
        }
      : {}),
    ...(total > 1 || deciding.key
      ? {
          groups: j.groups.map(({ pValue: _p, samplesToSettle: _s, interval, value, limit, ...g }) => ({
            ...g,
            status: g.status === 'CANDIDATE' ? 'INCONCLUSIVE' : g.status,
            ...(value !== undefined ? { value: finite(value) } : {}),
            ...(limit !== undefined ? { limit: finite(limit) } : {}),
            ...(finiteInterval(interval) ? { interval } : {}),
          })),
        }
      : {}),
  };
}

/** An interval a record can hold: JSON has no infinity (one sample gives an unbounded interval). */
function finiteInterval(i: { low: number; high: number } | undefined): boolean {
  return i !== undefined && Number.isFinite(i.low) && Number.isFinite(i.high);
}

function finite(v: number | null): number | null {
  return v !== null && Number.isFinite(v) ? v : null;
}

function pText(p: number): string {
  return p < 1e-4 ? 'p < 0.0001' : `p = ${p.toPrecision(2)}`;
}

export interface EvaluateOptions {
  /**
   * Why the run is not judged by this gate (it needs suites or sign-offs the run was not meant to
   * cover): the gate is shown beside the verdict, and only its failures count. Absent: the gate judges.
   */
  aside?: string;
}

export function evaluateGate(gate: ParsedGate, input: GateInput, options: EvaluateOptions = {}): GateResult {
  const lv = levelsFor(gate.alpha);
  const judged = gate.criteria.map((c) => ({ c, j: judge(c, input, lv) }));
  // Holm across every FAIL candidate of the gate: the family is the gate's statistical tests.
  const family: { g: GroupOutcome }[] = [];
  for (const { j } of judged) for (const g of j.groups) if (g.pValue !== undefined) family.push({ g });
  const rejected = holmReject(
    family.map((f) => f.g.pValue!),
    gate.alpha,
  );
  family.forEach(({ g }, i) => {
    if (g.status !== 'CANDIDATE') return;
    if (rejected[i]) {
      g.status = 'FAIL';
      g.reason += ` (significant after Holm–Bonferroni over ${family.length} tests, ${pText(g.pValue!)})`;
    } else {
      g.status = 'INCONCLUSIVE';
      g.reason += ` at its own level, but not significant after Holm–Bonferroni over ${family.length} tests (${pText(g.pValue!)})`;
    }
  });
  const implied = judgeScenarioThresholds(gate, input);
  const criteria = [...judged.map(({ c, j }) => toResult(c, j)), ...(implied ? [implied] : [])].map((r) =>
    applyWaiver(gate.spec.id, r, input.waivers, input.now),
  );
  const verdict = combineVerdict(criteria);
  const missing = criteria
    .filter((c) => c.status === 'INCONCLUSIVE' && c.missing)
    .map((c) => `${c.id}: ${c.missing}`);
  return {
    id: gate.spec.id,
    title: gate.spec.title,
    verdict,
    summary: summarise(verdict, criteria),
    criteria,
    // The suite gates (performance) are the tool's, not a phase's.
    ...(gate.spec.phase >= 1 ? { phase: gate.spec.phase } : {}),
    ...(gate.spec.wave ? { wave: gate.spec.wave } : {}),
    decides: options.aside === undefined,
    ...(options.aside !== undefined ? { aside: options.aside } : {}),
    ...(missing.length ? { missing } : {}),
  };
}
