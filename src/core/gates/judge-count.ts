// Judges counts and ratios that are exact, not estimates: failed check results of a suite, parity of
// responses, findings by severity. Missing evidence can only hide failures, so a count that already
// breaks its limit FAILs at once, while a PASS needs the suite to say it covered everything.
import type { CoverageEvidence, FindingEvidence, ParityEvidence } from '../evidence.js';
import type { CheckResult } from '../model.js';
import {
  byFreshness,
  coverageOf,
  describeFilter,
  type GateInput,
  matches,
  staleReason,
  withServiceTags,
} from './input.js';
import { inconclusive, type Judgement, noEvidence } from './outcome.js';
import type { CountCriterion, ParsedCriterion } from './parse.js';

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;

const RULE =
  'exact count over the evidence; PASS needs the suite to report complete coverage where it reports coverage';

function holds(v: number, op: string, limit: number): boolean {
  switch (op) {
    case '<':
      return v < limit;
    case '<=':
      return v <= limit;
    case '>':
      return v > limit;
    case '>=':
      return v >= limit;
    case '==':
      return Math.abs(v - limit) < 1e-12;
    default:
      return Math.abs(v - limit) >= 1e-12;
  }
}

/** Whether more evidence could only make the value worse (a count of failures under an upper limit). */
function failIsFinal(rule: CountCriterion): boolean {
  if (rule.field === 'ratio') return rule.op === '==' || rule.op === '>=' || rule.op === '>';
  if (rule.source === 'checks' && (rule.field === 'passed' || rule.field === 'total')) return false;
  if (
    rule.source === 'parity' &&
    (rule.field === 'compared' || rule.field === 'equal' || rule.field === 'steps')
  )
    return false;
  return rule.op === '<' || rule.op === '<=' || (rule.op === '==' && rule.value === 0);
}

/** Coverage that keeps a PASS from being claimed: missing, partial, could-not-check, or counts that disagree. */
function coverageGap(
  coverage: readonly CoverageEvidence[],
  scopes: readonly string[] | undefined,
  countKey: string,
  countOf: (scope: string) => number,
): string | undefined {
  const wanted = scopes ?? [...new Set(coverage.map((c) => c.scope))];
  for (const scope of wanted) {
    const items = coverage.filter((c) => c.scope === scope || c.scope.startsWith(`${scope}:`));
    if (items.length === 0) return `no coverage evidence for ${scope}: silence is not a pass`;
    const bad = items.find((c) => c.status !== 'complete');
    if (bad) return `${bad.scope} coverage is ${bad.status}: ${bad.reason}`;
    const claimed = items.reduce((s, c) => s + (c.counts?.[countKey] ?? 0), 0);
    const hasClaim = items.some((c) => c.counts?.[countKey] !== undefined);
    if (hasClaim && claimed !== countOf(scope))
      return `evidence incomplete for ${scope}: the suite reported ${claimed} ${countKey}, ${countOf(scope)} are present`;
  }
  return undefined;
}

const SERVICE_KEYS = ['service', 'wave', 'tier', 'phase'];

/**
 * Findings name an object (`Deployment/sevensa-apps/rentguy-api`), not a service: the object's name
 * ties it to a service when one has that id. A finding tied to no service (a namespace without a
 * default-deny policy, a node) counts for every service filter — fail-closed: it may concern them all.
 */
function findingMatches(e: FindingEvidence, filter: Record<string, string>, input: GateInput): boolean {
  const name = e.object.split('/').pop() ?? '';
  const service = input.services.some((s) => s.id === name) ? name : undefined;
  const own = { source: e.source, check: e.check, object: e.object, severity: e.severity };
  if (!service) {
    const rest = Object.fromEntries(Object.entries(filter).filter(([k]) => !SERVICE_KEYS.includes(k)));
    return matches(own, rest);
  }
  return matches(withServiceTags({ ...own, service }, input.services), filter);
}

function checksValue(rule: CountCriterion, checks: readonly CheckResult[]): number {
  if (rule.field === 'failed') return checks.filter((c) => c.status === 'fail').length;
  if (rule.field === 'passed') return checks.filter((c) => c.status === 'pass').length;
  if (rule.field === 'skipped') return checks.filter((c) => c.status === 'skip').length;
  return checks.length;
}

function parityValue(rule: CountCriterion, items: readonly ParityEvidence[]): number {
  const compared = items.reduce((s, p) => s + p.compared, 0);
  const equal = items.reduce((s, p) => s + p.equal, 0);
  if (rule.field === 'ratio') return compared === 0 ? Number.NaN : equal / compared;
  if (rule.field === 'compared') return compared;
  if (rule.field === 'equal') return equal;
  if (rule.field === 'steps') return items.length;
  return items.reduce((s, p) => s + p.differences.length, 0);
}

function worstDifferences(items: readonly ParityEvidence[]): string {
  const bad = items.filter((p) => p.equal < p.compared);
  return bad
    .slice(0, 3)
    .map((p) => {
      const d = p.differences[0];
      return `${p.scenario}/${p.step} ${p.endpoint}: ${p.compared - p.equal} of ${p.compared} differ${d ? ` (${d.kind} at ${d.path})` : ''}`;
    })
    .join('; ');
}

export function judgeCount(c: ParsedCriterion, input: GateInput): Judgement {
  const rule = c.rule as CountCriterion;
  const label = `${rule.source === 'parity' ? 'parity' : rule.suite}${describeFilter(rule.filter)}.${rule.field}`;
  const env = c.environment;
  let items: { at: string }[];
  let value: (fresh: readonly never[]) => number;
  let n: (fresh: readonly never[]) => number;
  let detail: (fresh: readonly never[]) => string = () => '';
  let gap: (fresh: readonly never[]) => string | undefined;
  const coverageSuite = rule.source === 'parity' ? rule.suite : rule.suite;
  const coverage = coverageOf(input, coverageSuite, env);
  if (rule.source === 'checks') {
    items = input.checks.filter(
      (k) =>
        k.suite === rule.suite &&
        k.environment === env &&
        matches(withServiceTags({ service: k.service, check: k.check }, input.services), rule.filter),
    );
    value = (f) => checksValue(rule, f as unknown as CheckResult[]);
    n = (f) => f.length;
    detail = (f) =>
      (f as unknown as CheckResult[])
        .filter((k) => k.status === 'fail')
        .slice(0, 3)
        .map((k) => `${k.service} ${k.check}: ${k.reason}`)
        .join('; ');
    // The same checks run on both sides: a check the baseline has and the target lacks was lost
    // (an interrupted run, a dropped record), so its silence cannot count as a pass.
    const baselineKeys = new Set(
      input.checks
        .filter(
          (k) =>
            k.suite === rule.suite &&
            k.environment === input.baseline &&
            matches(withServiceTags({ service: k.service, check: k.check }, input.services), rule.filter),
        )
        .map((k) => `${k.service} ${k.check}`),
    );
    gap = (f) => {
      const have = new Set((f as unknown as CheckResult[]).map((k) => `${k.service} ${k.check}`));
      const lost = [...baselineKeys].filter((k) => !have.has(k));
      if (env !== input.baseline && lost.length)
        return `the target lacks ${lost.length} check(s) the baseline has (${lost.slice(0, 3).join('; ')})`;
      // A suite's claimed count covers all its results, not only the ones this criterion selects.
      const all = input.checks.filter((k) => k.suite === rule.suite && k.environment === env).length;
      return coverageGap(coverage, c.spec.coverage, 'checks', () => all);
    };
  } else if (rule.source === 'parity') {
    items = input.evidence.filter(
      (e): e is ParityEvidence =>
        e.kind === 'parity' &&
        e.environment === env &&
        matches(
          withServiceTags(
            { service: e.service, scenario: e.scenario, step: e.step, endpoint: e.endpoint },
            input.services,
          ),
          rule.filter,
        ),
    );
    value = (f) => parityValue(rule, f as unknown as ParityEvidence[]);
    n = (f) => (f as unknown as ParityEvidence[]).reduce((s, p) => s + p.compared, 0);
    detail = (f) => worstDifferences(f as unknown as ParityEvidence[]);
    const allSteps = input.evidence.filter((e) => e.kind === 'parity' && e.environment === env).length;
    gap = () =>
      coverage.length || c.spec.coverage
        ? coverageGap(coverage, c.spec.coverage, 'steps', () => allSteps)
        : undefined;
  } else {
    items = input.evidence.filter(
      (e): e is FindingEvidence =>
        e.kind === 'finding' &&
        e.suite === rule.suite &&
        e.environment === env &&
        findingMatches(e, rule.filter, input),
    );
    value = (f) => {
      const list = f as unknown as FindingEvidence[];
      return rule.field === 'findings' ? list.length : list.filter((x) => x.severity === rule.field).length;
    };
    n = (f) => f.length;
    detail = (f) =>
      (f as unknown as FindingEvidence[])
        .filter((x) => rule.field === 'findings' || x.severity === rule.field)
        .slice(0, 3)
        .map((x) => `${x.object}: ${x.message}`)
        .join('; ');
    const scopes = c.spec.coverage ?? (rule.filter.source ? [rule.filter.source] : undefined);
    gap = () => {
      if (coverage.length === 0)
        return `no ${rule.suite} coverage evidence on ${env}: no finding is not the same as checked`;
      // Findings of every source count toward the suite's claims, not only the ones this criterion selects.
      const all = input.evidence.filter(
        (e): e is FindingEvidence => e.kind === 'finding' && e.suite === rule.suite && e.environment === env,
      );
      const total = coverageGap(
        coverage,
        scopes,
        'findings',
        (scope) => all.filter((x) => x.source === scope).length,
      );
      if (total) return total;
      // Suites that count findings per severity (the security suite does) let a lost finding show.
      for (const sev of SEVERITIES)
        for (const item of coverage.filter((x) => !scopes || scopes.includes(x.scope))) {
          const claimed = item.counts?.[sev];
          if (claimed === undefined) continue;
          const present = all.filter((x) => x.source === item.scope && x.severity === sev).length;
          if (claimed !== present)
            return `evidence incomplete for ${item.scope}: the suite reported ${claimed} ${sev} findings, ${present} are present`;
        }
      return undefined;
    };
  }
  const { fresh, stale } = byFreshness(items, input.now, c.maxAgeMs);
  if (items.length === 0) {
    // A findings count with complete coverage and no findings is a real zero, not missing evidence.
    if (rule.source === 'findings' && coverage.length > 0) {
      const g = gap([] as never[]);
      if (!g && holds(0, rule.op, rule.value))
        return {
          groups: [],
          unit: 'count',
          rule: RULE,
          n: 0,
          decided: {
            status: 'PASS',
            reason: `0 ${rule.field} findings; coverage complete (${coverage.map((x) => x.scope).join(', ')})`,
            value: 0,
            limit: rule.value,
            n: 0,
          },
        };
      if (g)
        return inconclusive(
          'count',
          RULE,
          `0 ${rule.field} findings, but ${g}`,
          `complete ${rule.suite} coverage`,
        );
    }
    return noEvidence(
      'count',
      RULE,
      `${label} on ${env}`,
      `no ${rule.source === 'parity' ? 'parity' : rule.source === 'findings' ? `${rule.suite} findings or coverage` : `${rule.suite} check results`} on ${env}${describeFilter(rule.filter) ? ` matching ${describeFilter(rule.filter)}` : ''}`,
    );
  }
  if (fresh.length === 0)
    return inconclusive('count', RULE, staleReason(stale, input.now, c.maxAgeMs), `fresh ${label}`);
  const f = fresh as never[];
  const v = value(f);
  const count = n(f);
  if (Number.isNaN(v))
    return noEvidence(
      'ratio',
      RULE,
      `${label} on ${env}`,
      `${fresh.length} parity step(s) but 0 responses compared`,
    );
  const ok = holds(v, rule.op, rule.value);
  const unit = rule.field === 'ratio' ? 'ratio' : 'count';
  const shown = rule.field === 'ratio' ? v.toFixed(4) : String(v);
  const base = `${label} = ${shown} over ${count} ${rule.source === 'parity' ? 'compared responses' : rule.source === 'findings' ? 'findings' : 'checks'}, required ${rule.op} ${rule.value}`;
  const more = detail(f);
  if (!ok) {
    // A count that can only grow with more evidence is already decided; one that could still change is not.
    const status = failIsFinal(rule) ? 'FAIL' : 'INCONCLUSIVE';
    return {
      groups: [],
      unit,
      rule: RULE,
      decided: {
        status,
        reason: `${base}${more ? `: ${more}` : ''}${status === 'INCONCLUSIVE' ? ' (more evidence could still change it)' : ''}`,
        value: v,
        limit: rule.value,
        n: count,
      },
    };
  }
  const g = gap(f);
  if (g)
    return {
      groups: [],
      unit,
      rule: RULE,
      decided: {
        status: 'INCONCLUSIVE',
        reason: `${base}, but ${g}`,
        missing: `complete ${coverageSuite} coverage`,
        value: v,
        limit: rule.value,
        n: count,
      },
    };
  return {
    groups: [],
    unit,
    rule: RULE,
    decided: { status: 'PASS', reason: base, value: v, limit: rule.value, n: count },
  };
}
