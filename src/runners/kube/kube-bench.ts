// kube-bench as a Job through the API, as its own job-master.yaml / job-node.yaml do (hostPID,
// read-only hostPath mounts, the master variant pinned to control-plane nodes), with the benchmark
// pinned to cis-1.10, Kubernetes 1.28's, so results do not depend on the image's auto-detection.
// Create, wait for Complete/Failed, read the JSON from the pod log, delete the Job and its pods.
// The `policies` target is left out: in cis-1.10 it is all unscored (never FAIL) and needs RBAC the
// Job does not have; the posture checks cover the same ground through the API.
import { BatchV1Api, CoreV1Api, type V1Job } from '@kubernetes/client-node';
import { type KubeBenchReport, parseKubeBench } from '../../core/security/kube-bench.js';
import { call, type KubeAccess, KubeCallError } from './client.js';
import { pollPause } from './wait.js';

export type KubeBenchVariant = 'master' | 'node';

export const KUBE_BENCH_IMAGE = 'docker.io/aquasec/kube-bench:v0.15.6';
export const KUBE_BENCH_BENCHMARK = 'cis-1.10';

const HOST_PATHS: [string, string, string][] = [
  ['var-lib-cni', '/var/lib/cni', '/var/lib/cni'],
  ['var-lib-etcd', '/var/lib/etcd', '/var/lib/etcd'],
  ['var-lib-kubelet', '/var/lib/kubelet', '/var/lib/kubelet'],
  ['var-lib-kube-scheduler', '/var/lib/kube-scheduler', '/var/lib/kube-scheduler'],
  ['var-lib-kube-controller-manager', '/var/lib/kube-controller-manager', '/var/lib/kube-controller-manager'],
  ['etc-systemd', '/etc/systemd', '/etc/systemd'],
  ['lib-systemd', '/lib/systemd', '/lib/systemd/'],
  ['srv-kubernetes', '/srv/kubernetes', '/srv/kubernetes/'],
  ['etc-kubernetes', '/etc/kubernetes', '/etc/kubernetes'],
  ['usr-bin', '/usr/bin', '/usr/local/mount-from-host/bin'],
  ['etc-cni-netd', '/etc/cni/net.d/', '/etc/cni/net.d/'],
  ['opt-cni-bin', '/opt/cni/bin/', '/opt/cni/bin/'],
];

export function kubeBenchJob(
  variant: KubeBenchVariant,
  name: string,
  namespace: string,
  image = KUBE_BENCH_IMAGE,
): V1Job {
  const mounts =
    variant === 'master'
      ? [
          ...HOST_PATHS,
          ['etc-passwd', '/etc/passwd', '/etc/passwd'] as [string, string, string],
          ['etc-group', '/etc/group', '/etc/group'] as [string, string, string],
        ]
      : HOST_PATHS;
  const targets = variant === 'master' ? 'master,controlplane,etcd' : 'node';
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace,
      labels: {
        'app.kubernetes.io/name': 'kube-bench',
        'app.kubernetes.io/managed-by': 'cutover',
        'cutover.dev/variant': variant,
      },
    },
    spec: {
      backoffLimit: 0,
      ttlSecondsAfterFinished: 600,
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'kube-bench' } },
        spec: {
          hostPID: true,
          restartPolicy: 'Never',
          ...(variant === 'master'
            ? {
                affinity: {
                  nodeAffinity: {
                    requiredDuringSchedulingIgnoredDuringExecution: {
                      nodeSelectorTerms: [
                        {
                          matchExpressions: [
                            { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' },
                          ],
                        },
                        { matchExpressions: [{ key: 'node-role.kubernetes.io/master', operator: 'Exists' }] },
                      ],
                    },
                  },
                },
                tolerations: [
                  { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
                  { key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' },
                ],
              }
            : {}),
          containers: [
            {
              name: 'kube-bench',
              image,
              command: [
                'kube-bench',
                'run',
                '--targets',
                targets,
                '--benchmark',
                KUBE_BENCH_BENCHMARK,
                '--json',
              ],
              volumeMounts: mounts.map(([n, , path]) => ({ name: n, mountPath: path, readOnly: true })),
            },
          ],
          volumes: mounts.map(([n, host]) => ({ name: n, hostPath: { path: host } })),
        },
      },
    },
  };
}

export type KubeBenchRun =
  | { ok: true; variant: KubeBenchVariant; report: KubeBenchReport; pod: string }
  | {
      ok: false;
      variant: KubeBenchVariant;
      reason: string;
      failure: KubeCallError['kind'] | 'parse' | 'job-failed';
    };

export interface KubeBenchRunOptions {
  namespace: string;
  variant: KubeBenchVariant;
  /** Unique suffix for the Job name (the run id). */
  suffix: string;
  timeoutMs?: number;
  pollMs?: number;
  signal?: AbortSignal;
  image?: string;
}

export async function runKubeBench(access: KubeAccess, o: KubeBenchRunOptions): Promise<KubeBenchRun> {
  const batch = access.kc.makeApiClient(BatchV1Api);
  const core = access.kc.makeApiClient(CoreV1Api);
  const name = `cutover-kube-bench-${o.variant}-${o.suffix}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 63)
    .replace(/-+$/, '');
  const fail = (failure: Extract<KubeBenchRun, { ok: false }>['failure'], reason: string): KubeBenchRun => ({
    ok: false,
    variant: o.variant,
    failure,
    reason,
  });
  let created = false;
  try {
    await call(access, `create Job ${o.namespace}/${name}`, () =>
      batch.createNamespacedJob({
        namespace: o.namespace,
        body: kubeBenchJob(o.variant, name, o.namespace, o.image),
      }),
    );
    created = true;
    const deadline = Date.now() + (o.timeoutMs ?? 300_000);
    let done: 'Complete' | 'Failed' | undefined;
    while (!done) {
      if (o.signal?.aborted) return fail('timeout', 'interrupted');
      const job = await call(access, `read Job ${name}`, () =>
        batch.readNamespacedJob({ name, namespace: o.namespace }),
      );
      const c = (job.status?.conditions ?? []).find(
        (x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True',
      );
      if (c) done = c.type as 'Complete' | 'Failed';
      else if (Date.now() > deadline)
        return fail(
          'timeout',
          `Job ${name} did not finish within ${Math.round((o.timeoutMs ?? 300_000) / 1000)} s`,
        );
      else await pollPause(o.pollMs ?? 2000, o.signal);
    }
    const pods = await call(access, `list pods of Job ${name}`, () =>
      core.listNamespacedPod({ namespace: o.namespace, labelSelector: `job-name=${name}` }),
    );
    const pod = pods.items[0]?.metadata?.name;
    if (!pod) return fail('job-failed', `Job ${name} finished (${done}) but left no pod to read`);
    const log = await call(access, `read log of ${pod}`, () =>
      core.readNamespacedPodLog({ name: pod, namespace: o.namespace, container: 'kube-bench' }),
    );
    const parsed = parseKubeBench(String(log));
    if (!parsed.ok) {
      return fail(
        done === 'Failed' ? 'job-failed' : 'parse',
        `kube-bench ${o.variant} (Job ${done}): ${parsed.error}`,
      );
    }
    return { ok: true, variant: o.variant, report: parsed.value, pod };
  } catch (error) {
    const e = error instanceof KubeCallError ? error : new KubeCallError('other', String(error));
    return fail(e.kind, e.message);
  } finally {
    if (created) {
      await call(access, `delete Job ${name}`, () =>
        batch.deleteNamespacedJob({ name, namespace: o.namespace, propagationPolicy: 'Background' }),
      ).catch(() => undefined);
    }
  }
}
