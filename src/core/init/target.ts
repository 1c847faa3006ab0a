// A Compose service's base URL on the Kubernetes target, from the cluster's objects (read from a cluster
// or from manifest files): the workload kompose's conventions match to it (../inventory/parity.ts), the
// Services that select its pods, and what exposes them — an Ingress rule, a Traefik IngressRoute (both
// API groups) or a LoadBalancer's address. A ClusterIP Service alone is a TODO, never a guessed URL.

import type { ComposeService } from '../inventory/compose.js';
import { findWorkload, kubeName, servicesFor } from '../inventory/parity.js';
import { type Json, type K8sObject, type Workload, workloadsOf } from '../security/objects.js';
import type { Endpoint } from './baseline.js';
import { type ProbePath, probePath } from './health.js';
import { parseRule } from './traefik.js';

export interface TargetEndpoint extends Endpoint {
  /** The namespace the service's objects live in, when found. */
  namespace?: string;
  /** The path the workload's probes check. */
  probe?: ProbePath;
}

interface Candidate {
  url: string;
  how: string;
  tls: boolean;
  rooted: boolean;
}

const nsOf = (o: K8sObject) => o.metadata?.namespace ?? 'default';

const withPath = (scheme: string, host: string, path: string | undefined) =>
  `${scheme}://${host}${path && path !== '/' ? path.replace(/\/+$/, '') : ''}`;

function ingressCandidates(objects: readonly K8sObject[], names: Set<string>, ns: string): Candidate[] {
  const out: Candidate[] = [];
  for (const ing of objects) {
    if (ing.kind !== 'Ingress' || nsOf(ing) !== ns) continue;
    const spec = ((ing as Json).spec ?? {}) as Json;
    const tlsHosts = new Set<string>(
      ((spec.tls ?? []) as Json[]).flatMap((t) => (Array.isArray(t?.hosts) ? t.hosts.map(String) : [])),
    );
    const lb = (((ing as Json).status?.loadBalancer?.ingress ?? []) as Json[])[0];
    const address = lb?.hostname ?? lb?.ip;
    for (const rule of (spec.rules ?? []) as Json[]) {
      for (const p of (rule?.http?.paths ?? []) as Json[]) {
        if (!names.has(String(p?.backend?.service?.name ?? ''))) continue;
        const host = rule.host ? String(rule.host) : address ? String(address) : undefined;
        if (!host || host.includes('*')) continue;
        const tls = rule.host ? tlsHosts.has(host) : false;
        const path = typeof p.path === 'string' ? p.path : '/';
        out.push({
          url: withPath(tls ? 'https' : 'http', host, path),
          how: `Ingress ${ns}/${ing.metadata?.name ?? '?'}: host ${host}${path !== '/' ? ` path ${path}` : ''}${tls ? ', TLS' : ''}`,
          tls,
          rooted: path === '/' || path === '',
        });
      }
    }
  }
  return out;
}

function ingressRouteCandidates(objects: readonly K8sObject[], names: Set<string>, ns: string): Candidate[] {
  const out: Candidate[] = [];
  for (const ir of objects) {
    if (ir.kind !== 'IngressRoute' || nsOf(ir) !== ns) continue;
    const spec = ((ir as Json).spec ?? {}) as Json;
    const entryPoints = ((spec.entryPoints ?? []) as unknown[]).map(String);
    const tls = spec.tls !== undefined || entryPoints.some((e) => /secure|https/i.test(e));
    for (const route of (spec.routes ?? []) as Json[]) {
      const backends = ((route?.services ?? []) as Json[]).filter(
        (s) => names.has(String(s?.name ?? '')) && (s?.namespace === undefined || s.namespace === ns),
      );
      if (backends.length === 0 || typeof route.match !== 'string') continue;
      const rule = parseRule(route.match);
      const host = rule.hosts[0];
      if (!host) continue;
      out.push({
        url: withPath(tls ? 'https' : 'http', host, rule.path),
        how: `IngressRoute ${ns}/${ir.metadata?.name ?? '?'}: ${route.match}${tls ? ', TLS' : ''}`,
        tls,
        rooted: rule.path === undefined,
      });
    }
  }
  return out;
}

function loadBalancerCandidates(services: readonly Json[]): Candidate[] {
  const out: Candidate[] = [];
  for (const svc of services) {
    if (svc.spec?.type !== 'LoadBalancer') continue;
    const lb = ((svc.status?.loadBalancer?.ingress ?? []) as Json[])[0];
    const address = lb?.hostname ?? lb?.ip;
    if (!address) continue;
    const ports = (svc.spec?.ports ?? []) as Json[];
    const port =
      ports.find((p) => /http/i.test(String(p?.name ?? '')) || p?.port === 80 || p?.port === 443) ?? ports[0];
    const number = Number(port?.port ?? 80);
    const tls = number === 443 || /https/i.test(String(port?.name ?? ''));
    const shown = number === (tls ? 443 : 80) ? '' : `:${number}`;
    out.push({
      url: `${tls ? 'https' : 'http'}://${address}${shown}`,
      how: `LoadBalancer Service ${nsOf(svc)}/${svc.metadata?.name ?? '?'}: ${address}${shown}`,
      tls,
      rooted: true,
    });
  }
  return out;
}

/** Why a matched service has no outside URL, for the TODO. */
function unexposed(services: readonly Json[], workload: Workload | undefined, name: string): string {
  const svc = services[0];
  if (!svc)
    return workload
      ? `no Service selects ${workload.ref}'s pods, and no Ingress or IngressRoute names one`
      : `no workload or Service named ${name} in the manifests or namespaces read`;
  const type = String(svc.spec?.type ?? 'ClusterIP');
  const ref = `${nsOf(svc)}/${svc.metadata?.name}`;
  if (type === 'LoadBalancer') return `Service ${ref} is a LoadBalancer without an address yet`;
  if (type === 'NodePort') return `Service ${ref} is a NodePort: a node's address and its node port`;
  const port = ((svc.spec?.ports ?? []) as Json[])[0]?.port ?? 80;
  return `Service ${ref} is ${type} only, reachable inside the cluster: add an Ingress, or \`kubectl port-forward -n ${nsOf(svc)} svc/${svc.metadata?.name} 8080:${port}\` and http://127.0.0.1:8080`;
}

export function targetEndpoint(s: ComposeService, objects: readonly K8sObject[]): TargetEndpoint {
  const workload = findWorkload(s, workloadsOf(objects));
  const want = kubeName(s.name);
  const services = workload
    ? servicesFor(workload, objects)
    : (objects.filter((o) => o.kind === 'Service' && o.metadata?.name === want) as Json[]);
  const namespace = workload?.namespace ?? (services[0] ? nsOf(services[0] as K8sObject) : undefined);
  const probe = probePath(workload);
  const base = {
    ...(namespace ? { namespace } : {}),
    ...(probe ? { probe } : {}),
  };
  if (!namespace) return { ...base, todos: [unexposed([], undefined, want)], routed: false };
  const names = new Set(services.map((svc) => String(svc.metadata?.name ?? '')));
  names.add(want);
  const routed = [
    ...ingressCandidates(objects, names, namespace),
    ...ingressRouteCandidates(objects, names, namespace),
  ];
  const candidates = routed.length > 0 ? routed : loadBalancerCandidates(services);
  // TLS and the whole host first: that is the URL users reach.
  const best = [...candidates].sort(
    (a, b) => Number(b.tls) - Number(a.tls) || Number(b.rooted) - Number(a.rooted),
  )[0];
  if (!best)
    return { ...base, todos: [`no target URL: ${unexposed(services, workload, want)}`], routed: false };
  const others = [...new Set(candidates.map((c) => c.url))].filter((u) => u !== best.url);
  return {
    ...base,
    url: best.url,
    how: best.how,
    todos: others.length ? [`also reachable as ${others.join(', ')}`] : [],
    routed: routed.length > 0,
  };
}
