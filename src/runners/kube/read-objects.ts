// Reads the objects the readiness, posture and inventory checks need, per namespace and cluster-wide,
// and keeps a record of what it could not read (Forbidden, missing CRD, unreachable) so coverage can
// say so. Secrets are deliberately never read: their values must not pass through the harness.
import pLimit from 'p-limit';
import type { K8sObject } from '../../core/security/objects.js';
import { call, type KubeAccess, KubeCallError } from './client.js';

export interface KindSpec {
  apiVersion: string;
  kind: string;
  namespaced: boolean;
  /** A CRD that may not be installed: 404 means "not used here", not a failure. */
  optional?: boolean;
}

export const NAMESPACED_KINDS: readonly KindSpec[] = [
  { apiVersion: 'apps/v1', kind: 'Deployment', namespaced: true },
  { apiVersion: 'apps/v1', kind: 'StatefulSet', namespaced: true },
  { apiVersion: 'apps/v1', kind: 'DaemonSet', namespaced: true },
  { apiVersion: 'batch/v1', kind: 'Job', namespaced: true },
  { apiVersion: 'batch/v1', kind: 'CronJob', namespaced: true },
  { apiVersion: 'v1', kind: 'Pod', namespaced: true },
  { apiVersion: 'v1', kind: 'Service', namespaced: true },
  { apiVersion: 'v1', kind: 'Endpoints', namespaced: true },
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespaced: true },
  { apiVersion: 'v1', kind: 'ServiceAccount', namespaced: true },
  { apiVersion: 'v1', kind: 'ConfigMap', namespaced: true },
  { apiVersion: 'v1', kind: 'Event', namespaced: true },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', namespaced: true },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', namespaced: true },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', namespaced: true },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', namespaced: true },
  { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', namespaced: true },
  { apiVersion: 'traefik.io/v1alpha1', kind: 'IngressRoute', namespaced: true, optional: true },
  // Traefik v2's group, still common on clusters upgraded from it.
  { apiVersion: 'traefik.containo.us/v1alpha1', kind: 'IngressRoute', namespaced: true, optional: true },
  { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespaced: true, optional: true },
];

export const CLUSTER_KINDS: readonly KindSpec[] = [
  { apiVersion: 'v1', kind: 'Namespace', namespaced: false },
  { apiVersion: 'v1', kind: 'Node', namespaced: false },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', namespaced: false },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', namespaced: false },
];

export interface ReadProblem {
  kind: string;
  namespace?: string;
  failure: KubeCallError['kind'];
  message: string;
}

export interface ClusterRead {
  objects: K8sObject[];
  problems: ReadProblem[];
  /** The API server answered at all. */
  reachable: boolean;
}

function plain(o: unknown, spec: KindSpec): K8sObject {
  // client-node deserialises into model classes (dates as Date); a JSON round trip gives the plain
  // object the pure checks read, with apiVersion/kind (list items lack them).
  const json = JSON.parse(JSON.stringify(o)) as K8sObject;
  return { ...json, apiVersion: json.apiVersion ?? spec.apiVersion, kind: json.kind ?? spec.kind };
}

/** Lists kinds in the namespaces (ArgoCD Applications also in `argocd`), cluster kinds once. */
export async function readCluster(
  access: KubeAccess,
  namespaces: readonly string[],
  kinds: { namespaced?: readonly KindSpec[]; cluster?: readonly KindSpec[] } = {},
): Promise<ClusterRead> {
  const objects: K8sObject[] = [];
  const problems: ReadProblem[] = [];
  let reachable = false;
  const list = async (spec: KindSpec, namespace?: string) => {
    try {
      const res = await call(access, `list ${spec.kind}${namespace ? ` in ${namespace}` : ''}`, () =>
        access.objects.list(spec.apiVersion, spec.kind, namespace),
      );
      reachable = true;
      for (const item of res.items ?? []) objects.push(plain(item, spec));
    } catch (error) {
      const e = error instanceof KubeCallError ? error : new KubeCallError('other', String(error));
      if (e.kind !== 'unreachable' && e.kind !== 'timeout') reachable = true;
      // An uninstalled CRD answers 404 on discovery; client-node reports it as an unknown resource.
      if (spec.optional && (e.kind === 'not-found' || /unrecognized|not found|Unknown/i.test(e.message)))
        return;
      problems.push({
        kind: spec.kind,
        ...(namespace ? { namespace } : {}),
        failure: e.kind,
        message: e.message,
      });
    }
  };
  for (const spec of kinds.cluster ?? CLUSTER_KINDS) await list(spec);
  if (!reachable && problems.every((p) => p.failure === 'unreachable' || p.failure === 'timeout')) {
    return { objects, problems, reachable: false };
  }
  // A few lists in flight at once: fast on a real API server, and well under its rate limits.
  const limit = pLimit(4);
  await Promise.all(
    namespaces.flatMap((ns) =>
      (kinds.namespaced ?? NAMESPACED_KINDS).map((spec) => limit(() => list(spec, ns))),
    ),
  );
  // ArgoCD keeps its Applications in its own namespace, whatever namespaces they deploy to.
  const argo = (kinds.namespaced ?? NAMESPACED_KINDS).find((k) => k.kind === 'Application');
  if (argo && !namespaces.includes('argocd')) await list(argo, 'argocd');
  const key = (o: K8sObject) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
  objects.sort((a, b) => key(a).localeCompare(key(b)));
  return { objects, problems, reachable };
}
