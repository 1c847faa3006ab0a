// `cutover demo`: start the simulated platform (baseline and target), run the suites, evaluate the
// gates, print the verdict with its reasons, stop the simulator.
import { relative } from 'node:path';
import type { SimDatabases } from '../../../sim/db.js';
import { DEMO_ENV } from '../../../sim/identity.js';
import { SIM_WEB_SERVICE_IDS, startSimulator, startUserTraffic } from '../../../sim/index.js';
import { startDemoClusterFor } from '../../../sim/kube/platform.js';
import { loadConfig, loadDemoConfig, type ResolvedConfig } from '../../config/load.js';
import { UserError } from '../../core/errors.js';
import type { FaultSpec } from '../../core/faults.js';
import { simListeners } from '../../engine/sim-listeners.js';
import { SUITES } from '../../engine/suites.js';
import type { BackupOptions } from '../../suites/backup/define.js';
import { DEMO_LOAD } from '../../suites/performance/run.js';
import { type DemoData, startDemoData } from '../demo-data.js';
import { startDemoMonitoring } from '../demo-monitoring.js';
import { demoRestoreHook, demoRestoreVerify } from '../demo-restore.js';
import { demoWatchOptions } from '../demo-watch.js';
import { parseFaults } from '../faults.js';
import type { Io } from '../io.js';
import { checkPushUrl } from '../push.js';
import { type RunFlags, runAndReport } from './run.js';

export interface DemoFlags extends RunFlags {
  fault?: string[];
}

export const DEMO_ENVIRONMENTS = ['baseline', 'target'] as const;
const DEFAULT_SUITE_IDS = SUITES.filter((s) => s.byDefault).map((s) => s.id);
/** The demo's suites: the default ones, a short load comparison, data parity and a short post-cutover watch. */
const DEMO_SUITE_IDS = [...DEFAULT_SUITE_IDS, 'performance', 'data-parity', 'post-cutover'];

export async function startSimFor(
  io: Io,
  flags: { config?: string; fault?: string[] },
  environments: readonly string[],
  options: {
    /** The config, when the caller has loaded it (the demo's shipped config in an empty folder). */
    loaded?: ResolvedConfig;
    /** Starts the environments' databases once the faults are known good; the simulated APIs use them. */
    databases?: (faults: FaultSpec[]) => SimDatabases;
  } = {},
) {
  const config = options.loaded ?? (await loadConfig(io.cwd, flags.config));
  const faults = parseFaults(flags.fault ?? [], config, environments);
  // Page faults need a simulated service with pages; anywhere else they would do nothing.
  const pageless = faults.filter((f) => f.fault.kind === 'page' && !SIM_WEB_SERVICE_IDS.includes(f.service));
  if (pageless.length > 0) {
    throw new UserError(
      `--fault "${pageless[0]!.source}": ${pageless[0]!.service} serves no pages in the simulator`,
      { hint: `page faults apply to ${SIM_WEB_SERVICE_IDS.join(', ')}` },
    );
  }
  const listeners = simListeners(config, environments);
  try {
    const sim = await startSimulator({
      listeners,
      faults,
      seed: 42,
      ...(options.databases ? { databases: options.databases(faults) } : {}),
    });
    return { config, faults, sim };
  } catch (error) {
    throw new UserError(`could not start the simulator: ${(error as Error).message}`, {
      hint: 'is another `cutover demo` or `cutover sim` running? Stop it, or change the ports in the config',
    });
  }
}

/** The simulated Velero's schedules (`nightly-NAMESPACE`, sim/kube/platform.ts) and what each backs up. */
function backedUp(config: ResolvedConfig, environment: string): Record<string, string[]> {
  const env = config.environments[environment];
  const namespaces = env?.kind === 'kubernetes' ? env.namespaces : [];
  return Object.fromEntries(namespaces.map((ns) => [`nightly-${ns}`, [ns]]));
}

export async function demoCommand(io: Io, flags: DemoFlags): Promise<number> {
  checkPushUrl(flags.push); // before any server starts
  const demo = await loadDemoConfig(io.cwd, flags.config);
  if (demo.source === 'shipped') {
    io.stderr(
      `No cutover config in this folder: the demo simulates the Sevensa platform with the config Cutover ships with; reports go to ${relative(io.cwd, demo.config.reportsPath) || '.'}/\n`,
    );
  }
  // The databases (one real PostgreSQL per environment, seeded alike, data faults on the target's): the
  // simulator's RentGuy, PSRA and WPCS APIs keep their rows there, the data suite compares them, and the
  // restore drill restores the target's. They start once the simulator holds its ports (a server's free
  // port must not be one the config gives a simulated service); a request waits for them.
  let started!: (data: Promise<DemoData>) => void;
  const dataStarting = new Promise<DemoData>((resolve) => (started = resolve));
  const { config, faults, sim } = await startSimFor(io, flags, DEMO_ENVIRONMENTS, {
    loaded: demo.config,
    databases: () =>
      Object.fromEntries(DEMO_ENVIRONMENTS.map((env) => [env, dataStarting.then((d) => d.apps[env])])),
  });
  started(startDemoData(faults, DEMO_ENVIRONMENTS));
  // The real Prometheus and Alertmanager start while the stand-in cluster does (they need the config and
  // faults startSimFor validated: a bad --fault stops the demo before any server starts). They never
  // throw: a server that cannot start is a note and a could-not-check, not a failed demo.
  // The post-cutover watch reads its traffic from the same real Prometheus servers.
  const wantsMonitoring = (flags.suite ?? DEMO_SUITE_IDS).some(
    (s) => s === 'monitoring' || s === 'post-cutover',
  );
  const monitoringStarting = wantsMonitoring
    ? startDemoMonitoring(config, faults, DEMO_ENVIRONMENTS)
    : Promise.resolve(undefined);
  // The target's Kubernetes objects, served by the stand-in API server (posture faults applied); its
  // Velero restores the target's databases into scratch ones (./demo-restore.ts).
  const targetEnv = DEMO_ENVIRONMENTS[1];
  const kube = await startDemoClusterFor(config, faults, {
    onRestore: demoRestoreHook(dataStarting, targetEnv),
  }).catch(async (error: Error) => {
    await (await dataStarting)?.stop();
    await (await monitoringStarting)?.stop();
    await sim.stop();
    throw new UserError(`could not start the simulated cluster: ${error.message}`);
  });
  const monitoring = await monitoringStarting;
  const data = await dataStarting;
  try {
    if (!flags.json) {
      const injected = faults.length ? ` with ${faults.map((f) => f.source).join(', ')}` : '';
      io.stderr(
        `Simulating ${config.project}: ${sim.endpoints.length} services on baseline and target${injected}\n`,
      );
    }
    for (const note of [...(monitoring?.notes ?? []), ...(data?.notes ?? [])]) io.stderr(`${note}\n`);
    const { exitCode } = await runAndReport(
      io,
      config,
      // The demo always includes a short performance comparison (opt-in elsewhere: it sends load).
      {
        ...flags,
        env: [...DEMO_ENVIRONMENTS],
        suite: flags.suite ?? DEMO_SUITE_IDS,
      },
      'demo',
      faults,
      // The simulated Keycloak's demo client, for the token-issuance scenario.
      // The integration suite signs in to the simulated Keycloak with the same demo credentials.
      {
        performance: { ...DEMO_LOAD, env: { ...DEMO_ENV } },
        integration: { env: { ...DEMO_ENV } },
        // The browser suite (opt-in) signs in to RentGuy's frontend as the same demo user.
        browser: { env: { ...DEMO_ENV } },
        ...kube?.suiteOptions,
        ...(kube && data
          ? {
              backup: {
                ...(kube.suiteOptions.backup as BackupOptions),
                ...demoRestoreVerify(data, targetEnv, backedUp(config, targetEnv)),
              },
            }
          : {}),
        ...(monitoring ? { monitoring: monitoring.options } : {}),
        ...(data ? { data: data.options } : {}),
        // A short post-cutover watch: simulated users move from Compose to Kubernetes (./demo-watch.ts).
        watch: demoWatchOptions({
          config,
          endpoints: sim.endpoints,
          monitoring: monitoring?.options,
          startUsers: startUserTraffic,
        }),
      },
    );
    return exitCode;
  } finally {
    await kube?.stop();
    await data?.stop();
    await monitoring?.stop();
    await sim.stop();
  }
}
