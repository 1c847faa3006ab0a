// The platform simulator: one HTTP stand-in per (environment, service) listener, each built from the
// service's route table, with the requested faults applied. It exists so the harness can be developed,
// demonstrated and tested end to end without the real Compose stack or cluster.
//
// Volatile fields, for parity diffs: record ids minted during a run (`id`, `runId`, `thread_id`,
// `executionId`), per-response `requestId`, timestamps (`*At`, `timestamp`, `asOf`, `server_time_utc`,
// `lastScrape`, `lastEvaluation`, `startDate`, `uptime`) and URLs built from the Host header (Keycloak).
// Everything else is the same in every environment for the same seed.

import { createServer, type Server } from 'node:http';
import { BlockList, isIP } from 'node:net';
import type { FaultSpec } from 'cutover';
import { type SimDatabases, simDatabaseAccess } from './db.js';
import { faultsFor, planFaults } from './faults.js';
import { createIdentity, type EnvironmentIdentity, tokenCheck, webClientSecret } from './identity.js';
import { oidcFront, type WebClient } from './oidc.js';
import { SIM_WEB_SERVICE_IDS, serviceDefinition } from './platform.js';
import { seededRng } from './rng.js';
import { createService, type ServiceInstance } from './service.js';
import { webFront } from './web/front.js';

export type { SimDatabaseServer, SimDatabases } from './db.js';
export { SIM_SERVICE_IDS, SIM_WEB_SERVICE_IDS, type SimServiceId, simHealthSpecs } from './platform.js';
export type { HealthSpec } from './route.js';
export { startUserTraffic, type UserTraffic, type UserTrafficOptions } from './traffic.js';

export interface SimListener {
  environment: string;
  service: string;
  /** A loopback IP to bind, e.g. 127.0.0.1. */
  host: string;
  /** 0 picks a free port. */
  port: number;
  /**
   * The URL browsers use for the service, when it is not `http://host:port`: the target's host names
   * pinned to 127.0.0.2 (`http://rentguy-frontend.k8s.sevensa.test:17209`). Keycloak redirects and
   * registered redirect URIs are built from it.
   */
  url?: string;
}

export interface SimOptions {
  listeners: SimListener[];
  faults?: FaultSpec[];
  /** Seeds the stable data and the fault rolls; the same seed reproduces both. Default 1. */
  seed?: number;
  /** A ms clock for stall windows and timestamps; default Date.now. */
  now?: () => number;
  /**
   * The in-house APIs refuse requests without a bearer token. Off by default: the smoke and load suites
   * read the same routes anonymously. A token that is presented is always verified.
   */
  requireAuth?: boolean;
  /**
   * A PostgreSQL server per environment (or a promise of one): RentGuy, PSRA and WPCS then read and
   * write their seeded databases there (sim/db.ts). Without one, they keep their state in memory.
   */
  databases?: SimDatabases;
}

export interface SimEndpoint {
  environment: string;
  service: string;
  /** e.g. http://127.0.0.1:17101 */
  url: string;
}

export interface RunningSimulator {
  endpoints: SimEndpoint[];
  stop(): Promise<void>;
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

const label = (l: SimListener) => `${l.environment}/${l.service}`;

/** The stand-ins answer anyone who can reach them, and fault flags make them misbehave on purpose. */
function assertLoopback(l: SimListener): void {
  const family = isIP(l.host);
  if (family === 0 || !LOOPBACK.check(l.host, family === 4 ? 'ipv4' : 'ipv6')) {
    throw new Error(
      `host "${l.host}" for ${label(l)} is not a loopback IP address; the simulator binds only ` +
        '127.0.0.0/8 or ::1 (e.g. 127.0.0.1)',
    );
  }
}

interface Live {
  server: Server;
  instance: ServiceInstance;
}

function listen(server: Server, l: SimListener): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        new Error(
          err.code === 'EADDRINUSE'
            ? `port ${l.port} for ${label(l)} is already in use`
            : `cannot listen on ${l.host}:${l.port} for ${label(l)}: ${err.message}`,
          { cause: err },
        ),
      );
    });
    server.listen(l.port, l.host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : l.port);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Idle keep-alive sockets would otherwise hold close() open for seconds.
    server.closeAllConnections();
  });
}

const urlOf = (host: string, port: number) => `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;

/** Page faults need a service with pages; anywhere else they would silently do nothing. */
function assertPageFaultTargets(faults: readonly FaultSpec[]): void {
  for (const f of faults) {
    if (f.fault.kind === 'page' && !serviceDefinition(f.service).web) {
      const web = SIM_WEB_SERVICE_IDS.join(', ');
      throw new Error(`--fault "${f.source}": ${f.service} serves no pages; page faults apply to ${web}`);
    }
  }
}

export async function startSimulator(options: SimOptions): Promise<RunningSimulator> {
  options.listeners.forEach(assertLoopback);
  assertPageFaultTargets(options.faults ?? []);
  const seed = options.seed ?? 1;
  const now = options.now ?? Date.now;
  const startedAtMs = now();
  const faults = options.faults ?? [];
  const databases = simDatabaseAccess(options.databases);

  const plans = options.listeners.map((listener) => ({
    listener,
    plan: planFaults(
      faultsFor(faults, listener.environment, listener.service),
      seed,
      label(listener),
      startedAtMs,
    ),
  }));
  const live: Live[] = [];
  const ports = new Map<SimListener, number>();
  // Where each service of an environment is reached, filled in once it listens: frontends forward to
  // their API and Keycloak, and Keycloak registers the frontends' redirect URIs.
  const addresses = new Map<string, { internal: string; public: string }>();
  const peerOf = (environment: string) => (service: string) => addresses.get(`${environment}/${service}`);
  const webClientsOf = (environment: string) => (): WebClient[] =>
    options.listeners
      .filter((l) => l.environment === environment && serviceDefinition(l.service).web)
      .flatMap((l) => {
        const at = addresses.get(label(l));
        if (!at) return [];
        const origins = [...new Set([at.public, at.internal])];
        return [
          {
            clientId: l.service,
            clientSecret: webClientSecret(l.service),
            redirectUris: origins.map((o) => `${o}/callback`),
          },
        ];
      });
  // One realm key pair per environment: its Keycloak signs with it, its APIs trust only it.
  const identities = new Map<string, EnvironmentIdentity>();
  for (const env of new Set(options.listeners.map((l) => l.environment))) {
    identities.set(env, await createIdentity(env));
  }
  const attempts = plans
    .filter((p) => !p.plan.down)
    .map(async ({ listener, plan }) => {
      const def = serviceDefinition(listener.service);
      // The data stream depends on the service only, so every environment serves the same records.
      const routes = def.routes({
        id: listener.service,
        rng: seededRng(seed, listener.service),
        startedAtMs,
        peers: options.listeners.filter((l) => l.environment === listener.environment).map((l) => l.service),
        faults: faultsFor(faults, listener.environment, listener.service),
        database: databases.forService(listener.environment, listener.service),
      });
      const identity = identities.get(listener.environment)!;
      const instance = createService(routes, plan, now, {
        ...(def.bearer
          ? { checkToken: tokenCheck(identity, options.requireAuth === true), openPaths: [def.health.path] }
          : {}),
      });
      const pageFaults = faultsFor(faults, listener.environment, listener.service);
      const handler = def.web
        ? webFront(
            {
              serviceId: listener.service,
              app: def.web,
              plan,
              faults: pageFaults,
              peer: peerOf(listener.environment),
              now,
            },
            instance.handler,
          )
        : def.oidc
          ? oidcFront(identity, plan, instance.handler, webClientsOf(listener.environment))
          : instance.handler;
      const server = createServer(handler);
      const port = await listen(server, listener);
      const internal = urlOf(listener.host, port);
      addresses.set(label(listener), { internal, public: (listener.url ?? internal).replace(/\/+$/, '') });
      live.push({ server, instance });
      ports.set(listener, port);
    });
  const results = await Promise.allSettled(attempts);

  const stop = async () => {
    for (const l of live) l.instance.abort();
    await Promise.all(live.map((l) => close(l.server)));
    await databases.close();
  };
  const failure = results.find((r) => r.status === 'rejected');
  if (failure) {
    await stop();
    throw failure.reason;
  }

  // A down service still needs a stable address to be refused at. Ports are reserved only now, while
  // every live server holds its own, and all at once, so no two listeners can be handed the same one.
  const reservations = plans
    .filter((p) => p.plan.down && p.listener.port === 0)
    .map((p) => ({ listener: p.listener, server: createServer() }));
  try {
    for (const r of reservations) ports.set(r.listener, await listen(r.server, r.listener));
  } catch (err) {
    await stop();
    throw err;
  } finally {
    await Promise.all(reservations.filter((r) => r.server.listening).map((r) => close(r.server)));
  }

  return {
    endpoints: options.listeners.map((l) => ({
      environment: l.environment,
      service: l.service,
      url: urlOf(l.host, ports.get(l) ?? l.port),
    })),
    stop,
  };
}
