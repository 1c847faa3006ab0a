// The monitoring suite: on every selected environment, its Prometheus (ready, reload, a target up per
// service, none down, rules healthy and selecting series, Alertmanagers discovered, no dropped
// notifications), its Alertmanager (ready, an alert seen arriving at Cutover's webhook receiver and then
// resolved, or the Watchdog), its Grafana (healthy, datasources answering) and its Loki (ready, a recent log
// line per service); then the target's rules, scrape jobs and dashboards against the baseline's. Every
// check names what failed; a component that cannot answer records could-not-check coverage with its words,
// so the gate says INCONCLUSIVE, never GO.
import { startWebhookReceiver, type WebhookReceiver } from '../../runners/alertmanager/webhook-receiver.js';
import type { ApiContext } from '../../runners/http/api-client.js';
import type { Suite, SuiteContext } from '../suite.js';
import { type AlertPath, checkAlertmanager } from './alerting.js';
import type { MonitoringComponent } from './endpoints.js';
import { type CheckDraft, couldNotCheck, judgeParity, ruleKeys } from './evidence.js';
import { checkGrafana, checkLoki, type GrafanaFacts } from './grafana-loki-checks.js';
import {
  ALERT_CHECKS,
  COMPONENT_CHECKS,
  LOGS_CHECK,
  type MonitoringEnvironmentPlan,
  type MonitoringPlan,
  planMonitoring,
  plannedMonitoringChecks,
  TARGET_CHECK,
} from './plan.js';
import { checkPrometheus, type PrometheusFacts, prometheusChecks } from './prometheus-checks.js';

type Scope = MonitoringComponent | 'parity';

interface EnvironmentFacts {
  prometheus: PrometheusFacts;
  grafana: GrafanaFacts;
  /** Why a component's facts are missing, for parity's reason. */
  missing: Partial<Record<'prometheus' | 'grafana', string>>;
}

/** Records checks of one environment, and says per scope how much could be decided. */
function recorder(ctx: SuiteContext, environment: string) {
  const byScope = new Map<Scope, CheckDraft[]>();
  return {
    emit: (scope: Scope) => (draft: CheckDraft) => {
      if (ctx.signal?.aborted) return;
      byScope.set(scope, [...(byScope.get(scope) ?? []), draft]);
      ctx.check({ suite: 'monitoring', environment, ...draft, at: ctx.now().toISOString() });
    },
    coverage: () => {
      if (ctx.signal?.aborted) return;
      const at = ctx.now().toISOString();
      const all = [...byScope.values()].flat();
      const statusOf = (drafts: readonly CheckDraft[]) => {
        const skipped = drafts.filter((d) => d.status === 'skip').length;
        return skipped === 0 ? 'complete' : skipped === drafts.length ? 'could-not-check' : 'partial';
      };
      const reasonOf = (what: string, drafts: readonly CheckDraft[]) => {
        const skipped = drafts.filter((d) => d.status === 'skip');
        return skipped.length === 0
          ? `${drafts.length} ${what} checks decided`
          : `${skipped.length} of ${drafts.length} ${what} checks could not be decided: ${skipped[0]!.service} ${skipped[0]!.check}: ${skipped[0]!.reason}`;
      };
      // Per component, what could be decided (counts by another name than `checks`: a gate compares a
      // scope's `checks` with all the suite's checks) ...
      for (const [scope, drafts] of byScope)
        ctx.evidence({
          kind: 'coverage',
          suite: 'monitoring',
          environment,
          scope,
          status: statusOf(drafts),
          reason: reasonOf(scope, drafts),
          counts: {
            decided: drafts.filter((d) => d.status !== 'skip').length,
            failed: drafts.filter((d) => d.status === 'fail').length,
            skipped: drafts.filter((d) => d.status === 'skip').length,
          },
          at,
        });
      // ... and the suite's total, which a gate holds the recorded checks to: a lost check is no pass.
      ctx.evidence({
        kind: 'coverage',
        suite: 'monitoring',
        environment,
        scope: 'monitoring',
        status: statusOf(all),
        reason: reasonOf('monitoring', all),
        counts: { checks: all.length },
        at,
      });
    },
  };
}

async function checkEnvironment(
  ctx: SuiteContext,
  plan: MonitoringPlan,
  env: MonitoringEnvironmentPlan,
  alertPath: AlertPath,
  emitFor: (scope: Scope) => (draft: CheckDraft) => void,
): Promise<EnvironmentFacts> {
  const api: ApiContext = { env: ctx.env, ...(ctx.signal ? { signal: ctx.signal } : {}) };
  const nowMs = () => ctx.now().getTime();
  const settings = plan.settings;
  const facts: EnvironmentFacts = { prometheus: {}, grafana: {}, missing: {} };
  const { prometheus, alertmanager, grafana, loki } = env.endpoints;

  const prometheusDone = (async () => {
    const emit = emitFor('prometheus');
    if (!prometheus.available) {
      for (const check of prometheusChecks(settings))
        emit(couldNotCheck('prometheus', check, prometheus.reason));
      for (const s of env.scraped) emit(couldNotCheck(s.service, TARGET_CHECK, prometheus.reason));
      facts.missing.prometheus = prometheus.reason;
      return;
    }
    facts.prometheus = await checkPrometheus(prometheus.endpoint, api, env.scraped, settings, nowMs, emit);
    if (!facts.prometheus.groups || !facts.prometheus.targets)
      facts.missing.prometheus = 'Prometheus did not answer (its own checks say why)';
  })();

  const alertmanagerDone = (async () => {
    const emit = emitFor('alertmanager');
    if (!alertmanager.available) {
      for (const check of [...COMPONENT_CHECKS.alertmanager, ...ALERT_CHECKS[settings.alert.mode]])
        emit(couldNotCheck('alertmanager', check, alertmanager.reason));
      return;
    }
    await checkAlertmanager(
      alertmanager.endpoint,
      api,
      env.environment,
      plan.runId,
      settings.alert,
      alertPath,
      nowMs,
      emit,
    );
  })();

  const grafanaDone = (async () => {
    const emit = emitFor('grafana');
    if (!grafana.available) {
      for (const check of COMPONENT_CHECKS.grafana) emit(couldNotCheck('grafana', check, grafana.reason));
      facts.missing.grafana = grafana.reason;
      return;
    }
    facts.grafana = await checkGrafana(
      grafana.endpoint,
      api,
      plan.parity?.checks.includes('dashboards-parity') ?? false,
      emit,
    );
  })();

  const lokiDone = (async () => {
    const emit = emitFor('loki');
    if (!loki.available) {
      emit(couldNotCheck('loki', 'loki-ready', loki.reason));
      for (const l of env.logs) emit(couldNotCheck(l.service, LOGS_CHECK, loki.reason));
      return;
    }
    await checkLoki(loki.endpoint, api, env.logs, settings.loki.recentMinutes, nowMs, emit);
  })();

  await Promise.all([prometheusDone, alertmanagerDone, grafanaDone, lokiDone]);
  return facts;
}

/** The target's rules, scrape jobs and dashboards against the baseline's. */
function parityChecks(
  checks: readonly string[],
  baseline: EnvironmentFacts,
  target: EnvironmentFacts,
): CheckDraft[] {
  const unreadable = (side: string, what: string, why: string | undefined) =>
    `the ${side}'s ${what} could not be read: ${why ?? 'no answer'}`;
  return checks.map((check): CheckDraft => {
    if (check === 'rules-parity' || check === 'jobs-parity') {
      const b = baseline.prometheus;
      const t = target.prometheus;
      const have = check === 'rules-parity' ? [b.groups, t.groups] : [b.targets, t.targets];
      const what = check === 'rules-parity' ? 'Prometheus rules' : 'Prometheus scrape targets';
      if (!have[0] || !have[1])
        return couldNotCheck(
          'prometheus',
          check,
          !have[0]
            ? unreadable('baseline', what, baseline.missing.prometheus)
            : unreadable('target', what, target.missing.prometheus),
        );
      return check === 'rules-parity'
        ? judgeParity(check, 'prometheus', 'rules', ruleKeys(b.groups!), ruleKeys(t.groups!))
        : judgeParity(
            check,
            'prometheus',
            'scrape jobs',
            b.targets!.active.map((x) => x.scrapePool),
            t.targets!.active.map((x) => x.scrapePool),
          );
    }
    const b = baseline.grafana.dashboards;
    const t = target.grafana.dashboards;
    if (!b || !t)
      return couldNotCheck(
        'grafana',
        check,
        !b
          ? unreadable(
              'baseline',
              'Grafana dashboards',
              baseline.grafana.dashboardsFailure ?? baseline.missing.grafana,
            )
          : unreadable(
              'target',
              'Grafana dashboards',
              target.grafana.dashboardsFailure ?? target.missing.grafana,
            ),
      );
    return judgeParity(
      check,
      'grafana',
      'dashboards',
      b.map((d) => d.title),
      t.map((d) => d.title),
    );
  });
}

/** Cutover's webhook receiver for the run, when an alert check needs one. */
async function openReceiver(plan: MonitoringPlan): Promise<AlertPath> {
  const r = plan.settings.alert.receiver;
  const receiverUrl = r.url ?? `http://${r.host}:${plan.receiverPort}${r.path}`;
  const base = {
    receiverUrl,
    deliveryTimeoutMs: plan.deliveryTimeoutMs,
    resolveTimeoutMs: plan.resolveTimeoutMs,
  };
  const needed =
    plan.settings.alert.mode !== 'off' && plan.environments.some((e) => e.endpoints.alertmanager.available);
  if (!needed) return { ...base, receiver: { unavailable: 'no Alertmanager to check' } };
  try {
    const receiver: WebhookReceiver = await startWebhookReceiver({
      host: r.host,
      port: plan.receiverPort,
      path: r.path,
    });
    // Port 0 picks a free one: the URL is the receiver's own then.
    return { ...base, receiverUrl: r.url ?? receiver.url, receiver };
  } catch (error) {
    return {
      ...base,
      receiver: {
        unavailable: `Cutover's webhook receiver could not listen on ${r.host}:${plan.receiverPort}: ${(error as Error).message} (set monitoring.alert.receiver.port)`,
      },
    };
  }
}

export const monitoringSuite: Suite<MonitoringPlan> = {
  id: 'monitoring',
  title: 'Monitoring and alerting: targets, rules, the alert path, dashboards and logs',
  byDefault: true,
  plan: async (ctx) =>
    planMonitoring(ctx.config, ctx.environments, ctx.services, ctx.runId, ctx.options.monitoring),
  plannedChecks: (plan) => plannedMonitoringChecks(plan),
  run: async (ctx, plan) => {
    const alertPath = await openReceiver(plan);
    try {
      const results = await Promise.all(
        plan.environments.map(async (env) => {
          const record = recorder(ctx, env.environment);
          const facts = await checkEnvironment(ctx, plan, env, alertPath, record.emit);
          return { env: env.environment, facts, record };
        }),
      );
      const parity = plan.parity;
      const baseline = results.find((r) => r.env === parity?.baseline);
      const target = results.find((r) => r.env === parity?.target);
      if (parity && baseline && target)
        for (const check of parityChecks(parity.checks, baseline.facts, target.facts))
          target.record.emit('parity')(check);
      for (const r of results) r.record.coverage();
    } finally {
      if (!('unavailable' in alertPath.receiver)) await alertPath.receiver.stop();
    }
  },
};
