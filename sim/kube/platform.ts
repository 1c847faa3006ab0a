// The demo's target cluster: the stand-in API server loaded with the target's manifests
// (deploy/k8s/*.yaml), the simulator extensions (kube-bench, …) installed, posture defects from
// --fault applied to the named workload, and a kubeconfig whose context is the one the config's
// kubernetes environment names, so the suites open it exactly as they would open the real cluster.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { FaultSpec, PostureDefect, ResolvedConfig } from 'cutover';
import { parseManifestObjects } from './cluster.js';
import { KUBE_SIM_EXTENSIONS } from './extensions.js';
import { type RunningKubeSim, startKubeSim } from './index.js';
import { writeKubeconfig } from './kubeconfig.js';
import type { KubeObject } from './store.js';
import { installVeleroSim, type VeleroSimOptions, veleroFixtures } from './velero.js';

export interface DemoClusterOptions {
  /** Folder of manifest YAML files, applied in file-name order. */
  manifestsDir: string;
  /** Context name to write into the kubeconfig (the config's `context`). */
  context: string;
  /** The kubernetes environment's name, to pick its faults. */
  environment: string;
  faults: readonly FaultSpec[];
  /**
   * Namespaces the simulated Velero backs up nightly, one Schedule `nightly-NAMESPACE` each (Velero's
   * objects live in `velero`); none: no Velero installed.
   */
  backedUpNamespaces?: readonly string[];
  /** How the simulated Velero restores a namespace's data (the demo's database dump). */
  onRestore?: VeleroSimOptions['onRestore'];
}

export interface DemoCluster {
  kube: RunningKubeSim;
  kubeconfig: string;
  stop(): Promise<void>;
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

type PodSpec = { containers?: Record<string, unknown>[] };

function podSpecOf(o: KubeObject): PodSpec | undefined {
  return (o.spec as { template?: { spec?: PodSpec } } | undefined)?.template?.spec;
}

/** Applies one posture defect to the workload of a service; returns false when there is none. */
export function applyPostureDefect(objects: KubeObject[], service: string, defect: PostureDefect): boolean {
  const workload = objects.find((o) => WORKLOADS.has(o.kind ?? '') && o.metadata.name === service);
  if (!workload) return false;
  const container = podSpecOf(workload)?.containers?.[0];
  if (!container) return false;
  switch (defect) {
    case 'privileged':
      container.securityContext = { ...(container.securityContext as object), privileged: true };
      break;
    case 'latest-tag':
      container.image = `${String(container.image)
        .replace(/@.*$/, '')
        .replace(/:[^:/]*$/, '')}:latest`;
      break;
    case 'no-probes':
      delete container.readinessProbe;
      delete container.livenessProbe;
      break;
    case 'no-networkpolicy': {
      const ns = workload.metadata.namespace;
      for (let i = objects.length - 1; i >= 0; i--) {
        if (objects[i]!.kind === 'NetworkPolicy' && objects[i]!.metadata.namespace === ns)
          objects.splice(i, 1);
      }
      break;
    }
  }
  return true;
}

export function loadManifestDir(dir: string): KubeObject[] {
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  return files.flatMap((f) => parseManifestObjects(readFileSync(join(dir, f), 'utf8'), f));
}

export async function startDemoCluster(o: DemoClusterOptions): Promise<DemoCluster> {
  const objects = loadManifestDir(resolve(o.manifestsDir));
  for (const f of o.faults) {
    if (f.environment === o.environment && f.fault.kind === 'posture') {
      applyPostureDefect(objects, f.service, f.fault.defect);
    }
  }
  const defects = o.faults.flatMap((f) =>
    f.environment === o.environment && f.fault.kind === 'backup' ? [f.fault.defect] : [],
  );
  if (o.backedUpNamespaces?.length)
    objects.push(
      ...veleroFixtures(
        Date.now(),
        o.backedUpNamespaces.map((ns) => ({ name: `nightly-${ns}`, namespaces: [ns] })),
        defects,
      ),
    );
  const kube = await startKubeSim({
    objects,
    setup: (cluster) => {
      for (const extend of KUBE_SIM_EXTENSIONS) extend(cluster);
      installVeleroSim(cluster, { defects, ...(o.onRestore ? { onRestore: o.onRestore } : {}) });
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'cutover-kube-'));
  const kubeconfig = writeKubeconfig(join(dir, 'kubeconfig'), { server: kube.url, context: o.context });
  return {
    kube,
    kubeconfig,
    stop: async () => {
      await kube.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The demo's cluster for a config: the kubernetes environment's context, its manifests folder
 * (`security.manifests`, or `k8s/` beside the baseline's Compose file). Undefined when the config has
 * no kubernetes environment or no manifests folder: the security suite then reports could-not-check.
 * `onRestore` restores a namespace's data when the simulated Velero restores it (the demo's databases).
 */
export async function startDemoClusterFor(
  config: ResolvedConfig,
  faults: readonly FaultSpec[],
  options: { onRestore?: VeleroSimOptions['onRestore'] } = {},
): Promise<(DemoCluster & { suiteOptions: Record<string, unknown> }) | undefined> {
  const entry = Object.entries(config.environments).find(([, e]) => e.kind === 'kubernetes');
  if (entry?.[1].kind !== 'kubernetes') return undefined;
  const compose = Object.values(config.environments).find((e) => e.kind === 'compose');
  const dir = config.security.manifests
    ? resolve(config.rootDir, config.security.manifests)
    : compose?.kind === 'compose'
      ? join(dirname(resolve(config.rootDir, compose.composeFile)), 'k8s')
      : undefined;
  if (!dir || !existsSync(dir)) return undefined;
  const cluster = await startDemoCluster({
    manifestsDir: dir,
    context: entry[1].context,
    environment: entry[0],
    faults,
    backedUpNamespaces: entry[1].namespaces,
    ...(options.onRestore ? { onRestore: options.onRestore } : {}),
  });
  return {
    ...cluster,
    suiteOptions: {
      security: { kubeconfig: cluster.kubeconfig, kubeBench: true },
      // The simulated Velero restores in a fraction of a second: poll it often, drill by default.
      backup: { kubeconfig: cluster.kubeconfig, restoreDrill: true, pollMs: 100 },
    },
  };
}
