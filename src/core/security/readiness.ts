// Cluster readiness from objects read off the API: workloads available at their desired replicas,
// pods Ready and not crash-looping, recent Warning events, PVCs Bound, Services with ready endpoints,
// an Ingress or Traefik IngressRoute per public host, ArgoCD Applications Synced and Healthy, HPAs
// able to read metrics. Pure: objects and the time come in, findings and a tally go out.
import { emptyTotals, outcomeOf, type SecurityFinding, sortFindings, type Totals } from './finding.js';
import { type Json, type K8sObject, refOf as ref } from './objects.js';

export interface ReadinessOptions {
  now: Date;
  /** Warning events younger than this count. @default 15 */
  warningWindowMinutes?: number;
  /** Restarts above this are reported. @default 5 */
  maxRestarts?: number;
  /** The planned Kubernetes minor version (28 for 1.28); nodes on another one are reported. */
  kubernetesMinor?: number;
  /** Host names that must be routed by an Ingress or IngressRoute. */
  publicHosts?: readonly string[];
}

export interface ReadinessReport {
  totals: Totals;
  findings: SecurityFinding[];
  checked: Record<string, number>;
}

const cond = (o: Json, type: string) =>
  ((o.status?.conditions ?? []) as Json[]).find((c) => c?.type === type);

export function evaluateReadiness(objects: readonly K8sObject[], o: ReadinessOptions): ReadinessReport {
  const findings: SecurityFinding[] = [];
  const checked: Record<string, number> = {};
  const count = (k: string) => {
    checked[k] = (checked[k] ?? 0) + 1;
  };
  const add = (f: Omit<SecurityFinding, 'remedy'> & { remedy?: string }) =>
    findings.push({ remedy: 'see kubectl describe for the object', ...f });
  const of = (kind: string) => objects.filter((x) => x.kind === kind) as Json[];

  const nodes = of('Node');
  const notReady = nodes.filter((n) => cond(n, 'Ready')?.status !== 'True');
  for (const n of nodes) {
    count('nodes');
    if (notReady.includes(n)) {
      add({
        check: 'node-ready',
        severity: notReady.length === nodes.length ? 'critical' : 'high',
        object: ref(n),
        path: 'status.conditions[Ready]',
        message: `node is not Ready (${cond(n, 'Ready')?.reason ?? 'no Ready condition'})`,
        remedy: `kubectl describe node ${n.metadata?.name}; check the kubelet and the CNI`,
      });
    }
    const kubelet = String(n.status?.nodeInfo?.kubeletVersion ?? '');
    if (o.kubernetesMinor && kubelet && !kubelet.startsWith(`v1.${o.kubernetesMinor}.`)) {
      add({
        check: 'node-version',
        severity: 'medium',
        object: ref(n),
        path: 'status.nodeInfo.kubeletVersion',
        message: `kubelet ${kubelet}; the plan targets Kubernetes 1.${o.kubernetesMinor}`,
        remedy: 'upgrade or replace the node so every kubelet runs the planned minor version',
      });
    }
  }
  for (const w of [...of('Deployment'), ...of('StatefulSet')]) {
    count('workloads');
    const desired = Number(w.spec?.replicas ?? 1);
    const ready = Number(
      w.kind === 'Deployment' ? (w.status?.availableReplicas ?? 0) : (w.status?.readyReplicas ?? 0),
    );
    if (ready < desired) {
      add({
        check: 'workload-available',
        severity: ready === 0 && desired > 0 ? 'critical' : 'high',
        object: ref(w),
        path: w.kind === 'Deployment' ? 'status.availableReplicas' : 'status.readyReplicas',
        message: `${ready} of ${desired} replicas available`,
        remedy: `kubectl -n ${w.metadata?.namespace} describe ${w.kind.toLowerCase()} ${w.metadata?.name}; check its pods' events`,
      });
    }
  }
  for (const d of of('DaemonSet')) {
    count('workloads');
    const desired = Number(d.status?.desiredNumberScheduled ?? 0);
    const available = Number(d.status?.numberAvailable ?? 0);
    if (available < desired) {
      add({
        check: 'workload-available',
        severity: 'high',
        object: ref(d),
        path: 'status.numberAvailable',
        message: `${available} of ${desired} daemon pods available`,
      });
    }
  }
  const maxRestarts = o.maxRestarts ?? 5;
  for (const p of of('Pod')) {
    if (p.status?.phase === 'Succeeded') continue;
    count('pods');
    const statuses = (p.status?.containerStatuses ?? []) as Json[];
    statuses.forEach((c, i) => {
      const reason = c?.state?.waiting?.reason;
      if (
        reason === 'CrashLoopBackOff' ||
        reason === 'ImagePullBackOff' ||
        reason === 'ErrImagePull' ||
        reason === 'CreateContainerConfigError'
      ) {
        add({
          check: reason === 'CrashLoopBackOff' ? 'crash-loop' : 'container-waiting',
          severity: 'critical',
          object: ref(p),
          path: `status.containerStatuses[${i}].state.waiting.reason`,
          message: `container "${c.name}" is in ${reason}${c.restartCount ? ` after ${c.restartCount} restarts` : ''}`,
          remedy: `kubectl -n ${p.metadata?.namespace} logs ${p.metadata?.name} -c ${c.name} --previous`,
        });
      } else if (Number(c?.restartCount ?? 0) > maxRestarts) {
        add({
          check: 'restarts',
          severity: 'medium',
          object: ref(p),
          path: `status.containerStatuses[${i}].restartCount`,
          message: `container "${c.name}" restarted ${c.restartCount} times`,
          remedy: `kubectl -n ${p.metadata?.namespace} logs ${p.metadata?.name} -c ${c.name} --previous`,
        });
      }
    });
    if (cond(p, 'Ready')?.status !== 'True') {
      add({
        check: 'pod-ready',
        severity: 'high',
        object: ref(p),
        path: 'status.conditions[Ready]',
        message: `pod is not Ready (phase ${p.status?.phase ?? 'unknown'})`,
      });
    }
  }
  const windowMs = (o.warningWindowMinutes ?? 15) * 60_000;
  const warnings = new Map<string, { n: number; reasons: Set<string> }>();
  for (const e of of('Event')) {
    if (e.type !== 'Warning') continue;
    const at = Date.parse(
      String(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp ?? ''),
    );
    if (!Number.isFinite(at) || o.now.getTime() - at > windowMs) continue;
    const inv = e.involvedObject ?? {};
    const key = `${inv.kind}/${inv.namespace ? `${inv.namespace}/` : ''}${inv.name}`;
    const entry = warnings.get(key) ?? { n: 0, reasons: new Set<string>() };
    entry.n += Number(e.count ?? 1);
    entry.reasons.add(String(e.reason ?? 'Warning'));
    warnings.set(key, entry);
  }
  checked.events = of('Event').length;
  for (const [key, w] of warnings) {
    add({
      check: 'warning-events',
      severity: 'low',
      object: key,
      path: 'events',
      message: `${w.n} Warning event(s) in the last ${o.warningWindowMinutes ?? 15} minutes: ${[...w.reasons].join(', ')}`,
      remedy: `kubectl get events --field-selector involvedObject.name=${key.split('/').pop()},type=Warning`,
    });
  }
  for (const pvc of of('PersistentVolumeClaim')) {
    count('pvcs');
    if (pvc.status?.phase !== 'Bound') {
      add({
        check: 'pvc-bound',
        severity: 'high',
        object: ref(pvc),
        path: 'status.phase',
        message: `PVC is ${pvc.status?.phase ?? 'not Bound'}`,
        remedy: 'check the StorageClass and the provisioner events',
      });
    }
  }
  for (const svc of of('Service')) {
    if (!svc.spec?.selector || svc.spec?.type === 'ExternalName') continue;
    count('services');
    const ep = of('Endpoints').find(
      (e) => e.metadata?.name === svc.metadata?.name && e.metadata?.namespace === svc.metadata?.namespace,
    );
    const ready = ((ep?.subsets ?? []) as Json[]).reduce(
      (n, s) => n + ((s?.addresses ?? []) as unknown[]).length,
      0,
    );
    if (ready === 0) {
      add({
        check: 'service-endpoints',
        severity: 'high',
        object: ref(svc),
        path: 'Endpoints.subsets[].addresses',
        message: 'the Service has no ready endpoints: nothing answers behind it',
        remedy: 'check that the selector matches Ready pods',
      });
    }
  }
  const routed = new Set<string>();
  for (const ing of of('Ingress'))
    for (const r of (ing.spec?.rules ?? []) as Json[]) if (r?.host) routed.add(String(r.host));
  for (const ir of of('IngressRoute')) {
    for (const r of (ir.spec?.routes ?? []) as Json[]) {
      for (const m of String(r?.match ?? '').matchAll(/Host\(([^)]*)\)/g)) {
        for (const h of m[1]!.split(',')) routed.add(h.trim().replace(/^[`"']|[`"']$/g, ''));
      }
    }
  }
  for (const host of o.publicHosts ?? []) {
    count('public-hosts');
    if (!routed.has(host)) {
      add({
        check: 'ingress-route',
        severity: 'high',
        object: `host ${host}`,
        path: 'Ingress.spec.rules[].host',
        message: `no Ingress or IngressRoute routes ${host}`,
        remedy: `add an Ingress rule (or a Traefik IngressRoute match Host(\`${host}\`)) for ${host}`,
      });
    }
  }
  for (const app of of('Application')) {
    count('argocd-applications');
    const sync = app.status?.sync?.status;
    const health = app.status?.health?.status;
    if (sync !== 'Synced')
      add({
        check: 'argocd-sync',
        severity: 'medium',
        object: ref(app),
        path: 'status.sync.status',
        message: `Application is ${sync ?? 'not synced'}`,
        remedy: 'argocd app diff / argocd app sync',
      });
    if (health !== 'Healthy')
      add({
        check: 'argocd-health',
        severity: health === 'Degraded' || health === 'Missing' ? 'high' : 'medium',
        object: ref(app),
        path: 'status.health.status',
        message: `Application health is ${health ?? 'unknown'}`,
        remedy: 'argocd app get shows the unhealthy resources',
      });
  }
  for (const hpa of of('HorizontalPodAutoscaler')) {
    count('hpas');
    const active = cond(hpa, 'ScalingActive');
    if (active && active.status !== 'True') {
      add({
        check: 'hpa-metrics',
        severity: 'medium',
        object: ref(hpa),
        path: 'status.conditions[ScalingActive]',
        message: `HPA cannot scale: ${active.reason ?? ''} ${active.message ?? ''}`.trim(),
        remedy: 'check metrics-server (kubectl top pods) and the HPA metric names',
      });
    }
  }
  const totals = emptyTotals();
  const evaluated = Object.entries(checked)
    .filter(([k]) => k !== 'events')
    .reduce((n, [, v]) => n + v, 0);
  for (const f of findings) totals[outcomeOf(f.severity)]++;
  totals.pass = Math.max(0, evaluated - totals.fail - totals.warn);
  return { totals, findings: sortFindings(findings), checked };
}
