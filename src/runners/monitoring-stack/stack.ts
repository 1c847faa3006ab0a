// The real Prometheus and Alertmanager (Debian's `prometheus` 2.42 and `prometheus-alertmanager` 0.25, or
// any build of them), each on a free loopback port in its own temporary folder with a generated config:
// static scrape targets and rule files given by the caller, Alertmanager as Prometheus' Alertmanager, and
// Alertmanager's route to a webhook URL (Cutover's webhook receiver, or a port that refuses). `cutover demo`
// starts one per environment; the integration tests start their own. Short intervals (1 s scrape and
// evaluation, resend delay 1 s, group_wait 0 s) keep both in seconds; every wait has a deadline, and
// nothing is left behind (process.ts).
//
//   const stack = await startMonitoringStack({ scrapeJobs: [{ job: 'api', targets: ['127.0.0.1:8080'] }],
//                                              rules: { 'api.yml': 'groups: …' }, webhookUrl });
//   stack.prometheusUrl; stack.alertmanagerUrl; await stack.stop();
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { stringify } from 'yaml';
import {
  addressInUse,
  launch,
  readLog,
  type Server,
  type ServerName,
  serverPid,
  stopServer,
  waitFor,
  waitReady,
} from './process.js';

export interface ScrapeJob {
  job: string;
  /** `host:port` of each target. */
  targets: string[];
  metricsPath?: string;
  /** Keep the scraped series' own job and instance labels (a Pushgateway's pushed groups). */
  honorLabels?: boolean;
}

export interface MonitoringStackOptions {
  /** Jobs scraped besides Prometheus itself (job `prometheus`, unless one of these is named so). */
  scrapeJobs?: ScrapeJob[];
  /** Rule files: a file name → its YAML (`groups: …`). */
  rules?: Record<string, string>;
  /** Start Alertmanager and make it Prometheus' Alertmanager. @default true */
  alertmanager?: boolean;
  /** Where Alertmanager sends every notification (send_resolved on); without it, to a receiver that drops them. */
  webhookUrl?: string;
  /** Alertmanager's route timings (Go durations). Defaults: group_wait 0s, group_interval 1s, repeat_interval 1h. */
  route?: { groupWait?: string; groupInterval?: string; repeatInterval?: string };
  /** Scrape and rule evaluation interval. @default "1s" */
  interval?: string;
  /** Deadline for both servers to be ready and their targets discovered. @default 20000 */
  startTimeoutMs?: number;
  /**
   * Wait until Prometheus has discovered its targets and Alertmanager (it hands them on every 5 s) and
   * scraped every target once, so a caller starts with everything known. @default true
   */
  waitForDiscovery?: boolean;
  /** The commands to run. @default { prometheus: 'prometheus', alertmanager: 'prometheus-alertmanager' } */
  binaries?: Partial<Record<ServerName, string>>;
  /** A free loopback port; a port taken between the check and the bind is tried again. */
  freePort?: () => Promise<number>;
}

export interface MonitoringStack {
  prometheusUrl: string;
  /** Undefined when the stack runs without Alertmanager. */
  alertmanagerUrl: string | undefined;
  dir: string;
  /** The servers' process ids (not their wrapper shells'), for tests that check nothing is left behind. */
  pids(): { prometheus?: number; alertmanager?: number };
  /** A server's log so far, for a failing test's or a demo's message. */
  log(server: ServerName): string;
  stop(): Promise<void>;
}

export const DEFAULT_BINARIES: Record<ServerName, string> = {
  prometheus: 'prometheus',
  alertmanager: 'prometheus-alertmanager',
};

/** The command found on PATH (or the path given), or undefined: checked before anything is started. */
export function findBinary(command: string, path: string | undefined): string | undefined {
  const isFile = (p: string) => existsSync(p) && statSync(p).isFile();
  if (command.includes('/')) return isFile(command) ? command : undefined;
  for (const dir of (path ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, command);
    if (isFile(candidate)) return candidate;
  }
  return undefined;
}

/** Which of the two servers' commands are missing on PATH, in words for a message; empty when both are there. */
export function missingBinaries(
  binaries: Partial<Record<ServerName, string>> = {},
  path: string | undefined = process.env.PATH,
  alertmanager = true,
): string[] {
  const wanted: ServerName[] = alertmanager ? ['prometheus', 'alertmanager'] : ['prometheus'];
  return wanted
    .map((name) => binaries[name] ?? DEFAULT_BINARIES[name])
    .filter((command) => findBinary(command, path) === undefined);
}

/** A port the kernel says is free now (the OS picks it). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
  return res.json();
}

/** Starts one server on a free port; a port taken between the check and the bind is tried again. */
async function startOnFreePort(
  name: ServerName,
  dir: string,
  freePort: () => Promise<number>,
  build: (port: number) => { command: string; args: string[]; readyPath: string },
  deadline: number,
): Promise<{ server: Server; url: string }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const { command, args, readyPath } = build(port);
    const server = launch(name, dir, command, args);
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitReady(server, url + readyPath, deadline);
      return { server, url };
    } catch (error) {
      await stopServer(server);
      if (attempt < 3 && addressInUse(server)) continue;
      throw error;
    }
  }
}

function alertmanagerConfig(options: MonitoringStackOptions): string {
  const route = options.route ?? {};
  return stringify({
    route: {
      receiver: options.webhookUrl ? 'webhook' : 'drop',
      group_by: ['alertname'],
      group_wait: route.groupWait ?? '0s',
      group_interval: route.groupInterval ?? '1s',
      repeat_interval: route.repeatInterval ?? '1h',
    },
    receivers: [
      { name: 'drop' },
      ...(options.webhookUrl
        ? [{ name: 'webhook', webhook_configs: [{ url: options.webhookUrl, send_resolved: true }] }]
        : []),
    ],
  });
}

function prometheusConfig(
  options: MonitoringStackOptions,
  port: number,
  rulesDir: string,
  alertmanagerUrl: string | undefined,
): string {
  const interval = options.interval ?? '1s';
  return stringify({
    global: { scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval },
    ...(alertmanagerUrl
      ? { alerting: { alertmanagers: [{ static_configs: [{ targets: [new URL(alertmanagerUrl).host] }] }] } }
      : {}),
    rule_files: [join(rulesDir, '*')],
    scrape_configs: [
      // A job of the caller's named `prometheus` replaces Prometheus' own.
      ...((options.scrapeJobs ?? []).some((j) => j.job === 'prometheus')
        ? []
        : [{ job_name: 'prometheus', static_configs: [{ targets: [`127.0.0.1:${port}`] }] }]),
      ...(options.scrapeJobs ?? []).map((j) => ({
        job_name: j.job,
        ...(j.metricsPath ? { metrics_path: j.metricsPath } : {}),
        ...(j.honorLabels ? { honor_labels: true } : {}),
        static_configs: [{ targets: j.targets }],
      })),
    ],
  });
}

export async function startMonitoringStack(options: MonitoringStackOptions = {}): Promise<MonitoringStack> {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-monitoring-'));
  const deadline = performance.now() + (options.startTimeoutMs ?? 20_000);
  const binaries = { ...DEFAULT_BINARIES, ...options.binaries };
  const freePort = options.freePort ?? freeLoopbackPort;
  const servers: Server[] = [];
  const stop = async () => {
    await Promise.all(servers.map(stopServer));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // Alertmanager first: Prometheus' first rule evaluation must find it, or that first send is dropped.
    let alertmanagerUrl: string | undefined;
    if (options.alertmanager !== false) {
      const amDir = join(dir, 'alertmanager');
      mkdirSync(amDir);
      writeFileSync(join(amDir, 'alertmanager.yml'), alertmanagerConfig(options));
      const am = await startOnFreePort(
        'alertmanager',
        dir,
        freePort,
        (port) => ({
          command: binaries.alertmanager,
          args: [
            `--config.file=${join(amDir, 'alertmanager.yml')}`,
            `--storage.path=${join(amDir, 'data')}`,
            `--web.listen-address=127.0.0.1:${port}`,
            // Empty: no HA gossip, so no port 9094 and no clash between parallel stacks.
            '--cluster.listen-address=',
          ],
          readyPath: '/-/ready',
        }),
        deadline,
      );
      servers.push(am.server);
      alertmanagerUrl = am.url;
    }

    const promDir = join(dir, 'prometheus');
    const rulesDir = join(promDir, 'rules');
    mkdirSync(rulesDir, { recursive: true });
    for (const [file, text] of Object.entries(options.rules ?? {})) writeFileSync(join(rulesDir, file), text);
    const prom = await startOnFreePort(
      'prometheus',
      dir,
      freePort,
      (port) => {
        writeFileSync(
          join(promDir, 'prometheus.yml'),
          prometheusConfig(options, port, rulesDir, alertmanagerUrl),
        );
        return {
          command: binaries.prometheus,
          args: [
            `--config.file=${join(promDir, 'prometheus.yml')}`,
            `--storage.tsdb.path=${join(promDir, 'data')}`,
            `--web.listen-address=127.0.0.1:${port}`,
            '--web.enable-lifecycle',
            // Alerts are re-sent to Alertmanager every second instead of every minute.
            '--rules.alert.resend-delay=1s',
          ],
          readyPath: '/-/ready',
        };
      },
      deadline,
    );
    servers.push(prom.server);
    // Prometheus hands discovered targets and Alertmanagers on every 5 s (discovery's fixed update
    // interval in 2.42): until then its target list is empty. Wait, so a caller starts with everything
    // known and every target scraped once (a target is `unknown` until its first scrape).
    const jobs = options.scrapeJobs ?? [];
    const expectedTargets =
      (jobs.some((j) => j.job === 'prometheus') ? 0 : 1) + jobs.reduce((n, j) => n + j.targets.length, 0);
    if (options.waitForDiscovery !== false)
      await waitFor(
        'the scrape targets and the Alertmanager to be discovered',
        async () => {
          const targets = (await getJson(`${prom.url}/api/v1/targets`)) as {
            data?: { activeTargets?: Array<{ health?: string }> };
          };
          const ams = (await getJson(`${prom.url}/api/v1/alertmanagers`)) as {
            data?: { activeAlertmanagers?: unknown[] };
          };
          const active = targets.data?.activeTargets ?? [];
          return (
            active.length >= expectedTargets &&
            active.every((t) => t.health !== 'unknown') &&
            (!alertmanagerUrl || (ams.data?.activeAlertmanagers?.length ?? 0) > 0)
          );
        },
        deadline,
      );

    return {
      prometheusUrl: prom.url,
      alertmanagerUrl,
      dir,
      pids: () => {
        const of = (name: ServerName) => {
          const server = servers.find((s) => s.name === name);
          return server ? serverPid(server) : undefined;
        };
        return { prometheus: of('prometheus'), alertmanager: of('alertmanager') };
      },
      log: (name) => {
        const server = servers.find((s) => s.name === name);
        return server ? readLog(server) : '';
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
