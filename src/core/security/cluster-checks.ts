// Namespace- and cluster-level posture: Pod Security Admission labels, a default-deny NetworkPolicy
// per application namespace, RBAC without wildcards or cluster-admin for workloads, and
// PodSecurityPolicy manifests, which a 1.28 API server no longer accepts.
import type { SecurityFinding } from './finding.js';
import { type Json, type K8sObject, refOf } from './objects.js';
import type { CheckTally } from './workload-checks.js';

export const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease']);
const PSA = 'pod-security.kubernetes.io/';
// Roles every cluster ships; their wildcards are by design (a cluster read shows them, manifests do not).
const BUILTIN_ROLES = new Set(['cluster-admin', 'admin', 'edit', 'view']);

const isBuiltin = (name: string) => name.startsWith('system:') || BUILTIN_ROLES.has(name);

export function checkNamespaceLabels(
  namespaces: readonly string[],
  objects: readonly K8sObject[],
  source: 'manifests' | 'cluster',
): CheckTally {
  const findings: SecurityFinding[] = [];
  let evaluated = 0;
  for (const ns of namespaces) {
    const object = objects.find((o) => o.kind === 'Namespace' && o.metadata?.name === ns);
    if (!object) {
      // Offline files often leave the Namespace out; that is not evidence of missing labels.
      if (source === 'cluster') continue;
      findings.push({
        check: 'psa-labels',
        severity: 'info',
        object: `Namespace/${ns}`,
        path: 'metadata.labels',
        message: `namespace ${ns} is not in these manifests, so its Pod Security Admission labels were not checked`,
        remedy: `label the namespace: kubectl label namespace ${ns} ${PSA}enforce=restricted`,
      });
      continue;
    }
    evaluated++;
    const labels = object.metadata?.labels ?? {};
    const enforce = labels[`${PSA}enforce`];
    if (enforce !== 'baseline' && enforce !== 'restricted') {
      findings.push({
        check: 'psa-labels',
        severity: 'medium',
        object: `Namespace/${ns}`,
        path: `metadata.labels["${PSA}enforce"]`,
        message: enforce
          ? `namespace ${ns} enforces Pod Security level "${enforce}", which admits privileged pods`
          : `namespace ${ns} has no ${PSA}enforce label, so Pod Security Admission admits privileged pods`,
        remedy: `set ${PSA}enforce: restricted (or baseline) and ${PSA}enforce-version: v1.28 on the namespace`,
      });
    }
  }
  return { evaluated, findings };
}

function isDefaultDeny(policy: Json, type: 'Ingress' | 'Egress'): boolean {
  const spec = (policy.spec ?? {}) as Json;
  const selector = (spec.podSelector ?? {}) as Json;
  const selectsAll =
    Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
  const types: string[] = Array.isArray(spec.policyTypes)
    ? spec.policyTypes
    : // Without policyTypes, Ingress always applies and Egress only when egress rules are given.
      ['Ingress', ...(spec.egress ? ['Egress'] : [])];
  const rules = type === 'Ingress' ? spec.ingress : spec.egress;
  return selectsAll && types.includes(type) && (!Array.isArray(rules) || rules.length === 0);
}

export function checkNetworkPolicies(
  namespaces: readonly string[],
  objects: readonly K8sObject[],
): CheckTally {
  const findings: SecurityFinding[] = [];
  for (const ns of namespaces) {
    const policies = objects.filter(
      (o) => o.kind === 'NetworkPolicy' && (o.metadata?.namespace ?? 'default') === ns,
    );
    const ingress = policies.some((p) => isDefaultDeny(p as Json, 'Ingress'));
    const egress = policies.some((p) => isDefaultDeny(p as Json, 'Egress'));
    if (!ingress || !egress) {
      const missing = [!ingress ? 'Ingress' : '', !egress ? 'Egress' : ''].filter(Boolean);
      findings.push({
        check: 'network-policy-default-deny',
        severity: ingress ? 'medium' : 'high',
        object: `Namespace/${ns}`,
        path: 'NetworkPolicy.spec.policyTypes',
        message:
          policies.length === 0
            ? `namespace ${ns} has no NetworkPolicy: every pod accepts traffic from anywhere in the cluster`
            : `namespace ${ns} has no default-deny ${missing.join(' and ')} policy (podSelector: {} with no rules)`,
        remedy: `add a NetworkPolicy in ${ns} with podSelector: {} and policyTypes: [${missing.join(', ')}], then allow what each service needs`,
      });
    }
  }
  return { evaluated: namespaces.length, findings };
}

export function checkRbac(objects: readonly K8sObject[]): CheckTally {
  const findings: SecurityFinding[] = [];
  let evaluated = 0;
  for (const o of objects) {
    const name = o.metadata?.name ?? '?';
    const ref = refOf(o);
    if ((o.kind === 'Role' || o.kind === 'ClusterRole') && !isBuiltin(name)) {
      evaluated++;
      const rules: Json[] = Array.isArray((o as Json).rules) ? (o as Json).rules : [];
      rules.forEach((rule, i) => {
        for (const field of ['verbs', 'resources', 'apiGroups'] as const) {
          const values: string[] = Array.isArray(rule?.[field]) ? rule[field] : [];
          if (values.includes('*') && (field !== 'apiGroups' || (rule?.resources ?? []).includes('*'))) {
            findings.push({
              check: 'rbac-wildcard',
              severity: 'high',
              object: ref,
              path: `rules[${i}].${field}`,
              message: `${o.kind} ${name} grants "*" in ${field}`,
              remedy: `list the ${field} the workload needs instead of "*"`,
            });
            break;
          }
        }
      });
    }
    if ((o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') && !isBuiltin(name)) {
      evaluated++;
      const roleRef = ((o as Json).roleRef ?? {}) as Json;
      if (roleRef.name !== 'cluster-admin') continue;
      const subjects: Json[] = Array.isArray((o as Json).subjects) ? (o as Json).subjects : [];
      subjects.forEach((s, i) => {
        const workload = s?.kind === 'ServiceAccount';
        findings.push({
          check: 'rbac-cluster-admin',
          severity: workload ? 'critical' : 'high',
          object: ref,
          path: `subjects[${i}]`,
          message: `${o.kind} ${name} gives cluster-admin to ${s?.kind} ${s?.namespace ? `${s.namespace}/` : ''}${s?.name}`,
          remedy: 'bind a Role with only the verbs and resources this subject needs; never cluster-admin',
        });
      });
    }
  }
  return { evaluated, findings };
}

export function checkRemovedApis(objects: readonly K8sObject[]): CheckTally {
  const findings: SecurityFinding[] = [];
  for (const o of objects) {
    if (o.kind !== 'PodSecurityPolicy') continue;
    findings.push({
      check: 'psp-removed',
      severity: 'high',
      object: `PodSecurityPolicy/${o.metadata?.name ?? '?'}`,
      path: 'apiVersion',
      message: `PodSecurityPolicy ${o.metadata?.name ?? '?'} (${o.apiVersion ?? '?'}) cannot be applied: Kubernetes removed PodSecurityPolicy in 1.25, and the target runs 1.28`,
      remedy: `replace it with Pod Security Admission labels (${PSA}enforce: restricted) on each namespace, or a Kyverno/Gatekeeper policy`,
    });
  }
  return { evaluated: findings.length, findings };
}
