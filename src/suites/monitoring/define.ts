// The monitoring suite's user-facing side: the config's `monitoring` section — which scrape targets stand
// for which service, how the alert path is proven (a synthetic alert through Cutover's webhook receiver,
// or the platform's always-firing Watchdog), the LogQL query that finds a service's recent logs, and which
// baseline → target parity checks run. Where each environment's Prometheus, Alertmanager, Grafana and Loki
// answer is `environments.<env>.monitoring` (endpoints.ts).
import { z } from 'zod';

const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'expected a Prometheus label name');
const labelSet = z.record(labelName, z.string().min(1));

/**
 * How one service's scrape targets are found: a job name, labels every target of it carries, or `false`
 * when the service is not scraped (a static frontend) and no target is expected.
 */
const scrapeMappingSchema = z.union(
  [
    z.string().min(1),
    z.strictObject({ labels: labelSet.refine((l) => Object.keys(l).length > 0) }),
    z.literal(false),
  ],
  { error: 'expected a job name, { labels: { name: value } } or false (not scraped)' },
);

export const monitoringSchema = z
  .strictObject({
    scrape: z
      .strictObject({
        /**
         * The label a service's targets carry its name in, when `services` does not map it. @default "job"
         * (a target of job `rentguy-api` is the service `rentguy-api`).
         */
        label: labelName.default('job'),
        /** Per service: its job name, `{ labels }` its targets carry, or `false` when it is not scraped. */
        services: z.record(z.string().min(1), scrapeMappingSchema).default({}),
      })
      .prefault({}),
    rules: z
      .strictObject({
        /**
         * Flag a rule whose expression selects no series (it stays `ok` forever over a misspelled metric):
         * each vector selector of its expression is looked up over the recent window. @default true
         */
        selectsNothing: z.boolean().default(true),
        /** How far back a selector must have matched a series, in minutes. @default 10 */
        windowMinutes: z.number().int().min(1).max(10_080).default(10),
        /** Rules (by name) allowed to select nothing, such as an `absent()` guard written without `absent`. */
        allowEmpty: z.array(z.string().min(1)).default([]),
        /** Selectors looked up at most per environment, to bound the load on Prometheus. @default 500 */
        maxSelectors: z.number().int().min(1).max(10_000).default(500),
      })
      .prefault({}),
    alert: z
      .strictObject({
        /**
         * `synthetic`: post an alert through Alertmanager's v2 API and see it arrive at Cutover's webhook
         * receiver, then resolved; `watchdog`: see the platform's always-firing alert arrive there;
         * `off`: no alerting check (recorded as not checked: the gate stays INCONCLUSIVE). @default "synthetic"
         */
        mode: z.enum(['synthetic', 'watchdog', 'off']).default('synthetic'),
        /** Labels of the synthetic alert; Cutover adds `cutover_run` and `cutover_environment`. */
        labels: labelSet.default({ alertname: 'CutoverSyntheticAlert', severity: 'none' }),
        /** Labels of the Watchdog alert (mode `watchdog`). */
        watchdogLabels: labelSet.default({ alertname: 'Watchdog' }),
        /**
         * Per environment, labels that tell its Watchdog from the others' (its Prometheus' external labels,
         * such as `{ cluster: 'k8s-prod' }`): with one receiver for all, one environment's Watchdog would
         * otherwise pass another's check.
         */
        watchdogEnvironmentLabels: z.record(z.string(), labelSet).default({}),
        /** Where Cutover's webhook receiver listens while the suite runs. */
        receiver: z
          .strictObject({
            /** @default "127.0.0.1" */
            host: z.string().min(1).default('127.0.0.1'),
            /**
             * @default 9799. 0 picks a free port, which only an Alertmanager told per alert can reach (the
             * simulator's stand-in delivers to the URL in the alert's `cutover_receiver` annotation).
             */
            port: z.number().int().min(0).max(65_535).default(9799),
            /** @default "/alerts" */
            path: z.string().startsWith('/', 'expected a path starting with "/"').default('/alerts'),
            /**
             * The URL Alertmanager reaches the receiver at (through a tunnel or a Service), for the
             * message that says what Alertmanager's webhook_configs must name. Default: host, port, path.
             */
            url: z.url().optional(),
          })
          .prefault({}),
        /** How long the firing notification may take (group_wait plus delivery), in ms. @default 60000 */
        deliveryTimeoutMs: z.number().int().min(100).max(3_600_000).default(60_000),
        /** How long the resolved notification may take (group_interval plus delivery), in ms. @default 360000 */
        resolveTimeoutMs: z.number().int().min(100).max(3_600_000).default(360_000),
      })
      .prefault({}),
    loki: z
      .strictObject({
        /** LogQL selecting one service's logs; `{{service}}` is replaced by the service id. */
        query: z
          .string()
          .includes('{{service}}', { error: 'expected a LogQL query containing {{service}}' })
          .default('{service="{{service}}"}'),
        /** A log line must be this recent, in minutes. @default 15 */
        recentMinutes: z.number().int().min(1).max(10_080).default(15),
        /** Services whose logs are not shipped to Loki (no line expected). @default [] */
        exclude: z.array(z.string().min(1)).default([]),
      })
      .prefault({}),
    parity: z
      .strictObject({
        /** Every alerting and recording rule of the baseline's Prometheus exists on the target's. @default true */
        rules: z.boolean().default(true),
        /** Every scrape job of the baseline exists on the target. @default true */
        jobs: z.boolean().default(true),
        /** Every Grafana dashboard (by title) of the baseline exists on the target. @default true */
        dashboards: z.boolean().default(true),
      })
      .prefault({}),
  })
  .prefault({});

export type MonitoringSettings = z.output<typeof monitoringSchema>;
export type ScrapeMapping = z.output<typeof scrapeMappingSchema>;

/** What a command hands the monitoring suite beyond the config (`cutover demo`'s own servers). */
export interface MonitoringOptions {
  /**
   * Per environment, endpoints that replace the config's (the demo's real Prometheus and Alertmanager),
   * or a reason a component cannot be checked at all (its server could not be started).
   */
  environments?: Record<
    string,
    Partial<Record<'prometheus' | 'alertmanager', string | { unavailable: string }>>
  >;
  /** Overrides of the alert settings (the demo's receiver port and short deadlines). */
  alert?: { port?: number; deliveryTimeoutMs?: number; resolveTimeoutMs?: number };
}
