// `cutover demo`'s short post-cutover watch: the cutover in miniature. Simulated users call Compose for a
// few seconds (the reference the watch compares with), then move to Kubernetes as the watch begins; the
// watch reads both sides from the demo's real Prometheus servers (the config names the simulator's
// stand-ins, which serve no real traffic figures), two windows of four seconds (four scrapes each, the
// least `increase()` reads well), and recommends rollback after two breaches in a row. A step fault
// (`--fault target:rentguy-api:latency=+200ms@20s`) shows a breach; the demo's own verdict stays the
// suites' and gates', as the watch's evidence feeds phase 5's gate.
import type { ResolvedConfig } from '../config/load.js';
import type { MonitoringOptions } from '../suites/monitoring/define.js';
import { MONITORING_COMPONENTS } from '../suites/monitoring/endpoints.js';
import type { WatchOptions } from '../suites/post-cutover/define.js';
import { healthUrl } from '../suites/smoke/define.js';

/** What the demo hands the watch: the simulator's endpoints and its users. */
export interface DemoWatchInput {
  config: ResolvedConfig;
  endpoints: ReadonlyArray<{ environment: string; service: string; url: string }>;
  monitoring: MonitoringOptions | undefined;
  startUsers(options: { urls: readonly string[]; ratePerSecond: number }): { stop(): Promise<void> };
}

/** Four scrapes of the demo's 1 s scrape interval per window. */
const WINDOW_MS = 4000;
const EVALUATIONS = 2;
/** Compose's traffic before the cutover: one window, so the reference has requests of every service. */
const BEFORE_MS = WINDOW_MS;
/**
 * Then Compose is left idle for two scrapes before the first window opens, so its last requests are
 * scraped before that window and `traffic.compose-idle` reads an idle Compose, as after a real cutover.
 */
const DRAIN_MS = 2000;
/** Enough requests per service and window for the error-rate criterion to be decided on a healthy side. */
const RATE_PER_SERVICE = 80;

export function demoWatchOptions(input: DemoWatchInput): WatchOptions {
  const monitoringIds = new Set<string>(MONITORING_COMPONENTS);
  const urlsOf = (environment: string) =>
    input.endpoints
      .filter((e) => e.environment === environment && !monitoringIds.has(e.service))
      .map((e) => healthUrl(e.url, input.config.services[e.service]?.health.path ?? '/'));
  const endpoints: NonNullable<WatchOptions['endpoints']> = {};
  for (const [env, replaced] of Object.entries(input.monitoring?.environments ?? {})) {
    const prometheus = typeof replaced.prometheus === 'string' ? replaced.prometheus : undefined;
    const alertmanager = typeof replaced.alertmanager === 'string' ? replaced.alertmanager : undefined;
    endpoints[env] = { ...(prometheus ? { prometheus } : {}), ...(alertmanager ? { alertmanager } : {}) };
  }
  let users: { stop(): Promise<void> } | undefined;
  const move = async (environment: string) => {
    await users?.stop();
    const urls = urlsOf(environment);
    users = input.startUsers({ urls, ratePerSecond: RATE_PER_SERVICE * urls.length });
  };
  return {
    intervalMs: WINDOW_MS,
    forMs: WINDOW_MS * EVALUATIONS,
    failureLimit: EVALUATIONS,
    // The demo serves no metrics of its own: a fixed port could be taken by a watch running beside it.
    metricsListen: false,
    endpoints,
    traffic: {
      async before() {
        await move('baseline');
        await new Promise((resolve) => setTimeout(resolve, BEFORE_MS));
        await users?.stop();
        users = undefined;
        await new Promise((resolve) => setTimeout(resolve, DRAIN_MS));
      },
      start() {
        void move('target');
      },
      async stop() {
        await users?.stop();
        users = undefined;
      },
    },
  };
}
