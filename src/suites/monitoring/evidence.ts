// The monitoring suite's judgements: what Prometheus, Alertmanager, Grafana and Loki answered, turned into
// checks that name the failing target, rule, receiver, datasource or service. An API that could not answer
// is a `skip` with its own words — recorded as could-not-check coverage by the suite, so the gate says
// INCONCLUSIVE with the reason; it is never a pass and never "nothing wrong". Pure.

import type { CheckResult } from '../../core/model.js';
import type { ApiFailure } from '../../core/monitoring/api-outcome.js';
import type { RuleGroup } from '../../core/monitoring/prometheus-rules.js';
import type { Alertmanagers, Targets } from '../../core/monitoring/prometheus-status.js';
import { lookupSelector, vectorSelectors } from '../../core/monitoring/promql-selectors.js';
import { formatLabels, labelsInclude } from '../../core/monitoring/sample-value.js';
import type { ScrapedService } from './plan.js';

/** A check before the suite stamps it with suite, environment and time. */
export type CheckDraft = Omit<CheckResult, 'suite' | 'environment' | 'at'>;

/** Items named in a reason: the first few, and how many more. */
export function nameSome(items: readonly string[], noun: string, max = 5): string {
  const more = items.length - max;
  return more > 0 ? `${items.slice(0, max).join('; ')}; and ${more} more ${noun}` : items.join('; ');
}

/** A check that could not be decided: the API's failure in its own words. */
export function couldNotCheck(service: string, check: string, why: string | ApiFailure): CheckDraft {
  const reason = typeof why === 'string' ? why : why.message;
  return {
    service,
    check,
    status: 'skip',
    reason: `could not check: ${reason}`,
    ...(typeof why === 'string' ? {} : { data: { failure: why.kind } }),
  };
}

const pass = (service: string, check: string, reason: string, data?: CheckDraft['data']): CheckDraft => ({
  service,
  check,
  status: 'pass',
  reason,
  ...(data ? { data } : {}),
});
const fail = (service: string, check: string, reason: string, data?: CheckDraft['data']): CheckDraft => ({
  service,
  check,
  status: 'fail',
  reason,
  ...(data ? { data } : {}),
});

export function judgeReload(reloadConfigSuccess: boolean, lastConfigTimeMs: number | undefined): CheckDraft {
  const when =
    lastConfigTimeMs !== undefined ? ` (config loaded ${new Date(lastConfigTimeMs).toISOString()})` : '';
  return reloadConfigSuccess
    ? pass('prometheus', 'config-reload', `the last configuration reload succeeded${when}`)
    : fail(
        'prometheus',
        'config-reload',
        `the last configuration reload failed: Prometheus runs on its previous configuration${when}`,
      );
}

/** Per service: a scrape target carrying its labels, and up. */
export function judgeServiceTargets(
  targets: Targets,
  scraped: readonly ScrapedService[],
  startedAgoMs?: number,
): CheckDraft[] {
  return scraped.map(({ service, match }) => {
    const mine = targets.active.filter((t) => labelsInclude(t.labels, match));
    const selector = formatLabels(match);
    const starting = stillStarting(targets, startedAgoMs);
    if (starting) return couldNotCheck(service, 'target-up', starting);
    if (mine.length === 0) {
      const dropped = targets.dropped.filter((t) => labelsInclude(t.discoveredLabels, match)).length;
      return fail(
        service,
        'target-up',
        `no scrape target with ${selector}${dropped ? ` (${dropped} discovered but dropped by relabelling)` : ''}: Prometheus does not scrape ${service} (map it under monitoring.scrape.services)`,
      );
    }
    const up = mine.filter((t) => t.health === 'up');
    const down = mine.filter((t) => t.health === 'down');
    const data = { targets: mine.length, up: up.length, down: down.length };
    if (down.length > 0)
      return fail(
        service,
        'target-up',
        `${down.length} of ${mine.length} target(s) with ${selector} down: ${nameSome(
          down.map((t) => `${t.scrapeUrl}: ${t.lastError || 'no error given'}`),
          'targets',
          3,
        )}`,
        data,
      );
    if (up.length === 0)
      return couldNotCheck(
        service,
        'target-up',
        `${mine.length} target(s) with ${selector} not scraped yet (health unknown)`,
      );
    return pass(service, 'target-up', `${up.length} target(s) with ${selector} up`, data);
  });
}

/** How long after its start a Prometheus that knows no target at all is taken to be still discovering them. */
export const DISCOVERY_GRACE_MS = 60_000;

/**
 * Why the targets cannot be judged yet, if they cannot: a Prometheus that started moments ago and knows
 * no target at all has not applied its scrape configuration yet (a few seconds after a restart). Its
 * silence then says nothing about the platform — not a failure, not a pass. Any other empty answer, or
 * one from a Prometheus that has been up a while, is judged as it is.
 */
function stillStarting(targets: Targets, startedAgoMs: number | undefined): string | undefined {
  if (targets.active.length > 0 || startedAgoMs === undefined || startedAgoMs >= DISCOVERY_GRACE_MS)
    return undefined;
  return `Prometheus started ${Math.max(0, Math.round(startedAgoMs / 1000))} s ago and has not discovered its scrape targets yet: run again once it has`;
}

/** No active target of any job is down. */
export function judgeTargetsDown(targets: Targets, startedAgoMs?: number): CheckDraft {
  const down = targets.active.filter((t) => t.health === 'down');
  const starting = stillStarting(targets, startedAgoMs);
  if (starting) return couldNotCheck('prometheus', 'targets-down', starting);
  if (targets.active.length === 0)
    return fail('prometheus', 'targets-down', 'Prometheus has no active scrape target');
  const data = { active: targets.active.length, down: down.length };
  return down.length === 0
    ? pass(
        'prometheus',
        'targets-down',
        `all ${targets.active.length} active targets up or not yet scraped`,
        data,
      )
    : fail(
        'prometheus',
        'targets-down',
        `${down.length} of ${targets.active.length} targets down: ${nameSome(
          down.map(
            (t) => `job ${t.labels.job ?? t.scrapePool} ${t.scrapeUrl}: ${t.lastError || 'no error given'}`,
          ),
          'targets',
        )}`,
        data,
      );
}

const ruleName = (group: RuleGroup, name: string) => `${name} (group ${group.name}, ${group.file})`;

/** How late a group's last evaluation may be: two intervals, and a minute for the two clocks to differ. */
export const stalledAfterMs = (intervalS: number) => 2 * intervalS * 1000 + 60_000;

/**
 * Every rule healthy: none in `err` (its last error named), and no group stalled — a group whose last
 * evaluation is older than two intervals (and a minute of clock difference) has stopped being evaluated.
 */
export function judgeRuleHealth(groups: readonly RuleGroup[], nowMs: number): CheckDraft {
  const rules = groups.flatMap((g) => g.rules.map((r) => ({ g, r })));
  const broken = rules.filter(({ r }) => r.health === 'err');
  const stalled = groups.filter(
    (g) => g.lastEvaluationMs !== undefined && nowMs - g.lastEvaluationMs > stalledAfterMs(g.intervalS),
  );
  const data = { groups: groups.length, rules: rules.length, broken: broken.length, stalled: stalled.length };
  const problems = [
    ...broken.map(({ g, r }) => `${ruleName(g, r.name)}: ${r.lastError ?? 'no error given'}`),
    ...stalled.map(
      (g) =>
        `group ${g.name} (${g.file}) last evaluated ${Math.round((nowMs - g.lastEvaluationMs!) / 1000)} s ago, every ${g.intervalS} s: its evaluation stalled`,
    ),
  ];
  if (problems.length)
    return fail(
      'prometheus',
      'rules-healthy',
      `${broken.length ? `${broken.length} of ${rules.length} rules fail to evaluate` : `${stalled.length} rule group(s) stalled`}: ${nameSome(problems, 'problems', 3)}`,
      data,
    );
  return pass(
    'prometheus',
    'rules-healthy',
    `${rules.length} rules in ${groups.length} groups evaluate without error`,
    data,
  );
}

/** A rule and the selectors of its expression, as looked up. */
export interface RuleSelectors {
  rule: string;
  group: string;
  file: string;
  /** The selectors of its expression as they are looked up (lookupSelector), or why they could not be read. */
  selectors: string[];
  problem?: string;
}

/** Each rule's selectors, without the rules allowed to select nothing. */
export function ruleSelectors(groups: readonly RuleGroup[], allowEmpty: readonly string[]): RuleSelectors[] {
  return groups.flatMap((g) =>
    g.rules
      .filter((r) => !allowEmpty.includes(r.name))
      .map((r) => {
        const scan = vectorSelectors(r.query);
        return {
          rule: r.name,
          group: g.name,
          file: g.file,
          selectors: [
            ...new Set(scan.selectors.map(lookupSelector).filter((x): x is string => x !== undefined)),
          ],
          ...(scan.problem ? { problem: scan.problem } : {}),
        };
      }),
  );
}

/**
 * What a selector lookup found: how many series, or the failure. `declared`: a bare metric with no series
 * that a target still declares (its `# TYPE` line: a prom-client counter before its first increment) — spelled
 * right and exported, only without traffic, so not a blind rule.
 */
export type SelectorLookup = { ok: true; series: number; declared?: boolean } | { ok: false; reason: string };

/**
 * A rule selects nothing when one of its selectors matched no series over the window: over a misspelled
 * metric or a vanished label it stays `ok` forever. A lookup that failed leaves its rules undecided.
 */
export function judgeSelectsNothing(
  rules: readonly RuleSelectors[],
  lookups: ReadonlyMap<string, SelectorLookup>,
  windowMinutes: number,
): CheckDraft {
  const empty: string[] = [];
  const undecided: string[] = [];
  for (const r of rules) {
    if (r.problem) {
      undecided.push(`${r.rule}: its expression could not be read (${r.problem})`);
      continue;
    }
    const nothing = r.selectors.filter((s) => {
      const found = lookups.get(s);
      return found?.ok === true && found.series === 0 && !found.declared;
    });
    const unknown = r.selectors.filter((s) => lookups.get(s)?.ok !== true);
    if (nothing.length)
      empty.push(
        `${r.rule} (group ${r.group}) selects no series with ${nothing.map((s) => `\`${s}\``).join(', ')}`,
      );
    else if (unknown.length) {
      const why = lookups.get(unknown[0]!);
      undecided.push(
        `${r.rule}: \`${unknown[0]}\` ${why && !why.ok ? why.reason : 'was not looked up (over monitoring.rules.maxSelectors)'}`,
      );
    }
  }
  const data = { rules: rules.length, selectsNothing: empty.length, undecided: undecided.length };
  if (empty.length)
    return fail(
      'prometheus',
      'rules-select-series',
      `${empty.length} of ${rules.length} rules select no series in the last ${windowMinutes} min, so they can never fire or record: ${nameSome(empty, 'rules', 3)}`,
      data,
    );
  if (undecided.length)
    return { ...couldNotCheck('prometheus', 'rules-select-series', nameSome(undecided, 'rules', 2)), data };
  return pass(
    'prometheus',
    'rules-select-series',
    `every selector of ${rules.length} rules matches series in the last ${windowMinutes} min`,
    data,
  );
}

export function judgeAlertmanagers(ams: Alertmanagers): CheckDraft {
  return ams.active.length > 0
    ? pass(
        'prometheus',
        'alertmanagers-discovered',
        `sends alerts to ${nameSome(ams.active, 'Alertmanagers', 3)}`,
        {
          active: ams.active.length,
        },
      )
    : fail(
        'prometheus',
        'alertmanagers-discovered',
        `Prometheus has discovered no Alertmanager${ams.dropped.length ? ` (${ams.dropped.length} dropped: ${nameSome(ams.dropped, 'Alertmanagers', 3)})` : ''}: its alerts reach no one`,
        { active: 0 },
      );
}

/**
 * The sum of a counter's samples in Prometheus' text exposition (its own /metrics), or undefined when the
 * metric is not there. Every series counts: `prometheus_notifications_dropped_total` is one series in 2.x.
 */
export function counterTotal(exposition: string, metric: string): number | undefined {
  let total: number | undefined;
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(metric)) continue;
    const rest = line.slice(metric.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue;
    const value = Number(
      rest
        .replace(/^\{[^}]*\}/, '')
        .trim()
        .split(/\s+/)[0],
    );
    if (Number.isFinite(value)) total = (total ?? 0) + value;
  }
  return total;
}

/** Dropped notifications: over the recent window (Prometheus scrapes itself), or since it started. */
export function judgeDropped(
  dropped: number | undefined,
  over: { windowMinutes: number } | 'since-start',
): CheckDraft {
  if (dropped === undefined)
    return couldNotCheck(
      'prometheus',
      'notifications-dropped',
      'prometheus_notifications_dropped_total is neither scraped nor in its /metrics',
    );
  const when = over === 'since-start' ? 'since Prometheus started' : `in the last ${over.windowMinutes} min`;
  const n = Math.round(dropped);
  return n === 0
    ? pass('prometheus', 'notifications-dropped', `no alert notification dropped ${when}`, { dropped: 0 })
    : fail(
        'prometheus',
        'notifications-dropped',
        `${n} alert notification(s) dropped ${when} (prometheus_notifications_dropped_total): those alerts reached no Alertmanager`,
        { dropped: n },
      );
}

/** Rule, job or dashboard names of the baseline missing on the target. */
export function judgeParity(
  check: string,
  service: string,
  noun: string,
  baseline: readonly string[],
  target: readonly string[],
): CheckDraft {
  const have = new Set(target);
  const missing = [...new Set(baseline)].filter((n) => !have.has(n));
  const data = { baseline: new Set(baseline).size, target: have.size, missing: missing.length };
  return missing.length
    ? fail(
        service,
        check,
        `${missing.length} of ${data.baseline} ${noun} of the baseline missing on the target: ${nameSome(missing, noun)}`,
        data,
      )
    : pass(service, check, `all ${data.baseline} ${noun} of the baseline exist on the target`, data);
}

/** Alert identity for parity: the kind and name of a rule (groups are often regrouped in a migration). */
export const ruleKeys = (groups: readonly RuleGroup[]) =>
  groups.flatMap((g) => g.rules.map((r) => `${r.type === 'alerting' ? 'alert' : 'record'} ${r.name}`));
