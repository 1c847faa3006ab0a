// The built-in query templates of `cutover watch` and how a service's queries are made from one. Each
// template gives three numbers per service and window: requests, failed requests and the latency
// histogram's buckets (one series per `le`). The request rate, error ratio, p95 and the fraction of
// requests under a bound all come from these three, so one evaluation of a service costs three queries,
// and the latency criteria are judged on the histogram's counts with intervals (as the gates judge the
// load engine's histograms), not on a single histogram_quantile figure that hides how many requests
// stand behind it.
//
// `errors` ends in `or (0 * requests)`: prom-client and Traefik create a 5xx series only once a 5xx
// happened, and an empty answer must keep meaning "no series" (no data), never "no failures". Pure.
import { UserError } from '../../core/errors.js';
import type { QueryTemplate, WatchSettings } from './define.js';

const promClientRequests = 'http_requests_total{$selector}';
const traefikRequests = 'traefik_service_requests_total{$selector}';

export const BUILTIN_TEMPLATES: Readonly<Record<string, QueryTemplate & { defaultLabels: string }>> = {
  // prom-client's conventional RED metrics (the simulator's and many Node services'):
  // http_requests_total{method,route,status} and http_request_duration_seconds{…} in seconds.
  'prom-client': {
    requests: `sum(increase(${promClientRequests}[$window]))`,
    errors: `sum(increase(http_requests_total{$selector,status=~"5.."}[$window])) or (0 * sum(increase(${promClientRequests}[$window])))`,
    buckets: 'sum by (le) (increase(http_request_duration_seconds_bucket{$selector}[$window]))',
    leUnit: 's',
    defaultLabels: 'job',
  },
  // Traefik v2 and v3 (metrics.prometheus with addServicesLabels): per router service, label `service`
  // such as `rentguy-api@docker` or `sevensa-apps-rentguy-api-80@kubernetes`; status label `code`.
  traefik: {
    requests: `sum(increase(${traefikRequests}[$window]))`,
    errors: `sum(increase(traefik_service_requests_total{$selector,code=~"5.."}[$window])) or (0 * sum(increase(${traefikRequests}[$window])))`,
    buckets: 'sum by (le) (increase(traefik_service_request_duration_seconds_bucket{$selector}[$window]))',
    leUnit: 's',
    defaultLabels: 'service',
  },
};

export interface ServiceQueries {
  service: string;
  template: string;
  selector: string;
  requests: string;
  errors: string;
  buckets: string;
  /** Multiply an `le` by this to get ms. */
  leToMs: number;
}

/** `window` in Prometheus' duration form: whole seconds, at least 1s. */
export function promWindow(ms: number): string {
  return `${Math.max(1, Math.round(ms / 1000))}s`;
}

const quoteLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

/** `{job: "a", service: "=~a(@.*)?"}` → `job="a", service=~"a(@.*)?"`. */
export function selectorOf(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([name, value]) => {
      const m = /^(=~|!~|!=)(.*)$/s.exec(value);
      return m ? `${name}${m[1]}"${quoteLabel(m[2]!)}"` : `${name}="${quoteLabel(value)}"`;
    })
    .join(', ');
}

function defaultLabels(template: string, service: string): Record<string, string> {
  const builtin = BUILTIN_TEMPLATES[template];
  if (builtin?.defaultLabels === 'service')
    return { service: `=~${service.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(@.*)?` };
  return { job: service };
}

const fill = (text: string, values: Record<string, string>) =>
  text.replace(/\$(selector|window|service)\b/g, (_, name: string) => values[name]!);

/** The queries of one service for one window length; a UserError names an unknown template. */
export function serviceQueries(settings: WatchSettings, service: string, windowMs: number): ServiceQueries {
  const own = settings.services[service];
  const name = own?.template ?? settings.template;
  const template = settings.templates[name] ?? BUILTIN_TEMPLATES[name];
  if (!template) {
    const known = [...Object.keys(BUILTIN_TEMPLATES), ...Object.keys(settings.templates)];
    throw new UserError(
      `watch${own?.template ? `.services.${service}.template` : '.template'}: unknown query template "${name}"; known: ${known.join(', ')}`,
    );
  }
  const selector = selectorOf(own?.labels ?? defaultLabels(name, service));
  const values = { selector, window: promWindow(windowMs), service };
  return {
    service,
    template: name,
    selector,
    requests: fill(template.requests, values),
    errors: fill(template.errors, values),
    buckets: fill(template.buckets, values),
    leToMs: template.leUnit === 'ms' ? 1 : 1000,
  };
}
