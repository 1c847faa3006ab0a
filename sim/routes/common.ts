// Shapes shared by several stand-ins: the health endpoint of the in-house application APIs, the static
// frontends, and the generic stand-in for a service id the platform does not know.

import { randomUUID } from 'node:crypto';
import {
  type HealthSpec,
  isoNow,
  json,
  type Route,
  type RouteContext,
  type ServiceDefinition,
  type ServiceEnv,
} from '../route.js';
import type { WebApp } from '../web/app.js';

/** The in-house APIs all answer health the same way, so one definition serves them. */
export function appService(
  id: string,
  version: string,
  routes: (env: ServiceEnv) => Route[],
): ServiceDefinition {
  return {
    bearer: true,
    health: {
      path: '/health',
      status: 200,
      contentType: 'application/json',
      json: { status: 'healthy', service: id, version },
    },
    routes: (env) => [
      {
        method: 'GET',
        path: '/health',
        handler: (ctx) => json({ status: 'healthy', service: id, version, timestamp: isoNow(ctx) }),
      },
      ...routes(env),
    ],
  };
}

const okHealth: HealthSpec = {
  path: '/health',
  status: 200,
  contentType: 'application/json',
  json: { status: 'ok' },
};
const okRoute: Route = { method: 'GET', path: '/health', handler: () => json({ status: 'ok' }) };

/** A stand-in for a service id the simulator has no table for: it is at least alive. */
export const genericService: ServiceDefinition = { health: okHealth, routes: () => [okRoute] };

/**
 * A web frontend as its web server serves it: the pages of `app` behind the Keycloak sign-in (see
 * web/front.ts), and a health endpoint.
 */
export function frontendService(app: WebApp): ServiceDefinition {
  return { health: okHealth, web: app, routes: () => [okRoute] };
}

/** The list envelope of the in-house APIs: stable items, plus the per-response fields real APIs add. */
export function listed(ctx: RouteContext, key: string, items: unknown[]): unknown {
  return { [key]: items, total: items.length, requestId: randomUUID(), fetchedAt: isoNow(ctx) };
}

/** A list's `limit` query parameter: 50 unless asked, at most 200 (the tables hold hundreds of rows). */
export function pageLimit(ctx: RouteContext, fallback = 50): number {
  const n = Number(ctx.query.get('limit') ?? fallback);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 200) : fallback;
}
