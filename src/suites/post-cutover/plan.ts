// What a watch will do, decided before it sends anything: which services it reads, with which queries,
// from which Prometheus on each side, how often and for how long, against which criteria, and when it
// recommends rollback. A mistake the user must fix (no Prometheus for the target, an unknown template,
// a bad flag value) is a UserError here: exit 2, nothing recorded. Pure and printable (`--dry-run`).
import type { ResolvedConfig } from '../../config/load.js';
import { UserError } from '../../core/errors.js';
import { parseDuration } from '../../core/load/profile.js';
import { shownUrl } from '../../core/shown-url.js';
import { monitoringEndpoints, type ResolvedMonitoringEndpoint } from '../monitoring/endpoints.js';
import type { SuitePlanContext } from '../suite.js';
import { parseWatchCriterion, type WatchOptions, type WatchSettings } from './define.js';
import { type DnsHost, publicHosts } from './dns.js';
import type { UnderBound, WatchCriterion } from './judge.js';
import { promWindow, type ServiceQueries, serviceQueries } from './templates.js';

// Shown by origin only (core/shown-url.ts); kept importable from here for the suite's own modules.
export { shownUrl };

export interface WatchPlan {
  target: string;
  /** The Compose side: its recorded or pre-watch figures are the reference; its own traffic is watched. */
  baseline: string | undefined;
  prometheus: { target: ResolvedMonitoringEndpoint; baseline: ResolvedMonitoringEndpoint | undefined };
  alertmanager: ResolvedMonitoringEndpoint | undefined;
  intervalMs: number;
  forMs: number;
  evaluations: number;
  failureLimit: number;
  baselineWindowMs: number;
  baselineName: string | undefined;
  criteria: WatchCriterion[];
  under: UnderBound | undefined;
  /** Per service: the queries of one evaluation window, and of the baseline's reference window. */
  services: Array<{ id: string; window: ServiceQueries; reference: ServiceQueries }>;
  rollbackWebhook: string | undefined;
  metricsListen: string | undefined;
  queryTimeoutMs: number;
  /** The DNS cutover check, when `watch.dns` is configured. */
  dns?: { hosts: DnsHost[]; targetAddresses: string[]; composeAddresses: string[]; servers: string[] };
}

/** The monitoring services themselves carry no user traffic worth judging. */
const MONITORING_IDS = new Set(['prometheus', 'alertmanager', 'grafana', 'loki']);

/** The services a watch reads: selected, present in the environment, not monitoring, not skipped. */
export function watchedServices(
  settings: WatchSettings,
  selected: readonly string[],
  inEnvironment: Readonly<Record<string, unknown>>,
): string[] {
  return selected.filter(
    (id) =>
      !MONITORING_IDS.has(id) && settings.services[id]?.skip !== true && inEnvironment[id] !== undefined,
  );
}

function positive(what: string, ms: number | undefined, fallback: string): number {
  if (ms === undefined) return parseDuration(fallback);
  if (!(ms > 0)) throw new UserError(`${what}: expected a duration above 0`);
  return ms;
}

export function planWatch(
  config: Pick<ResolvedConfig, 'environments'> & {
    watch: WatchSettings;
    services?: Readonly<Record<string, { public?: boolean }>>;
  },
  ctx: Pick<SuitePlanContext, 'environments' | 'services'>,
  options: WatchOptions = {},
): WatchPlan {
  const settings = config.watch;
  const kinds = ctx.environments.map((name) => ({ name, kind: config.environments[name]!.kind }));
  const target = kinds.find((e) => e.name === 'target' || e.kind === 'kubernetes')?.name;
  if (!target)
    throw new UserError(
      'cutover watch needs the target environment (kind kubernetes) among the selected environments',
    );
  // The Compose side: the environment named baseline, else the first Compose one, else none.
  const baseline =
    kinds.find((e) => e.name === 'baseline' && e.name !== target)?.name ??
    kinds.find((e) => e.kind === 'compose' && e.name !== target)?.name;
  const endpointsOf = (env: string) => {
    const found = monitoringEndpoints(config.environments[env]!);
    const replaced = options.endpoints?.[env];
    if (replaced?.prometheus)
      found.prometheus = { component: 'prometheus', source: 'config', url: replaced.prometheus };
    if (replaced?.alertmanager)
      found.alertmanager = { component: 'alertmanager', source: 'config', url: replaced.alertmanager };
    return found;
  };
  const targetProm = endpointsOf(target).prometheus;
  if (!targetProm)
    throw new UserError(
      `environments.${target}.monitoring.prometheus: not set, and ${target} has no service named prometheus; the watch reads the target's traffic there`,
    );
  const baselineProm = baseline ? endpointsOf(baseline).prometheus : undefined;
  const intervalMs = positive('--interval', options.intervalMs, settings.interval);
  const forMs = positive('--for', options.forMs, settings.for);
  if (forMs < intervalMs)
    throw new UserError(`--for ${forMs} ms is shorter than one --interval (${intervalMs} ms)`);
  const baselineWindowMs = parseDuration(settings.baselineWindow);
  const services = watchedServices(settings, ctx.services, config.environments[target]!.services);
  for (const id of Object.keys(settings.services))
    if (!ctx.services.includes(id) && !Object.keys(config.environments[target]!.services).includes(id))
      throw new UserError(`watch.services.${id}: unknown service; declare it under services`);
  if (services.length === 0)
    throw new UserError(
      `cutover watch: no service of ${target} to watch (the monitoring services are left out)`,
    );
  const under = settings.under
    ? { boundMs: parseDuration(settings.under.bound), atLeast: settings.under.atLeast }
    : undefined;
  const metricsListen =
    options.metricsListen === false ? undefined : (options.metricsListen ?? settings.metricsListen);
  const targetServices = config.environments[target]!.services;
  const dns = settings.dns && {
    hosts: settings.dns.hosts
      ? settings.dns.hosts.map(
          (host) =>
            publicHosts(targetServices, () => true).find((h) => h.host === host) ?? { host, service: 'dns' },
        )
      : publicHosts(targetServices, (id) => config.services?.[id]?.public !== false),
    targetAddresses: settings.dns.targetAddresses,
    composeAddresses: settings.dns.composeAddresses,
    servers: settings.dns.servers,
  };
  return {
    ...(dns ? { dns } : {}),
    target,
    baseline,
    prometheus: { target: targetProm, baseline: baselineProm },
    alertmanager: settings.alertmanager ? endpointsOf(target).alertmanager : undefined,
    intervalMs,
    forMs,
    evaluations: Math.max(1, Math.floor(forMs / intervalMs)),
    failureLimit: options.failureLimit ?? settings.failureLimit,
    baselineWindowMs,
    baselineName: options.baselineName,
    criteria: settings.criteria.map((text) => ({ text, rule: parseWatchCriterion(text) })),
    under,
    services: services.map((id) => ({
      id,
      window: serviceQueries(settings, id, intervalMs),
      reference: serviceQueries(settings, id, baselineWindowMs),
    })),
    rollbackWebhook: settings.rollbackWebhook,
    metricsListen,
    queryTimeoutMs: settings.queryTimeoutMs,
  };
}

/** The plan in words, for `--dry-run`. */
export function describeWatch(plan: WatchPlan): string {
  const lines = [
    `Watch ${plan.services.length} service(s) on ${plan.target} every ${promWindow(plan.intervalMs)} for ${promWindow(plan.forMs)} (${plan.evaluations} evaluations), reading ${plan.prometheus.target.url}`,
    `Baseline: ${plan.baselineName ? `recorded baseline ${plan.baselineName}` : plan.baseline ? `${plan.baseline}'s figures over the ${promWindow(plan.baselineWindowMs)} before the watch (${plan.prometheus.baseline?.url ?? 'no Prometheus'})` : 'none'}`,
    `Rollback after ${plan.failureLimit} consecutive breaching evaluation(s) of a service${plan.rollbackWebhook ? `; webhook ${shownUrl(plan.rollbackWebhook)}` : ''}${plan.alertmanager ? `; alert to ${plan.alertmanager.url}` : ''}`,
    `Criteria: ${[...plan.criteria.map((c) => c.text), ...(plan.under ? [`fraction under ${plan.under.boundMs} ms >= ${plan.under.atLeast}`] : [])].join('; ')}`,
    ...(plan.dns
      ? [
          `DNS: ${plan.dns.hosts.map((h) => h.host).join(', ') || '(no public host names)'} → ${plan.dns.targetAddresses.join(', ')}, via the system resolver${plan.dns.servers.map((s) => `, ${s}`).join('')}`,
        ]
      : []),
    ...plan.services.map((s) => `  ${s.id} (${s.window.template}): ${s.window.requests}`),
  ];
  return `${lines.join('\n')}\n`;
}
