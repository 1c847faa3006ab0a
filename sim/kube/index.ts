// The simulated Kubernetes cluster: a stand-in API server over real HTTP, preloaded from manifest
// YAML, with controllers that make workloads look running. Other simulator parts extend it through
// `cluster.on(kind, hook)` (for example a k6-operator stand-in that turns a TestRun into runner Jobs).
//
//   const kube = await startKubeSim({ manifests: [yamlText] });
//   kube.cluster.on('TestRun', (event, cluster) => { ... cluster.apply(job) ... });
//   writeKubeconfig(file, { server: kube.url, context: 'sevensa-prod' });
import { KubeCluster, parseManifestObjects as parseManifestObjectsImpl } from './cluster.js';
import { installControllers } from './controllers.js';
import { type Denial, type RunningKubeApiServer, startKubeApiServer } from './server.js';
import type { KubeObject } from './store.js';

export { KubeCluster, ManifestError, parseManifestObjects } from './cluster.js';
export { installControllers, MANUAL_JOB_ANNOTATION } from './controllers.js';
export { kubeconfigYaml, writeKubeconfig } from './kubeconfig.js';
export { BUILTIN_RESOURCES, type ResourceType } from './resources.js';
export type { Denial, KubeApiServerOptions } from './server.js';
export type { KubeObject, WatchEvent } from './store.js';

export interface KubeSimOptions {
  /** Multi-document manifest YAML texts, applied in order. */
  manifests?: { text: string; source: string }[];
  /** Objects to apply after the manifests. */
  objects?: KubeObject[];
  host?: string;
  port?: number;
  token?: string;
  deny?: Denial[];
  tls?: { key: string; cert: string };
  now?: () => Date;
  /** Runs before the manifests load, so hooks see every object (extensions register here). */
  setup?: (cluster: KubeCluster) => void;
}

export interface RunningKubeSim extends RunningKubeApiServer {
  cluster: KubeCluster;
}

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export function ensureNamespace(
  cluster: KubeCluster,
  name: string,
  labels: Record<string, string> = {},
): void {
  if (!cluster.find('Namespace', undefined, name)) {
    cluster.apply({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } },
      status: { phase: 'Active' },
    });
  }
}

/** Builds a cluster with controllers, one Ready node and the system namespaces, then loads objects. */
export function buildCluster(
  options: Omit<KubeSimOptions, 'host' | 'port' | 'token' | 'deny' | 'tls'> = {},
): KubeCluster {
  const cluster = new KubeCluster(options.now);
  installControllers(cluster);
  options.setup?.(cluster);
  for (const ns of SYSTEM_NAMESPACES) ensureNamespace(cluster, ns);
  cluster.apply({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: 'sim-node-1',
      labels: { 'kubernetes.io/hostname': 'sim-node-1', 'node-role.kubernetes.io/control-plane': '' },
    },
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
      nodeInfo: { kubeletVersion: 'v1.28.15', containerRuntimeVersion: 'containerd://1.7.22' },
    },
  });
  const all = [
    ...(options.manifests ?? []).flatMap((m) => parseManifestObjectsImpl(m.text, m.source)),
    ...(options.objects ?? []),
  ];
  // Namespaces first, as `kubectl apply` of a folder effectively needs them; a namespace an object
  // names but no manifest creates is created as `kubectl create namespace` would have been.
  for (const o of all) if (o.kind === 'Namespace') cluster.apply(o);
  for (const o of all) if (o.metadata?.namespace) ensureNamespace(cluster, o.metadata.namespace);
  for (const o of all) if (o.kind !== 'Namespace') cluster.apply(o);
  return cluster;
}

export async function startKubeSim(options: KubeSimOptions = {}): Promise<RunningKubeSim> {
  const cluster = buildCluster(options);
  const server = await startKubeApiServer({
    cluster,
    ...(options.host ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.token ? { token: options.token } : {}),
    ...(options.deny ? { deny: options.deny } : {}),
    ...(options.tls ? { tls: options.tls } : {}),
  });
  return { ...server, cluster };
}
