// The real Debian `prometheus` (2.42) and `prometheus-alertmanager` (0.25) for tests, each on a free
// loopback port in its own temporary folder with a generated config: static scrape targets and rule files
// given by the test, Alertmanager as Prometheus' Alertmanager, and Alertmanager's route to a webhook URL
// (the test's webhook receiver). Short intervals (1 s scrape and evaluation, resend delay 1 s, group_wait
// 0 s) keep a test in seconds; every wait has a deadline.
//
// No process is left behind, even when the test process dies without running its hooks: each server runs
// under a small shell that watches a pipe from the test process and sends SIGTERM when the pipe closes —
// which the kernel does when the test process ends, however it ends. stop() closes the pipe, waits, and
// kills the whole process group if the server does not stop in time.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from './project.js';

export interface ScrapeJob {
  job: string;
  /** `host:port` of each target. */
  targets: string[];
  metricsPath?: string;
}

export interface MonitoringStackOptions {
  /** Jobs scraped besides Prometheus itself (job `prometheus`). */
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
  /** Wait until Prometheus has discovered its targets and Alertmanager (up to 5 s). @default true */
  waitForDiscovery?: boolean;
}

export interface MonitoringStack {
  prometheusUrl: string;
  /** Undefined when the stack runs without Alertmanager. */
  alertmanagerUrl: string | undefined;
  dir: string;
  /** The servers' process ids (not their wrapper shells'), for tests that check nothing is left behind. */
  pids(): { prometheus?: number; alertmanager?: number };
  /** A server's log so far, for a failing test's message. */
  log(server: 'prometheus' | 'alertmanager'): string;
  stop(): Promise<void>;
}

const PROMETHEUS = process.env.CUTOVER_PROMETHEUS_BIN ?? 'prometheus';
const ALERTMANAGER = process.env.CUTOVER_ALERTMANAGER_BIN ?? 'prometheus-alertmanager';
const STOP_GRACE_MS = 5000;

// Runs "$@" and kills it with SIGTERM once fd 0 — a pipe from the test process — reaches end of file.
// Background jobs of a non-interactive shell read /dev/null, so the pipe is kept on fd 3 for the watcher.
export const WATCHDOG_SCRIPT = `
exec 3<&0
"$@" </dev/null &
pid=$!
echo "$pid" > "$PIDFILE"
( read -r _ <&3; kill -TERM "$pid" 2>/dev/null ) &
watcher=$!
exec 3<&-
wait "$pid"
status=$?
kill "$watcher" 2>/dev/null
exit "$status"
`;

interface Server {
  name: 'prometheus' | 'alertmanager';
  child: ChildProcess;
  logFile: string;
  pidFile: string;
  exited: Promise<number | null>;
}

function launch(name: Server['name'], dir: string, command: string, args: string[]): Server {
  const logFile = join(dir, `${name}.log`);
  const pidFile = join(dir, `${name}.pid`);
  writeFileSync(logFile, '');
  const child = spawn('sh', ['-c', WATCHDOG_SCRIPT, 'watchdog', command, ...args], {
    env: { ...process.env, PIDFILE: pidFile },
    stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group, so stop() can kill the shell, the server and the watcher together.
    detached: true,
  });
  const append = (chunk: Buffer) => writeFileSync(logFile, chunk, { flag: 'a' });
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { name, child, logFile, pidFile, exited };
}

const readLog = (server: Server) => {
  try {
    return readFileSync(server.logFile, 'utf8');
  } catch {
    return '';
  }
};

async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.stdin?.end();
  const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), STOP_GRACE_MS).unref());
  if ((await Promise.race([server.exited, timer])) === 'late') {
    try {
      process.kill(-server.child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
    await server.exited;
  }
}

/** Polls `url` until it answers 200, the server exits, or the deadline passes. */
async function waitReady(server: Server, url: string, deadline: number): Promise<void> {
  let exited = false;
  void server.exited.then(() => (exited = true));
  let last = 'no answer yet';
  while (performance.now() < deadline) {
    if (exited)
      throw new Error(`${server.name} exited before it was ready:\n${readLog(server).slice(-2000)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      last = `${res.status} ${(await res.text()).trim().slice(0, 100)}`;
      if (res.status === 200) return;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `${server.name} was not ready at ${url} in time (last: ${last}):\n${readLog(server).slice(-2000)}`,
  );
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
  return res.json();
}

async function waitFor(what: string, check: () => Promise<boolean>, deadline: number): Promise<void> {
  let last = '';
  while (performance.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      last = ` (last: ${(error as Error).message})`;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last}`);
}

const addressInUse = (server: Server) => /address already in use/i.test(readLog(server));

/** Starts one server on a free port; a port taken between the check and the bind is tried again. */
async function startOnFreePort(
  name: Server['name'],
  dir: string,
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

export async function startMonitoringStack(options: MonitoringStackOptions = {}): Promise<MonitoringStack> {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-monitoring-'));
  const deadline = performance.now() + (options.startTimeoutMs ?? 20_000);
  const interval = options.interval ?? '1s';
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
      const route = options.route ?? {};
      writeFileSync(
        join(amDir, 'alertmanager.yml'),
        stringify({
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
        }),
      );
      const am = await startOnFreePort(
        'alertmanager',
        dir,
        (port) => ({
          command: ALERTMANAGER,
          args: [
            `--config.file=${join(amDir, 'alertmanager.yml')}`,
            `--storage.path=${join(amDir, 'data')}`,
            `--web.listen-address=127.0.0.1:${port}`,
            // Empty: no HA gossip, so no port 9094 and no clash between parallel tests.
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
    mkdirSync(join(promDir, 'rules'), { recursive: true });
    for (const [file, text] of Object.entries(options.rules ?? {}))
      writeFileSync(join(promDir, 'rules', file), text);
    const prom = await startOnFreePort(
      'prometheus',
      dir,
      (port) => {
        writeFileSync(
          join(promDir, 'prometheus.yml'),
          stringify({
            global: { scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval },
            ...(alertmanagerUrl
              ? {
                  alerting: {
                    alertmanagers: [{ static_configs: [{ targets: [new URL(alertmanagerUrl).host] }] }],
                  },
                }
              : {}),
            rule_files: [join(promDir, 'rules', '*')],
            scrape_configs: [
              { job_name: 'prometheus', static_configs: [{ targets: [`127.0.0.1:${port}`] }] },
              ...(options.scrapeJobs ?? []).map((j) => ({
                job_name: j.job,
                ...(j.metricsPath ? { metrics_path: j.metricsPath } : {}),
                static_configs: [{ targets: j.targets }],
              })),
            ],
          }),
        );
        return {
          command: PROMETHEUS,
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
    // interval in 2.42): until then its target list is empty. Wait, so a test starts with everything known.
    const expectedTargets = 1 + (options.scrapeJobs ?? []).reduce((n, j) => n + j.targets.length, 0);
    if (options.waitForDiscovery !== false)
      await waitFor(
        'the scrape targets and the Alertmanager to be discovered',
        async () => {
          const targets = (await getJson(`${prom.url}/api/v1/targets`)) as {
            data?: { activeTargets?: unknown[] };
          };
          const ams = (await getJson(`${prom.url}/api/v1/alertmanagers`)) as {
            data?: { activeAlertmanagers?: unknown[] };
          };
          return (
            (targets.data?.activeTargets?.length ?? 0) >= expectedTargets &&
            (!alertmanagerUrl || (ams.data?.activeAlertmanagers?.length ?? 0) > 0)
          );
        },
        deadline,
      );

    const pidOf = (name: Server['name']) => {
      const server = servers.find((s) => s.name === name);
      try {
        return server ? Number(readFileSync(server.pidFile, 'utf8').trim()) : undefined;
      } catch {
        return undefined;
      }
    };
    return {
      prometheusUrl: prom.url,
      alertmanagerUrl,
      dir,
      pids: () => ({ prometheus: pidOf('prometheus'), alertmanager: pidOf('alertmanager') }),
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

/** Whether a process is alive: it exists and is not a zombie waiting to be reaped. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state is the first field after the command name, which is in parentheses.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
