// `cutover demo`: start the simulated platform (baseline and target), run the suites, evaluate the
// gates, print the verdict with its reasons, stop the simulator.
import { relative } from 'node:path';
import { DEMO_ENV } from '../../../sim/identity.js';
import { SIM_WEB_SERVICE_IDS, startSimulator, startUserTraffic } from '../../../sim/index.js';
import { startDemoClusterFor } from '../../../sim/kube/platform.js';
import { loadConfig, loadDemoConfig, type ResolvedConfig } from '../../config/load.js';
import { UserError } from '../../core/errors.js';
import { simListeners } from '../../engine/sim-listeners.js';
import { SUITES } from '../../engine/suites.js';
import { DEMO_LOAD } from '../../suites/performance/run.js';
import { startDemoData } from '../demo-data.js';
import { startDemoMonitoring } from '../demo-monitoring.js';
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
  loaded?: ResolvedConfig,
) {
  const config = loaded ?? (await loadConfig(io.cwd, flags.config));
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
    const sim = await startSimulator({ listeners, faults, seed: 42 });
    return { config, faults, sim };
  } catch (error) {
    throw new UserError(`could not start the simulator: ${(error as Error).message}`, {
      hint: 'is another `cutover demo` or `cutover sim` running? Stop it, or change the ports in the config',
    });
  }
}

export async function demoCommand(io: Io, flags: DemoFlags): Promise<number> {
  checkPushUrl(flags.push); // before any server starts
  const demo = await loadDemoConfig(io.cwd, flags.config);
  if (demo.source === 'shipped') {
    io.stderr(
      `No cutover config in this folder: the demo simulates the Sevensa platform with the config Cutover ships with; reports go to ${relative(io.cwd, demo.config.reportsPath) || '.'}/\n`,
    );
  }
  const { config, faults, sim } = await startSimFor(io, flags, DEMO_ENVIRONMENTS, demo.config);
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
  // The databases (one real PostgreSQL per environment, seeded alike, data faults on the target's) start
  // alongside, only when the data suite runs.
  const dataStarting = (flags.suite ?? DEMO_SUITE_IDS).includes('data-parity')
    ? startDemoData(faults, DEMO_ENVIRONMENTS)
    : Promise.resolve(undefined);
  // The target's Kubernetes objects, served by the stand-in API server (posture faults applied).
  const kube = await startDemoClusterFor(config, faults).catch(async (error: Error) => {
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
