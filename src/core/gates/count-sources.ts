// Where a count criterion's numbers come from: check results of a suite, parity of responses, or
// findings by severity. Each source selects its items, measures them, describes the worst, and says
// what would keep a PASS from being claimed (lost items, incomplete coverage).
import type { CoverageEvidence, FindingEvidence, ParityEvidence } from '../evidence.js';
import type { CheckResult } from '../model.js';
import { coverageOf, type GateInput, matches, withServiceTags } from './input.js';
import type { CountCriterion, ParsedCriterion } from './parse.js';

export interface CountSource<T extends { at: string }> {
  items: T[];
  /** What the items are, in the reason: `checks`, `compared responses`, `findings`. */
  noun: string;
  /** What "no items" means, for the no-evidence reason. */
  none: string;
  value(items: readonly T[]): number;
  n(items: readonly T[]): number;
  detail(items: readonly T[]): string;
  /** Why a PASS cannot be claimed yet, if anything keeps it from being claimed. */
  gap(items: readonly T[]): string | undefined;
  coverage: readonly CoverageEvidence[];
}

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;

/** Items named in a reason: the first few, and how many more, so a reason never hides that there are more. */
const MAX_NAMED = 5;
function named(items: readonly string[], noun: string): string {
  const more = items.length - MAX_NAMED;
  return more > 0 ? `${items.slice(0, MAX_NAMED).join('; ')}; and ${more} more ${noun}` : items.join('; ');
}
const SERVICE_KEYS = ['service', 'wave', 'tier', 'phase'];

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

/**
 * The coverage a criterion is held to: the suite's, less what concerns only other services. Coverage of
 * one service (`service` set) counts when the filter's service, wave, tier and phase take that service
 * in; a filter that names none of them (a scenario, a check) is held to every service's — fail-closed.
 */
function coverageFor(input: GateInput, suite: string, env: string, filter: Record<string, string>) {
  const serviceFilter = Object.fromEntries(Object.entries(filter).filter(([k]) => SERVICE_KEYS.includes(k)));
  return coverageOf(input, suite, env).filter(
    (c) =>
      c.service === undefined ||
      matches(withServiceTags({ service: c.service }, input.services), serviceFilter),
  );
}

/** "step 'X' of scenario 'Y' was not sent on target: … — no evidence", for the first few steps not compared. */
function uncomparedGap(items: readonly ParityEvidence[]): string | undefined {
  const none = items.filter((p) => p.compared === 0);
  if (none.length === 0) return undefined;
  const named = none
    .slice(0, 2)
    .map(
      (p) =>
        `step '${p.step}' of scenario '${p.scenario}' ${p.reason ?? `was not compared on ${p.environment}`} — no evidence`,
    );
  const more = none.length - named.length;
  return `${named.join('; ')}${more > 0 ? `; and ${more} more steps not compared` : ''}`;
}

function checkTags(k: CheckResult, input: GateInput): Record<string, string> {
  return withServiceTags({ service: k.service, check: k.check }, input.services);
}

export function checksSource(
  c: ParsedCriterion,
  rule: CountCriterion,
  input: GateInput,
): CountSource<CheckResult> {
  const env = c.environment;
  const ofSuite = (environment: string) =>
    input.checks.filter((k) => k.suite === rule.suite && k.environment === environment);
  const items = ofSuite(env).filter((k) => matches(checkTags(k, input), rule.filter));
  // The same checks run on both sides: a check the baseline has and the target lacks was lost (an
  // interrupted run, a dropped record), so its silence cannot count as a pass.
  const baselineKeys = new Set(
    ofSuite(input.baseline)
      .filter((k) => matches(checkTags(k, input), rule.filter))
      .map((k) => `${k.service} ${k.check}`),
  );
  const coverage = coverageFor(input, rule.suite, env, rule.filter);
  return {
    items,
    noun: 'checks',
    none: `${rule.suite} check results`,
    coverage,
    value: (list) =>
      rule.field === 'failed'
        ? list.filter((k) => k.status === 'fail').length
        : rule.field === 'passed'
          ? list.filter((k) => k.status === 'pass').length
          : rule.field === 'skipped'
            ? list.filter((k) => k.status === 'skip').length
            : list.length,
    n: (list) => list.length,
    detail: (list) =>
      named(
        list.filter((k) => k.status === 'fail').map((k) => `${k.service} ${k.check}: ${k.reason}`),
        'failed checks',
      ),
    gap: (list) => {
      const have = new Set(list.map((k) => `${k.service} ${k.check}`));
      const lost = [...baselineKeys].filter((k) => !have.has(k));
      if (env !== input.baseline && lost.length)
        return `the target lacks ${lost.length} check(s) the baseline has (${lost.slice(0, 3).join('; ')})`;
      // A suite's claimed count covers all its results, not only the ones this criterion selects.
      return coverageGap(coverage, c.spec.coverage, 'checks', () => ofSuite(env).length);
    },
  };
}

export function paritySource(
  c: ParsedCriterion,
  rule: CountCriterion,
  input: GateInput,
): CountSource<ParityEvidence> {
  const env = c.environment;
  const all = input.evidence.filter((e): e is ParityEvidence => e.kind === 'parity' && e.environment === env);
  const items = all.filter((e) =>
    matches(
      withServiceTags(
        { service: e.service, scenario: e.scenario, step: e.step, endpoint: e.endpoint },
        input.services,
      ),
      rule.filter,
    ),
  );
  const coverage = coverageFor(input, rule.suite, env, rule.filter);
  const sum = (list: readonly ParityEvidence[], f: (p: ParityEvidence) => number) =>
    list.reduce((s, p) => s + f(p), 0);
  return {
    items,
    noun: 'compared responses',
    none: 'parity',
    coverage,
    value: (list) => {
      const compared = sum(list, (p) => p.compared);
      const equal = sum(list, (p) => p.equal);
      if (rule.field === 'ratio') return compared === 0 ? Number.NaN : equal / compared;
      if (rule.field === 'compared') return compared;
      if (rule.field === 'equal') return equal;
      if (rule.field === 'steps') return list.length;
      return sum(list, (p) => p.differences.length);
    },
    n: (list) => sum(list, (p) => p.compared),
    detail: (list) =>
      named(
        list
          .filter((p) => p.equal < p.compared)
          .map((p) => {
            const d = p.differences[0];
            const others = p.differences.length > 1 ? ` and ${p.differences.length - 1} more` : '';
            return `${p.scenario}/${p.step} ${p.endpoint}: ${p.compared - p.equal} of ${p.compared} differ${d ? ` (${d.kind} at ${d.path}${others})` : ''}`;
          }),
        'differing steps (report.md lists every difference)',
      ),
    // A step that was not compared (not sent on a side, no baseline answer) is missing evidence: the
    // ratio over the others says nothing about it.
    gap: (list) =>
      uncomparedGap(list) ??
      (coverage.length || c.spec.coverage
        ? coverageGap(coverage, c.spec.coverage, 'steps', () => all.length)
        : undefined),
  };
}

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

export function findingsSource(
  c: ParsedCriterion,
  rule: CountCriterion,
  input: GateInput,
): CountSource<FindingEvidence> {
  const env = c.environment;
  // Findings of every source count toward the suite's claims, not only the ones this criterion selects.
  const all = input.evidence.filter(
    (e): e is FindingEvidence => e.kind === 'finding' && e.suite === rule.suite && e.environment === env,
  );
  const items = all.filter((e) => findingMatches(e, rule.filter, input));
  const coverage = coverageOf(input, rule.suite, env);
  const scopes = c.spec.coverage ?? (rule.filter.source ? [rule.filter.source] : undefined);
  const counted = (list: readonly FindingEvidence[]) =>
    rule.field === 'findings' ? list : list.filter((x) => x.severity === rule.field);
  return {
    items,
    noun: 'findings',
    none: `${rule.suite} findings or coverage`,
    coverage,
    value: (list) => counted(list).length,
    n: (list) => list.length,
    detail: (list) =>
      named(
        counted(list).map((x) => `${x.object}: ${x.message}`),
        'findings',
      ),
    gap: () => {
      if (coverage.length === 0)
        return `no ${rule.suite} coverage evidence on ${env}: no finding is not the same as checked`;
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
    },
  };
}
