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
 * A built single-page frontend as its web server serves it. The page has no external assets (and an
 * inline favicon) so a browser check sees no failed loads that the real build would not have.
 */
export function frontendService(title: string, heading: string, links: readonly string[]): ServiceDefinition {
  const page = [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<link rel="icon" href="data:,">',
    `<title>${title}</title>`,
    '</head>',
    '<body>',
    `<header><h1>${heading}</h1></header>`,
    `<nav>${links.map((l) => `<a href="#${l.toLowerCase()}">${l}</a>`).join(' ')}</nav>`,
    '<main id="root"><p>Welcome.</p></main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
  return {
    health: okHealth,
    routes: () => [{ method: 'GET', path: '/', handler: () => ({ html: page }) }, okRoute],
  };
}

/** The list envelope of the in-house APIs: stable items, plus the per-response fields real APIs add. */
export function listed(ctx: RouteContext, key: string, items: unknown[]): unknown {
  return { [key]: items, total: items.length, requestId: randomUUID(), fetchedAt: isoNow(ctx) };
}
