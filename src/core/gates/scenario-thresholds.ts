// A scenario's own thresholds (k6's `thresholds`, recorded by the performance suite as checks) fail the
// gates that judge its services' performance, as a crossed threshold fails a k6 run. Gate authors do not
// have to remember them: every gate with a performance criterion whose filter covers a scenario's
// service gets one more blocking criterion, `scenario-thresholds`, for the thresholds of those services
// on the judged environment. A gate that reads no performance evidence (sign-offs, findings, parity) does
// not judge performance and gets none.
import type { CheckResult, CriterionResult } from '../model.js';
import { byFreshness, type GateInput, matches, staleReason, withServiceTags } from './input.js';
import type { ParsedCriterion, ParsedGate } from './parse.js';
import { criterionSuite, METRIC_SUITE } from './scope.js';

export const THRESHOLDS_CRITERION_ID = 'scenario-thresholds';

const SCOPE_KEYS = ['service', 'wave', 'tier', 'phase', 'scenario'];
const RULE =
  "exact: FAIL when any of the scenarios' thresholds was crossed on the judged environment; PASS when every one held there and none the baseline has is missing";

/** A threshold result recorded by the performance suite (evidence.ts: one check per threshold and side). */
export function isThresholdCheck(k: CheckResult): boolean {
  return k.suite === METRIC_SUITE && typeof k.data?.threshold === 'string';
}

function performanceCriteria(gate: ParsedGate): ParsedCriterion[] {
  return gate.criteria.filter((c) => c.rule.kind === 'metric' && criterionSuite(c) === METRIC_SUITE);
}

function scopeFilter(c: ParsedCriterion): Record<string, string> {
  const filter = c.rule.kind === 'metric' ? c.rule.filter : {};
  return Object.fromEntries(Object.entries(filter).filter(([k]) => SCOPE_KEYS.includes(k)));
}

function tagsOf(k: CheckResult, input: GateInput): Record<string, string> {
  const scenario = typeof k.data?.scenario === 'string' ? k.data.scenario : undefined;
  return withServiceTags({ service: k.service, scenario }, input.services);
}

function describe(k: CheckResult): string {
  return `${k.check} — ${k.reason}`;
}

/** The implied criterion, or undefined when the gate judges no service that has thresholds. */
export function judgeScenarioThresholds(gate: ParsedGate, input: GateInput): CriterionResult | undefined {
  const scope = performanceCriteria(gate);
  if (scope.length === 0) return undefined;
  const filters = scope.map(scopeFilter);
  const environment = scope[0]!.environment;
  const maxAgeMs = Math.min(...scope.map((c) => c.maxAgeMs));
  const inScope = (k: CheckResult) =>
    isThresholdCheck(k) && filters.some((f) => matches(tagsOf(k, input), f));
  const all = input.checks.filter(inScope);
  const target = all.filter((k) => k.environment === environment);
  const baseline = all.filter((k) => k.environment === input.baseline && input.baseline !== environment);
  if (target.length === 0 && baseline.length === 0) return undefined;
  const base = {
    id: uniqueId(gate),
    title: "The performance scenarios' own thresholds hold",
    blocking: true,
    successCriterion: 2,
    evidence: 'performance thresholds',
    unit: 'crossed thresholds',
    rule: RULE,
    limit: 0,
  } as const;
  const { fresh, stale } = byFreshness(target, input.now, maxAgeMs);
  const failed = fresh.filter((k) => k.status === 'fail');
  if (failed.length > 0) {
    const shown = failed.slice(0, 3).map(describe).join('; ');
    const more = failed.length > 3 ? ` (and ${failed.length - 3} more)` : '';
    return {
      ...base,
      status: 'FAIL',
      value: failed.length,
      n: fresh.length,
      reason: `${failed.length} of ${fresh.length} threshold${fresh.length > 1 ? 's' : ''} crossed on ${environment}: ${shown}${more}`,
    };
  }
  // A threshold nobody could judge (a team script's threshold k6 did not report on) is no pass.
  const unjudged = fresh.filter((k) => k.status === 'skip');
  if (unjudged.length > 0)
    return {
      ...base,
      status: 'INCONCLUSIVE',
      n: fresh.length - unjudged.length,
      reason: `${unjudged.length} threshold${unjudged.length > 1 ? 's were' : ' was'} not judged on ${environment}: ${unjudged.slice(0, 3).map(describe).join('; ')}`,
      missing: `threshold results on ${environment}`,
    };
  if (fresh.length === 0 && stale.length > 0)
    return { ...base, status: 'INCONCLUSIVE', n: 0, reason: staleReason(stale, input.now, maxAgeMs) };
  const have = new Set(fresh.map((k) => `${k.service} ${k.check}`));
  const lost = [...new Set(baseline.map((k) => `${k.service} ${k.check}`))].filter((k) => !have.has(k));
  if (lost.length > 0)
    return {
      ...base,
      status: 'INCONCLUSIVE',
      n: fresh.length,
      reason: `${lost.length} threshold${lost.length > 1 ? 's' : ''} evaluated on ${input.baseline} ha${lost.length > 1 ? 've' : 's'} no result on ${environment} (${lost.slice(0, 3).join('; ')}): silence is not a pass`,
      missing: `threshold results on ${environment}`,
    };
  return {
    ...base,
    status: 'PASS',
    value: 0,
    n: fresh.length,
    reason: `all ${fresh.length} threshold${fresh.length > 1 ? 's' : ''} held on ${environment}`,
  };
}

/** `scenario-thresholds`, unless the gate already has a criterion of that id. */
function uniqueId(gate: ParsedGate): string {
  const taken = new Set(gate.criteria.map((c) => c.spec.id));
  let id = THRESHOLDS_CRITERION_ID;
  for (let i = 2; taken.has(id); i++) id = `${THRESHOLDS_CRITERION_ID}-${i}`;
  return id;
}
