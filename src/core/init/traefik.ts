// Traefik's Docker provider as `cutover init` reads it: the routers a service's labels declare (rule,
// entrypoints, TLS) and the entrypoints the Traefik container's static configuration defines (command
// flags), so a routed service's baseline URL is the rule's host on the port Compose publishes for the
// entrypoint. Rules are read in both syntaxes: v2's `Host(`a`, `b`)` and v3's `Host(`a`) || Host(`b`)`.
// Pure: the Compose model in, routes out; nothing is guessed silently (see ./endpoint.ts).
import type { ComposeService } from '../inventory/compose.js';

export interface RuleParts {
  /** Host names the rule matches exactly, in order. */
  hosts: string[];
  /** The first `PathPrefix` or `Path`, when the rule routes only part of a host. */
  path?: string;
  /** The rule matches hosts only by pattern (`HostRegexp`): no URL can be derived from it. */
  regexpOnly: boolean;
}

/** The literal arguments of a matcher call: `Host(`a`, "b")` → a, b. */
function argumentsOf(call: string): string[] {
  return [...call.matchAll(/`([^`]*)`|"([^"]*)"|'([^']*)'/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

/** The hosts and path of a router rule, in Traefik v2 or v3 syntax. */
export function parseRule(rule: string): RuleParts {
  const hosts: string[] = [];
  let path: string | undefined;
  // HostHeader is v2's alias of Host; HostRegexp and HostSNI are left out by the word boundary.
  for (const m of rule.matchAll(/\b(Host|HostHeader|PathPrefix|Path)\s*\(([^)]*)\)/g)) {
    const args = argumentsOf(m[2]!).filter(Boolean);
    if (m[1] === 'Host' || m[1] === 'HostHeader') hosts.push(...args);
    else if (path === undefined && args[0]?.startsWith('/')) path = args[0];
  }
  return {
    hosts: [...new Set(hosts)],
    ...(path !== undefined ? { path } : {}),
    regexpOnly: hosts.length === 0 && /\bHostRegexp\s*\(/.test(rule),
  };
}

export interface Router {
  name: string;
  rule?: string;
  /** Entrypoint names (`entrypoints=web,websecure`); empty means all of Traefik's defaults. */
  entrypoints: string[];
  /** `tls=true` or any `tls.*` option (a cert resolver, domains, options). */
  tls: boolean;
}

const ROUTER_KEY = /^traefik\.http\.routers\.([^.]+)\.(.+)$/;

/** The HTTP routers a service's labels declare, in label order. */
export function routersOf(labels: Readonly<Record<string, string>>): Router[] {
  const routers = new Map<string, Router>();
  for (const [key, value] of Object.entries(labels)) {
    const m = ROUTER_KEY.exec(key);
    if (!m) continue;
    const name = m[1]!;
    const router = routers.get(name) ?? { name, entrypoints: [], tls: false };
    routers.set(name, router);
    const prop = m[2]!.toLowerCase();
    if (prop === 'rule') router.rule = value;
    else if (prop === 'entrypoints')
      router.entrypoints = value
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean);
    else if (prop === 'tls') router.tls = router.tls || value.trim().toLowerCase() === 'true';
    else if (prop.startsWith('tls.')) router.tls = true;
  }
  return [...routers.values()];
}

export interface Entrypoint {
  name: string;
  /** The port inside the Traefik container (`--entrypoints.websecure.address=:443`). */
  port: number;
  /** TLS on every router of this entrypoint (`--entrypoints.X.http.tls=true` or a cert resolver). */
  tls: boolean;
  /** Where this entrypoint redirects to (`…http.redirections.entrypoint.to=websecure`). */
  redirectsTo?: string;
}

export interface TraefikStatic {
  /** The Compose service that runs Traefik. */
  service: ComposeService;
  /** Entrypoints its command flags define; empty when they come from a file Cutover cannot read. */
  entrypoints: Entrypoint[];
  /** `--providers.docker.exposedbydefault=false`: only services with `traefik.enable=true` are routed. */
  exposedByDefault: boolean;
  /** `--api.insecure=true` (the dashboard and API on the `traefik` entrypoint, :8080). */
  apiInsecure: boolean;
  /** `--ping=true` (`/ping` on the `traefik` entrypoint unless `--ping.entrypoint` says otherwise). */
  ping: boolean;
}

const isTraefikImage = (image: string | undefined) =>
  image !== undefined && /(^|\/)traefik(:|@|$)/.test(image.toLowerCase());

/** Traefik's flags: `--entryPoints.web.address=:80` → ["entrypoints.web.address", ":80"] (case-folded key). */
function flags(command: readonly string[]): [string, string][] {
  return command
    .filter((a) => a.startsWith('--'))
    .map((a) => {
      const eq = a.indexOf('=');
      return eq < 0 ? [a.slice(2).toLowerCase(), 'true'] : [a.slice(2, eq).toLowerCase(), a.slice(eq + 1)];
    });
}

/** The Traefik service of a Compose file and its static configuration from command flags. */
export function traefikStatic(services: readonly ComposeService[]): TraefikStatic | undefined {
  const service = services.find((s) => isTraefikImage(s.image));
  if (!service) return undefined;
  const byName = new Map<string, Entrypoint>();
  const entry = (name: string) => {
    const e = byName.get(name) ?? { name, port: Number.NaN, tls: false };
    byName.set(name, e);
    return e;
  };
  let exposedByDefault = true;
  let apiInsecure = false;
  let ping = false;
  for (const [key, value] of flags(service.command ?? [])) {
    const m = /^entrypoints\.([^.]+)\.(.+)$/.exec(key);
    const on = value.trim().toLowerCase() !== 'false';
    if (m) {
      const e = entry(m[1]!);
      if (m[2] === 'address') e.port = Number(/:(\d+)(\/\w+)?$/.exec(value.trim())?.[1] ?? Number.NaN);
      else if (m[2] === 'http.tls' || m[2]!.startsWith('http.tls.')) e.tls = e.tls || on;
      else if (m[2] === 'http.redirections.entrypoint.to') e.redirectsTo = value.trim();
    } else if (key === 'providers.docker.exposedbydefault') exposedByDefault = on;
    else if (key === 'api.insecure') apiInsecure = on;
    else if (key === 'ping') ping = on;
  }
  return {
    service,
    entrypoints: [...byName.values()].filter((e) => Number.isInteger(e.port)),
    exposedByDefault,
    apiInsecure,
    ping,
  };
}
