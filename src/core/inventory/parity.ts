// Compose ↔ Kubernetes inventory parity, in kompose's terms: each Compose service should have a
// workload (Deployment/StatefulSet/DaemonSet named after it, or labelled io.kompose.service) and a
// Service; `image` → containers[].image, `ports` (published:target) → Service port:targetPort and
// containerPort, `environment`/`env_file` → env names, named volumes → PersistentVolumeClaims at the
// same mountPath, `healthcheck` → probes, `deploy.replicas` → spec.replicas, `deploy.resources.limits`
// → resources.limits. Only names and shapes are compared: never environment values.
import type { Severity } from '../evidence.js';
import {
  type Json,
  type K8sObject,
  normalRepository,
  parseImage,
  type Workload,
  workloadsOf,
} from '../security/objects.js';
import type { ComposeModel, ComposeService } from './compose.js';
import { cpuCores, memoryBytes } from './quantity.js';

export interface InventoryDifference {
  field:
    | 'workload'
    | 'service'
    | 'image'
    | 'ports'
    | 'env'
    | 'volumes'
    | 'healthcheck'
    | 'replicas'
    | 'limits';
  severity: Severity;
  message: string;
  /** What Compose has, such as `8000:80` or `MYSQL_PASSWORD` (names, never values). */
  compose?: string;
  kubernetes?: string;
}

export interface InventoryService {
  name: string;
  status: 'matched' | 'missing' | 'different';
  workload?: string;
  service?: string;
  /** Compose ports found in Kubernetes, as `published→target` (`8000→80`) or `target`. */
  ports: string[];
  differences: InventoryDifference[];
}

export interface InventoryReport {
  services: InventoryService[];
  /** Workloads with no Compose counterpart. */
  extra: string[];
  inactive: { name: string; profiles: string[] }[];
  warnings: string[];
  /** Variables the Compose file uses that are not set (Compose substitutes ""); names only. */
  unsetVariables: string[];
}

export const kubeName = (composeName: string) => composeName.toLowerCase().replace(/[_.]/g, '-');

export function findWorkload(service: ComposeService, workloads: Workload[]): Workload | undefined {
  const want = kubeName(service.name);
  const byLabel = (key: string) =>
    workloads.find((w) => w.podMeta?.labels?.[key] === want || w.object.metadata?.labels?.[key] === want);
  return (
    workloads.find((w) => w.name === want) ??
    byLabel('io.kompose.service') ??
    byLabel('app.kubernetes.io/name') ??
    byLabel('app')
  );
}

export function servicesFor(w: Workload, objects: readonly K8sObject[]): Json[] {
  const labels = (w.podMeta?.labels ?? {}) as Record<string, string>;
  return objects.filter((o) => {
    if (o.kind !== 'Service' || (o.metadata?.namespace ?? 'default') !== w.namespace) return false;
    const selector = ((o as Json).spec?.selector ?? {}) as Record<string, string>;
    const keys = Object.keys(selector);
    return keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
  }) as Json[];
}

function envNamesOf(w: Workload, objects: readonly K8sObject[]): { names: Set<string>; open: boolean } {
  const names = new Set<string>();
  let open = false;
  for (const c of w.containers.filter((c) => c.list === 'containers')) {
    for (const e of (c.container.env ?? []) as Json[]) if (e?.name) names.add(String(e.name));
    for (const from of (c.container.envFrom ?? []) as Json[]) {
      const ref = from?.configMapRef ?? from?.secretRef;
      const kind = from?.configMapRef ? 'ConfigMap' : 'Secret';
      const source = objects.find(
        (o) =>
          o.kind === kind &&
          o.metadata?.name === ref?.name &&
          (o.metadata?.namespace ?? 'default') === w.namespace,
      ) as Json | undefined;
      if (!source) {
        open = true; // names come from an object not at hand: do not call anything missing
        continue;
      }
      const prefix = String(from.prefix ?? '');
      for (const k of Object.keys({ ...(source.data ?? {}), ...(source.stringData ?? {}) }))
        names.add(`${prefix}${k}`);
    }
  }
  return { names, open };
}

function pvcMountPaths(w: Workload): Set<string> {
  const claimVolumes = new Set<string>();
  for (const v of (w.podSpec.volumes ?? []) as Json[])
    if (v?.persistentVolumeClaim || v?.ephemeral) claimVolumes.add(String(v.name));
  for (const t of ((w.object as Json).spec?.volumeClaimTemplates ?? []) as Json[])
    claimVolumes.add(String(t?.metadata?.name));
  const paths = new Set<string>();
  for (const c of w.containers) {
    for (const m of (c.container.volumeMounts ?? []) as Json[])
      if (claimVolumes.has(String(m?.name))) paths.add(String(m.mountPath));
  }
  return paths;
}

function anyMountPaths(w: Workload): Set<string> {
  const paths = new Set<string>();
  for (const c of w.containers)
    for (const m of (c.container.volumeMounts ?? []) as Json[]) paths.add(String(m?.mountPath));
  return paths;
}

export function compareInventory(compose: ComposeModel, objects: readonly K8sObject[]): InventoryReport {
  const workloads = workloadsOf(objects).filter((w) =>
    ['Deployment', 'StatefulSet', 'DaemonSet'].includes(w.kind),
  );
  const used = new Set<string>();
  const services: InventoryService[] = [];

  for (const s of compose.services) {
    const w = findWorkload(s, workloads);
    if (!w) {
      services.push({
        name: s.name,
        status: 'missing',
        ports: [],
        differences: [
          {
            field: 'workload',
            severity: 'high',
            message: `no Deployment, StatefulSet or DaemonSet named ${kubeName(s.name)} (or labelled io.kompose.service=${kubeName(s.name)})`,
            compose: s.name,
          },
        ],
      });
      continue;
    }
    used.add(w.ref);
    const diffs: InventoryDifference[] = [];
    const main =
      w.containers.find((c) => c.list === 'containers' && c.container.name === kubeName(s.name)) ??
      w.containers.find((c) => c.list === 'containers');
    const kubeSvcs = servicesFor(w, objects);

    // image: repository and tag
    if (s.image && main) {
      const a = parseImage(s.image);
      const b = parseImage(String(main.container.image ?? ''));
      if (normalRepository(a.repository) !== normalRepository(b.repository)) {
        diffs.push({
          field: 'image',
          severity: 'high',
          message: `image repository differs`,
          compose: s.image,
          kubernetes: String(main.container.image),
        });
      } else if ((a.tag ?? 'latest') !== (b.tag ?? 'latest') && !b.digest) {
        diffs.push({
          field: 'image',
          severity: 'medium',
          message: `image tag differs`,
          compose: s.image,
          kubernetes: String(main.container.image),
        });
      }
    } else if (!s.image && s.build) {
      diffs.push({
        field: 'image',
        severity: 'info',
        message: 'Compose builds this image (build:); kompose needs it pushed to a registry',
        ...(main ? { kubernetes: String(main.container.image) } : {}),
      });
    }

    // ports: target → containerPort / Service targetPort; published → Service port
    const containerPorts = new Set<number>();
    for (const c of w.containers)
      for (const p of (c.container.ports ?? []) as Json[])
        if (p?.containerPort) containerPorts.add(Number(p.containerPort));
    const svcPorts = kubeSvcs.flatMap((svc) =>
      ((svc.spec?.ports ?? []) as Json[]).map((p) => ({
        svc,
        port: Number(p.port),
        target: resolveTarget(p.targetPort ?? p.port, w),
      })),
    );
    const matchedPorts: string[] = [];
    const composePorts = [...s.ports, ...s.expose.map((target) => ({ target, protocol: 'tcp' as const }))];
    for (const p of composePorts) {
      const label =
        'published' in p && p.published !== undefined ? `${p.published}→${p.target}` : `${p.target}`;
      const exposed = svcPorts.filter((sp) => sp.target === p.target);
      if (exposed.length === 0 && !containerPorts.has(p.target)) {
        diffs.push({
          field: 'ports',
          severity: 'medium',
          message: `port ${label} has no containerPort or Service targetPort ${p.target}`,
          compose: label,
        });
        continue;
      }
      if (exposed.length === 0) {
        diffs.push({
          field: 'service',
          severity: 'medium',
          message: `port ${p.target} is a containerPort but no Service exposes it`,
          compose: label,
        });
        continue;
      }
      const published = 'published' in p ? p.published : undefined;
      if (published !== undefined && !exposed.some((sp) => sp.port === published)) {
        diffs.push({
          field: 'ports',
          severity: 'info',
          message: `published port ${published} is Service port ${exposed.map((e) => e.port).join(', ')} (kompose keeps the published port)`,
          compose: label,
          kubernetes: exposed.map((e) => `${e.port}→${e.target}`).join(', '),
        });
      }
      matchedPorts.push(label);
    }
    if (composePorts.length > 0 && kubeSvcs.length === 0) {
      diffs.push({
        field: 'service',
        severity: 'high',
        message: `no Service selects the pods of ${w.ref}`,
        compose: s.name,
      });
    }

    // environment variable names
    const env = envNamesOf(w, objects);
    const missingEnv = s.envNames.filter((n) => !env.names.has(n));
    if (missingEnv.length > 0 && !env.open) {
      diffs.push({
        field: 'env',
        severity: 'medium',
        message: `environment variables not set in Kubernetes: ${missingEnv.join(', ')}`,
        compose: missingEnv.join(', '),
      });
    } else if (missingEnv.length > 0) {
      diffs.push({
        field: 'env',
        severity: 'info',
        message: `not set directly (they may come from an envFrom source not in these objects): ${missingEnv.join(', ')}`,
        compose: missingEnv.join(', '),
      });
    }

    // volumes: named → PVC at the same mountPath; bind/tmpfs → any volume at that path
    const pvcPaths = pvcMountPaths(w);
    const mountPaths = anyMountPaths(w);
    for (const v of s.volumes) {
      if (v.type === 'volume' && !pvcPaths.has(v.target)) {
        diffs.push({
          field: 'volumes',
          severity: mountPaths.has(v.target) ? 'medium' : 'high',
          message: mountPaths.has(v.target)
            ? `named volume ${v.source ?? ''} at ${v.target} is not a PersistentVolumeClaim in Kubernetes (data would not persist)`
            : `named volume ${v.source ?? ''} at ${v.target} has no volumeMount (kompose maps it to a PVC)`,
          compose: `${v.source ?? ''}:${v.target}`,
        });
      } else if (v.type !== 'volume' && !mountPaths.has(v.target)) {
        diffs.push({
          field: 'volumes',
          severity: 'medium',
          message: `${v.type} mount at ${v.target} has no volumeMount`,
          compose: `${v.source ?? v.type}:${v.target}`,
        });
      }
    }

    // healthcheck → probes
    if (s.healthcheck && main && !main.container.livenessProbe && !main.container.readinessProbe) {
      diffs.push({
        field: 'healthcheck',
        severity: 'medium',
        message: 'Compose has a healthcheck; the container has no livenessProbe or readinessProbe',
        compose: 'healthcheck',
      });
    }

    // replicas
    const replicas = w.kind === 'DaemonSet' ? undefined : Number((w.object as Json).spec?.replicas ?? 1);
    if (replicas !== undefined && replicas !== s.replicas) {
      diffs.push({
        field: 'replicas',
        severity: replicas < s.replicas ? 'medium' : 'info',
        message: `replicas ${s.replicas} in Compose, ${replicas} in Kubernetes`,
        compose: String(s.replicas),
        kubernetes: String(replicas),
      });
    }

    // limits
    const limits = (main?.container.resources?.limits ?? {}) as Json;
    if (s.limits.memoryBytes !== undefined) {
      const k = memoryBytes(limits.memory);
      if (k === undefined)
        diffs.push({
          field: 'limits',
          severity: 'medium',
          message: 'Compose limits memory; the container has no limits.memory',
          compose: String(s.limits.memoryBytes),
        });
      else if (k < s.limits.memoryBytes)
        diffs.push({
          field: 'limits',
          severity: 'low',
          message: `memory limit is lower in Kubernetes (${limits.memory})`,
          compose: String(s.limits.memoryBytes),
          kubernetes: String(limits.memory),
        });
    }
    if (s.limits.cpus !== undefined) {
      const k = cpuCores(limits.cpu);
      if (k !== undefined && k < s.limits.cpus)
        diffs.push({
          field: 'limits',
          severity: 'low',
          message: `CPU limit is lower in Kubernetes (${limits.cpu})`,
          compose: String(s.limits.cpus),
          kubernetes: String(limits.cpu),
        });
    }

    const significant = diffs.some((d) => d.severity !== 'info');
    services.push({
      name: s.name,
      status: significant ? 'different' : 'matched',
      workload: w.ref,
      ...(kubeSvcs[0] ? { service: `Service/${w.namespace}/${kubeSvcs[0].metadata?.name}` } : {}),
      ports: matchedPorts,
      differences: diffs,
    });
  }
  return {
    services,
    extra: workloads.filter((w) => !used.has(w.ref)).map((w) => w.ref),
    inactive: compose.inactive,
    warnings: compose.warnings,
    unsetVariables: compose.unsetVariables,
  };
}

function resolveTarget(targetPort: unknown, w: Workload): number {
  if (typeof targetPort === 'number') return targetPort;
  const n = Number(targetPort);
  if (Number.isInteger(n)) return n;
  for (const c of w.containers) {
    for (const p of (c.container.ports ?? []) as Json[])
      if (p?.name === targetPort) return Number(p.containerPort);
  }
  return Number.NaN;
}
