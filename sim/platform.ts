// The Sevensa platform as the simulator knows it: service id → route table. Adding a service is one
// entry here and, if its product is new, one table under routes/.

import type { HealthSpec, ServiceDefinition } from './route.js';
import { alertmanager } from './routes/alertmanager.js';
import {
  claudeChat,
  psraFrontend,
  rentguyFrontend,
  tradingDashboard,
  wpcsApi,
  wpcsFrontend,
} from './routes/apps.js';
import { langgraph, n8n } from './routes/automation.js';
import { genericService } from './routes/common.js';
import { keycloak, openbao, traefik } from './routes/edge.js';
import { grafana } from './routes/grafana.js';
import { loki } from './routes/loki.js';
import { prometheus } from './routes/prometheus.js';
import { psraApi, psraOriginEngine } from './routes/psra.js';
import { rentguyApi } from './routes/rentguy.js';

export const PLATFORM = {
  openbao,
  keycloak,
  traefik,
  prometheus,
  grafana,
  alertmanager,
  loki,
  'rentguy-api': rentguyApi,
  'rentguy-frontend': rentguyFrontend,
  'psra-api': psraApi,
  'psra-frontend': psraFrontend,
  'psra-origin-engine': psraOriginEngine,
  'wpcs-api': wpcsApi,
  'wpcs-frontend': wpcsFrontend,
  langgraph,
  n8n,
  'claude-chat': claudeChat,
  'trading-dashboard': tradingDashboard,
} satisfies Record<string, ServiceDefinition>;

export type SimServiceId = keyof typeof PLATFORM;

export const SIM_SERVICE_IDS: readonly string[] = Object.keys(PLATFORM);

/** The services that serve web pages behind the sign-in (the targets of page faults). */
export const SIM_WEB_SERVICE_IDS: readonly string[] = Object.entries(PLATFORM)
  .filter(([, def]) => (def as ServiceDefinition).web !== undefined)
  .map(([id]) => id);

/** The definition for a service id; an id the platform does not know gets a stand-in that is merely alive. */
export function serviceDefinition(id: string): ServiceDefinition {
  return Object.hasOwn(PLATFORM, id) ? PLATFORM[id as SimServiceId] : genericService;
}

export const simHealthSpecs = Object.fromEntries(
  Object.entries(PLATFORM).map(([id, def]) => [id, def.health]),
) as Record<SimServiceId, HealthSpec>;
