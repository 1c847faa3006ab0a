// The API resources the stand-in API server serves, as discovery describes them. Kubernetes 1.28
// has no policy/v1beta1 PodSecurityPolicy, so it is deliberately absent: creating one answers 404 as
// a real 1.28 server does. Custom resources (ArgoCD, Traefik, the k6-operator, Velero) are listed
// as the CRDs would register them; more can be added at run time with `addResource`.

export interface ResourceType {
  group: string; // '' for the core group
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  /** Subresources served, such as `status` or `log`. */
  subresources?: string[];
}

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const core = (
  kind: string,
  plural: string,
  namespaced: boolean,
  shortNames?: string[],
  subresources?: string[],
): ResourceType => ({
  group: '',
  version: 'v1',
  kind,
  plural,
  singular: kind.toLowerCase(),
  namespaced,
  ...(shortNames ? { shortNames } : {}),
  ...(subresources ? { subresources } : {}),
});

const grouped = (
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  shortNames?: string[],
): ResourceType => ({
  group,
  version,
  kind,
  plural,
  singular: kind.toLowerCase(),
  namespaced,
  ...(shortNames ? { shortNames } : {}),
  subresources: ['status'],
});

export const BUILTIN_RESOURCES: readonly ResourceType[] = [
  core('Namespace', 'namespaces', false, ['ns'], ['status']),
  core('Node', 'nodes', false, ['no'], ['status']),
  core('Pod', 'pods', true, ['po'], ['status', 'log']),
  core('Service', 'services', true, ['svc'], ['status']),
  core('Endpoints', 'endpoints', true, ['ep']),
  core('Event', 'events', true, ['ev']),
  core('ConfigMap', 'configmaps', true, ['cm']),
  core('Secret', 'secrets', true),
  core('ServiceAccount', 'serviceaccounts', true, ['sa']),
  core('PersistentVolumeClaim', 'persistentvolumeclaims', true, ['pvc'], ['status']),
  core('PersistentVolume', 'persistentvolumes', false, ['pv'], ['status']),
  grouped('apps', 'v1', 'Deployment', 'deployments', true, ['deploy']),
  grouped('apps', 'v1', 'StatefulSet', 'statefulsets', true, ['sts']),
  grouped('apps', 'v1', 'DaemonSet', 'daemonsets', true, ['ds']),
  grouped('apps', 'v1', 'ReplicaSet', 'replicasets', true, ['rs']),
  grouped('batch', 'v1', 'Job', 'jobs', true),
  grouped('batch', 'v1', 'CronJob', 'cronjobs', true, ['cj']),
  grouped('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', true, ['netpol']),
  grouped('networking.k8s.io', 'v1', 'Ingress', 'ingresses', true, ['ing']),
  grouped('rbac.authorization.k8s.io', 'v1', 'Role', 'roles', true),
  grouped('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', true),
  grouped('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', false),
  grouped('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', false),
  grouped('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, ['hpa']),
  grouped('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, ['pdb']),
  grouped('argoproj.io', 'v1alpha1', 'Application', 'applications', true, ['app', 'apps']),
  grouped('traefik.io', 'v1alpha1', 'IngressRoute', 'ingressroutes', true),
  grouped('k6.io', 'v1alpha1', 'TestRun', 'testruns', true),
  grouped('velero.io', 'v1', 'Backup', 'backups', true),
  grouped('velero.io', 'v1', 'Restore', 'restores', true),
  grouped('velero.io', 'v1', 'Schedule', 'schedules', true),
  grouped('velero.io', 'v1', 'BackupStorageLocation', 'backupstoragelocations', true, ['bsl']),
];

export const RESOURCE_VERBS = VERBS;

/** The resource types known to one server, looked up by path segment or by kind. */
export class ResourceCatalog {
  private readonly types: ResourceType[];

  constructor(types: readonly ResourceType[] = BUILTIN_RESOURCES) {
    this.types = [...types];
  }

  add(type: ResourceType): void {
    if (!this.byPlural(type.group, type.version, type.plural)) this.types.push(type);
  }

  all(): readonly ResourceType[] {
    return this.types;
  }

  byPlural(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types.find((t) => t.group === group && t.version === version && t.plural === plural);
  }

  /** Resolves a manifest's `apiVersion` and `kind`. */
  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    const { group, version } = splitApiVersion(apiVersion);
    return this.types.find((t) => t.group === group && t.version === version && t.kind === kind);
  }

  groups(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const t of this.types) {
      if (t.group === '') continue;
      const versions = out.get(t.group) ?? [];
      if (!versions.includes(t.version)) versions.push(t.version);
      out.set(t.group, versions);
    }
    return out;
  }
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function apiVersionOf(t: ResourceType): string {
  return t.group === '' ? t.version : `${t.group}/${t.version}`;
}
