// A Compose service's base URL on the baseline, from what the file says: a Traefik router on its labels
// (the rule's host, on the port Compose publishes for the router's entrypoint, https when TLS), else a
// published port (on this machine). Anything the file does not settle is a TODO, never a guessed URL.
import type { ComposeService } from '../inventory/compose.js';
import { healthcheckPath } from './health.js';
import { type Entrypoint, parseRule, type Router, routersOf, type TraefikStatic } from './traefik.js';

export interface Endpoint {
  url?: string;
  /** Where the URL comes from, for the comment beside it. */
  how?: string;
  /** What the generator could not settle about this service here. */
  todos: string[];
  /** Served through an ingress (a public host), not only a port. */
  routed: boolean;
}

/** The host Compose's published ports are reached on: this machine (see the config's header comment). */
export const PUBLISHED_HOST = '127.0.0.1';

/** Ports of protocols other than HTTP: databases, caches, brokers, mail. */
const NON_HTTP_PORTS = new Set([
  21, 22, 25, 53, 110, 143, 389, 465, 587, 636, 993, 995, 1433, 1521, 1883, 2181, 3306, 4222, 5432, 5672,
  6379, 7000, 7001, 9042, 9092, 11211, 27017, 26257, 50051,
]);

const NON_HTTP_IMAGES = new Set([
  'postgres',
  'postgis',
  'mysql',
  'mariadb',
  'redis',
  'valkey',
  'mongo',
  'memcached',
  'kafka',
  'zookeeper',
  'rabbitmq',
  'nats',
  'etcd',
  'cassandra',
  'mssql-server',
  'cockroach',
  'timescaledb',
  'pgbouncer',
]);

/** The service speaks something other than HTTP on every port it has (a database, a broker). */
export function nonHttpReason(s: ComposeService): string | undefined {
  const ports = [...s.ports.map((p) => p.target), ...s.expose];
  if (routersOf(s.labels).length > 0) return undefined;
  if (ports.length > 0 && ports.every((p) => NON_HTTP_PORTS.has(p)))
    return `port${ports.length > 1 ? 's' : ''} ${[...new Set(ports)].join(', ')} speak${ports.length > 1 ? '' : 's'} no HTTP`;
  if (ports.length > 0 && s.ports.every((p) => p.protocol === 'udp') && s.expose.length === 0)
    return 'its ports are UDP only';
  // A database or broker image with no port of its own in the file still speaks its own protocol.
  const image = ((s.image ?? '').toLowerCase().split('@')[0]!.split('/').at(-1) ?? '').replace(/:.*$/, '');
  if (NON_HTTP_IMAGES.has(image) && ports.every((p) => NON_HTTP_PORTS.has(p)))
    return `${image} speaks no HTTP`;
  return undefined;
}

const urlOf = (scheme: string, host: string, port: number | undefined, path = '') => {
  const defaultPort = scheme === 'https' ? 443 : 80;
  const shownPort = port === undefined || port === defaultPort ? '' : `:${port}`;
  return `${scheme}://${host}${shownPort}${path === '/' ? '' : path.replace(/\/+$/, '')}`;
};

const published = (s: ComposeService, target: number) =>
  s.ports.find((p) => p.target === target && p.protocol === 'tcp' && p.published !== undefined)?.published;

/** Traefik's conventional entrypoint names, for a Traefik whose static configuration is not in the file. */
const CONVENTIONAL: Record<string, { port: number; tls: boolean }> = {
  web: { port: 80, tls: false },
  http: { port: 80, tls: false },
  websecure: { port: 443, tls: true },
  https: { port: 443, tls: true },
};

function viaTraefik(s: ComposeService, traefik: TraefikStatic | undefined): Endpoint | undefined {
  if (s.labels['traefik.enable']?.toLowerCase() === 'false') return undefined;
  const routers = routersOf(s.labels).filter((r) => r.rule);
  if (routers.length === 0) return undefined;
  const todos: string[] = [];
  if (traefik && !traefik.exposedByDefault && s.labels['traefik.enable']?.toLowerCase() !== 'true')
    return {
      todos: [
        'Traefik labels without traefik.enable=true, and Traefik runs with exposedByDefault=false: not routed',
      ],
      routed: false,
    };
  // A TLS router first: where a plain one exists beside it, it usually redirects to the TLS one.
  const ordered = [...routers.filter((r) => r.tls), ...routers.filter((r) => !r.tls)];
  for (const router of ordered) {
    const rule = parseRule(router.rule!);
    if (rule.hosts.length === 0) {
      todos.push(
        rule.regexpOnly
          ? `router ${router.name} matches hosts by pattern (HostRegexp): name one host`
          : `router ${router.name} has no Host() in its rule (${router.rule}): the host is Traefik's default`,
      );
      continue;
    }
    const entry = entrypointFor(router, traefik, todos);
    if (!entry) continue;
    const scheme = router.tls || entry.tls ? 'https' : 'http';
    let port: number | undefined = entry.port;
    if (traefik) {
      port = published(traefik.service, entry.port);
      if (port === undefined) {
        todos.push(
          `Traefik's entrypoint ${entry.name} (:${entry.port}) is not published by service ${traefik.service.name}`,
        );
        continue;
      }
    }
    if (rule.hosts.length > 1)
      todos.push(`router ${router.name} also answers ${rule.hosts.slice(1).join(', ')}`);
    if (rule.path)
      todos.push(
        `router ${router.name} routes only ${rule.path}: check the health path is reached below it (middlewares such as stripPrefix)`,
      );
    return {
      url: urlOf(scheme, rule.hosts[0]!, port, rule.path),
      how: `Traefik router ${router.name}: ${router.rule} on ${entry.name}${scheme === 'https' ? ', TLS' : ''}`,
      todos,
      routed: true,
    };
  }
  return { todos, routed: false };
}

function entrypointFor(
  router: Router,
  traefik: TraefikStatic | undefined,
  todos: string[],
): Entrypoint | undefined {
  const known = traefik?.entrypoints ?? [];
  const names = router.entrypoints.length > 0 ? router.entrypoints : known.map((e) => e.name);
  const candidates: Entrypoint[] = [];
  for (const name of names) {
    const found = known.find((e) => e.name.toLowerCase() === name.toLowerCase());
    if (found) candidates.push(found);
    else if (CONVENTIONAL[name.toLowerCase()]) {
      const c = CONVENTIONAL[name.toLowerCase()]!;
      todos.push(
        `entrypoint ${name} is not defined in this file's Traefik command; assumed :${c.port}${c.tls ? ' with TLS' : ''} as its name suggests`,
      );
      candidates.push({ name, ...c });
    }
  }
  // No entrypoints at all: Traefik's default is one entrypoint "http" on :80.
  if (names.length === 0 && router.entrypoints.length === 0)
    candidates.push({ name: 'http', port: 80, tls: false });
  const notRedirecting = candidates.filter((e) => !e.redirectsTo);
  const pick =
    (router.tls ? notRedirecting.find((e) => e.port === 443 || e.tls) : undefined) ??
    notRedirecting[0] ??
    candidates[0];
  if (!pick)
    todos.push(
      `router ${router.name}: entrypoint ${names.join(', ')} is not defined anywhere Cutover can read`,
    );
  return pick;
}

/** The service's own published port, as a URL on this machine. */
function viaPublishedPort(s: ComposeService, traefik: TraefikStatic | undefined): Endpoint {
  const tcp = s.ports.filter((p) => p.protocol === 'tcp' && p.published !== undefined);
  if (tcp.length === 0) {
    const reason =
      s.ports.length > 0
        ? 'its ports are published on a random host port (`docker compose port` shows it)'
        : s.expose.length > 0
          ? `only exposed inside the Compose network (${s.expose.join(', ')}), neither published nor routed`
          : 'no published port and no Traefik route';
    return { todos: [`no baseline URL: ${reason}`], routed: false };
  }
  const todos: string[] = [];
  let port = tcp[0]!;
  const checked = healthcheckPath(s.healthcheckTest);
  const byHealth = checked?.port !== undefined ? tcp.find((p) => p.target === checked.port) : undefined;
  // Traefik's own: its API and ping answer on the `traefik` entrypoint (:8080), not on the routed ones.
  const byTraefikApi =
    traefik?.service === s && (traefik.apiInsecure || traefik.ping)
      ? tcp.find((p) => p.target === 8080)
      : undefined;
  if (byHealth) port = byHealth;
  else if (byTraefikApi) port = byTraefikApi;
  else if (tcp.length > 1)
    todos.push(
      `several published ports (${tcp.map((p) => `${p.published}→${p.target}`).join(', ')}): took the first; which one answers HTTP?`,
    );
  const scheme =
    port.target === 443 || port.target === 8443 || checked?.scheme === 'https' ? 'https' : 'http';
  return {
    url: urlOf(scheme, PUBLISHED_HOST, port.published),
    how: `published port ${port.published}→${port.target}`,
    todos,
    routed: false,
  };
}

export function baselineEndpoint(s: ComposeService, traefik?: TraefikStatic): Endpoint {
  const routed = viaTraefik(s, traefik);
  if (routed?.url) return routed;
  const direct = viaPublishedPort(s, traefik);
  return { ...direct, todos: [...(routed?.todos ?? []), ...direct.todos] };
}
