// Just enough of the controllers for a loaded cluster to look like a running one: workloads get
// Ready pods and an available status, Jobs run one pod to completion, Services get Endpoints for the
// Ready pods they select, PVCs are Bound. Deterministic names (derived from the owner's name, not a
// random hash) keep test output stable. Everything goes through the store, so watchers see it all.
import { createHash } from 'node:crypto';
import type { KubeCluster } from './cluster.js';
import { matchesLabels } from './selectors.js';
import type { KubeObject } from './store.js';

// biome-ignore lint/suspicious/noExplicitAny: manifests are free-form JSON read by path
type Any = Record<string, any>;

/** A Job with this annotation set to "true" is left to an extension's hook: no pod, no status. */
export const MANUAL_JOB_ANNOTATION = 'sim.cutover.dev/manual';

const hash = (text: string, n = 10) => createHash('sha256').update(text).digest('hex').slice(0, n);

function owner(o: KubeObject): Any {
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    name: o.metadata.name,
    uid: o.metadata.uid,
    controller: true,
  };
}

function podFor(
  workload: KubeObject,
  name: string,
  template: Any,
  phase: 'Running' | 'Succeeded',
  at: string,
): KubeObject {
  const spec = structuredClone(template.spec ?? {}) as Any;
  const containers = (spec.containers ?? []) as Any[];
  const ready = phase === 'Running';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: workload.metadata.namespace,
      labels: { ...(template.metadata?.labels ?? {}) },
      annotations: { ...(template.metadata?.annotations ?? {}) },
      ownerReferences: [owner(workload)],
    },
    spec: { ...spec, nodeName: 'sim-node-1' },
    status: {
      phase,
      podIP: `10.244.0.${(Number.parseInt(hash(name, 2), 16) % 250) + 2}`,
      startTime: at,
      conditions: [
        { type: 'PodScheduled', status: 'True' },
        { type: 'Initialized', status: 'True' },
        { type: 'ContainersReady', status: ready ? 'True' : 'False' },
        { type: 'Ready', status: ready ? 'True' : 'False' },
      ],
      containerStatuses: containers.map((c) => ({
        name: c.name,
        image: c.image,
        ready,
        started: ready,
        restartCount: 0,
        state: ready
          ? { running: { startedAt: at } }
          : { terminated: { exitCode: 0, reason: 'Completed', startedAt: at, finishedAt: at } },
      })),
    },
  };
}

function ownedPods(cluster: KubeCluster, o: KubeObject): KubeObject[] {
  return cluster
    .list('Pod', o.metadata.namespace)
    .filter((p) =>
      ((p.metadata.ownerReferences as Any[] | undefined) ?? []).some((r) => r.uid === o.metadata.uid),
    );
}

/** Registers the controllers on a cluster. Call before loading manifests. */
export function installControllers(cluster: KubeCluster): void {
  const reconciled = new Map<string, string>();
  const changed = (o: KubeObject): boolean => {
    const key = String(o.metadata.uid);
    const spec = JSON.stringify(o.spec ?? null);
    if (reconciled.get(key) === spec) return false;
    reconciled.set(key, spec);
    return true;
  };
  const stamp = () =>
    cluster
      .now()
      .toISOString()
      .replace(/\.\d+Z$/, 'Z');

  for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet']) {
    cluster.on(kind, (event) => {
      const o = event.object;
      if (event.type === 'DELETED' || !changed(o)) return;
      const spec = (o.spec ?? {}) as Any;
      const desired = kind === 'DaemonSet' ? 1 : (spec.replicas ?? 1);
      for (const p of ownedPods(cluster, o)) cluster.remove('Pod', p.metadata.namespace, p.metadata.name);
      const templateHash = hash(JSON.stringify(spec.template ?? {}));
      for (let i = 0; i < desired; i++) {
        const name =
          kind === 'StatefulSet'
            ? `${o.metadata.name}-${i}`
            : `${o.metadata.name}-${templateHash}-${hash(`${o.metadata.name}${i}`, 5)}`;
        const pod = podFor(o, name, spec.template ?? {}, 'Running', stamp());
        if (kind === 'Deployment')
          pod.metadata.labels = { ...pod.metadata.labels, 'pod-template-hash': templateHash };
        cluster.apply(pod);
      }
      const status =
        kind === 'DaemonSet'
          ? {
              desiredNumberScheduled: 1,
              currentNumberScheduled: 1,
              numberReady: 1,
              numberAvailable: 1,
              updatedNumberScheduled: 1,
            }
          : {
              observedGeneration: 1,
              replicas: desired,
              readyReplicas: desired,
              availableReplicas: desired,
              updatedReplicas: desired,
              ...(kind === 'StatefulSet' ? { currentReplicas: desired } : {}),
              conditions:
                kind === 'Deployment'
                  ? [
                      { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
                      { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
                    ]
                  : [],
            };
      cluster.apply({ ...o, status });
      for (const svc of cluster.list('Service', o.metadata.namespace)) refreshEndpoints(cluster, svc);
    });
  }

  cluster.on('Job', (event) => {
    const o = event.object;
    if (event.type !== 'ADDED') return;
    // An extension that runs the Job itself (pods that take time, fail, log) opts out with this annotation.
    if (o.metadata.annotations?.[MANUAL_JOB_ANNOTATION] === 'true') return;
    const spec = (o.spec ?? {}) as Any;
    const labels = { 'job-name': o.metadata.name, 'batch.kubernetes.io/job-name': o.metadata.name };
    const template = { ...(spec.template ?? {}), metadata: { ...(spec.template?.metadata ?? {}) } };
    template.metadata.labels = { ...(template.metadata.labels ?? {}), ...labels };
    cluster.apply(
      podFor(o, `${o.metadata.name}-${hash(String(o.metadata.uid), 5)}`, template, 'Succeeded', stamp()),
    );
    cluster.apply({
      ...o,
      status: {
        startTime: stamp(),
        completionTime: stamp(),
        succeeded: 1,
        conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: stamp() }],
      },
    });
  });

  cluster.on('Service', (event) => {
    if (event.type === 'ADDED') refreshEndpoints(cluster, event.object);
  });

  cluster.on('PersistentVolumeClaim', (event) => {
    const o = event.object;
    if (event.type !== 'ADDED' || (o.status as Any)?.phase) return;
    const storage = (o.spec as Any)?.resources?.requests?.storage ?? '1Gi';
    cluster.apply({
      ...o,
      status: { phase: 'Bound', capacity: { storage }, accessModes: (o.spec as Any)?.accessModes },
    });
  });
}

function refreshEndpoints(cluster: KubeCluster, svc: KubeObject): void {
  const selector = (svc.spec as Any)?.selector as Record<string, string> | undefined;
  if (!selector) return;
  const reqs = Object.entries(selector).map(([key, value]) => ({ key, op: 'eq' as const, value }));
  const pods = cluster
    .list('Pod', svc.metadata.namespace)
    .filter((p) => matchesLabels(reqs, p.metadata.labels));
  const ready = pods.filter((p) =>
    ((p.status as Any)?.conditions ?? []).some((c: Any) => c.type === 'Ready' && c.status === 'True'),
  );
  const ports = (((svc.spec as Any)?.ports ?? []) as Any[]).map((p) => ({
    ...(p.name ? { name: p.name } : {}),
    port: typeof p.targetPort === 'number' ? p.targetPort : p.port,
    protocol: p.protocol ?? 'TCP',
  }));
  const addresses = ready.map((p) => ({
    ip: (p.status as Any).podIP,
    targetRef: { kind: 'Pod', name: p.metadata.name, namespace: p.metadata.namespace },
  }));
  cluster.apply({
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {
      name: svc.metadata.name,
      namespace: svc.metadata.namespace,
      labels: svc.metadata.labels ?? {},
    },
    subsets: addresses.length ? [{ addresses, ports }] : [],
  });
}
