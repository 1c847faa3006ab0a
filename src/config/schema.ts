// The config's shape, as zod schemas. The inferred types are the public `UserConfig` (what people write)
// and `ResolvedConfig` (every default filled in), in the manner of Vitest's UserConfig/ResolvedConfig.
import { z } from 'zod';
import { backupSchema } from '../suites/backup/define.js';
import { browserSchema } from '../suites/browser/define.js';
import { dataSchema } from '../suites/data/define.js';
import { integrationSchema } from '../suites/integration/define.js';
import { monitoringSchema } from '../suites/monitoring/define.js';
import { environmentMonitoringSchema } from '../suites/monitoring/endpoints.js';
import { performanceSchema } from '../suites/performance/settings.js';
import { watchSchema } from '../suites/post-cutover/define.js';
import { securitySchema } from '../suites/security/define.js';
import { healthSchema, smokeSchema } from '../suites/smoke/define.js';
import { httpUrl } from './http-url.js';
import { authSchema } from './integration.js';

const SERVICE_ID = /^[a-z][a-z0-9-]*$/;
const serviceId = z.string().regex(SERVICE_ID, 'expected a lower-case id such as rentguy-api');

export const TIERS = ['infrastructure', 'monitoring', 'application', 'frontend', 'ai'] as const;

export const serviceSchema = z.strictObject({
  title: z.string().optional(),
  tier: z.enum(TIERS),
  /** Migration phase that moves this service (1 cluster, 2 infrastructure, 3 applications, …). */
  phase: z.number().int().min(1).max(5),
  /** Wave within phase 3 (rentguy, psra, wpcs, ai). */
  wave: z.string().regex(SERVICE_ID, 'expected a lower-case wave id such as rentguy').optional(),
  health: healthSchema,
  /** Reachable from outside the platform (an ingress host); internal services are not. @default true */
  public: z.boolean().default(true),
});

const envServiceSchema = z.strictObject({
  url: httpUrl(),
});

const ipAddress = z.union([z.ipv4(), z.ipv6()], { error: 'expected an IP address' });

const environmentCommon = {
  title: z.string().optional(),
  /**
   * Host names pinned to addresses, as `curl --resolve` does: the request still carries the host name
   * (Host header, TLS SNI) but connects to the address. Keys are `host` or `host:port`.
   */
  resolve: z
    .record(z.string().regex(/^[A-Za-z0-9.*-]+(:\d+)?$/, 'expected host or host:port'), ipAddress)
    .default({}),
  tls: z
    .strictObject({
      /** PEM file with extra CA certificates to trust, relative to the config file. */
      caFile: z.string().optional(),
      /** Accept certificates that do not verify (recorded as a failed TLS check, never silently). */
      insecure: z.boolean().default(false),
    })
    .default({ insecure: false }),
  /** Base URL of each service in this environment. A service absent here is not deployed there. */
  services: z.record(serviceId, envServiceSchema),
  /**
   * This environment's Prometheus, Alertmanager, Grafana and Loki, for the monitoring suite and `cutover
   * watch`; each defaults to the environment's service of the same id (src/suites/monitoring/endpoints.ts).
   */
  monitoring: environmentMonitoringSchema,
};

export const environmentSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('compose'),
      /** The docker-compose.yml this environment runs, relative to the config file. */
      composeFile: z.string().min(1),
      ...environmentCommon,
    }),
    z.strictObject({
      kind: z.literal('kubernetes'),
      /** kubeconfig file; the default is $KUBECONFIG or ~/.kube/config. */
      kubeconfig: z.string().optional(),
      context: z.string().min(1),
      namespaces: z
        .array(z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'expected a namespace name'))
        .min(1),
      ...environmentCommon,
    }),
  ],
  { error: 'expected kind "compose" or "kubernetes"' },
);

export const configSchema = z
  .strictObject({
    project: z.string().min(1),
    environments: z
      .record(z.string().regex(SERVICE_ID, 'expected a lower-case environment name'), environmentSchema)
      .superRefine((envs, ctx) => {
        for (const [name, kind] of [
          ['baseline', 'compose'],
          ['target', 'kubernetes'],
        ] as const) {
          const env = envs[name];
          if (!env)
            ctx.addIssue({
              code: 'custom',
              path: [name],
              message: `missing; expected a ${kind} environment`,
            });
          else if (env.kind !== kind) {
            ctx.addIssue({
              code: 'custom',
              path: [name, 'kind'],
              message: `expected "${kind}", got "${env.kind}"`,
            });
          }
        }
      }),
    services: z.record(serviceId, serviceSchema),
    smoke: smokeSchema,
    /** Integration scenarios and parity (optional; see src/config/integration.ts). */
    integration: integrationSchema,
    /** OIDC auth profiles integration steps use; secrets are named by environment variable. */
    auth: authSchema,
    /** Load: safety limits, A/B mode, extra scenarios (optional; see src/config/performance.ts). */
    performance: performanceSchema,
    /** Kubernetes and security suite: kube-bench opt-in, readiness window (see src/config/security.ts). */
    security: securitySchema,
    /** Monitoring suite: scrape-target mapping, the alert path, Loki's query, parity (src/suites/monitoring/define.ts). */
    monitoring: monitoringSchema,
    /** Data suite: the PostgreSQL databases compared between baseline and target (src/suites/data/define.ts, docs/data.md). */
    data: dataSchema,
    /** `cutover watch` after cutover: query templates, criteria against the baseline, breach policy (see docs/watch.md). */
    watch: watchSchema,
    /** Browser suite: Playwright specs on both environments, cross-environment page parity (docs/browser.md). */
    browser: browserSchema,
    /** Backup suite: Velero's namespace, schedules and what they cover, the RPO, the restore drill (see docs/backup.md). */
    backup: backupSchema,
    /** Where runs are written, relative to the config file. @default "reports" */
    reportsDir: z.string().min(1).default('reports'),
  })
  .superRefine((config, ctx) => {
    for (const [envName, env] of Object.entries(config.environments)) {
      for (const id of Object.keys(env.services)) {
        if (!config.services[id]) {
          ctx.addIssue({
            code: 'custom',
            path: ['environments', envName, 'services', id],
            message: `unknown service "${id}"; declare it under services`,
          });
        }
      }
    }
    if (Object.keys(config.services).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['services'], message: 'expected at least one service' });
    }
  });

/** What a config file exports: defaults may be left out. */
export type UserConfig = z.input<typeof configSchema>;
/** The validated config with every default filled in. */
export type ParsedConfig = z.output<typeof configSchema>;
export type ServiceConfig = z.output<typeof serviceSchema>;
export type { HealthSpec, SmokeSettings } from '../suites/smoke/define.js';
export type EnvironmentConfig = z.output<typeof environmentSchema>;
export type { IntegrationSettings } from '../suites/integration/define.js';
export type { AuthProfile } from './integration.js';
