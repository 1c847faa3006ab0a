// `cutover sim`: the simulated platform on its own, until Ctrl-C, for running suites by hand.
import { once } from 'node:events';
import { startDemoClusterFor } from '../../../sim/kube/platform.js';
import { loadConfig } from '../../config/load.js';
import { EXIT } from '../../core/errors.js';
import { selectedEnvironments } from '../../suites/selection.js';
import type { Io } from '../io.js';
import { startSimFor } from './demo.js';

export interface SimFlags {
  config?: string;
  fault?: string[];
  env?: string[];
}

export async function simCommand(io: Io, flags: SimFlags): Promise<number> {
  const config = await loadConfig(io.cwd, flags.config);
  const environments = selectedEnvironments(config, flags.env ? { environments: flags.env } : {});
  const { sim, faults } = await startSimFor(io, flags, environments);
  // The target's Kubernetes objects through the stand-in API server, when the kubernetes env is simulated.
  const kubeEnv = Object.entries(config.environments).find(([, e]) => e.kind === 'kubernetes')?.[0];
  const kube =
    kubeEnv && environments.includes(kubeEnv)
      ? await startDemoClusterFor(config, faults).catch(() => undefined)
      : undefined;
  try {
    if (kube)
      io.stderr(
        `Kubernetes API (stand-in) ${kube.kube.url}; for kubectl and cutover run: export KUBECONFIG=${kube.kubeconfig}\n`,
      );
    for (const e of sim.endpoints)
      io.stdout(`${e.environment.padEnd(10)} ${e.service.padEnd(20)} ${e.url}\n`);
    if (faults.length) io.stdout(`faults: ${faults.map((f) => f.source).join(', ')}\n`);
    io.stderr('Simulator running; press Ctrl-C to stop.\n');
    if (!io.signal.aborted) await once(io.signal, 'abort');
    return EXIT.GO;
  } finally {
    await kube?.stop();
    await sim.stop();
  }
}
