// Where an environment's monitoring answers: its Prometheus, Alertmanager, Grafana and Loki, as the
// config's `environments.<env>.monitoring` names them. Each is a URL or an object with the URL, the
// environment variables that hold its credentials (a config never holds a secret), headers such as a
// tenant's X-Scope-OrgID, and a deadline. Left out, a component is the environment's service of the same
// id (`services.prometheus` …), reached like the other services (host pins, CA, `insecure`): the usual
// case, where monitoring is itself one of the migrated services. Read by the monitoring suite and by
// `cutover watch`.
import { z } from 'zod';
import { httpUrl } from '../../config/http-url.js';

const ENV_VAR = /^[A-Za-z_][A-Za-z0-9_]*$/;
const envVar = z.string().regex(ENV_VAR, 'expected an environment variable name such as PROM_TOKEN');

export const MONITORING_COMPONENTS = ['prometheus', 'alertmanager', 'grafana', 'loki'] as const;
export type MonitoringComponent = (typeof MONITORING_COMPONENTS)[number];

const authSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('bearer'), tokenEnv: envVar }),
    z.strictObject({
      type: z.literal('basic'),
      /** The user name (not a secret), or the variable holding it. */
      username: z.string().min(1).optional(),
      usernameEnv: envVar.optional(),
      passwordEnv: envVar,
    }),
  ],
  { error: 'expected auth type "bearer" (tokenEnv) or "basic" (passwordEnv, username or usernameEnv)' },
);

const endpointObject = z.strictObject({
  url: httpUrl('monitoring URL'),
  /** Credentials by the names of the environment variables holding them. */
  auth: authSchema.optional(),
  /** Headers sent with every request (a tenant's X-Scope-OrgID); not for secrets, which go in `auth`. */
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, 'expected a header name'), z.string()).optional(),
  /** Deadline of one request in ms. @default 10000 */
  timeoutMs: z.number().int().positive().max(600_000).optional(),
});

/** A URL, or the URL with auth, headers and a deadline. */
const endpointSchema = z.union([httpUrl('monitoring URL'), endpointObject], {
  error: 'expected an http(s) URL or { url, auth?, headers?, timeoutMs? }',
});

export const environmentMonitoringSchema = z
  .strictObject({
    prometheus: endpointSchema.optional(),
    alertmanager: endpointSchema.optional(),
    grafana: endpointSchema.optional(),
    loki: endpointSchema.optional(),
  })
  .optional();

export type MonitoringEndpointConfig = z.output<typeof endpointObject>;
export type EnvironmentMonitoring = NonNullable<z.output<typeof environmentMonitoringSchema>>;

/** A component's endpoint as resolved for one environment, with where it came from (for messages). */
export interface ResolvedMonitoringEndpoint extends MonitoringEndpointConfig {
  component: MonitoringComponent;
  /** `config` when named under `monitoring`, `service` when it is the environment's service of that id. */
  source: 'config' | 'service';
}

/** The shape `monitoringEndpoints` reads: an environment as the config resolves it. */
interface EnvironmentLike {
  monitoring?: EnvironmentMonitoring | undefined;
  services: Readonly<Record<string, { url: string }>>;
}

/**
 * The monitoring endpoints of one environment: those the config names, else the environment's service of
 * the component's id. A component with neither is absent (the suite records it as not checked, and says
 * why: absence is never a pass).
 */
export function monitoringEndpoints(
  env: EnvironmentLike,
): Partial<Record<MonitoringComponent, ResolvedMonitoringEndpoint>> {
  const out: Partial<Record<MonitoringComponent, ResolvedMonitoringEndpoint>> = {};
  for (const component of MONITORING_COMPONENTS) {
    const named = env.monitoring?.[component];
    if (named !== undefined) {
      out[component] = {
        component,
        source: 'config',
        ...(typeof named === 'string' ? { url: named } : named),
      };
      continue;
    }
    const service = env.services[component];
    if (service) out[component] = { component, source: 'service', url: service.url };
  }
  return out;
}
