// The vocabulary of the route tables: what a handler sees, what it returns, and what a service
// definition declares. Service files under routes/ are written only in these terms, so the one generic
// stand-in (service.ts) can serve every product without per-service server code.

import type { IncomingHttpHeaders } from 'node:http';
import type { Fault } from 'cutover';
import type { z } from 'zod';
import type { SimDb } from './db.js';
import type { Rng } from './rng.js';
import type { WebApp } from './web/app.js';

export interface RouteContext {
  method: string;
  path: string;
  /** Values of the `:name` segments of the matched pattern, URI-decoded. */
  params: Record<string, string>;
  /** The URL's query parameters, and those of a form body (`application/x-www-form-urlencoded`) before them. */
  query: URLSearchParams;
  /** The parsed JSON body, or undefined when the request had none. */
  body: unknown;
  headers: IncomingHttpHeaders;
  /** The Host header as the client sent it: discovery documents build their URLs from it. */
  host: string;
  /** The simulator clock in ms; volatile timestamps come from it. */
  now: () => number;
}

export interface RouteResponse {
  /** Defaults to 200, or 204 when there is no body. */
  status?: number;
  json?: unknown;
  text?: string;
  html?: string;
  headers?: Record<string, string>;
}

/** A handler answers at once, or after reading its database (the APIs backed by PostgreSQL). */
export type RouteHandler = (ctx: RouteContext) => RouteResponse | Promise<RouteResponse>;

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** A pattern such as `/api/bookings/:id`; it is also the `route` label of the HTTP metrics. */
  path: string;
  handler: RouteHandler;
}

/** What the health endpoint of a service answers, as implemented; the main config mirrors it. */
export interface HealthSpec {
  path: string;
  status: number;
  /** The media type without parameters; the response carries `; charset=utf-8`. */
  contentType: string;
  /** Top-level fields the JSON body must carry with exactly these values. */
  json?: Record<string, string | number | boolean | null>;
  /** Text the body must contain. */
  contains?: string;
}

/** Per-instance inputs of a route table. */
export interface ServiceEnv {
  id: string;
  /**
   * Seeded by the simulator seed and the service id only, never the environment, so the stable data a
   * table draws from it is identical in baseline and target.
   */
  rng: Rng;
  /** When the simulator started, on its clock: start dates and uptimes are measured from it. */
  startedAtMs: number;
  /** The services of the same environment (the Loki stand-in ships a log line of each). */
  peers?: readonly string[];
  /** The faults aimed at this instance (the monitoring stand-ins honour their monitoring defects). */
  faults?: readonly Fault[];
  /**
   * The service's own PostgreSQL database, when the simulator was given one for this environment
   * (sim/db.ts): undefined when it was not, and resolving to undefined when it was but could not be
   * reached at start. The APIs keep their state in memory then.
   */
  database?: () => Promise<SimDb | undefined>;
}

export interface ServiceDefinition {
  health: HealthSpec;
  /**
   * A resource server of the environment's Keycloak realm: every bearer token it receives is verified
   * (signature via the realm's JWKS, audience, expiry); its health path stays open.
   */
  bearer?: boolean;
  /** The environment's OpenID Provider (Keycloak): the realm's OIDC paths are served by oidc-provider. */
  oidc?: boolean;
  /**
   * A web frontend: its pages behind the environment's Keycloak sign-in (web/front.ts), in front of the
   * route table (which keeps health and metrics).
   */
  web?: WebApp;
  /** Builds the route table of one instance; state its handlers share (bookings, runs) lives in the closure. */
  routes: (env: ServiceEnv) => Route[];
}

export const json = (body: unknown, status = 200, headers?: Record<string, string>): RouteResponse => ({
  status,
  json: body,
  headers,
});

export const text = (body: string, status = 200): RouteResponse => ({ status, text: body });

export const notFound = (what: string): RouteResponse => json({ error: `${what} not found` }, 404);

export const iso = (ms: number): string => new Date(ms).toISOString();
export const isoNow = (ctx: RouteContext): string => iso(ctx.now());

/** Validates the request body and passes it on; a mismatch is a 400 naming each bad field, as real APIs do. */
export function withBody<S extends z.ZodType, R extends RouteResponse | Promise<RouteResponse>>(
  schema: S,
  ctx: RouteContext,
  use: (body: z.infer<S>) => R,
): R | RouteResponse {
  const parsed = schema.safeParse(ctx.body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
    return json({ error: 'invalid request body', issues }, 400);
  }
  return use(parsed.data);
}
