// Kubernetes objects as the security and inventory checks read them: plain JSON from manifests or
// from the API, and the pod template inside each workload kind together with its field path, so a
// finding can say `spec.template.spec.containers[0].securityContext.privileged` rather than "somewhere".

// biome-ignore lint/suspicious/noExplicitAny: objects are free-form JSON, read defensively by path
export type Json = Record<string, any>;

export interface K8sObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { kind?: string; name?: string }[];
  };
  [key: string]: unknown;
}

export interface ContainerRef {
  /** `containers`, `initContainers` or `ephemeralContainers`. */
  list: 'containers' | 'initContainers' | 'ephemeralContainers';
  index: number;
  container: Json;
  /** Full field path of the container, such as `spec.template.spec.containers[0]`. */
  path: string;
}

export interface Workload {
  object: K8sObject;
  kind: string;
  name: string;
  namespace: string;
  /** `Deployment/sevensa-apps/rentguy-api` */
  ref: string;
  podSpec: Json;
  podMeta: Json;
  /** Path of the pod spec inside the object, such as `spec.template.spec`. */
  specPath: string;
  containers: ContainerRef[];
}

const POD_SPEC_PATHS: Record<string, string[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

export function refOf(o: K8sObject): string {
  const ns = o.metadata?.namespace;
  return `${o.kind ?? '?'}/${ns ? `${ns}/` : ''}${o.metadata?.name ?? '?'}`;
}

function at(o: unknown, path: string[]): unknown {
  let cur: unknown = o;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Json)[p];
  }
  return cur;
}

/**
 * The workloads among the objects, with their pod templates. Pods owned by a controller are left out
 * when read from a cluster: their owner is the object to fix, and counting both would double findings.
 */
export function workloadsOf(objects: readonly K8sObject[], defaultNamespace = 'default'): Workload[] {
  const out: Workload[] = [];
  for (const o of objects) {
    const path = o.kind ? POD_SPEC_PATHS[o.kind] : undefined;
    if (!path) continue;
    if (o.kind === 'Pod' && (o.metadata?.ownerReferences?.length ?? 0) > 0) continue;
    if ((o.kind === 'ReplicaSet' || o.kind === 'Job') && (o.metadata?.ownerReferences?.length ?? 0) > 0)
      continue;
    const podSpec = at(o, path);
    if (!podSpec || typeof podSpec !== 'object') continue;
    const specPath = path.join('.');
    const podMeta = (at(o, [...path.slice(0, -1), 'metadata']) as Json | undefined) ?? {};
    const containers: ContainerRef[] = [];
    for (const list of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
      const items = (podSpec as Json)[list];
      if (!Array.isArray(items)) continue;
      items.forEach((container: Json, index: number) => {
        containers.push({ list, index, container: container ?? {}, path: `${specPath}.${list}[${index}]` });
      });
    }
    const namespace = o.metadata?.namespace ?? defaultNamespace;
    out.push({
      object: o,
      kind: o.kind!,
      name: o.metadata?.name ?? '?',
      namespace,
      ref: `${o.kind}/${namespace}/${o.metadata?.name ?? '?'}`,
      podSpec: podSpec as Json,
      podMeta: o.kind === 'Pod' ? (o.metadata as Json) : podMeta,
      specPath,
      containers,
    });
  }
  return out;
}

/** The image reference split as a registry client would: repository, tag, digest. */
export function parseImage(image: string): { repository: string; tag?: string; digest?: string } {
  const [withoutDigest, digest] = image.split('@', 2) as [string, string | undefined];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const hasTag = colon > lastSlash;
  return {
    repository: hasTag ? withoutDigest.slice(0, colon) : withoutDigest,
    ...(hasTag ? { tag: withoutDigest.slice(colon + 1) } : {}),
    ...(digest ? { digest } : {}),
  };
}

/** Docker Hub's implicit prefixes removed, so `docker.io/library/mysql` and `mysql` compare equal. */
export function normalRepository(repository: string): string {
  return repository
    .replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '')
    .replace(/^library\//, '');
}
