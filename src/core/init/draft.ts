// What `cutover init` infers for a config, before it is written out: every Compose service with its
// base URL on the baseline and the target, its health path, a tier guessed from the image, and the
// TODOs — what neither the Compose file nor the cluster says (phases and waves always: they are the
// migration plan's, not the platform's). Pure; ./render.ts turns it into cutover.config.ts.
import type { ComposeModel, ComposeService } from '../inventory/compose.js';
import type { K8sObject } from '../security/objects.js';
import { baselineEndpoint, type Endpoint, nonHttpReason } from './baseline.js';
import { healthcheckPath } from './health.js';
import { type TargetEndpoint, targetEndpoint } from './target.js';
import { type TraefikStatic, traefikStatic } from './traefik.js';

export type Tier = 'infrastructure' | 'monitoring' | 'application' | 'frontend' | 'ai';

export interface DraftService {
  /** The config's id: the Compose name, lower-cased, with `_` and `.` as `-`. */
  id: string;
  composeName: string;
  image?: string;
  tier: Tier;
  /** Why that tier (a word of the image or name), or undefined when it is the default. */
  tierFrom?: string;
  phase: number;
  /** The service speaks no HTTP (a database, a broker): written as a comment, not a service. */
  nonHttp?: string;
  baseline: Endpoint;
  /** Undefined when no Kubernetes objects were read. */
  target?: TargetEndpoint;
  health: { path: string; from?: string; todos: string[] };
  public: boolean;
}

export interface Draft {
  project: string;
  services: DraftService[];
  /** Services of inactive profiles, named in a comment. */
  inactive: ComposeModel['inactive'];
  /** Namespaces the matched objects live in, in first-seen order. */
  namespaces: string[];
  warnings: string[];
  unsetVariables: string[];
}

const TIER_WORDS: [Tier, RegExp][] = [
  [
    'monitoring',
    /prometheus|grafana|alertmanager|loki|promtail|tempo|jaeger|exporter|cadvisor|otel|zipkin|uptime-kuma|victoriametrics/,
  ],
  [
    'infrastructure',
    /traefik|nginx-proxy|caddy|haproxy|envoy|keycloak|openbao|vault|authelia|authentik|postgres|mysql|mariadb|redis|valkey|mongo|rabbitmq|kafka|zookeeper|nats|minio|memcached|elasticsearch|opensearch|etcd|consul|registry|mailpit|mailhog/,
  ],
  ['ai', /ollama|vllm|langgraph|langchain|llm|openai|anthropic|claude|n8n|jupyter|mlflow/],
  ['frontend', /frontend|front-end|webapp|web-ui|-ui\b|\bui\b|spa|next|nuxt|react|angular|vue/],
];

function tierOf(s: ComposeService): { tier: Tier; from?: string } {
  // The image's own name, without registry, owner and tag (`quay.io/keycloak/keycloak:26` → `keycloak`).
  const image = ((s.image ?? '').toLowerCase().split('@')[0]!.split('/').at(-1) ?? '').replace(/:.*$/, '');
  const text = `${s.name.toLowerCase()} ${image}`;
  for (const [tier, words] of TIER_WORDS) {
    const m = words.exec(text);
    if (m) return { tier, from: m[0] };
  }
  return { tier: 'application' };
}

export function serviceId(composeName: string): string {
  const id = composeName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '');
  return id || 'service';
}

/** The project's name: Compose's `name:`, else the Compose file's folder, as Compose itself names it. */
export function projectName(compose: ComposeModel, folder: string): string {
  const raw = compose.name ?? folder;
  return serviceId(raw) === 'service' ? 'project' : serviceId(raw);
}

function healthOf(
  s: ComposeService,
  target: TargetEndpoint | undefined,
  traefik: TraefikStatic | undefined,
): DraftService['health'] {
  const compose = healthcheckPath(s.healthcheckTest);
  // Traefik's own answers, when its flags turn them on: /ping, else the API's version.
  if (!compose && traefik?.service === s && (traefik.ping || traefik.apiInsecure))
    return traefik.ping
      ? { path: '/ping', from: "Traefik's --ping", todos: [] }
      : { path: '/api/version', from: "Traefik's --api.insecure", todos: [] };
  const probe = target?.probe;
  const todos: string[] = [];
  if (compose?.droppedQuery || probe?.droppedQuery) todos.push('the check carried a query string, left out');
  if (compose) {
    if (probe && probe.path !== compose.path)
      todos.push(`the target's ${probe.probe} probe checks ${probe.path} instead: which one says healthy?`);
    return { path: compose.path, from: 'the Compose healthcheck', todos };
  }
  if (probe) return { path: probe.path, from: `the Kubernetes ${probe.probe} probe`, todos };
  return { path: '/', todos: ['no healthcheck or readiness probe names a health path: / is a placeholder'] };
}

/** The path of a URL without its trailing slash ('' for the root), or undefined when there is no URL. */
function basePath(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).pathname.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}

/**
 * The health path as the smoke suite joins it: to the service's URL. A route under a prefix (Traefik's
 * PathPrefix(`/v1`), an Ingress path /v1) puts the prefix in the URL, while the container's own check
 * names the whole path (/v1/healthz): kept as is, the probe would ask for /v1/v1/healthz. Where every
 * URL has the prefix, it is taken off the health path; where the sides differ, a TODO says so.
 */
function belowBase(
  health: DraftService['health'],
  urls: readonly (string | undefined)[],
): DraftService['health'] {
  const prefixes = [...new Set(urls.map(basePath).filter((p): p is string => p !== undefined))];
  const under = prefixes.filter((p) => p !== '' && health.path.startsWith(`${p}/`));
  if (under.length === 0) return health;
  if (prefixes.length === 1)
    return {
      ...health,
      path: health.path.slice(under[0]!.length),
      todos: [
        ...health.todos,
        `the check's ${health.path} is written below the URL's ${under[0]} (the probe joins them): check it answers there`,
      ],
    };
  return {
    ...health,
    todos: [
      ...health.todos,
      `the URLs' paths differ (${prefixes.map((p) => p || '/').join(' and ')}) and the probe joins ${health.path} to each: give both sides the same prefix`,
    ],
  };
}

export function draftConfig(
  compose: ComposeModel,
  options: { folder: string; objects?: readonly K8sObject[] },
): Draft {
  const traefik = traefikStatic(compose.services);
  const namespaces: string[] = [];
  const taken = new Set<string>();
  const services = compose.services.map((s): DraftService => {
    let id = serviceId(s.name);
    for (let n = 2; taken.has(id); n++) id = `${serviceId(s.name)}-${n}`;
    taken.add(id);
    const { tier, from } = tierOf(s);
    const baseline = baselineEndpoint(s, traefik);
    const target = options.objects ? targetEndpoint(s, options.objects) : undefined;
    if (target?.namespace && target.url && !namespaces.includes(target.namespace))
      namespaces.push(target.namespace);
    const nonHttp = nonHttpReason(s);
    return {
      id,
      composeName: s.name,
      ...(s.image ? { image: s.image } : {}),
      tier,
      ...(from ? { tierFrom: from } : {}),
      // The infrastructure and monitoring move first (phase 2 of a typical plan), the applications after.
      phase: tier === 'infrastructure' || tier === 'monitoring' ? 2 : 3,
      ...(nonHttp ? { nonHttp } : {}),
      baseline,
      ...(target ? { target } : {}),
      health: belowBase(healthOf(s, target, traefik), [baseline.url, target?.url]),
      // Public: reached from outside the platform, through a route or a published port.
      public: baseline.routed || target?.routed === true || s.ports.some((p) => p.published !== undefined),
    };
  });
  // Namespaces of services found but not exposed still belong to the target.
  for (const s of services)
    if (s.target?.namespace && !namespaces.includes(s.target.namespace)) namespaces.push(s.target.namespace);
  return {
    project: projectName(compose, options.folder),
    services,
    inactive: compose.inactive,
    namespaces,
    warnings: compose.warnings,
    unsetVariables: compose.unsetVariables,
  };
}
