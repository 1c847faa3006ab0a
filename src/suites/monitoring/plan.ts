// The monitoring suite's plan: per selected environment, where its Prometheus, Alertmanager, Grafana and
// Loki answer (or why one cannot be checked), which scrape target stands for each service, whose logs must
// be in Loki, and the checks that will be recorded — the same check names on every environment, so a check
// the target lacks reads as lost, never as passed. Parity (baseline → target) is planned on the target
// when both are selected. Pure and printable.
import type { ResolvedConfig } from '../../config/load.js';
import { UserError } from '../../core/errors.js';
import type { Labels } from '../../core/monitoring/sample-value.js';
import type { ApiEndpoint } from '../../runners/http/api-client.js';
import { readCa } from '../selection.js';
import type { MonitoringOptions, MonitoringSettings } from './define.js';
import { MONITORING_COMPONENTS, type MonitoringComponent, monitoringEndpoints } from './endpoints.js';

/** An endpoint to call, or why the component cannot be checked in this environment. */
export type PlannedEndpoint =
  | { available: true; endpoint: ApiEndpoint; source: 'config' | 'service' | 'command' }
  | { available: false; reason: string };

export interface ScrapedService {
  service: string;
  /** Labels every target of the service carries. */
  match: Labels;
}

/** The checks of one component, in the order they are recorded; `perService` ones once per service. */
export const COMPONENT_CHECKS = {
  prometheus: [
    'prometheus-ready',
    'config-reload',
    'targets-down',
    'rules-healthy',
    'rules-select-series',
    'alertmanagers-discovered',
    'notifications-dropped',
  ],
  alertmanager: ['alertmanager-ready'],
  grafana: ['grafana-health', 'grafana-datasources'],
  loki: ['loki-ready'],
} as const satisfies Record<MonitoringComponent, readonly string[]>;

export const ALERT_CHECKS = {
  synthetic: ['alert-fires', 'alert-resolves'],
  watchdog: ['watchdog-arrives'],
  off: [],
};
export const PARITY_CHECKS = ['rules-parity', 'jobs-parity', 'dashboards-parity'] as const;
/** The per-service checks: a scrape target that is up, a recent log line. */
export const TARGET_CHECK = 'target-up';
export const LOGS_CHECK = 'recent-logs';

export interface MonitoringEnvironmentPlan {
  environment: string;
  endpoints: Record<MonitoringComponent, PlannedEndpoint>;
  scraped: ScrapedService[];
  /** Services whose recent log line is looked for, and the LogQL query for each. */
  logs: Array<{ service: string; query: string }>;
}

export interface MonitoringPlan {
  environments: MonitoringEnvironmentPlan[];
  settings: MonitoringSettings;
  /** The receiver's port after the command's override (the demo picks one Alertmanager is told about). */
  receiverPort: number;
  deliveryTimeoutMs: number;
  resolveTimeoutMs: number;
  /** Baseline and target environments compared for parity, when both are selected. */
  parity?: { baseline: string; target: string; checks: string[] };
  runId: string;
}

/** The labels a service's scrape targets carry: its mapping, or `<label>="<service id>"`; undefined when not scraped. */
export function scrapeMatch(settings: MonitoringSettings, service: string): Labels | undefined {
  const mapped = settings.scrape.services[service];
  if (mapped === false) return undefined;
  if (mapped === undefined) return { [settings.scrape.label]: service };
  return typeof mapped === 'string' ? { job: mapped } : mapped.labels;
}

/** The LogQL query for one service: the template with `{{service}}` replaced. */
export const logQuery = (template: string, service: string) => template.replaceAll('{{service}}', service);

function missingReason(component: MonitoringComponent, environment: string): string {
  return `no ${component} endpoint for ${environment}: name it under environments.${environment}.monitoring.${component}, or declare a service "${component}" there`;
}

export function planMonitoring(
  config: ResolvedConfig,
  environments: readonly string[],
  services: readonly string[],
  runId: string,
  options: MonitoringOptions = {},
): MonitoringPlan {
  const settings = config.monitoring;
  const unknown = [
    ...Object.keys(settings.scrape.services).map((id) => ['monitoring.scrape.services', id] as const),
    ...settings.loki.exclude.map((id) => ['monitoring.loki.exclude', id] as const),
  ].filter(([, id]) => !config.services[id]);
  if (unknown.length)
    throw new UserError('the monitoring config names services that do not exist', {
      details: unknown.map(([where, id]) => `${where}: unknown service "${id}"; declare it under services`),
    });
  const plans = environments.map((environment): MonitoringEnvironmentPlan => {
    const env = config.environments[environment]!;
    const resolved = monitoringEndpoints(env);
    const ca = readCa(config, environment, env.tls.caFile);
    const overrides = options.environments?.[environment] ?? {};
    const endpoints = Object.fromEntries(
      MONITORING_COMPONENTS.map((component): [MonitoringComponent, PlannedEndpoint] => {
        const override =
          component === 'prometheus' || component === 'alertmanager' ? overrides[component] : undefined;
        if (typeof override === 'object')
          return [component, { available: false, reason: override.unavailable }];
        if (typeof override === 'string')
          return [component, { available: true, source: 'command', endpoint: { url: override } }];
        const found = resolved[component];
        if (!found) return [component, { available: false, reason: missingReason(component, environment) }];
        const { component: _c, source, ...endpoint } = found;
        return [
          component,
          {
            available: true,
            source,
            endpoint: {
              ...endpoint,
              pins: env.resolve,
              ...(env.tls.insecure ? { insecure: true } : {}),
              ...(ca ? { ca } : {}),
            },
          },
        ];
      }),
    ) as Record<MonitoringComponent, PlannedEndpoint>;
    const present = services.filter((id) => env.services[id] !== undefined);
    return {
      environment,
      endpoints,
      scraped: present.flatMap((service) => {
        const match = scrapeMatch(settings, service);
        return match ? [{ service, match }] : [];
      }),
      logs: present
        .filter((service) => !settings.loki.exclude.includes(service))
        .map((service) => ({ service, query: logQuery(settings.loki.query, service) })),
    };
  });
  const parityChecks = PARITY_CHECKS.filter(
    (c) =>
      (c === 'rules-parity' && settings.parity.rules) ||
      (c === 'jobs-parity' && settings.parity.jobs) ||
      (c === 'dashboards-parity' && settings.parity.dashboards),
  );
  const hasBaseline = environments.includes('baseline');
  const target = environments.find((e) => e !== 'baseline');
  return {
    environments: plans,
    settings,
    receiverPort: options.alert?.port ?? settings.alert.receiver.port,
    deliveryTimeoutMs: options.alert?.deliveryTimeoutMs ?? settings.alert.deliveryTimeoutMs,
    resolveTimeoutMs: options.alert?.resolveTimeoutMs ?? settings.alert.resolveTimeoutMs,
    ...(hasBaseline && target && parityChecks.length
      ? { parity: { baseline: 'baseline', target, checks: [...parityChecks] } }
      : {}),
    runId,
  };
}

/** How many checks the plan records: per environment its components', services' and alert checks, and parity. */
export function plannedMonitoringChecks(plan: MonitoringPlan): number {
  const perEnv = plan.environments.reduce(
    (n, e) =>
      n +
      Object.values(COMPONENT_CHECKS).reduce((m, list) => m + list.length, 0) -
      (plan.settings.rules.selectsNothing ? 0 : 1) +
      e.scraped.length +
      e.logs.length +
      ALERT_CHECKS[plan.settings.alert.mode].length,
    0,
  );
  return perEnv + (plan.parity?.checks.length ?? 0);
}
