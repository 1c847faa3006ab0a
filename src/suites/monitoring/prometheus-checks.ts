// The Prometheus half of the monitoring suite for one environment: ready, last reload, a target up for
// every service, no target down, rule health, rules that select nothing, Alertmanagers discovered, no
// dropped notifications. Each answer is judged in evidence.ts; an API that cannot answer makes the checks
// that needed it `skip` with its words (could-not-check), and when Prometheus is not ready at all, every
// Prometheus check says so.
import pLimit from 'p-limit';
import { statusFailure } from '../../core/monitoring/api-outcome.js';
import type { RuleGroup } from '../../core/monitoring/prometheus-rules.js';
import type { Targets } from '../../core/monitoring/prometheus-status.js';
import { readSingle } from '../../core/monitoring/reading.js';
import { ApiClient, type ApiContext, type ApiEndpoint } from '../../runners/http/api-client.js';
import { PrometheusClient } from '../../runners/prometheus/client.js';
import type { MonitoringSettings } from './define.js';
import {
  type CheckDraft,
  couldNotCheck,
  counterTotal,
  judgeAlertmanagers,
  judgeDropped,
  judgeReload,
  judgeRuleHealth,
  judgeSelectsNothing,
  judgeServiceTargets,
  judgeTargetsDown,
  ruleSelectors,
  type SelectorLookup,
} from './evidence.js';
import { COMPONENT_CHECKS, type ScrapedService, TARGET_CHECK } from './plan.js';

/** What parity needs of this Prometheus, when it answered. */
export interface PrometheusFacts {
  groups?: RuleGroup[];
  targets?: Targets;
}

const LOOKUP_CONCURRENCY = 4;

/** The Prometheus-wide checks this config asks for (the selects-nothing one can be switched off). */
export const prometheusChecks = (settings: MonitoringSettings) =>
  COMPONENT_CHECKS.prometheus.filter((c) => c !== 'rules-select-series' || settings.rules.selectsNothing);

export async function checkPrometheus(
  endpoint: ApiEndpoint,
  api: ApiContext,
  scraped: readonly ScrapedService[],
  settings: MonitoringSettings,
  nowMs: () => number,
  emit: (check: CheckDraft) => void,
): Promise<PrometheusFacts> {
  const prom = new PrometheusClient(endpoint, api);
  const ready = await prom.ready();
  if (!ready.ok) {
    for (const check of prometheusChecks(settings)) emit(couldNotCheck('prometheus', check, ready.failure));
    for (const s of scraped) emit(couldNotCheck(s.service, TARGET_CHECK, ready.failure));
    return {};
  }
  emit({
    service: 'prometheus',
    check: 'prometheus-ready',
    status: 'pass',
    reason: `${prom.name}: ${ready.value}`,
  });

  const runtime = await prom.runtimeInfo();
  emit(
    runtime.ok
      ? judgeReload(runtime.value.reloadConfigSuccess, runtime.value.lastConfigTimeMs)
      : couldNotCheck('prometheus', 'config-reload', runtime.failure),
  );

  const facts: PrometheusFacts = {};
  const targets = await prom.targets();
  if (targets.ok) {
    facts.targets = targets.value;
    const startedMs = runtime.ok ? runtime.value.startTimeMs : undefined;
    const startedAgoMs = startedMs === undefined ? undefined : nowMs() - startedMs;
    for (const check of judgeServiceTargets(targets.value, scraped, startedAgoMs)) emit(check);
    emit(judgeTargetsDown(targets.value, startedAgoMs));
  } else {
    for (const s of scraped) emit(couldNotCheck(s.service, TARGET_CHECK, targets.failure));
    emit(couldNotCheck('prometheus', 'targets-down', targets.failure));
  }

  const rules = await prom.rules();
  if (rules.ok) {
    facts.groups = rules.value;
    emit(judgeRuleHealth(rules.value, nowMs()));
    if (settings.rules.selectsNothing) emit(await selectsNothing(prom, rules.value, settings, nowMs()));
  } else {
    emit(couldNotCheck('prometheus', 'rules-healthy', rules.failure));
    if (settings.rules.selectsNothing)
      emit(couldNotCheck('prometheus', 'rules-select-series', rules.failure));
  }

  const ams = await prom.alertmanagers();
  emit(
    ams.ok
      ? judgeAlertmanagers(ams.value)
      : couldNotCheck('prometheus', 'alertmanagers-discovered', ams.failure),
  );

  emit(await droppedNotifications(prom, endpoint, api, settings.rules.windowMinutes));
  return facts;
}

/**
 * Dropped notifications over the recent window, from the counter Prometheus scrapes of itself; a Prometheus
 * that does not scrape itself is read at its own /metrics instead, where the counter runs since it started.
 */
async function droppedNotifications(
  prom: PrometheusClient,
  endpoint: ApiEndpoint,
  api: ApiContext,
  windowMinutes: number,
): Promise<CheckDraft> {
  const recent = await prom.query(`sum(increase(prometheus_notifications_dropped_total[${windowMinutes}m]))`);
  if (recent.ok) {
    const reading = readSingle(recent.value);
    if (reading.state === 'value') return judgeDropped(reading.value, { windowMinutes });
  }
  const metrics = await new ApiClient('Prometheus', endpoint, api).request(
    { method: 'GET', path: '/metrics' },
    (a) =>
      a.status === 200
        ? { ok: true, value: a.text }
        : { ok: false, failure: statusFailure(`${prom.name}/metrics`, a) },
  );
  return metrics.ok
    ? judgeDropped(counterTotal(metrics.value, 'prometheus_notifications_dropped_total'), 'since-start')
    : couldNotCheck('prometheus', 'notifications-dropped', metrics.failure);
}

/**
 * Where a target declares a series it has not written yet: its metadata is kept under the metric
 * family's name, so a histogram's `x_count`, `x_sum` and `x_bucket` are declared by `x` (type
 * histogram or summary), and an OpenMetrics counter's `x_total` by `x`. A Micrometer or prom-client
 * histogram before its first observation has a `# TYPE` line and no `_count` series at all.
 */
export function declaringFamilies(name: string): Array<{ name: string; types: string[] }> {
  const out = [{ name, types: ['counter', 'gauge', 'histogram', 'summary', 'untyped', 'unknown'] }];
  const histogramPart = /^(.+)_(count|sum|bucket)$/.exec(name);
  if (histogramPart)
    out.push({
      name: histogramPart[1]!,
      types: histogramPart[2] === 'bucket' ? ['histogram'] : ['histogram', 'summary'],
    });
  const counterPart = /^(.+)_total$/.exec(name);
  if (counterPart) out.push({ name: counterPart[1]!, types: ['counter'] });
  return out;
}

/** Looks every rule's selectors up over the window (bounded in number and concurrency), then judges. */
async function selectsNothing(
  prom: PrometheusClient,
  groups: readonly RuleGroup[],
  settings: MonitoringSettings,
  nowMs: number,
): Promise<CheckDraft> {
  const rules = ruleSelectors(groups, settings.rules.allowEmpty);
  const unique = [...new Set(rules.flatMap((r) => r.selectors))].slice(0, settings.rules.maxSelectors);
  const limit = pLimit(LOOKUP_CONCURRENCY);
  const range = { startMs: nowMs - settings.rules.windowMinutes * 60_000, endMs: nowMs };
  const lookups = new Map<string, SelectorLookup>();
  await Promise.all(
    unique.map((selector) =>
      limit(async () => {
        const found = await prom.series([selector], range);
        if (found.ok && found.value.length === 0 && /^[A-Za-z_:][A-Za-z0-9_:]*$/.test(selector)) {
          for (const family of declaringFamilies(selector)) {
            const meta = await prom.metadata(family.name);
            const types = meta.ok ? (meta.value[family.name] ?? []).map((m) => m.type) : [];
            if (types.some((t) => family.types.includes(t)))
              return lookups.set(selector, { ok: true, series: 0, declared: true });
          }
        }
        lookups.set(
          selector,
          found.ok ? { ok: true, series: found.value.length } : { ok: false, reason: found.failure.message },
        );
      }),
    ),
  );
  return judgeSelectsNothing(rules, lookups, settings.rules.windowMinutes);
}
