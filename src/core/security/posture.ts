// Workload posture over a set of Kubernetes objects, the same whether they come from manifest files
// (before anything is deployed) or from the cluster: Pod Security Standards per container, workload
// hygiene, namespace labels, NetworkPolicies, RBAC, removed APIs. Pure: objects in, report out.
import {
  checkNamespaceLabels,
  checkNetworkPolicies,
  checkRbac,
  checkRemovedApis,
  SYSTEM_NAMESPACES,
} from './cluster-checks.js';
import { emptyTotals, outcomeOf, type SecurityFinding, sortFindings, type Totals } from './finding.js';
import { type Json, type K8sObject, workloadsOf } from './objects.js';
import { evaluatePss, pssLevel } from './pss.js';
import { type CheckTally, checkWorkload } from './workload-checks.js';

const PSS_CONTAINER_CHECKS = 10;
const PSS_POD_CHECKS = 4;

export interface WorkloadProfile {
  object: string;
  /** The strictest Pod Security Standards level the workload meets. */
  level: 'restricted' | 'baseline' | 'privileged';
  baseline: 'pass' | 'fail';
  restricted: 'pass' | 'fail';
  /** Check ids that keep it from the next level. */
  violations: string[];
}

export interface PostureReport {
  totals: Totals;
  findings: SecurityFinding[];
  profiles: WorkloadProfile[];
  workloads: number;
  namespaces: string[];
}

export interface PostureOptions {
  source: 'manifests' | 'cluster';
  /** Namespaces that must have PSA labels and a default-deny policy; default: every non-system namespace with a workload. */
  applicationNamespaces?: readonly string[];
  /** Namespace for objects without one (manifest files). @default "default" */
  defaultNamespace?: string;
}

export function evaluatePosture(objects: readonly K8sObject[], options: PostureOptions): PostureReport {
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const workloads = workloadsOf(objects, defaultNamespace).filter((w) => !SYSTEM_NAMESPACES.has(w.namespace));
  const namespaces =
    options.applicationNamespaces !== undefined
      ? [...options.applicationNamespaces]
      : [...new Set(workloads.map((w) => w.namespace))].sort();

  const saNoAutomount = new Set<string>();
  const saInUse = new Set<string>();
  for (const o of objects) {
    if (o.kind === 'ServiceAccount' && (o as Json).automountServiceAccountToken === false) {
      saNoAutomount.add(`${o.metadata?.namespace ?? defaultNamespace}/${o.metadata?.name}`);
    }
    if (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') {
      for (const s of ((o as Json).subjects ?? []) as Json[]) {
        if (s?.kind === 'ServiceAccount')
          saInUse.add(`${s.namespace ?? o.metadata?.namespace ?? defaultNamespace}/${s.name}`);
      }
    }
  }

  const totals = emptyTotals();
  const findings: SecurityFinding[] = [];
  const tally = (t: CheckTally) => {
    findings.push(...t.findings);
    totals.pass += Math.max(0, t.evaluated - t.findings.filter((f) => f.severity !== 'info').length);
    for (const f of t.findings) totals[outcomeOf(f.severity)]++;
  };

  const profiles: WorkloadProfile[] = [];
  for (const w of workloads) {
    const violations = evaluatePss(w);
    const level = pssLevel(violations);
    profiles.push({
      object: w.ref,
      level,
      baseline: level === 'privileged' ? 'fail' : 'pass',
      restricted: level === 'restricted' ? 'pass' : 'fail',
      violations: [...new Set(violations.map((v) => v.check))],
    });
    // Each PSS check family counts once per container (and once per pod for pod-level fields),
    // so passes are counted as kube-bench counts its checks.
    tally({
      evaluated: w.containers.length * PSS_CONTAINER_CHECKS + PSS_POD_CHECKS,
      findings: violations.map((v) => ({
        check: v.check,
        severity: v.severity,
        object: w.ref,
        path: v.path,
        message: `${v.message} (Pod Security Standards ${v.level})`,
        remedy: v.remedy,
      })),
    });
    tally(
      checkWorkload(w, { serviceAccountsWithoutAutomount: saNoAutomount, serviceAccountsInUse: saInUse }),
    );
  }
  tally(checkNamespaceLabels(namespaces, objects, options.source));
  tally(checkNetworkPolicies(namespaces, objects));
  tally(checkRbac(objects));
  tally(checkRemovedApis(objects));

  return { totals, findings: sortFindings(findings), profiles, workloads: workloads.length, namespaces };
}
