// `cutover demo`'s monitoring: a real Prometheus and Alertmanager per environment (Debian's `prometheus`
// and `prometheus-alertmanager`, installed by scripts/setup.sh), started in parallel with the simulator on
// loopback with 1 s intervals. Each Prometheus scrapes the environment's simulated services (their
// /metrics) as static targets, one job per service, evaluates a small Sevensa rule set, and sends to its
// Alertmanager, which routes every alert to the monitoring suite's webhook receiver. The monitoring faults
// shape them: `target-down=S` points S's target at a port nobody listens on, `rule-broken` adds a rule that
// fails to evaluate, `rule-selects-nothing` one over a misspelled metric, `receiver-down` routes to a port
// that refuses. Grafana and Loki are not packaged here: the suite reads the simulator's stand-ins.
// When the binaries are missing or a server does not start, the demo says so and the suite records
// Prometheus and Alertmanager as could-not-check (INCONCLUSIVE), never a pass of the stand-ins.
import type { ResolvedConfig } from '../config/load.js';
import type { FaultSpec } from '../core/faults.js';
import { pinnedAddress } from '../runners/http/pinning.js';
import {
  freeLoopbackPort,
  type MonitoringStack,
  missingBinaries,
  type ScrapeJob,
  startMonitoringStack,
} from '../runners/monitoring-stack/index.js';
import type { MonitoringOptions } from '../suites/monitoring/define.js';

/** The platform's rules in the demo: an availability alert, a recording rule and the Watchdog. */
const HEALTHY_RULES = `groups:
  - name: sevensa-availability
    rules:
      - alert: ServiceDown
        expr: up == 0
        for: 1m
        labels: { severity: critical }
        annotations: { summary: "{{ $labels.job }} is down" }
      - alert: HighErrorRatio
        expr: sum by (job) (rate(http_requests_total{status=~"5.."}[5m])) / sum by (job) (rate(http_requests_total[5m])) > 0.05
        for: 5m
        labels: { severity: warning }
      - record: job:http_requests:rate1m
        expr: sum by (job) (rate(http_requests_total[1m]))
      # Fires after 10 s, once Prometheus has discovered its Alertmanager (every 5 s): sooner, its first
      # sends would be dropped, as a real Prometheus drops them while it starts.
      - alert: Watchdog
        expr: vector(1)
        for: 10s
        labels: { severity: none }
`;

/** A rule Prometheus loads but cannot evaluate: many-to-many matching. */
const BROKEN_RULE = `groups:
  - name: sevensa-broken
    rules:
      - record: job:up:broken
        expr: up * on () up
`;

/** A rule over a misspelled metric: healthy forever, and blind. */
const SELECTS_NOTHING_RULE = `groups:
  - name: sevensa-misspelled
    rules:
      - alert: RequestsStopped
        expr: sum(rate(http_request_totl[5m])) == 0
        for: 5m
`;

/** A server's failure in one line: the message and the last line of its log that says something. */
function oneLine(message: string): string {
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.length > 1 ? `${lines[0]} ${lines.at(-1)}` : (lines[0] ?? message);
}

export interface DemoMonitoring {
  options: MonitoringOptions;
  /** Lines for the person running the demo: what could not start, and why. */
  notes: string[];
  stop(): Promise<void>;
}

const faultOf = (faults: readonly FaultSpec[], environment: string, defect: string) =>
  faults.filter(
    (f) => f.environment === environment && f.fault.kind === 'monitoring' && f.fault.defect === defect,
  );

function scrapeJobs(
  config: ResolvedConfig,
  environment: string,
  deadPort: number,
  down: Set<string>,
): ScrapeJob[] {
  const env = config.environments[environment]!;
  // The `prometheus` service is Prometheus itself: its own job (`prometheus`, which the stack always scrapes).
  return Object.entries(env.services)
    .filter(([service]) => service !== 'prometheus' || down.has(service))
    .map(([service, { url }]) => {
      const u = new URL(url);
      const port = u.port || (u.protocol === 'https:' ? '443' : '80');
      const host = pinnedAddress(env.resolve, u.hostname, port) ?? u.hostname;
      return { job: service, targets: [down.has(service) ? `127.0.0.1:${deadPort}` : `${host}:${port}`] };
    });
}

export async function startDemoMonitoring(
  config: ResolvedConfig,
  faults: readonly FaultSpec[],
  environments: readonly string[],
): Promise<DemoMonitoring> {
  const unavailable = (reason: string): DemoMonitoring => ({
    options: {
      environments: Object.fromEntries(
        environments.map((e) => [
          e,
          { prometheus: { unavailable: reason }, alertmanager: { unavailable: reason } },
        ]),
      ),
    },
    notes: [`Monitoring: ${reason}; the monitoring suite records Prometheus and Alertmanager as not checked`],
    stop: async () => {},
  });
  try {
    return await startStacks(config, faults, environments, unavailable);
  } catch (error) {
    return unavailable(`the demo's monitoring servers could not be prepared: ${(error as Error).message}`);
  }
}

async function startStacks(
  config: ResolvedConfig,
  faults: readonly FaultSpec[],
  environments: readonly string[],
  unavailable: (reason: string) => DemoMonitoring,
): Promise<DemoMonitoring> {
  const missing = missingBinaries();
  if (missing.length)
    return unavailable(
      `${missing.join(' and ')} not installed (Debian packages prometheus and prometheus-alertmanager: run scripts/setup.sh)`,
    );
  // Cutover's webhook receiver listens here while the suite runs; a dead port stands for a receiver that refuses.
  const receiverPort = await freeLoopbackPort();
  const deadPort = await freeLoopbackPort();
  const receiverUrl = `http://127.0.0.1:${receiverPort}/alerts`;
  const started = await Promise.allSettled(
    environments.map((environment) => {
      const down = new Set(
        faultOf(faults, environment, 'target-down').flatMap((f) =>
          f.fault.kind === 'monitoring' && f.fault.service ? [f.fault.service] : [],
        ),
      );
      return startMonitoringStack({
        scrapeJobs: scrapeJobs(config, environment, deadPort, down),
        rules: {
          'sevensa.yml': HEALTHY_RULES,
          ...(faultOf(faults, environment, 'rule-broken').length ? { 'broken.yml': BROKEN_RULE } : {}),
          ...(faultOf(faults, environment, 'rule-selects-nothing').length
            ? { 'misspelled.yml': SELECTS_NOTHING_RULE }
            : {}),
        },
        webhookUrl: faultOf(faults, environment, 'receiver-down').length
          ? `http://127.0.0.1:${deadPort}/alerts`
          : receiverUrl,
        startTimeoutMs: 20_000,
      });
    }),
  );
  const stacks = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const stop = async () => {
    await Promise.all(stacks.map((s: MonitoringStack) => s.stop()));
  };
  const notes: string[] = [];
  const perEnvironment: NonNullable<MonitoringOptions['environments']> = {};
  started.forEach((s, i) => {
    const environment = environments[i]!;
    if (s.status === 'fulfilled') {
      perEnvironment[environment] = {
        prometheus: s.value.prometheusUrl,
        alertmanager: s.value.alertmanagerUrl!,
      };
      return;
    }
    const reason = `the demo's Prometheus or Alertmanager for ${environment} did not start: ${oneLine(String((s.reason as Error).message ?? s.reason))}`;
    notes.push(`Monitoring: ${reason}`);
    perEnvironment[environment] = {
      prometheus: { unavailable: reason },
      alertmanager: { unavailable: reason },
    };
  });
  return {
    options: {
      environments: perEnvironment,
      // Alertmanager sends within a second here (group_wait 0s, group_interval 1s).
      alert: { port: receiverPort, deliveryTimeoutMs: 10_000, resolveTimeoutMs: 10_000 },
    },
    notes,
    stop,
  };
}
